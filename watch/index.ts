/**
 * Live capacity during a load test (`npm run watch`): per shard the live message conversations in its queue, read
 * from Genesys's queue observations, next to the ceiling and headroom the environment's plan gave it; the org-wide
 * total with the Limits API's counts where the org exposes them.
 */
export {
  COUNTS_NAMESPACE,
  QUEUES_PER_OBSERVATION_QUERY,
  observationQuery,
  readLimitCounts,
  readQueueObservations,
  takeSnapshot,
  type TakeSnapshotOptions,
} from "./observe";
export { renderSnapshotJson, renderSnapshotText } from "./render";
export { WatchInputError, watchedShards, type ShardMapLike } from "./shards";
export {
  budgetFromPlan,
  buildSnapshot,
  isAboveHeadroom,
  type CapacityBudget,
  type CapacityLine,
  type CapacityState,
  type LimitCount,
  type LimitCountsReading,
  type QueueCounts,
  type ShardLine,
  type SnapshotInput,
  type WatchSnapshot,
  type WatchedShard,
} from "./snapshot";

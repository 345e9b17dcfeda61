/**
 * The shard map: per shard its index, the Genesys ids of its messaging deployment, queue and inbound message
 * flow, its share of sessions and arrivals, and the rate it ramps at. A load test (a JMeter CSV Data Set, a k6
 * script, the rehearsal) spreads guest sessions by it, exactly as the capacity plan intends.
 *
 * Before a deploy only the plan's shares are known (`source: "plan"`, ids null); once deployed the stack's
 * `shard_map` Terraform output carries the ids (`source: "state"`), and the map says which environment, stack
 * and state they came from. This folder is the one place that reads and writes it: from a plan (`map.ts`), a
 * state or `terraform state pull` (`state.ts`, `find.ts`), a shard map file (`file.ts`), to CSV or JSON
 * (`write.ts`).
 */
export {
  ShardMapError,
  completeShardMap,
  deployedShards,
  identityOf,
  requireIdentity,
  shardMapFromPlan,
  type DeployedShard,
  type ShardMap,
  type ShardMapEntry,
  type ShardMapGroupState,
  type ShardMapIdentity,
  type ShardMapSource,
} from "./map";
export {
  CAPACITY_PLAN_OUTPUT,
  SHARD_MAP_OUTPUT,
  isSplitBase,
  parseStackState,
  readStackStateFile,
  readStateFile,
  shardMapFromGroupStates,
  shardMapFromOutput,
  shardMapFromStackState,
  shardMapFromState,
  type StackState,
  type ShardMapOutputEntry,
  type StateReadTimes,
} from "./state";
export { loadShardMapFile, parseShardMap, shardMapSchema } from "./file";
export {
  environmentShardMap,
  environmentStatePaths,
  type EnvironmentShardMapRequest,
  type EnvironmentStatePaths,
  type FoundShardMap,
  type TerraformRunner,
} from "./find";
export { SHARD_MAP_CSV_COLUMNS, shardMapCsv, shardMapJson } from "./write";

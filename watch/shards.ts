/** The shards watch observes, taken from a shard map (whichever module read it: only five fields are used). */
import type { WatchedShard } from "./snapshot";

/** The part of a shard map watch needs. `npm run shard-map`'s maps and the rehearsal's loaded maps both fit. */
export interface ShardMapLike {
  readonly environment: string;
  readonly source: "plan" | "state";
  readonly shards: readonly {
    readonly index: number;
    readonly deploymentId?: string | null;
    readonly queueId?: string | null;
    /** The shard's queue group; absent in maps written before queue groups (the shard's own index). */
    readonly queueGroup?: number;
    readonly sessions: number;
  }[];
}

/** A shard map watch cannot use; the message is one line naming where it came from. */
export class WatchInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WatchInputError";
  }
}

/**
 * The shards of `map` with their queue ids and queue groups, in index order.
 * @throws WatchInputError when the map is another environment's, comes from a plan (no ids yet), lacks a queue id,
 *   or gives two shards of one queue group different queues.
 */
export function watchedShards(map: ShardMapLike, environment: string, label: string): WatchedShard[] {
  if (map.environment !== environment) {
    throw new WatchInputError(
      `${label}: the shard map is for environment "${map.environment}", not "${environment}"`,
    );
  }
  if (map.source === "plan") {
    throw new WatchInputError(
      `${label}: made from the plan (no deploy found), so it has no queue ids to observe; deploy the stack, or ` +
        `pass the deployed stack's map (--shard-map <file.json> from npm run shard-map) or state (--state <file>)`,
    );
  }
  const missing = map.shards.filter((shard) => !shard.queueId);
  if (missing.length > 0) {
    throw new WatchInputError(
      `${label}: shard${missing.length === 1 ? "" : "s"} ${missing.map((shard) => shard.index).join(", ")} ` +
        `${missing.length === 1 ? "has" : "have"} no queueId; write the map again with npm run shard-map from the deployed state`,
    );
  }
  const shards = [...map.shards]
    .sort((a, b) => a.index - b.index)
    .map((shard) => ({
      index: shard.index,
      queueGroup: shard.queueGroup ?? shard.index,
      deploymentId: shard.deploymentId ?? null,
      queueId: shard.queueId as string,
      sessions: shard.sessions,
    }));
  const queueOfGroup = new Map<number, string>();
  for (const shard of shards) {
    const queue = queueOfGroup.get(shard.queueGroup) ?? shard.queueId;
    queueOfGroup.set(shard.queueGroup, queue);
    if (queue !== shard.queueId) {
      throw new WatchInputError(
        `${label}: shard ${shard.index} is in queue group ${shard.queueGroup} with queue ${shard.queueId}, but ` +
          `another shard of that group has queue ${queue}; write the map again with npm run shard-map`,
      );
    }
  }
  return shards;
}

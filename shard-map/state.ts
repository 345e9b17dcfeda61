/**
 * The shard map from a deployed stack's Terraform state: the `shard_map` output carries the ids, the
 * `capacity_plan` output names the environment the state belongs to, and `serial` / `lineage` say which state it
 * is.
 */
import { readFileSync, statSync } from "node:fs";
import { z } from "zod";
import { ShardMapError, completeShardMap, identityOf, type ShardMap, type ShardMapIdentity } from "./map";

/** The name of the Terraform output every environment stack writes the deployed shard map to. */
export const SHARD_MAP_OUTPUT = "shard_map";

/**
 * The output every environment stack writes its capacity plan to; its `environment` names the environment the
 * state belongs to. Every stack that writes `shard_map` has written it (both came with the same commit).
 */
export const CAPACITY_PLAN_OUTPUT = "capacity_plan";

/** One shard as the `shard_map` Terraform output spells it. */
export interface ShardMapOutputEntry {
  readonly index: number;
  /**
   * The shard's queue group; written only when deployments share queues. Absent, the shard's queue group is its own
   * index (one deployment per queue group, the layout of every stack before queue groups).
   */
  readonly queue_group?: number;
  readonly deployment_id: string;
  readonly queue_id: string;
  readonly flow_id: string;
  readonly sessions: number;
  readonly arrivals_per_minute: number | null;
}

/** The `shard_map` output's value, checked (zod). */
const outputSchema = z.array(
  z.object({
    index: z.number().int().min(0),
    queue_group: z.number().int().min(0).optional(),
    deployment_id: z.string(),
    queue_id: z.string(),
    flow_id: z.string(),
    sessions: z.number(),
    arrivals_per_minute: z.number().nullable(),
  }),
);

/** What of a Terraform state (format version 4) the shard map reads. */
const stateSchema = z.object({
  version: z.literal(4),
  serial: z.number().int().min(0).optional().catch(undefined),
  lineage: z.string().optional().catch(undefined),
  outputs: z.record(z.string(), z.object({ value: z.unknown() })).optional(),
});

/** The `capacity_plan` output's value, as far as the identity check needs it. */
const capacityPlanSchema = z.object({ environment: z.string() });

/** When and from what a state was read, for the map's `stateModifiedAt` and `readAt`. */
export interface StateReadTimes {
  /** The state file's modification time, for a local file. @default - none (e.g. a pulled remote state) */
  readonly modifiedAt?: Date;
  /** When it was read. @default - now */
  readonly readAt?: Date;
}

/**
 * The shard map from the value of the stack's `shard_map` output (as `terraform output -json shard_map` gives
 * it), without a check of whose output it is: callers that have the whole state use `shardMapFromState`.
 */
export function shardMapFromOutput(
  identity: ShardMapIdentity | string,
  value: unknown,
  where: string,
): ShardMap {
  const parsed = outputSchema.safeParse(value);
  if (!parsed.success) {
    throw new ShardMapError(
      `${where}: output "${SHARD_MAP_OUTPUT}" must be a list of {index, deployment_id, queue_id, flow_id, sessions, arrivals_per_minute}`,
    );
  }
  return completeShardMap({
    ...(typeof identity === "string" ? identityOf(identity) : identity),
    source: "state",
    shards: parsed.data.map((entry) => ({
      index: entry.index,
      queueGroup: entry.queue_group ?? entry.index,
      deploymentId: entry.deployment_id,
      queueId: entry.queue_id,
      flowId: entry.flow_id,
      sessions: entry.sessions,
      arrivalsPerMinute: entry.arrivals_per_minute,
    })),
  });
}

/**
 * The shard map from a Terraform state (format version 4, as a local backend or `terraform state pull` writes
 * it), after checking that the state is the environment's: its `capacity_plan` output must name it.
 * @param identity the environment (and its stack) the map is wanted for; a name stands for `identityOf(name)`.
 * @throws ShardMapError when the text is not a state, the stack has not been applied with the output, or the
 *   state belongs to another environment.
 */
export function shardMapFromState(
  identity: ShardMapIdentity | string,
  stateText: string,
  where: string,
  times: StateReadTimes = {},
): ShardMap {
  const expected = typeof identity === "string" ? identityOf(identity) : identity;
  let raw: unknown;
  try {
    raw = JSON.parse(stateText);
  } catch {
    throw new ShardMapError(`${where}: not a Terraform state file (not JSON)`);
  }
  const state = stateSchema.safeParse(raw);
  if (!state.success) {
    const version = (raw as { version?: unknown } | null)?.version;
    throw new ShardMapError(
      `${where}: not a Terraform state file of format version 4, got ${String(version)}`,
    );
  }
  const outputs = state.data.outputs ?? {};
  if (!(SHARD_MAP_OUTPUT in outputs)) {
    throw new ShardMapError(
      `${where}: the state has no "${SHARD_MAP_OUTPUT}" output: the stack is not deployed yet (or was deployed before the shard map existed)`,
    );
  }
  const plan = capacityPlanSchema.safeParse(outputs[CAPACITY_PLAN_OUTPUT]?.value);
  if (!plan.success) {
    throw new ShardMapError(
      `${where}: the state has no "${CAPACITY_PLAN_OUTPUT}" output naming its environment, so it cannot be ` +
        `told apart from another environment's; pass the state of ${expected.stack}`,
    );
  }
  if (plan.data.environment !== expected.environment) {
    throw new ShardMapError(
      `${where}: this state is of environment "${plan.data.environment}" (its ${CAPACITY_PLAN_OUTPUT} output), ` +
        `not "${expected.environment}": pass the state of ${expected.stack}`,
    );
  }
  const map = shardMapFromOutput(expected, outputs[SHARD_MAP_OUTPUT].value, where);
  const { shards, ramp, ...head } = map;
  return {
    ...head,
    ...(state.data.serial === undefined ? {} : { stateSerial: state.data.serial }),
    ...(state.data.lineage === undefined ? {} : { stateLineage: state.data.lineage }),
    ...(times.modifiedAt === undefined ? {} : { stateModifiedAt: times.modifiedAt.toISOString() }),
    readAt: (times.readAt ?? new Date()).toISOString(),
    ramp,
    shards,
  };
}

/**
 * The shard map from a local state file, with its modification time.
 * @throws ShardMapError when the file cannot be read, or as `shardMapFromState`.
 */
export function readStateFile(
  identity: ShardMapIdentity,
  file: string,
  label: string = file,
  now: Date = new Date(),
): ShardMap {
  let text: string;
  let modifiedAt: Date;
  try {
    text = readFileSync(file, "utf8");
    modifiedAt = statSync(file).mtime;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ShardMapError(`${label}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  return shardMapFromState(identity, text, label, { modifiedAt, readAt: now });
}

/**
 * The shard map from a deployed stack's Terraform state: the `shard_map` output carries the ids, the
 * `capacity_plan` output names the environment the state belongs to, and `serial` / `lineage` say which state it
 * is.
 */
import { readFileSync, statSync } from "node:fs";
import { z } from "zod";
import { shardGroupOf, shardGroupStackName, shardGroups, shardNumber } from "../genesys";
import {
  ShardMapError,
  completeShardMap,
  identityOf,
  type ShardMap,
  type ShardMapEntryInput,
  type ShardMapGroupState,
  type ShardMapIdentity,
} from "./map";

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
  resources: z
    .array(z.object({ mode: z.string(), type: z.string(), name: z.string() }))
    .optional()
    .catch(undefined),
});

/**
 * The name cdktf gives the `terraform_remote_state` data source a stack reads another stack's outputs with:
 * `cross-stack-reference-input-<stack>`. A shard group's state holds one naming its base stack, which is how a
 * group's state (it writes no `capacity_plan`) is told to be the environment's.
 */
const CROSS_STACK_INPUT_PREFIX = "cross-stack-reference-input-";

/** The `capacity_plan` output's value, as far as the identity check needs it. */
const capacityPlanSchema = z.object({
  environment: z.string(),
  shards: z.number().int().min(0).optional().catch(undefined),
});

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
  return shardMapFromStackState(expected, parseStackState(stateText, where, times), times.readAt);
}

/**
 * The shard map of an environment of one stack from its state, after the environment check (`shardMapFromState`).
 * @throws ShardMapError as `shardMapFromState`.
 */
export function shardMapFromStackState(
  expected: ShardMapIdentity,
  state: StackState,
  readAt: Date = new Date(),
): ShardMap {
  const { where } = state;
  if (state.shardMap === undefined) {
    throw new ShardMapError(
      `${where}: the state has no "${SHARD_MAP_OUTPUT}" output: the stack is not deployed yet (or was deployed before the shard map existed)`,
    );
  }
  checkEnvironment(state, expected);
  const map = shardMapFromOutput(expected, state.shardMap, where);
  const { shards, ramp, ...head } = map;
  return { ...head, ...stateIdentity(state), readAt: readAt.toISOString(), ramp, shards };
}

/** One stack's Terraform state, as far as the shard map reads it. */
export interface StackState {
  /** How messages name it (a file path, or `<stack> (terraform state pull)`). */
  readonly where: string;
  readonly serial?: number;
  readonly lineage?: string;
  readonly modifiedAt?: Date;
  /** The `capacity_plan` output's environment and shard count: only a base (or single) stack writes it. */
  readonly capacityPlan?: { readonly environment: string; readonly shards?: number };
  /** The `shard_map` output's value, unchecked; absent in a base stack of a split environment. */
  readonly shardMap?: unknown;
  /** The stacks whose outputs this state reads (cdktf's cross-stack `terraform_remote_state` data sources). */
  readonly reads: readonly string[];
}

/**
 * Reads a Terraform state's text (format version 4) as one stack's state.
 * @throws ShardMapError when the text is not a state.
 */
export function parseStackState(stateText: string, where: string, times: StateReadTimes = {}): StackState {
  let raw: unknown;
  try {
    raw = JSON.parse(stateText);
  } catch {
    throw new ShardMapError(`${where}: not a Terraform state file (not JSON)`);
  }
  const state = stateSchema.safeParse(raw);
  if (!state.success) {
    const fields = (typeof raw === "object" && raw !== null ? raw : {}) as Record<string, unknown>;
    if ("planned_values" in fields || "resource_changes" in fields) {
      throw new ShardMapError(
        `${where}: this is a Terraform plan (terraform show -json), not a state; pass the state (terraform state pull > <file>)`,
      );
    }
    const version = "version" in fields ? `format version ${String(fields.version)}` : "no format version";
    throw new ShardMapError(`${where}: not a Terraform state file of format version 4, got ${version}`);
  }
  const outputs = state.data.outputs ?? {};
  const plan = capacityPlanSchema.safeParse(outputs[CAPACITY_PLAN_OUTPUT]?.value);
  return {
    where,
    ...(state.data.serial === undefined ? {} : { serial: state.data.serial }),
    ...(state.data.lineage === undefined ? {} : { lineage: state.data.lineage }),
    ...(times.modifiedAt === undefined ? {} : { modifiedAt: times.modifiedAt }),
    ...(plan.success ? { capacityPlan: plan.data } : {}),
    ...(SHARD_MAP_OUTPUT in outputs ? { shardMap: outputs[SHARD_MAP_OUTPUT].value } : {}),
    reads: (state.data.resources ?? [])
      .filter(
        (resource) =>
          resource.mode === "data" &&
          resource.type === "terraform_remote_state" &&
          resource.name.startsWith(CROSS_STACK_INPUT_PREFIX),
      )
      .map((resource) => resource.name.slice(CROSS_STACK_INPUT_PREFIX.length)),
  };
}

/**
 * Reads a local state file as one stack's state, with its modification time.
 * @throws ShardMapError when the file cannot be read or is not a state.
 */
export function readStackStateFile(file: string, label: string = file): StackState {
  let text: string;
  let modifiedAt: Date;
  try {
    text = readFileSync(file, "utf8");
    modifiedAt = statSync(file).mtime;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ShardMapError(`${label}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`);
  }
  return parseStackState(text, label, { modifiedAt });
}

/** Whether a state is the base stack of a split environment: its `capacity_plan`, and no shard of its own. */
export function isSplitBase(state: StackState): boolean {
  return state.capacityPlan !== undefined && state.shardMap === undefined;
}

/**
 * The shard map of an environment split into shard groups (README "Shard groups"): the base stack's state and one
 * state per group, merged into one map of the environment's shards. The base's `capacity_plan` names the
 * environment and how many shards it deployed; each group's state must read that base (its cross-stack
 * `terraform_remote_state`) and hold exactly its group's shards at `shardsPerGroup`. The map's identity is the
 * base's (its stack `gc-<env>`, its serial and lineage); `groups` says which state each group's ids came from.
 * @throws ShardMapError, one line per problem: a group missing (named by its stack), given twice, another
 *   environment's, or holding shards that are not its group's.
 */
export function shardMapFromGroupStates(
  identity: ShardMapIdentity,
  base: StackState,
  groups: readonly StackState[],
  shardsPerGroup: number,
  readAt: Date = new Date(),
): ShardMap {
  checkEnvironment(base, identity);
  const deployed = base.capacityPlan?.shards;
  const expected = deployed === undefined ? [] : shardGroups(deployed, shardsPerGroup);
  if (expected.length === 0) {
    throw new ShardMapError(
      `${base.where}: the state of ${identity.stack} has no "${SHARD_MAP_OUTPUT}" output and its ` +
        `${CAPACITY_PLAN_OUTPUT} says ${deployed ?? "no number of"} shards, not more than capacity.shardsPerGroup ` +
        `${shardsPerGroup}: it is not the base of a split environment; pass a state with the shard map`,
    );
  }
  const problems: string[] = [];
  const byGroup = new Map<number, { state: StackState; shards: ShardMapEntryInput[] }>();
  for (const state of groups) {
    if (state.capacityPlan !== undefined) {
      problems.push(
        `${state.where}: this is a base stack's state (it has a ${CAPACITY_PLAN_OUTPUT} output), not a shard group's; ` +
          `give the state of ${identity.stack} once`,
      );
      continue;
    }
    if (!state.reads.includes(identity.stack)) {
      problems.push(
        state.reads.length === 0
          ? `${state.where}: the state reads no base stack (no cross-stack terraform_remote_state), so it cannot be ` +
              `told to be a shard group of ${identity.stack}; pass the states of ${identity.stack}'s stacks`
          : `${state.where}: this state is a shard group of ${state.reads.join(", ")} (it reads that base stack), ` +
              `not of ${identity.stack}: pass the states of ${identity.stack}'s stacks`,
      );
      continue;
    }
    if (state.shardMap === undefined) {
      problems.push(
        `${state.where}: the state has no "${SHARD_MAP_OUTPUT}" output: the group is not deployed yet`,
      );
      continue;
    }
    const shards = shardMapFromOutput(identity, state.shardMap, state.where).shards;
    if (shards.length === 0) {
      problems.push(`${state.where}: the shard group's "${SHARD_MAP_OUTPUT}" output lists no shard`);
      continue;
    }
    const group = shardGroupOf(shards[0].index, shardsPerGroup);
    const stack = shardGroupStackName(identity.environment, group);
    const range = expected.find((candidate) => candidate.index === group);
    const indexes = shards.map((shard) => shard.index);
    const wanted = range === undefined ? [] : Array.from({ length: range.count }, (_, i) => range.first + i);
    if (range === undefined || indexes.join(",") !== wanted.join(",")) {
      problems.push(
        `${state.where}: holds shards ${describeIndexes(indexes)}, but ${identity.stack} deployed ${deployed} shards ` +
          `(its ${CAPACITY_PLAN_OUTPUT}) at capacity.shardsPerGroup ${shardsPerGroup}, so ` +
          (range === undefined ? `there is no group ${group}` : `${stack} holds ${describeIndexes(wanted)}`) +
          ": a group not applied since the environment changed, or another layout's state",
      );
      continue;
    }
    const seen = byGroup.get(group);
    if (seen !== undefined) {
      problems.push(
        `${state.where}: a second state of ${stack} (the first is ${seen.state.where}); give one`,
      );
      continue;
    }
    byGroup.set(group, { state, shards: [...shards] });
  }
  for (const group of expected) {
    if (byGroup.has(group.index)) continue;
    const stack = shardGroupStackName(identity.environment, group.index);
    problems.push(
      `${stack}: no state of this shard group (shards ${describeIndexes(Array.from({ length: group.count }, (_, i) => group.first + i))}); ` +
        `deploy it, or pass its state with --state`,
    );
  }
  if (problems.length > 0) throw new ShardMapError(problems);
  const ordered = expected.map((group) => ({ group, found: byGroup.get(group.index)! }));
  const map = completeShardMap({
    ...identity,
    source: "state",
    ...stateIdentity(base),
    readAt: readAt.toISOString(),
    groups: ordered.map(({ group, found }) => ({
      group: group.index,
      stack: shardGroupStackName(identity.environment, group.index),
      ...stateIdentity(found.state),
    })),
    shards: ordered.flatMap(({ found }) => found.shards),
  });
  return map;
}

/** The identity fields of a map from one state: its serial, lineage and (a local file) modification time. */
function stateIdentity(
  state: StackState,
): Pick<ShardMapGroupState, "stateSerial" | "stateLineage" | "stateModifiedAt"> {
  return {
    ...(state.serial === undefined ? {} : { stateSerial: state.serial }),
    ...(state.lineage === undefined ? {} : { stateLineage: state.lineage }),
    ...(state.modifiedAt === undefined ? {} : { stateModifiedAt: state.modifiedAt.toISOString() }),
  };
}

/**
 * Checks that a base (or single) stack's state is the environment's by its `capacity_plan` output.
 * @throws ShardMapError when it has none, or names another environment.
 */
function checkEnvironment(state: StackState, expected: ShardMapIdentity): void {
  if (state.capacityPlan === undefined) {
    throw new ShardMapError(
      `${state.where}: the state has no "${CAPACITY_PLAN_OUTPUT}" output naming its environment, so it cannot be ` +
        `told apart from another environment's; pass the state of ${expected.stack}`,
    );
  }
  if (state.capacityPlan.environment !== expected.environment) {
    throw new ShardMapError(
      `${state.where}: this state is of environment "${state.capacityPlan.environment}" (its ${CAPACITY_PLAN_OUTPUT} output), ` +
        `not "${expected.environment}": pass the state of ${expected.stack}`,
    );
  }
}

/** Shard indexes as `000–004` (a run) or a list. */
function describeIndexes(indexes: readonly number[]): string {
  const pad = shardNumber;
  if (indexes.length === 0) return "none";
  const run = indexes.every((index, i) => index === indexes[0] + i);
  if (run)
    return indexes.length === 1 ? pad(indexes[0]) : `${pad(indexes[0])}–${pad(indexes[indexes.length - 1])}`;
  return indexes.map(pad).join(", ");
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
  return shardMapFromStackState(identity, readStackStateFile(file, label), now);
}

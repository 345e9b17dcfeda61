/**
 * The shard map's shape and what every reader and writer shares: the types, the one error, the map made from a
 * plan before a deploy, the ramp each shard follows, and the identity check.
 */
import { planRamp, rampRates, type CapacityPlan, type Ramp } from "../capacity";
import { stackName } from "../genesys";

/** One shard of the map. */
export interface ShardMapEntry {
  /** Zero-based, stable shard index. */
  readonly index: number;
  /**
   * The shard's queue group (zero-based, stable): its deployment starts the group's flow, which transfers to the
   * group's queue. With one deployment per queue group, the shard's own index; with `deploymentsPerQueue` d,
   * floor(index / d), so several shards share a queue.
   */
  readonly queueGroup: number;
  /** The messaging deployment's id (the `deploymentId` guests connect with); null before the deploy. */
  readonly deploymentId: string | null;
  /** The id of its queue group's queue (shared by every shard of the group); null before the deploy. */
  readonly queueId: string | null;
  /** The id of its queue group's inbound message flow; null before the deploy. */
  readonly flowId: string | null;
  /** Concurrent sessions the plan puts on this shard. */
  readonly sessions: number;
  /**
   * The plan's whole-number share of the peak arrivals per minute, which the planner checks against the
   * per-deployment connection rate; null when the plan has no arrival rate. With fewer arrivals per minute than
   * shards some shares are 0: a load tool ramps with `rampPerMinute`, not with this.
   */
  readonly arrivalsPerMinute: number | null;
  /**
   * New sessions per minute a load tool opens on this shard while it ramps: the total rate in proportion to the
   * shard's sessions (capacity/ `rampRates`), a fraction where needed, so every shard fills at the ramp's end;
   * null when the plan has no arrival rate.
   */
  readonly rampPerMinute: number | null;
}

/** Where a map's ids came from: the deployed stack's Terraform state, or only the plan (no ids). */
export type ShardMapSource = "plan" | "state";

/** The shard map of one environment. */
export interface ShardMap {
  /** The environment, as in `environments/<name>.yaml`. */
  readonly environment: string;
  /**
   * The Terraform stack of the environment, e.g. "gc-prod". Maps written before it was carried lack it; the
   * environment still names the stack.
   */
  readonly stack: string;
  readonly source: ShardMapSource;
  /**
   * The state the ids were read from, for a map from state. Terraform's state (format 4) has no time of its own:
   * `serial` grows by one with every write and `lineage` names the state's history, so the two say exactly which
   * state a map came from and whether a newer one exists (compare with `terraform state pull`), whatever the
   * clocks; `stateModifiedAt` (the file's modification time, for a local file) and `readAt` are for people.
   */
  readonly stateSerial?: number;
  readonly stateLineage?: string;
  /** When the local state file was last written (ISO 8601); absent for a state pulled from a remote backend. */
  readonly stateModifiedAt?: string;
  /** When `shard-map` read the state (ISO 8601). */
  readonly readAt?: string;
  /**
   * An environment split into shard groups (README "Shard groups"): the state each group's ids came from, by group.
   * The map's own `stack` and state fields are then the base stack's (`gc-<env>`, whose `capacity_plan` names the
   * environment). Absent for an environment of one stack.
   */
  readonly groups?: readonly ShardMapGroupState[];
  /**
   * The ramp to the map's sessions at its total arrival rate (the sum of the shares): `minutes` = sessions /
   * rate. Every shard ramping at its `rampPerMinute` fills at that moment. Null without an arrival rate.
   */
  readonly ramp: Ramp | null;
  readonly shards: readonly ShardMapEntry[];
}

/** Which state a shard group's ids came from. */
export interface ShardMapGroupState {
  /** k: the group holds shards k×G … k×G+G−1. */
  readonly group: number;
  /** Its stack, `gc-<env>-shards-<k>`. */
  readonly stack: string;
  /** Its state's serial, lineage and (a local file) modification time, as the map's own. */
  readonly stateSerial?: number;
  readonly stateLineage?: string;
  readonly stateModifiedAt?: string;
}

/** Which environment and stack a map, a state or a command is about. */
export interface ShardMapIdentity {
  readonly environment: string;
  readonly stack: string;
}

/** The identity of an environment: its name and its stack's. */
export function identityOf(environment: string): ShardMapIdentity {
  return { environment, stack: stackName(environment) };
}

/** Bad or unusable shard-map input; `problems` holds one readable line each (the message joins them). */
export class ShardMapError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const lines = typeof problems === "string" ? [problems] : problems;
    super(lines.join("\n"));
    this.name = "ShardMapError";
    this.problems = lines;
  }
}

/**
 * A shard as a reader or a writer has it, before the ramp is worked out; without a queue group, the shard's own
 * index (one deployment per queue group).
 */
export type ShardMapEntryInput = Omit<ShardMapEntry, "rampPerMinute" | "queueGroup"> & {
  readonly queueGroup?: number;
};

/** A map without its ramp; `completeShardMap` adds it. */
export type ShardMapInput = Omit<ShardMap, "ramp" | "shards"> & {
  readonly shards: readonly ShardMapEntryInput[];
};

/**
 * The map with its ramp: the total rate is the sum of the arrival shares (every shard must have one), each
 * shard's rate that total in proportion to its sessions. Shards in index order. Rates and minutes keep six
 * significant digits, enough for a load tool and readable in a CSV.
 */
export function completeShardMap(map: ShardMapInput): ShardMap {
  const { shards: entries, ...head } = map;
  const shards = [...entries].sort((a, b) => a.index - b.index);
  const arrivals = shards.map((shard) => shard.arrivalsPerMinute);
  const perMinute = arrivals.every((share) => share !== null)
    ? arrivals.reduce((sum: number, share) => sum + (share ?? 0), 0)
    : undefined;
  const sessions = shards.map((shard) => shard.sessions);
  const ramp = planRamp(
    sessions.reduce((sum, count) => sum + count, 0),
    perMinute,
  );
  const rates = ramp === undefined ? undefined : rampRates(sessions, ramp.perMinute);
  return {
    ...head,
    ramp: ramp === undefined ? null : { ...ramp, minutes: sixDigits(ramp.minutes) },
    shards: shards.map((shard, position) => ({
      ...shard,
      queueGroup: shard.queueGroup ?? shard.index,
      rampPerMinute: rates === undefined ? null : sixDigits(rates[position]),
    })),
  };
}

function sixDigits(value: number): number {
  return Number(value.toPrecision(6));
}

/** The shard map before a deploy: the plan's shares, no ids. */
export function shardMapFromPlan(environment: string, plan: CapacityPlan): ShardMap {
  return completeShardMap({
    ...identityOf(environment),
    source: "plan",
    shards: plan.perShard.map((share) => ({
      index: share.index,
      queueGroup: share.queueGroup,
      deploymentId: null,
      queueId: null,
      flowId: null,
      sessions: share.sessions,
      arrivalsPerMinute: share.arrivalsPerMinute ?? null,
    })),
  });
}

/**
 * Checks that a map is of the environment a command was given.
 * @throws ShardMapError naming both when the map's environment or stack differs.
 */
export function requireIdentity(map: ShardMap, expected: ShardMapIdentity, label: string): void {
  if (map.environment === expected.environment && map.stack === expected.stack) return;
  throw new ShardMapError(
    `${label}: the shard map is for environment "${map.environment}" (${map.stack}), not "${expected.environment}" ` +
      `(${expected.stack}); write ${expected.environment}'s with npm run shard-map -- ${expected.environment} --format json`,
  );
}

/** A shard that can be driven: it has a deployment id. */
export type DeployedShard = ShardMapEntry & { readonly deploymentId: string };

/**
 * The shards of a map a load test can drive.
 * @throws ShardMapError when the map comes from a plan (it has no deployment ids).
 */
export function deployedShards(map: ShardMap, label: string): DeployedShard[] {
  if (map.source === "plan") {
    throw new ShardMapError(
      `${label}: made from a plan (source "plan"), so it has no deployment ids to connect to; deploy the ` +
        `stack (into the emulator or an org) and write the map from its state with npm run shard-map`,
    );
  }
  return map.shards.filter((shard): shard is DeployedShard => Boolean(shard.deploymentId));
}

/**
 * One snapshot of live capacity during a load test, and the rules read from it (pure: no IO).
 *
 * Per queue group: the live conversations in its queue (waiting and interacting, media type message), next to the
 * ceiling of its deployments together (the per-shard ceiling C the environment's plan used, times the group's
 * deployments), the usable part (u = floor(C × h) times its deployments), and the share of the ceiling in use. Live
 * conversations are counted per queue, so with several deployments on one queue (deploymentsPerQueue > 1) no
 * deployment's own count is known: each shard's line is its queue group's. With one deployment per queue group
 * (the default) a group is a shard. A group is above its headroom when it holds more than its usable part, and
 * above its ceiling when it holds more than its ceiling. The org-wide total is checked the same way against a
 * tenant-wide ceiling when the plan knows one (`limits.webMessagingSessionsPerOrg`).
 */
import type { CapacityPlan } from "../capacity";

/** The part of a shard map entry watch reads. */
export interface WatchedShard {
  /** Zero-based, stable shard index. */
  readonly index: number;
  /**
   * The shard's queue group: shards of one group share its queue.
   * @default - the shard's own index (one deployment per queue group)
   */
  readonly queueGroup?: number;
  /** The shard's Messenger deployment id (shown, not queried). */
  readonly deploymentId: string | null;
  /** The shard's queue id (its queue group's): its conversations are observed there. */
  readonly queueId: string;
  /** Concurrent sessions the plan gave this shard. */
  readonly sessions: number;
}

/** The ceilings the environment's plan used, as watch checks live counts against them. */
export interface CapacityBudget {
  /** Concurrent sessions per shard (C): `capacity.sessionsPerShard`, else the limit's value. */
  readonly ceilingPerShard: number;
  /** The fraction of each ceiling the plan may use (h). */
  readonly headroom: number;
  /** u = floor(C × h): above it a shard is over its headroom. */
  readonly usablePerShard: number;
  /** True when no Genesys source documents C (the catalog's observed 150, or a plan field): only load tests show it. */
  readonly ceilingOnlyObserved: boolean;
  /** The tenant-wide concurrent-sessions ceiling, when the plan knows one; null otherwise. */
  readonly orgCeiling: number | null;
  /** floor(org ceiling × h), or null. */
  readonly usableOrg: number | null;
}

/** The budget of a plan: its per-shard sessions ceiling, headroom and usable sessions, and any tenant-wide ceiling. */
export function budgetFromPlan(plan: CapacityPlan): CapacityBudget {
  const { parameters } = plan;
  const orgCeiling = parameters.limits.webMessagingSessionsPerOrg ?? null;
  const sessionsCeiling = plan.usage.find((usage) => usage.measure === "sessions-per-shard");
  return {
    ceilingPerShard: parameters.sessionsPerShard,
    headroom: parameters.headroom,
    usablePerShard: parameters.usableSessionsPerShard,
    ceilingOnlyObserved: sessionsCeiling?.basis.onlyObserved ?? false,
    orgCeiling,
    // floor(S × h) as the planner takes it (capacity/plan.ts floorOfProduct): 15 digits drop the float noise.
    usableOrg:
      orgCeiling === null ? null : Math.floor(Number((orgCeiling * parameters.headroom).toPrecision(15))),
  };
}

/** A queue's live conversations of media type message. */
export interface QueueCounts {
  readonly waiting: number;
  readonly interacting: number;
}

/** One estimated count from the Limits API's counts endpoint (`Limitcount`). */
export interface LimitCount {
  readonly name: string;
  readonly estimatedCount: number | null;
  readonly max: number | null;
  readonly entityId: string | null;
  readonly userId: string | null;
}

/** What the Limits API's counts endpoint answered for a namespace. */
export type LimitCountsReading =
  | { readonly namespace: string; readonly status: "answered"; readonly counts: readonly LimitCount[] }
  | { readonly namespace: string; readonly status: "not-available"; readonly reason: string };

/**
 * - `ok`: at or below u;
 * - `above-headroom`: above u, at or below the ceiling;
 * - `above-ceiling`: above the ceiling;
 * - `no-data`: the observations had no group for the queue (a queue id the org does not know?).
 */
export type CapacityState = "ok" | "above-headroom" | "above-ceiling" | "no-data";

/** Live counts against a ceiling. */
export interface CapacityLine {
  readonly waiting: number;
  readonly interacting: number;
  /** waiting + interacting. */
  readonly live: number;
  /** Sessions the plan put there. */
  readonly planned: number;
  readonly ceiling: number | null;
  readonly usable: number | null;
  /** live / ceiling, or null without a ceiling. */
  readonly used: number | null;
  readonly state: CapacityState;
}

/** A queue group's line: its queue's live counts against the ceilings of its deployments together. */
export interface QueueGroupLine extends CapacityLine {
  readonly queueGroup: number;
  readonly queueId: string;
  /** Its shards (deployments), in index order. */
  readonly shards: readonly number[];
}

/**
 * A shard's line: its queue group's (the counts are its queue's; with one deployment per queue group, the shard's
 * own), with the shard's identity.
 */
export interface ShardLine extends CapacityLine {
  readonly index: number;
  readonly queueGroup: number;
  readonly deploymentId: string | null;
  readonly queueId: string;
}

/** One snapshot, as `watch --once --json` prints it. */
export interface WatchSnapshot {
  readonly environment: string;
  /** When the counts were read (ISO 8601). */
  readonly takenAt: string;
  /** The API read from, e.g. "https://api.mypurecloud.com". */
  readonly apiUrl: string;
  readonly budget: CapacityBudget;
  /** One line per shard: its queue group's line. */
  readonly shards: readonly ShardLine[];
  /** One line per queue group, in index order. */
  readonly queueGroups: readonly QueueGroupLine[];
  /** Every shard together: against the sum of their ceilings, and its state against the tenant-wide ceiling. */
  readonly total: CapacityLine & {
    /** The tenant-wide ceiling and its usable part, when known. */
    readonly orgCeiling: number | null;
    readonly orgUsable: number | null;
  };
  readonly limitCounts: LimitCountsReading;
  /**
   * The shards above their headroom (every shard of a queue group above its headroom), by index, the queue groups
   * above theirs, and whether the org total is above a known tenant-wide one.
   */
  readonly aboveHeadroom: {
    readonly shards: readonly number[];
    readonly queueGroups: readonly number[];
    readonly org: boolean;
  };
}

export interface SnapshotInput {
  readonly environment: string;
  readonly takenAt: Date;
  readonly apiUrl: string;
  readonly shards: readonly WatchedShard[];
  readonly budget: CapacityBudget;
  /** Counts by queue id; a queue missing here has no data. */
  readonly observations: ReadonlyMap<string, QueueCounts>;
  readonly limitCounts: LimitCountsReading;
}

/** Puts live counts next to the plan's ceilings. */
export function buildSnapshot(input: SnapshotInput): WatchSnapshot {
  const { budget } = input;
  const members = new Map<number, WatchedShard[]>();
  for (const shard of input.shards) {
    const group = shard.queueGroup ?? shard.index;
    members.set(group, [...(members.get(group) ?? []), shard]);
  }
  const queueGroups = [...members.entries()]
    .sort(([a], [b]) => a - b)
    .map(([queueGroup, groupShards]): QueueGroupLine => {
      const { queueId } = groupShards[0];
      const counts = input.observations.get(queueId);
      const deployments = groupShards.length;
      return {
        queueGroup,
        queueId,
        shards: groupShards.map((shard) => shard.index),
        ...capacityLine(
          counts ?? { waiting: 0, interacting: 0 },
          groupShards.reduce((total, shard) => total + shard.sessions, 0),
          budget.ceilingPerShard * deployments,
          budget.usablePerShard * deployments,
          counts !== undefined,
        ),
      };
    });
  const lineOf = new Map(queueGroups.map((line) => [line.queueGroup, line]));
  const shards = input.shards.map((shard): ShardLine => {
    const group = lineOf.get(shard.queueGroup ?? shard.index)!;
    return {
      index: shard.index,
      queueGroup: group.queueGroup,
      deploymentId: shard.deploymentId,
      queueId: shard.queueId,
      waiting: group.waiting,
      interacting: group.interacting,
      live: group.live,
      planned: group.planned,
      ceiling: group.ceiling,
      usable: group.usable,
      used: group.used,
      state: group.state,
    };
  });
  const sum = (pick: (line: QueueGroupLine) => number) =>
    queueGroups.reduce((total, line) => total + pick(line), 0);
  const counted = { waiting: sum((line) => line.waiting), interacting: sum((line) => line.interacting) };
  const org = capacityLine(
    counted,
    sum((line) => line.planned),
    budget.orgCeiling,
    budget.usableOrg,
    true,
  );
  const total = {
    ...capacityLine(
      counted,
      org.planned,
      budget.ceilingPerShard * shards.length,
      budget.usablePerShard * shards.length,
      queueGroups.some((line) => line.state !== "no-data"),
    ),
    // The total's state is the org's: above a known tenant-wide ceiling, whatever the shards' sum allows.
    state: org.state,
    orgCeiling: budget.orgCeiling,
    orgUsable: budget.usableOrg,
  };
  return {
    environment: input.environment,
    takenAt: input.takenAt.toISOString(),
    apiUrl: input.apiUrl,
    budget,
    shards,
    queueGroups,
    total,
    limitCounts: input.limitCounts,
    aboveHeadroom: {
      shards: shards.filter((line) => isAbove(line.state)).map((line) => line.index),
      queueGroups: queueGroups.filter((line) => isAbove(line.state)).map((line) => line.queueGroup),
      org: isAbove(org.state),
    },
  };
}

/** True when a shard, or the org total, is above its ceiling × headroom: the load should not grow. */
export function isAboveHeadroom(snapshot: WatchSnapshot): boolean {
  return snapshot.aboveHeadroom.shards.length > 0 || snapshot.aboveHeadroom.org;
}

function isAbove(state: CapacityState): boolean {
  return state === "above-headroom" || state === "above-ceiling";
}

function capacityLine(
  counts: QueueCounts,
  planned: number,
  ceiling: number | null,
  usable: number | null,
  observed: boolean,
): CapacityLine {
  const live = counts.waiting + counts.interacting;
  let state: CapacityState = "ok";
  if (!observed) state = "no-data";
  else if (ceiling !== null && live > ceiling) state = "above-ceiling";
  else if (usable !== null && live > usable) state = "above-headroom";
  return {
    waiting: counts.waiting,
    interacting: counts.interacting,
    live,
    planned,
    ceiling,
    usable,
    used: ceiling === null || ceiling === 0 ? null : live / ceiling,
    state,
  };
}

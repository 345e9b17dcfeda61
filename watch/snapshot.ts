/**
 * One snapshot of live capacity during a load test, and the rules read from it (pure: no IO).
 *
 * Per shard: the live conversations in its queue (waiting and interacting, media type message), next to the
 * per-shard ceiling C and headroom h the environment's plan used, u = floor(C × h), and the share of C in use. A
 * shard is above its headroom when it holds more than u (a whole number of conversations above C × h is above u),
 * and above its ceiling when it holds more than C. The org-wide total is checked the same way against a tenant-wide
 * ceiling when the plan knows one (`limits.webMessagingSessionsPerOrg`).
 */
import type { CapacityPlan } from "../capacity";

/** The part of a shard map entry watch reads. */
export interface WatchedShard {
  /** Zero-based, stable shard index. */
  readonly index: number;
  /** The shard's Messenger deployment id (shown, not queried). */
  readonly deploymentId: string | null;
  /** The shard's queue id: its conversations are observed there. */
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

export interface ShardLine extends CapacityLine {
  readonly index: number;
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
  readonly shards: readonly ShardLine[];
  /** Every shard together: against the sum of their ceilings, and its state against the tenant-wide ceiling. */
  readonly total: CapacityLine & {
    /** The tenant-wide ceiling and its usable part, when known. */
    readonly orgCeiling: number | null;
    readonly orgUsable: number | null;
  };
  readonly limitCounts: LimitCountsReading;
  /** The shards above their headroom, by index, and whether the org total is above a known tenant-wide one. */
  readonly aboveHeadroom: { readonly shards: readonly number[]; readonly org: boolean };
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
  const shards = input.shards.map((shard): ShardLine => {
    const counts = input.observations.get(shard.queueId);
    return {
      index: shard.index,
      deploymentId: shard.deploymentId,
      queueId: shard.queueId,
      ...capacityLine(
        counts ?? { waiting: 0, interacting: 0 },
        shard.sessions,
        budget.ceilingPerShard,
        budget.usablePerShard,
        counts !== undefined,
      ),
    };
  });
  const sum = (pick: (line: ShardLine) => number) => shards.reduce((total, line) => total + pick(line), 0);
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
      shards.some((line) => line.state !== "no-data"),
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
    total,
    limitCounts: input.limitCounts,
    aboveHeadroom: {
      shards: shards.filter((line) => isAbove(line.state)).map((line) => line.index),
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

/** A watch snapshot as a terminal table or as JSON. */
import { formatNumber, formatTable, type ColumnAlign } from "../capacity/format";
import { queueGroupNumber, shardNumber } from "../genesys";
import type { CapacityLine, CapacityState, LimitCount, QueueGroupLine, WatchSnapshot } from "./snapshot";

const STATE_TEXT: Record<CapacityState, string> = {
  ok: "ok",
  "above-headroom": "ABOVE HEADROOM",
  "above-ceiling": "ABOVE CEILING",
  "no-data": "no data",
};

const HEADER = [
  "shard",
  "deployment",
  "waiting",
  "interacting",
  "live",
  "planned",
  "ceiling",
  "usable",
  "used",
  "state",
];
/** Shard and deployment on the left, the numbers on the right, the state on the left. */
const ALIGN: ColumnAlign[] = ["left", "left", ...HEADER.slice(2, -1).map((): ColumnAlign => "right"), "left"];

/** With deployments sharing queues, one row per queue group: its shards instead of a deployment. */
const GROUP_HEADER = ["group", "shards", ...HEADER.slice(2)];

/**
 * The snapshot as text lines: a headline, one row per shard (per queue group when deployments share queues: live
 * conversations are counted per queue), the total, the org-wide ceiling and the counts.
 */
export function renderSnapshotText(snapshot: WatchSnapshot): string[] {
  const { budget, total } = snapshot;
  const observed = budget.ceilingOnlyObserved ? " (not documented by Genesys)" : "";
  const shared = snapshot.queueGroups.some((group) => group.shards.length > 1);
  const rows = shared
    ? [
        GROUP_HEADER,
        ...snapshot.queueGroups.map((line) => [
          queueGroupNumber(line.queueGroup),
          shardRange(line),
          ...cells(line),
        ]),
      ]
    : [
        HEADER,
        ...snapshot.shards.map((line) => [
          String(line.index).padStart(3, "0"),
          line.deploymentId ?? "-",
          ...cells(line),
        ]),
      ];
  const lines = [
    `watch ${snapshot.environment} at ${snapshot.takenAt} from ${snapshot.apiUrl}`,
    `per-shard ceiling ${budget.ceilingPerShard} sessions${observed} × headroom ${percent(budget.headroom)} = ` +
      `usable ${budget.usablePerShard} per shard`,
    ...(shared
      ? [
          `${snapshot.shards.length} shards on ${snapshot.queueGroups.length} queue groups: live conversations are ` +
            "counted per queue, so each group's ceiling is the sum of its deployments' (deployment ids in --json)",
        ]
      : []),
    "",
    ...formatTable([...rows, ["total", "", ...cells(total)]], ALIGN),
    "",
    orgLine(snapshot),
    ...countsLines(snapshot),
  ];
  const above = snapshot.aboveHeadroom;
  if (shared && above.queueGroups.length > 0) {
    const groups = snapshot.queueGroups.filter((line) => above.queueGroups.includes(line.queueGroup));
    const one = groups.length === 1;
    lines.push(
      `above headroom: queue group${one ? "" : "s"} ` +
        `${groups.map((line) => `${queueGroupNumber(line.queueGroup)} (shards ${shardRange(line)}, usable ${line.usable})`).join(", ")} ` +
        `${one ? "holds" : "hold"} more live conversations than usable; do not add load there`,
    );
  } else if (above.shards.length > 0) {
    lines.push(
      `above headroom: shard${above.shards.length === 1 ? "" : "s"} ${above.shards.map((index) => String(index).padStart(3, "0")).join(", ")}` +
        ` ${above.shards.length === 1 ? "holds" : "hold"} more than ${budget.usablePerShard} live conversations; do not add load there`,
    );
  }
  return lines;
}

/** The snapshot as one JSON object (absent values as null). */
export function renderSnapshotJson(snapshot: WatchSnapshot, indent?: number): string {
  return JSON.stringify(snapshot, (_key, value: unknown) => (value === undefined ? null : value), indent);
}

/** A queue group's shards, contiguous by construction: "000–004", or "005" alone. */
function shardRange(line: QueueGroupLine): string {
  const first = line.shards[0];
  const last = line.shards[line.shards.length - 1];
  return first === last ? shardNumber(first) : `${shardNumber(first)}–${shardNumber(last)}`;
}

function cells(line: CapacityLine): string[] {
  return [
    String(line.waiting),
    String(line.interacting),
    String(line.live),
    String(line.planned),
    line.ceiling === null ? "-" : String(line.ceiling),
    line.usable === null ? "-" : String(line.usable),
    line.used === null ? "-" : percent(line.used),
    STATE_TEXT[line.state],
  ];
}

function orgLine(snapshot: WatchSnapshot): string {
  const { total } = snapshot;
  if (total.orgCeiling === null) {
    return (
      `org-wide: ${total.live} live conversations; no tenant-wide ceiling is known ` +
      `(limits.webMessagingSessionsPerOrg), so only the shards' ceilings are checked`
    );
  }
  return (
    `org-wide: ${total.live} live of a tenant-wide ceiling of ${total.orgCeiling} (usable ${total.orgUsable}), ` +
    `${percent(total.live / total.orgCeiling)} used: ${STATE_TEXT[total.state]}; sharding does not lift it`
  );
}

function countsLines(snapshot: WatchSnapshot): string[] {
  const reading = snapshot.limitCounts;
  const head = `Limits API counts (${reading.namespace})`;
  if (reading.status === "not-available") return [`${head}: not available: ${reading.reason}`];
  if (reading.counts.length === 0) return [`${head}: none (no trackable limit in the namespace)`];
  const byName = new Map<string, LimitCount[]>();
  for (const count of reading.counts) byName.set(count.name, [...(byName.get(count.name) ?? []), count]);
  const lines = [`${head}:`];
  for (const [name, counts] of byName) {
    const scoped = counts.filter((count) => count.entityId !== null || count.userId !== null);
    for (const count of counts.filter((candidate) => !scoped.includes(candidate))) {
      lines.push(`  ${name}: ${countText(count)}`);
    }
    if (scoped.length > 0) {
      const highest = scoped.reduce((best, count) =>
        (count.estimatedCount ?? 0) > (best.estimatedCount ?? 0) ? count : best,
      );
      const sum = scoped.reduce((total, count) => total + (count.estimatedCount ?? 0), 0);
      lines.push(
        `  ${name}: ${scoped.length} entities, ${sum} in all, highest ${countText(highest)} ` +
          `(${highest.entityId ?? highest.userId})`,
      );
    }
  }
  return lines;
}

function countText(count: LimitCount): string {
  const value = count.estimatedCount === null ? "?" : String(count.estimatedCount);
  return count.max === null ? value : `${value} of ${count.max}`;
}

function percent(fraction: number): string {
  return `${formatNumber(Math.round(fraction * 1000) / 10)}%`;
}

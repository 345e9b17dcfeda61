/**
 * Merges the results of several machines that each drove their own shards of one shard map (`rehearse --shards`
 * on each, `rehearse report a b --out c` after) into the results of one rehearsal. The parts must be of one
 * environment, stack, shard map (its fingerprint), plan and time scale, and no shard may have been driven twice.
 * Series are aligned by each run's start time (model seconds since the earliest start), so the machines' clocks
 * should agree (NTP) to well within a second divided by the time scale.
 */
import { formatNumber } from "../capacity/format";
import {
  emptySeries,
  most,
  ResultsError,
  type RehearsalResults,
  type ResultsTotals,
  type ShardResults,
  type ShardSeries,
} from "./results";
import { formatShardRanges } from "./select";

/** One file to merge: how messages name it (its path) and what it holds. */
export interface ResultsPart {
  readonly label: string;
  readonly results: RehearsalResults;
}

/**
 * The results of all `parts` as one rehearsal's. One part is returned as it is.
 * @throws ResultsError (one line) when parts are of different environments, stacks, shard maps, plans or time
 *   scales, or when two drove the same shard.
 */
export function mergeResults(parts: readonly ResultsPart[]): RehearsalResults {
  if (parts.length === 0) throw new ResultsError("no results to merge");
  requireOneRehearsal(parts);
  if (parts.length === 1) return parts[0].results;
  const first = parts[0].results;
  const origin = Math.min(...parts.map((part) => Date.parse(part.results.startedAt)));
  const shifts = parts.map((part) =>
    Math.max(0, Math.round(((Date.parse(part.results.startedAt) - origin) / 1000) * first.timeScale)),
  );
  const seconds = Math.max(...parts.map((part, position) => shifts[position] + part.results.seconds));
  const runs = parts.flatMap((part, position) =>
    part.results.runs.map((run) => ({ ...run, offsetSeconds: run.offsetSeconds + shifts[position] })),
  );
  const runBase = parts.map((_, position) =>
    parts.slice(0, position).reduce((sum, part) => sum + part.results.runs.length, 0),
  );
  const shards: ShardResults[] = parts
    .flatMap((part, position) =>
      part.results.shards.map((shard) => ({
        ...shard,
        run: shard.run + runBase[position],
        series: shifted(shard.series, shifts[position], seconds),
      })),
    )
    .sort((a, b) => a.index - b.index);
  const totalLive = new Array<number>(seconds).fill(0);
  parts.forEach((part, position) =>
    part.results.totals.series.live.forEach((live, second) => (totalLive[second + shifts[position]] += live)),
  );
  const totals = parts.map((part) => part.results.totals);
  const histogram = mergedHistogram(shards);
  return {
    ...first,
    startedAt: new Date(origin).toISOString(),
    seconds,
    runs,
    shards,
    totals: {
      sessions: sum(totals, "sessions"),
      connected: sum(totals, "connected"),
      peakConcurrent: most(totalLive),
      refused: sum(totals, "refused"),
      retried: sum(totals, "retried"),
      failed: sum(totals, "failed"),
      echoed: sum(totals, "echoed"),
      connectP50Ms: histogramPercentile(histogram, 50),
      connectP99Ms: histogramPercentile(histogram, 99),
      refusals: addCounts(totals.map((total) => total.refusals)),
      refusalKinds: addCounts(totals.map((total) => total.refusalKinds)),
      failures: addCounts(totals.map((total) => total.failures)),
      series: { live: totalLive },
    },
  };
}

/** Refuses parts that are not of one rehearsal, with one line naming the two files and what differs. */
function requireOneRehearsal(parts: readonly ResultsPart[]): void {
  const [head, ...rest] = parts;
  const a = head.results;
  const ofMap = (r: RehearsalResults) =>
    `${r.stack}'s shard map ${r.shardMap.fingerprint}` +
    (r.shardMap.stateSerial === null ? "" : ` (state serial ${r.shardMap.stateSerial})`);
  const ofPlan = (r: RehearsalResults) =>
    `ceiling ${formatNumber(r.plan.ceilingPerShard)} × headroom ${formatNumber(r.plan.headroom)}`;
  for (const part of rest) {
    const b = part.results;
    const differs = (what: string, show: (r: RehearsalResults) => string) =>
      new ResultsError(
        `${part.label} is ${what} ${show(b)}, ${head.label} ${what} ${show(a)}: merge only the results of one ` +
          "rehearsal, each machine driving its own --shards of the same shard map",
      );
    if (b.environment !== a.environment || b.stack !== a.stack)
      throw differs("of", (r) => `environment ${r.environment} (${r.stack})`);
    if (
      b.shardMap.fingerprint !== a.shardMap.fingerprint ||
      b.shardMap.stateSerial !== a.shardMap.stateSerial ||
      b.shardMap.stateLineage !== a.shardMap.stateLineage
    )
      throw differs("of", ofMap);
    if (
      b.plan.ceilingPerShard !== a.plan.ceilingPerShard ||
      b.plan.headroom !== a.plan.headroom ||
      b.plan.orgCeiling !== a.plan.orgCeiling
    )
      throw differs("planned with", ofPlan);
    if (b.timeScale !== a.timeScale) throw differs("at", (r) => `time scale ${formatNumber(r.timeScale)}`);
  }
  const owner = new Map<number, string>();
  for (const part of parts) {
    const clashes = new Map<string, number[]>();
    for (const shard of part.results.shards) {
      const other = owner.get(shard.index);
      if (other !== undefined) clashes.set(other, [...(clashes.get(other) ?? []), shard.index]);
      owner.set(shard.index, part.label);
    }
    for (const [other, indexes] of clashes) {
      throw new ResultsError(
        `${other} and ${part.label} both drove shard${indexes.length === 1 ? "" : "s"} ${formatShardRanges(indexes)}: ` +
          "each machine must drive its own --shards, and each shard's results are merged once",
      );
    }
  }
}

/** `series` moved `shift` seconds later and padded to `seconds` points. */
function shifted(series: ShardSeries, shift: number, seconds: number): ShardSeries {
  const padded = emptySeries(seconds);
  for (const [name, values] of Object.entries(series) as [keyof ShardSeries, (number | null)[]][]) {
    const target = padded[name] as (number | null)[];
    values.forEach((value, second) => (target[second + shift] = value));
  }
  return padded;
}

function sum(totals: readonly ResultsTotals[], field: keyof ResultsTotals & string): number {
  return totals.reduce((total, entry) => total + (entry[field] as number), 0);
}

function addCounts(records: readonly Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const record of records)
    for (const [key, value] of Object.entries(record)) merged[key] = (merged[key] ?? 0) + value;
  return merged;
}

function mergedHistogram(shards: readonly ShardResults[]): [number, number][] {
  const merged = new Map<number, number>();
  for (const shard of shards)
    for (const [ms, sessions] of shard.connectLatencyMs) merged.set(ms, (merged.get(ms) ?? 0) + sessions);
  return [...merged.entries()].sort((a, b) => a[0] - b[0]);
}

/** The nearest-rank percentile of a histogram of [value, count], as `percentile` of its values; null if empty. */
export function histogramPercentile(histogram: readonly [number, number][], p: number): number | null {
  const total = histogram.reduce((sum, [, sessions]) => sum + sessions, 0);
  if (total === 0) return null;
  const rank = Math.min(total, Math.max(1, Math.ceil((p / 100) * total)));
  let seen = 0;
  for (const [value, sessions] of histogram) {
    seen += sessions;
    if (seen >= rank) return value;
  }
  return histogram[histogram.length - 1][0];
}

/**
 * Benchmark (not a test): how long `planShards` takes for 2,000,000 concurrent sessions, against baselines run
 * in the same process so the ratio means something on any machine. Run on its own with
 * `npx tsx bench/planner.ts`, or call `runPlannerBench()` from `bench/run.ts`.
 */
import { performance } from "node:perf_hooks";
import { formatTable, planShards, type PlanInput } from "../capacity";

/** The load the benchmark plans: 2,000,000 sessions, 40,000 new sessions per minute. */
export const BENCH_INPUT: PlanInput = { targetSessions: 2_000_000, arrivalsPerMinute: 40_000 };

/** The baseline plan: one session, so one base shard and one spare. */
const TRIVIAL_INPUT: PlanInput = { targetSessions: 1 };

/** Each case runs at least this long and at least `MIN_RUNS` times, after `WARMUP_RUNS` untimed runs. */
const MIN_DURATION_MS = 250;
const MIN_RUNS = 5;
const WARMUP_RUNS = 3;

/** One row of the benchmark table. */
export interface BenchRow {
  readonly name: string;
  readonly runs: number;
  readonly meanMs: number;
  /** meanMs divided by the baseline's meanMs (the first row, whose ratio is 1). */
  readonly ratio: number;
}

/** Times the planner for 2,000,000 sessions against two baselines and returns one row per case. */
export function runPlannerBench(): BenchRow[] {
  const cases: { name: string; run: () => unknown }[] = [
    { name: "baseline: planShards, 1 session (2 shards)", run: () => planShards(TRIVIAL_INPUT) },
    { name: "JSON.stringify(input)", run: () => JSON.stringify(BENCH_INPUT) },
    {
      name: `planShards, ${BENCH_INPUT.targetSessions} sessions (${planShards(BENCH_INPUT).shards} shards)`,
      run: () => planShards(BENCH_INPUT),
    },
  ];
  const timed = cases.map(({ name, run }) => ({ name, ...time(run) }));
  const baselineMs = timed[0].meanMs;
  return timed.map((row) => ({ ...row, ratio: row.meanMs / baselineMs }));
}

/** The rows as a small aligned table. */
export function formatBenchRows(rows: readonly BenchRow[]): string {
  const header = ["case", "runs", "mean ms", "ratio"];
  const cells = rows.map((row) => [row.name, String(row.runs), row.meanMs.toFixed(4), row.ratio.toFixed(1)]);
  return formatTable([header, ...cells], ["left", "right", "right", "right"]).join("\n");
}

function time(run: () => unknown): { runs: number; meanMs: number } {
  for (let warmup = 0; warmup < WARMUP_RUNS; warmup++) run();
  let runs = 0;
  const start = performance.now();
  let elapsed = 0;
  while (runs < MIN_RUNS || elapsed < MIN_DURATION_MS) {
    run();
    runs++;
    elapsed = performance.now() - start;
  }
  return { runs, meanMs: elapsed / runs };
}

if (require.main === module) {
  console.log(formatBenchRows(runPlannerBench()));
}

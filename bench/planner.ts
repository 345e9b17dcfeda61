/**
 * Benchmark (not a test): how long `planShards` takes for 2,000,000 concurrent sessions, against a one-session
 * plan timed in the same round, so the ratio says how the planner scales on the machine at hand. Each round
 * times both cases; the figures are min–max ranges over the rounds, because one run on a shared machine is
 * noise. Run on its own with `npx tsx bench/planner.ts [rounds]`, or call `runPlannerBench()` from
 * `bench/run.ts`.
 */
import { performance } from "node:perf_hooks";
import { cpus, totalmem } from "node:os";
import { formatTable, planShards, type PlanInput } from "../capacity";

/** The load the benchmark plans: 2,000,000 sessions, 40,000 new sessions per minute. */
export const BENCH_INPUT: PlanInput = { targetSessions: 2_000_000, arrivalsPerMinute: 40_000 };

/** The baseline plan: one session, so one base shard and one spare. */
const TRIVIAL_INPUT: PlanInput = { targetSessions: 1 };

/** Rounds when the caller names none. */
export const DEFAULT_ROUNDS = 3;

/** In each round a case runs at least this long and at least `MIN_RUNS` times, after `WARMUP_RUNS` untimed runs. */
const MIN_DURATION_MS = 250;
const MIN_RUNS = 5;
const WARMUP_RUNS = 3;

/** One row of the benchmark table: a case over every round. */
export interface BenchRow {
  readonly name: string;
  /** Timed runs per round. */
  readonly runs: readonly number[];
  /** The mean time of one run, per round. */
  readonly meanMs: readonly number[];
  /** meanMs divided by the baseline's meanMs of the same round (1 for the baseline). */
  readonly ratio: readonly number[];
}

/** Times the planner for 2,000,000 sessions against the one-session plan, `rounds` times each. */
export function runPlannerBench(rounds = DEFAULT_ROUNDS): BenchRow[] {
  const cases: { name: string; run: () => unknown }[] = [
    { name: "baseline: planShards, 1 session (2 shards)", run: () => planShards(TRIVIAL_INPUT) },
    {
      name: `planShards, ${BENCH_INPUT.targetSessions} sessions (${planShards(BENCH_INPUT).shards} shards)`,
      run: () => planShards(BENCH_INPUT),
    },
  ];
  const timings = cases.map(() => [] as { runs: number; meanMs: number }[]);
  for (let round = 0; round < rounds; round++) {
    cases.forEach(({ run }, index) => timings[index].push(time(run)));
  }
  const baseline = timings[0];
  return cases.map(({ name }, index) => ({
    name,
    runs: timings[index].map((timing) => timing.runs),
    meanMs: timings[index].map((timing) => timing.meanMs),
    ratio: timings[index].map((timing, round) => timing.meanMs / baseline[round].meanMs),
  }));
}

/** The rows as a small aligned table of min–max ranges. */
export function formatBenchRows(rows: readonly BenchRow[]): string {
  const header = ["case", "rounds", "mean ms", "× baseline"];
  const cells = rows.map((row) => [
    row.name,
    String(row.meanMs.length),
    range(row.meanMs, 4),
    range(row.ratio, 0),
  ]);
  return formatTable([header, ...cells], ["left", "right", "right", "right"]).join("\n");
}

/** The machine the figures come from, e.g. "2 × AMD EPYC 7B13, 8 GiB, Node v20.19.0". */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** "a–b" with `digits` decimals, or one value when both ends are the same at that precision. */
function range(values: readonly number[], digits: number): string {
  const low = Math.min(...values).toFixed(digits);
  const high = Math.max(...values).toFixed(digits);
  return low === high ? low : `${low}–${high}`;
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
  const rounds = process.argv[2] === undefined ? DEFAULT_ROUNDS : Number(process.argv[2]);
  if (!Number.isInteger(rounds) || rounds < 1) {
    console.error(`bench/planner: rounds must be a whole number >= 1, got ${process.argv[2]}`);
    process.exit(2);
  }
  console.log(`Machine: ${machine()}; ${rounds} rounds\n`);
  console.log(formatBenchRows(runPlannerBench(rounds)));
}

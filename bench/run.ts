/**
 * `npm run bench`: the project's benchmarks, each reported against a baseline measured in the same run, so the
 * ratios mean something on any machine. Every case runs `--runs` times (default 3); figures are min–max ranges.
 * 1. The planner for 2,000,000 sessions (in process) against a trivial plan.
 * 2. Synthesizing stacks, each case in its own process (wall time includes loading TypeScript and cdktf; peak
 *    memory is the process's max RSS): an empty cdktf app (the baseline), the three committed environments
 *    (what `npm run synth` builds), and one stack at 10, 100 and 1,000 shards with every real resource.
 * `npm run bench -- --runs 5` repeats more; `--synth-only` skips the planner.
 */
import { execFileSync } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { formatBenchRows, runPlannerBench } from "./planner";

interface SynthResult {
  readonly case: string;
  readonly shards: number;
  readonly resources: number;
  readonly ms: number;
  readonly maxRssMb: number;
}

const ROOT = join(__dirname, "..");

function synthCase(which: string): SynthResult {
  const started = Date.now();
  const out = execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(__dirname, "synth-case.ts"), which],
    { cwd: ROOT, encoding: "utf8" },
  );
  const result = JSON.parse(out.trim().split("\n").pop() ?? "{}") as SynthResult;
  return { ...result, ms: Date.now() - started };
}

/** "a–b" with `digits` decimals, or one value when the range is a point at that precision. */
function range(values: readonly number[], digits: number): string {
  const low = Math.min(...values).toFixed(digits);
  const high = Math.max(...values).toFixed(digits);
  return low === high ? low : `${low}–${high}`;
}

function main(): void {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 3;
  if (!Number.isInteger(runs) || runs < 1) {
    console.error(`bench: --runs must be a whole number >= 1, got ${args[runsAt + 1]}`);
    process.exit(2);
  }
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? "unknown CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${runs} runs per case\n`,
  );
  if (!args.includes("--synth-only")) {
    console.log("Planner (in process)\n");
    console.log(formatBenchRows(runPlannerBench()));
  }

  console.log("\nSynth, one process per case (wall time includes start-up)\n");
  const cases = ["empty", "default", "10", "100", "1000"];
  const results = new Map<string, SynthResult[]>(cases.map((which) => [which, []]));
  // Interleaved, so a slow moment of the machine spreads over every case instead of skewing one.
  for (let run = 0; run < runs; run++) {
    for (const which of cases) results.get(which)!.push(synthCase(which));
  }
  const baseline = results.get("empty")!;
  const baseMs = baseline.map((r) => r.ms);
  const baseRss = baseline.map((r) => r.maxRssMb);
  console.log("| case | shards | resources + data sources | wall s | × empty | peak RSS MB | × empty |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const which of cases) {
    const rows = results.get(which)!;
    const shards = rows[0].shards;
    const name =
      which === "empty"
        ? "empty cdktf app (baseline)"
        : which === "default"
          ? "gc-dev + gc-test + gc-prod (npm run synth)"
          : `gc-prod stack, ${shards} shards`;
    // Per run, against the baseline of the same round.
    const wallRatio = rows.map((r, i) => r.ms / baseMs[i]);
    const rssRatio = rows.map((r, i) => r.maxRssMb / baseRss[i]);
    console.log(
      `| ${name} | ${shards || "-"} | ${rows[0].resources || "-"} | ${range(
        rows.map((r) => r.ms / 1000),
        2,
      )} | ${range(wallRatio, 2)} | ${range(
        rows.map((r) => r.maxRssMb),
        0,
      )} | ${range(rssRatio, 2)} |`,
    );
  }
}

main();

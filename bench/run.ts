/**
 * `npm run bench`: the project's benchmarks, each reported against a baseline measured in the same run, so the
 * ratios mean something on any machine.
 * 1. The planner for 2,000,000 sessions (in process) against a trivial plan.
 * 2. Synthesizing one environment stack at 10, 100 and 1,000 shards against an empty cdktf app, each in its
 *    own process (wall time includes loading TypeScript and cdktf; peak memory is the process's max RSS).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { formatBenchRows, runPlannerBench } from "./planner";

interface SynthResult {
  readonly case: string;
  readonly shards: number;
  readonly ms: number;
  readonly maxRssMb: number;
}

const ROOT = join(__dirname, "..");

function synthCase(which: string): SynthResult {
  const started = Date.now();
  const out = execFileSync(
    process.execPath,
    [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(__dirname, "synth-case.ts"), which],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  const result = JSON.parse(out.trim().split("\n").pop() ?? "{}") as SynthResult;
  return { ...result, ms: Date.now() - started };
}

function main(): void {
  console.log("Planner (in process)\n");
  console.log(formatBenchRows(runPlannerBench()));

  console.log("\nSynth, one process per case (wall time includes start-up)\n");
  const baseline = synthCase("empty");
  const rows = [baseline, ...[10, 100, 1000].map((n) => synthCase(String(n)))];
  const header = "| case | shards | wall s | × empty | peak RSS MB | × empty |";
  console.log(header);
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const row of rows) {
    const name = row.case === "empty" ? "empty cdktf app (baseline)" : `gc-prod stack, ${row.shards} shards`;
    console.log(
      `| ${name} | ${row.shards || "-"} | ${(row.ms / 1000).toFixed(2)} | ${(row.ms / baseline.ms).toFixed(2)} | ${row.maxRssMb.toFixed(0)} | ${(row.maxRssMb / baseline.maxRssMb).toFixed(2)} |`,
    );
  }
}

main();

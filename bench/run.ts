/**
 * `npm run bench`: the project's benchmarks, each reported against a baseline measured in the same run, so the
 * ratios mean something on any machine. Every case runs `--runs` times (default 3); figures are min–max ranges.
 * 1. The planner for 2,000,000 sessions (in process) against a trivial plan.
 * 2. Synthesizing stacks, each case in its own process (wall time includes loading TypeScript and cdktf; peak
 *    memory is the process's max RSS): an empty cdktf app (the baseline), the three committed environments
 *    (what `npm run synth` builds), one stack at 10, 100 and 1,000 shards with every real resource, and 1,001
 *    shards (120,000 sessions) split into the base stack and 11 shard-group stacks.
 * 3. The same synth under CDK Terrain (cdktn 0.24, in the switched scratch copy `npm run cdktn:check` makes), side
 *    by side: its empty app, the three environments and 1,000 shards, on Node 22 (cdktn-cli needs 22.19), and
 *    cdktf on that Node 22 too, so the framework and the Node version can be told apart. Each group's ratios are
 *    against its own empty app. Runs when `npm run cdktn:check` has installed cdktn (.tools/cdktn) or with
 *    `--cdktn` (which installs it); `--no-cdktn` skips it.
 * `npm run bench -- --runs 5` repeats more; `--synth-only` skips the planner.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { formatBenchRows, runPlannerBench } from "./planner";
import { switchedCopy, TOOLS, type CdktnCopy } from "../scripts/cdktn/scratch";

interface SynthResult {
  readonly case: string;
  readonly shards: number;
  readonly resources: number;
  readonly ms: number;
  readonly maxRssMb: number;
}

const ROOT = join(__dirname, "..");

/** A framework on a Node, and the cases it runs: each case is `bench/synth-case.ts <case>` under `root`. */
interface SynthGroup {
  /** Prefix of the group's rows; empty for the project's own cdktf on this Node. */
  readonly label: string;
  readonly framework: "cdktf" | "cdktn";
  readonly node: string;
  /** The project folder whose bench/synth-case.ts and node_modules run. */
  readonly root: string;
  readonly cases: readonly string[];
}

function synthCase(group: SynthGroup, which: string): SynthResult {
  const started = Date.now();
  const out = execFileSync(
    group.node,
    [join(group.root, "node_modules/tsx/dist/cli.mjs"), join(group.root, "bench", "synth-case.ts"), which],
    { cwd: group.root, encoding: "utf8" },
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

/** The row name of a case. */
function caseName(group: SynthGroup, which: string, shards: number): string {
  const name =
    which === "empty"
      ? `empty ${group.framework} app (baseline)`
      : which === "default"
        ? "gc-dev + gc-test + gc-prod (npm run synth)"
        : which.startsWith("groups-")
          ? `gc-prod split in shard groups of 100, ${shards} shards`
          : `gc-prod stack, ${shards} shards`;
  return group.label === "" ? name : `${group.label}: ${name}`;
}

/** The groups CDK Terrain adds, or undefined when it is not asked for and not installed. */
async function cdktnGroups(
  args: readonly string[],
): Promise<{ groups: SynthGroup[]; copy: CdktnCopy } | undefined> {
  const installed = existsSync(join(TOOLS, "cdktn", ".install-key"));
  if (args.includes("--no-cdktn") || (!args.includes("--cdktn") && !installed)) {
    console.log(
      "\nCDK Terrain: not measured (run `npm run cdktn:check` once, or `npm run bench -- --cdktn`, to install it)",
    );
    return undefined;
  }
  const copy = await switchedCopy((line) => console.log(`cdktn: ${line}`));
  const major = copy.node.version.replace(/^v/, "").split(".")[0];
  const cases = ["empty", "default", "1000"];
  const groups: SynthGroup[] = [
    { label: `cdktn 0.24, Node ${major}`, framework: "cdktn", node: copy.node.path, root: copy.dir, cases },
  ];
  // cdktf on the same Node as cdktn, unless that is this Node already (then the first group is it).
  if (copy.node.path !== process.execPath) {
    groups.unshift({
      label: `cdktf 0.21, Node ${major}`,
      framework: "cdktf",
      node: copy.node.path,
      root: ROOT,
      cases,
    });
  }
  return { groups, copy };
}

async function main(): Promise<void> {
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

  const groups: SynthGroup[] = [
    {
      label: "",
      framework: "cdktf",
      node: process.execPath,
      root: ROOT,
      cases: ["empty", "default", "10", "100", "1000", "groups-1001"],
    },
  ];
  const cdktn = await cdktnGroups(args);
  try {
    if (cdktn) groups.push(...cdktn.groups);
    console.log("\nSynth, one process per case (wall time includes start-up)\n");
    const results = new Map<string, SynthResult[]>();
    const key = (group: SynthGroup, which: string) => `${group.label}|${which}`;
    // Interleaved, so a slow moment of the machine spreads over every case instead of skewing one.
    for (let run = 0; run < runs; run++) {
      for (const group of groups) {
        for (const which of group.cases) {
          const rows = results.get(key(group, which)) ?? [];
          rows.push(synthCase(group, which));
          results.set(key(group, which), rows);
        }
      }
    }
    console.log("| case | shards | resources + data sources | wall s | × empty | peak RSS MB | × empty |");
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const group of groups) {
      // Each group against its own empty app, per run (the baseline of the same round).
      const baseline = results.get(key(group, "empty"))!;
      const baseMs = baseline.map((r) => r.ms);
      const baseRss = baseline.map((r) => r.maxRssMb);
      for (const which of group.cases) {
        const rows = results.get(key(group, which))!;
        const shards = rows[0].shards;
        const wallRatio = rows.map((r, i) => r.ms / baseMs[i]);
        const rssRatio = rows.map((r, i) => r.maxRssMb / baseRss[i]);
        console.log(
          `| ${caseName(group, which, shards)} | ${shards || "-"} | ${rows[0].resources || "-"} | ${range(
            rows.map((r) => r.ms / 1000),
            2,
          )} | ${range(wallRatio, 2)} | ${range(
            rows.map((r) => r.maxRssMb),
            0,
          )} | ${range(rssRatio, 2)} |`,
        );
      }
    }
    if (cdktn) {
      // The frameworks side by side: each CDK Terrain case against the same case under cdktf on the same Node.
      const [cdktfGroup, cdktnGroup] = [groups[groups.length - 2], groups[groups.length - 1]];
      console.log(
        `\n${cdktnGroup.label} against ${cdktfGroup.label || `cdktf 0.21, Node ${process.version}`}, same round:`,
      );
      for (const which of cdktnGroup.cases) {
        const a = results.get(key(cdktfGroup, which))!;
        const b = results.get(key(cdktnGroup, which))!;
        console.log(
          `  ${which}: wall ${range(
            b.map((r, i) => r.ms / a[i].ms),
            2,
          )}×, peak RSS ${range(
            b.map((r, i) => r.maxRssMb / a[i].maxRssMb),
            2,
          )}×`,
        );
      }
    }
  } finally {
    cdktn?.copy.remove();
  }
}

main().catch((error: Error) => {
  console.error(
    `bench: ${error.message}${(error as { detail?: string }).detail ? `\n${(error as { detail?: string }).detail}` : ""}`,
  );
  process.exit(1);
});

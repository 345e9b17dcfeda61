/**
 * Two machines, one report, on this machine: two `rehearse` processes (`node cli/bin.cjs rehearse`, as `npm run
 * rehearse` runs it) each drive their own `--shards` of one shard map at the same time, against one emulator on
 * 127.0.0.1 in this process (time scale 60), each writing its `--out`; then `rehearse report a b --out merged`.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { EXIT_CODES, main } from "../../cli/rehearse";
import { REPORT_EXIT_CODES } from "../../cli/rehearse-report";
import { loadResults } from "../../rehearsal/results";
import { scratchDir } from "../scratch";
import { deployScaledDev } from "./results-fixtures";

const TIME_SCALE = 60;
const BIN = join(__dirname, "../../cli/bin.cjs");
/** Real milliseconds a child may take (start-up included) before it is killed. */
const CHILD_TIMEOUT_MS = 60_000;

jest.setTimeout(120_000);

const children = new Set<ChildProcess>();
afterEach(() => {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
});

/** Runs `rehearse` in a child process; resolves with its exit code and output, killing it past the timeout. */
function rehearseProcess(
  argv: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "rehearse", ...argv], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr?.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      children.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("rehearse on two machines, then rehearse report", () => {
  it("merges two processes' --shards results: totals are the sums, shards the union, one report", async () => {
    const dir = scratchDir("two-machines-");
    const { plan, emulator, call, args } = await deployScaledDev(dir, TIME_SCALE);
    try {
      // 36 sessions at 15 per shard, headroom 0.8: u = 12, 3 shards + 1 spare of 9 sessions each.
      expect(plan.shards).toBe(4);
      const machine = (shards: string, out: string) =>
        rehearseProcess([...args(join(dir, out)), "--shards", shards]);
      const [a, b] = await Promise.all([machine("0-1", "a"), machine("2-3", "b")]);
      for (const [out, run] of [
        ["a", a],
        ["b", b],
      ] as const) {
        expect({ code: run.code, stderr: run.stderr }).toEqual({
          code: EXIT_CODES.ok,
          stderr: `rehearse: wrote ${join(dir, out, "results.json")} and ${join(dir, out, "report.html")}\n`,
        });
        expect(JSON.parse(run.stdout).totals).toMatchObject({ sessions: 18, connected: 18, refused: 0 });
      }
      const partA = loadResults(join(dir, "a")).results;
      const partB = loadResults(join(dir, "b")).results;
      expect(partA.runs[0]).toMatchObject({ drivenShards: [0, 1], drivenSessions: 18, sessions: 36 });
      expect(partB.runs[0]).toMatchObject({ drivenShards: [2, 3], drivenSessions: 18, sessions: 36 });
      expect(partA.shardMap.fingerprint).toBe(partB.shardMap.fingerprint);

      let stdout = "";
      let stderr = "";
      const code = await main(["report", join(dir, "a"), join(dir, "b"), "--out", join(dir, "merged")], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      expect({ code, stderr }).toEqual({ code: REPORT_EXIT_CODES.ok, stderr: "" });
      expect(stdout).toContain(
        "merged 2 results of dev (gc-dev): shards 0-3 from 2 runs; 36 sessions, 36 connected",
      );

      const merged = loadResults(join(dir, "merged")).results;
      expect(merged.shards.map((shard) => shard.index)).toEqual([0, 1, 2, 3]);
      expect(merged.runs.map((run) => run.drivenShards)).toEqual([
        [0, 1],
        [2, 3],
      ]);
      for (const field of ["sessions", "connected", "refused", "retried", "failed", "echoed"] as const)
        expect(merged.totals[field]).toBe(partA.totals[field] + partB.totals[field]);
      expect(merged.totals).toMatchObject({ sessions: 36, connected: 36, refused: 0, failed: 0 });
      // Both ran at once: the later one starts within a few model seconds of the earlier (process start-up).
      expect(Math.max(...merged.runs.map((run) => run.offsetSeconds))).toBeLessThan(10 * TIME_SCALE);
      expect(merged.totals.peakConcurrent).toBeLessThanOrEqual(36);
      expect(merged.totals.peakConcurrent).toBeGreaterThanOrEqual(
        Math.max(partA.totals.peakConcurrent, partB.totals.peakConcurrent),
      );
      // The emulator saw every session of both machines.
      const stats = (await call("GET", "/__emulator/stats")).body.webMessaging;
      expect(stats.refused.total).toBe(0);
    } finally {
      await emulator.close();
    }
  });
});

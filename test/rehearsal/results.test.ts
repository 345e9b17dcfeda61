/**
 * Rehearsal results: the recorder's per-second series (table and property tests), the file's schema on read, and
 * `rehearse --out` end to end against the emulator on 127.0.0.1 (time scale 60: a model minute per second).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { EXIT_CODES, main } from "../../cli/rehearse";
import {
  RESULTS_FILE,
  ResultsError,
  SeriesRecorder,
  loadResults,
  parseResults,
  type RehearsalResults,
} from "../../rehearsal/results";
import { scratchDir } from "../scratch";
import { deployScaledDev, syntheticResults } from "./results-fixtures";

describe("SeriesRecorder", () => {
  it("keeps one point per model second: live is the most connected during the second, events are counted", () => {
    const recorder = new SeriesRecorder([0, 1]);
    recorder.connected(0, 100, 3);
    recorder.connected(0, 900, 5);
    recorder.closed(0, 1500);
    recorder.refused(0, 2100, "503 Max concurrent connections exceeded for tenant");
    recorder.retried(0, 2200);
    recorder.connected(1, 2500, 7);
    recorder.failed(1, 3100, "timeout");
    const { seconds, shards, totalLive } = recorder.finish(4000);

    expect(seconds).toBe(5);
    expect(shards.get(0)?.series).toEqual({
      live: [2, 2, 1, 1, 1],
      connected: [2, 0, 0, 0, 0],
      refused: [0, 0, 1, 0, 0],
      retried: [0, 0, 1, 0, 0],
      failed: [0, 0, 0, 0, 0],
      connectP50Ms: [3, null, null, null, null],
      connectP99Ms: [5, null, null, null, null],
      connectMaxMs: [5, null, null, null, null],
    });
    expect(shards.get(1)?.series.live).toEqual([0, 0, 1, 1, 1]);
    expect(shards.get(1)?.series.failed).toEqual([0, 0, 0, 1, 0]);
    expect(shards.get(0)?.connectLatencyMs).toEqual([
      [3, 1],
      [5, 1],
    ]);
    expect(totalLive).toEqual([2, 2, 2, 2, 2]);
    expect(recorder.retriesOf(0)).toBe(1);
    expect(recorder.retriesOf(1)).toBe(0);
  });

  it("gives a shard without events a flat series as long as the others", () => {
    const recorder = new SeriesRecorder([0, 5]);
    recorder.connected(0, 2500, 1);
    const { seconds, shards } = recorder.finish(0);
    expect(seconds).toBe(3);
    expect(shards.get(5)?.series.live).toEqual([0, 0, 0]);
    expect(shards.get(5)?.series.connectP99Ms).toEqual([null, null, null]);
  });

  it("agrees with the events whatever their order in time: counts add up, live peaks where the sessions did", () => {
    const event = fc.record({
      shard: fc.integer({ min: 0, max: 2 }),
      at: fc.integer({ min: 0, max: 9_999 }),
      kind: fc.constantFrom("connect", "close", "refuse", "retry", "fail"),
      latency: fc.integer({ min: 0, max: 500 }),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), (raw) => {
        const events = [...raw].sort((a, b) => a.at - b.at);
        const recorder = new SeriesRecorder([0, 1, 2]);
        const live = [0, 0, 0];
        const peak = [0, 0, 0];
        let total = 0;
        let totalPeak = 0;
        const expected = { connected: [0, 0, 0], refused: [0, 0, 0], retried: [0, 0, 0], failed: [0, 0, 0] };
        for (const { shard, at, kind, latency } of events) {
          if (kind === "connect") {
            recorder.connected(shard, at, latency);
            live[shard] += 1;
            total += 1;
            peak[shard] = Math.max(peak[shard], live[shard]);
            totalPeak = Math.max(totalPeak, total);
            expected.connected[shard] += 1;
          } else if (kind === "close" && live[shard] > 0) {
            recorder.closed(shard, at);
            live[shard] -= 1;
            total -= 1;
          } else if (kind === "refuse") {
            recorder.refused(shard, at, "503");
            expected.refused[shard] += 1;
          } else if (kind === "retry") {
            recorder.retried(shard, at);
            expected.retried[shard] += 1;
          } else if (kind === "fail") {
            recorder.failed(shard, at, "timeout");
            expected.failed[shard] += 1;
          }
        }
        const { seconds, shards, totalLive } = recorder.finish(10_000);
        expect(seconds).toBe(11);
        expect(totalLive).toHaveLength(seconds);
        expect(Math.max(...totalLive)).toBe(totalPeak);
        for (const shard of [0, 1, 2]) {
          const { series, connectLatencyMs } = shards.get(shard)!;
          for (const values of Object.values(series)) expect(values).toHaveLength(seconds);
          expect(Math.max(...series.live)).toBe(peak[shard]);
          expect(series.live[seconds - 1]).toBe(live[shard]);
          for (const name of ["connected", "refused", "retried", "failed"] as const)
            expect(series[name].reduce((a, b) => a + b, 0)).toBe(expected[name][shard]);
          expect(connectLatencyMs.reduce((sum, [, count]) => sum + count, 0)).toBe(expected.connected[shard]);
        }
      }),
    );
  });
});

describe("results.json on read", () => {
  const results = syntheticResults({ shards: 3, seconds: 20, ceiling: 15, perShard: 8, overload: 10 });
  const roundTrip = (change: (raw: Record<string, unknown>) => void = () => undefined) => {
    const raw = JSON.parse(JSON.stringify(results));
    change(raw);
    return () => parseResults(raw, "a/results.json");
  };

  it("reads back what was written", () => {
    expect(roundTrip()()).toEqual(results);
    expect(results.shards[0]).toMatchObject({ sessions: 18, connected: 15, refused: 3, peakConcurrent: 15 });
    expect(Math.max(...results.shards[0].series.live)).toBe(15);
  });

  it.each([
    [
      "a series is shorter than the run",
      (raw: RehearsalResults) => raw.shards[1].series.live.pop(),
      "a/results.json: shards.1.series.live: must have 20 points (seconds)",
    ],
    [
      "two runs drove one shard",
      (raw: RehearsalResults) => raw.runs.push({ ...raw.runs[0], drivenShards: [2] }),
      "a/results.json: runs.1.drivenShards: repeats shard 2 (and 1 more problem)",
    ],
    [
      "a count is negative",
      (raw: RehearsalResults) => (raw.totals.refused = -1),
      "a/results.json: totals.refused: Too small: expected number to be >=0",
    ],
  ])("fails when %s, with one line naming the field", (_name, change, message) => {
    expect(roundTrip((raw) => change(raw as unknown as RehearsalResults))).toThrow(new ResultsError(message));
  });

  it("fails when the JSON is something else, or of another version", () => {
    expect(() => parseResults({ environment: "dev", shards: [] }, "x.json")).toThrow(
      'x.json: not the results of a rehearsal (no "format": "genesys-rehearsal-results"); rehearse --out <dir> writes them',
    );
    expect(roundTrip((raw) => (raw.version = 2))).toThrow(/^a\/results\.json: version: .*expected 1/);
  });

  it("fails when the folder holds no results.json", () => {
    const dir = scratchDir("results-");
    expect(() => loadResults(dir)).toThrow(
      `${join(dir, RESULTS_FILE)}: cannot read the results (no such file); rehearse --out <dir> writes them`,
    );
  });
});

describe("rehearse --out against the emulator, ceiling 15 per deployment", () => {
  const TIME_SCALE = 60;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  /** dev at 36 sessions, 15 per shard: u = 12, 3 shards + 1 spare of 9 sessions, deployed in a fresh emulator. */
  async function deployed() {
    const dir = scratchDir("rehearse-out-");
    const { emulator, shardMap, args } = await deployScaledDev(dir, TIME_SCALE);
    close = () => emulator.close();
    const rehearse = async (out: string, ...extra: string[]) => {
      let stdout = "";
      let stderr = "";
      const code = await main([...args(out), ...extra], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      });
      return { code, stderr, report: stdout ? JSON.parse(stdout) : undefined };
    };
    return { dir, shardMap, rehearse };
  }

  it("writes results.json with the run, the plan's ceiling and headroom, and per-shard series that add up to the table", async () => {
    const { dir, shardMap, rehearse } = await deployed();
    const out = join(dir, "out");
    const { code, stderr, report } = await rehearse(out);
    expect(code).toBe(EXIT_CODES.ok);
    expect(stderr).toContain(`rehearse: wrote ${join(out, "results.json")} and ${join(out, "report.html")}`);
    expect(existsSync(join(out, "report.html"))).toBe(true);

    const { results } = loadResults(out);
    expect(results).toMatchObject({
      environment: "dev",
      stack: "gc-dev",
      shardMap: { file: shardMap, source: "state", stateSerial: 7, shards: 4 },
      plan: { ceilingPerShard: 15, headroom: 0.8, usablePerShard: 12, shards: 4, orgCeiling: null },
      timeScale: TIME_SCALE,
      resolutionSeconds: 1,
    });
    expect(results.runs).toEqual([
      expect.objectContaining({
        host: hostname(),
        offsetSeconds: 0,
        sessions: 36,
        rampPerMinute: 600,
        holdSeconds: 30,
        drivenShards: [0, 1, 2, 3],
        firstRefusal: null,
        aborted: null,
      }),
    ]);
    expect(results.totals).toMatchObject({
      sessions: 36,
      connected: 36,
      refused: 0,
      failed: 0,
      retried: 0,
      peakConcurrent: report.totals.peakConcurrent,
    });
    // 36 sessions at 600/min take 3.6 model seconds, then the 30 s hold and the close: one point per model second.
    expect(results.seconds).toBeGreaterThanOrEqual(34);
    expect(results.seconds).toBe(Math.floor((report.elapsedMs * TIME_SCALE) / 1000) + 1);
    for (const shard of results.shards) {
      const table = report.shards.find((row: { index: number }) => row.index === shard.index);
      expect(shard).toMatchObject({ sessions: 9, connected: 9, peakConcurrent: table.peakConcurrent });
      expect(Math.max(...shard.series.live)).toBe(shard.peakConcurrent);
      expect(shard.series.connected.reduce((a, b) => a + b, 0)).toBe(9);
      expect(shard.connectLatencyMs.reduce((sum, [, count]) => sum + count, 0)).toBe(9);
    }
    expect(Math.max(...results.totals.series.live)).toBe(results.totals.peakConcurrent);
  });

  it("records where and when one deployment refused (--single-deployment): refusals per second, live flat at the ceiling", async () => {
    const { dir, rehearse } = await deployed();
    const out = join(dir, "single");
    const { code } = await rehearse(out, "--single-deployment");
    expect(code).toBe(EXIT_CODES.refused);
    const { results } = loadResults(out);
    const [first, ...idle] = results.shards;
    expect(first).toMatchObject({ index: 0, sessions: 36, connected: 15, refused: 21, peakConcurrent: 15 });
    expect(first.series.refused.reduce((a, b) => a + b, 0)).toBe(21);
    expect(Math.max(...first.series.live)).toBe(15);
    // Refusals start once the ceiling is full: not before the second the 15th session connected.
    const full = first.series.live.indexOf(15);
    expect(first.series.refused.findIndex((refused) => refused > 0)).toBeGreaterThanOrEqual(full);
    expect(idle.map((shard) => [shard.index, shard.sessions, Math.max(...shard.series.live)])).toEqual([
      [1, 0, 0],
      [2, 0, 0],
      [3, 0, 0],
    ]);
    expect(results.runs[0].firstRefusal).toMatchObject({ shardIndex: 0, shardLive: 15 });
    expect(results.totals.refusals).toEqual({ "503 Max concurrent connections exceeded for tenant": 21 });
  });

  it("fails when --out is a file, with one line before anything is driven (exit 2)", async () => {
    const { dir, rehearse } = await deployed();
    const file = join(dir, "taken");
    writeFileSync(file, "");
    const { code, stderr } = await rehearse(file);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toBe(
      `rehearse: --out must be a folder for results.json and the report, got the file "${file}"\n`,
    );
    expect(readFileSync(file, "utf8")).toBe("");
  });

  it("fails when --out already holds an earlier run's results, leaving them as they were (exit 2)", async () => {
    const { dir, rehearse } = await deployed();
    const out = join(dir, "night-1");
    mkdirSync(out);
    writeFileSync(join(out, "results.json"), "the booked window's results");
    const { code, stderr } = await rehearse(out);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toBe(
      `rehearse: --out ${out} already holds results.json of an earlier run, which are never overwritten: pass a new folder\n`,
    );
    expect(readFileSync(join(out, "results.json"), "utf8")).toBe("the booked window's results");
    expect(existsSync(join(out, "report.html"))).toBe(false);
  });
});

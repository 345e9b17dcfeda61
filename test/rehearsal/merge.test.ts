/**
 * Merging the results of machines that drove disjoint shards of one shard map: the merged totals are the sums, the
 * shards the union, the series aligned by start time; results of another environment, map, plan or time scale, or
 * that drove a shard twice, are refused with one line. Then `rehearse report` on files (exit codes, messages).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { main } from "../../cli/rehearse";
import { REPORT_EXIT_CODES } from "../../cli/rehearse-report";
import { histogramPercentile, mergeResults } from "../../rehearsal/merge";
import { loadResults, writeResults, type RehearsalResults } from "../../rehearsal/results";
import { percentile } from "../../rehearsal/spread";
import { scratchDir } from "../scratch";
import { syntheticMap, syntheticResults } from "./results-fixtures";

const START = new Date("2025-01-01T10:00:00.000Z");
const later = (seconds: number) => new Date(START.getTime() + seconds * 1000);

/** Two machines' results of one 4-shard map: a drove 0-1 from START, b 2-3 from `offset` seconds later. */
function halves(offset = 2) {
  const common = { shards: 4, seconds: 60, ceiling: 15, perShard: 10 } as const;
  const a = syntheticResults({ ...common, overload: 8, driven: [0, 1], host: "machine-a", startedAt: START });
  const b = syntheticResults({ ...common, driven: [2, 3], host: "machine-b", startedAt: later(offset) });
  return { a, b };
}

describe("mergeResults", () => {
  it("adds the totals, joins the shards and aligns every series by the runs' start times", () => {
    const { a, b } = halves(2);
    const merged = mergeResults([
      { label: "a/results.json", results: a },
      { label: "b/results.json", results: b },
    ]);

    expect(merged.shards.map((shard) => [shard.index, shard.run])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 1],
    ]);
    expect(merged.runs.map((run) => [run.host, run.offsetSeconds, run.drivenShards])).toEqual([
      ["machine-a", 0, [0, 1]],
      ["machine-b", 2, [2, 3]],
    ]);
    for (const field of ["sessions", "connected", "refused", "retried", "failed", "echoed"] as const)
      expect(merged.totals[field]).toBe(a.totals[field] + b.totals[field]);
    expect(merged.totals).toMatchObject({ sessions: 48, connected: 45, refused: 3 });
    expect(merged.totals.refusals).toEqual({ "503 Max concurrent connections exceeded for tenant": 3 });
    expect(merged.startedAt).toBe(START.toISOString());
    expect(merged.seconds).toBe(62);
    // b's series start 2 model seconds (time scale 1) after a's.
    const shard2 = merged.shards[2].series;
    expect(shard2.live.slice(0, 2)).toEqual([0, 0]);
    expect(shard2.live.slice(2)).toEqual(b.shards[0].series.live);
    expect(shard2.connectP50Ms.slice(0, 2)).toEqual([null, null]);
    expect(merged.shards[0].series.live.slice(0, 60)).toEqual(a.shards[0].series.live);
    expect(merged.shards[0].series.live.slice(60)).toEqual([0, 0]);
    // The total is the sum of the aligned series, and its peak the highest second.
    const summed = merged.totals.series.live;
    expect(summed[10]).toBe(a.totals.series.live[10] + b.totals.series.live[8]);
    expect(merged.totals.peakConcurrent).toBe(Math.max(...summed));
    expect(() => mergeResults([{ label: "merged", results: merged }])).not.toThrow();
    expect(loadResultsBack(merged)).toEqual(merged);
  });

  it("takes the percentiles of all shards' connect latencies together, exactly", () => {
    const { a, b } = halves();
    const merged = mergeResults([
      { label: "a", results: a },
      { label: "b", results: b },
    ]);
    const all = merged.shards.flatMap((shard) =>
      shard.connectLatencyMs.flatMap(([ms, sessions]) => new Array<number>(sessions).fill(ms)),
    );
    expect(all).toHaveLength(merged.totals.connected);
    expect(merged.totals.connectP50Ms).toBe(percentile(all, 50));
    expect(merged.totals.connectP99Ms).toBe(percentile(all, 99));
  });

  it("reads the same percentile from a histogram as from its values", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 100 }),
        (values, p) => {
          const histogram = new Map<number, number>();
          for (const value of values) histogram.set(value, (histogram.get(value) ?? 0) + 1);
          const sorted = [...histogram.entries()].sort((x, y) => x[0] - y[0]);
          expect(histogramPercentile(sorted, p)).toBe(percentile(values, p));
        },
      ),
    );
    expect(histogramPercentile([], 50)).toBeNull();
  });

  it.each<[string, (b: RehearsalResults) => RehearsalResults, string]>([
    [
      "another environment",
      (b) => ({ ...b, environment: "test", stack: "gc-test" }),
      "b/results.json is of environment test (gc-test), a/results.json of environment dev (gc-dev): merge only " +
        "the results of one rehearsal, each machine driving its own --shards of the same shard map",
    ],
    [
      "another shard map",
      (b) => ({ ...b, shardMap: { ...b.shardMap, fingerprint: "0123456789abcdef", stateSerial: 4 } }),
      `b/results.json is of gc-dev's shard map 0123456789abcdef (state serial 4), a/results.json of gc-dev's shard map ${syntheticResults({ shards: 4, seconds: 2, ceiling: 15, perShard: 1 }).shardMap.fingerprint} (state serial 3): merge only the results of one rehearsal, each machine driving its own --shards of the same shard map`,
    ],
    [
      "another plan",
      (b) => ({ ...b, plan: { ...b.plan, ceilingPerShard: 150 } }),
      "b/results.json is planned with ceiling 150 × headroom 0.8, a/results.json planned with ceiling 15 × " +
        "headroom 0.8: merge only the results of one rehearsal, each machine driving its own --shards of the same shard map",
    ],
    [
      "another time scale",
      (b) => ({ ...b, timeScale: 60 }),
      "b/results.json is at time scale 60, a/results.json at time scale 1: merge only the results of one " +
        "rehearsal, each machine driving its own --shards of the same shard map",
    ],
  ])("fails when one part is of %s, with one line naming both files", (_what, change, message) => {
    const { a, b } = halves();
    expect(() =>
      mergeResults([
        { label: "a/results.json", results: a },
        { label: "b/results.json", results: change(b) },
      ]),
    ).toThrow(message);
  });

  it("fails when two parts drove the same shard, naming the shards", () => {
    const common = { shards: 4, seconds: 20, ceiling: 15, perShard: 5 } as const;
    const a = syntheticResults({ ...common, driven: [0, 1, 2] });
    const b = syntheticResults({ ...common, driven: [1, 2, 3] });
    expect(() =>
      mergeResults([
        { label: "a/results.json", results: a },
        { label: "b/results.json", results: b },
      ]),
    ).toThrow(
      "a/results.json and b/results.json both drove shards 1-2: each machine must drive its own --shards, and " +
        "each shard's results are merged once",
    );
  });

  it("refuses a map with other deployments at the same indexes: the fingerprint covers every deployment id", () => {
    const { a } = halves();
    const other = syntheticResults({
      shards: 4,
      seconds: 60,
      ceiling: 15,
      perShard: 10,
      driven: [2, 3],
      map: syntheticMap(4, 10, "redeployed-"),
    });
    expect(() =>
      mergeResults([
        { label: "a", results: a },
        { label: "b", results: other },
      ]),
    ).toThrow(/^b is of gc-dev's shard map [0-9a-f]{16} \(state serial 3\), a of gc-dev's shard map/);
  });
});

function loadResultsBack(results: RehearsalResults): RehearsalResults {
  const dir = scratchDir("merge-");
  writeResults(dir, results);
  return loadResults(dir).results;
}

describe("rehearse report", () => {
  async function report(...argv: string[]) {
    let stdout = "";
    let stderr = "";
    const code = await main(["report", ...argv], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
    });
    return { code, stdout, stderr };
  }

  /** Writes results into `dir/<name>/results.json`; returns the folder. */
  function saved(dir: string, name: string, results: RehearsalResults): string {
    const folder = join(dir, name);
    mkdirSync(folder);
    writeResults(folder, results);
    return folder;
  }

  it("writes the merged results.json and report.html into --out and says what it merged", async () => {
    const dir = scratchDir("report-");
    const { a, b } = halves();
    const out = join(dir, "merged");
    const result = await report(saved(dir, "a", a), join(saved(dir, "b", b), "results.json"), "--out", out);
    expect(result).toEqual({
      code: REPORT_EXIT_CODES.ok,
      stdout:
        "merged 2 results of dev (gc-dev): shards 0-3 from 2 runs; 48 sessions, 45 connected, " +
        `${loadResults(out).results.totals.peakConcurrent} at once, 3 refused, 0 failed\n` +
        `wrote ${join(out, "results.json")} and ${join(out, "report.html")}\n`,
      stderr: "",
    });
    expect(readFileSync(join(out, "report.html"), "utf8")).toContain("<figure");
  });

  it.each([
    [["a"], "rehearse report: required option '--out <dir>' not specified\n"],
    [["--out", "x"], "rehearse report: missing required argument 'results'\n"],
  ])("fails on bad usage %j with one line (exit 2)", async (argv, message) => {
    expect(await report(...argv)).toEqual({ code: REPORT_EXIT_CODES.badInput, stdout: "", stderr: message });
  });

  it("fails with one line when a file is no results, or two drove the same shard (exit 2), writing nothing", async () => {
    const dir = scratchDir("report-");
    const { a } = halves();
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ format: "genesys-rehearsal-results", version: 1 }));
    const out = join(dir, "out");
    const invalid = await report(saved(dir, "a", a), bad, "--out", out);
    expect(invalid.code).toBe(REPORT_EXIT_CODES.badInput);
    expect(invalid.stderr).toMatch(
      new RegExp(`^rehearse report: ${bad}: environment: .*\\(and \\d+ more problems\\)\\n$`),
    );

    const twice = await report(join(dir, "a"), join(dir, "a", "results.json"), "--out", out);
    expect(twice).toEqual({
      code: REPORT_EXIT_CODES.badInput,
      stdout: "",
      stderr:
        `rehearse report: ${join(dir, "a", "results.json")} and ${join(dir, "a", "results.json")} both drove ` +
        "shards 0-1: each machine must drive its own --shards, and each shard's results are merged once\n",
    });
    const over = await report(join(dir, "a"), "--out", join(dir, "a"));
    expect(over.stderr).toBe(
      `rehearse report: --out ${join(dir, "a")} holds ${join(dir, "a", "results.json")}, one of the results to ` +
        "merge: write the merged results elsewhere\n",
    );
    expect(() => readFileSync(join(out, "results.json"))).toThrow();
  });
});

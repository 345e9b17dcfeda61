/**
 * A rehearsal's results as a file (`results.json`, written by `rehearse --out <dir>`): what was run, against which
 * shard map and plan, and per shard a time series at one-second resolution in model time of live sessions,
 * connects, refusals, retries, failures and connect latency, with the run's totals. `SeriesRecorder` keeps the
 * series while the driver runs (it is the driver's `RehearsalRecorder`); `buildResults` joins them with the
 * driver's result and the run's metadata; `parseResults` checks a file with zod on read. Several machines' files
 * of one shard map merge into one (`merge.ts`), and the HTML report draws them (`report-html.ts`).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { CapacityPlan } from "../capacity";
import type { ShardMap } from "../shard-map";
import type { RehearsalRequest } from "./report";
import type { RehearsalRecorder, RehearsalResult, RefusalKind } from "./run";
import { percentile } from "./spread";

/** The file `--out` writes the results to. */
export const RESULTS_FILE = "results.json";
/** The file the report is written to, next to results.json (rehearsal/report-html.ts). */
export const REPORT_FILE = "report.html";
/** What `format` says in every results file. */
export const RESULTS_FORMAT = "genesys-rehearsal-results";
/** The version of the file's shape; a reader refuses another. */
export const RESULTS_VERSION = 1;
/** Model seconds per point of every series. */
export const RESOLUTION_SECONDS = 1;

/** Bad or unusable results input; `problems` holds one readable line each (the message joins them). */
export class ResultsError extends Error {
  readonly problems: readonly string[];

  constructor(problems: string | readonly string[]) {
    const lines = typeof problems === "string" ? [problems] : problems;
    super(lines.join("\n"));
    this.name = "ResultsError";
    this.problems = lines;
  }
}

const count = z.number().int().min(0);
const milliseconds = z.number().min(0);
const counts = z.array(count);
const latencies = z.array(milliseconds.nullable());

/** One shard's series: position t covers the model seconds [t, t + 1) since the results' `startedAt`. */
const seriesSchema = z.object({
  /** The most sessions connected on the shard at once during the second. */
  live: counts,
  /** Sessions that got their SessionResponse during the second. */
  connected: counts,
  /** Sessions the service refused during the second. */
  refused: counts,
  /** New attempts of refused or failed sessions the driver started during the second. */
  retried: counts,
  /** Sessions that failed during the second (timeouts, network errors, lost connections, missing echoes). */
  failed: counts,
  /** Median, 99th percentile and most real milliseconds to connect, of the connects in the second; null if none. */
  connectP50Ms: latencies,
  connectP99Ms: latencies,
  connectMaxMs: latencies,
});

/** What a set of sessions did: one shard's, or all of them. */
const countsSchema = z.object({
  /** Sessions given to them (a shard's include those moved to it from a lost shard). */
  sessions: count,
  connected: count,
  /** Connections open at once, at most. */
  peakConcurrent: count,
  refused: count,
  retried: count,
  failed: count,
  /** Text messages echoed back. */
  echoed: count,
  /** Median and 99th percentile of the real milliseconds from the connect to the SessionResponse. */
  connectP50Ms: milliseconds.nullable(),
  connectP99Ms: milliseconds.nullable(),
});

const shardSchema = countsSchema.extend({
  index: count,
  deploymentId: z.string().min(1),
  /** The plan's sessions for this shard (the shard map's share). */
  plannedSessions: count,
  /** The position in `runs` of the run (the machine) that drove the shard. */
  run: count,
  /** Whether the shard was lost after the ramp (`--lose-shard`). */
  lost: z.boolean(),
  /** Sessions moved here from a lost shard. */
  movedIn: count,
  /** Connect latencies as [whole real milliseconds, sessions], ascending: percentiles of merged shards stay exact. */
  connectLatencyMs: z.array(z.tuple([count, z.number().int().min(1)])),
  series: seriesSchema,
});

const runSchema = z.object({
  /** The machine that drove the run (os.hostname()). */
  host: z.string(),
  /** When the run's first arrival was due (ISO 8601). */
  startedAt: z.iso.datetime({ offset: true }),
  /** Model seconds from the results' `startedAt` to this run's. */
  offsetSeconds: count,
  /** The guest endpoint. */
  url: z.string(),
  /**
   * The whole test as asked for (all machines together): its sessions, its ramp (new sessions per minute, model
   * time) and its hold (model seconds).
   */
  sessions: count,
  rampPerMinute: z.number().positive(),
  holdSeconds: z.number().min(0),
  singleDeployment: z.boolean(),
  loseShard: count.nullable(),
  /** The shard indexes this machine drove, ascending, and the sessions it gave them (its share of the test). */
  drivenShards: z.array(count).min(1),
  drivenSessions: count,
  /** Real milliseconds of the run, and of its connect phase (first arrival to the last session settled). */
  elapsedMs: milliseconds,
  connectPhaseMs: milliseconds,
  /** The first refusal for load: where and at what load (tells a per-deployment from an org-wide ceiling). */
  firstRefusal: z
    .object({ shardIndex: count, shardLive: count, totalLive: count, answer: z.string() })
    .nullable(),
  /** Why the run stopped early, if it did. */
  aborted: z.object({ reason: z.string(), message: z.string() }).nullable(),
});

/** The zod schema of `results.json`, with the rules that span fields. */
export const resultsSchema = z
  .object({
    format: z.literal(RESULTS_FORMAT),
    version: z.literal(RESULTS_VERSION),
    /** The environment and its stack, e.g. "dev" and "gc-dev". */
    environment: z.string().min(1),
    stack: z.string().min(1),
    /** Which shard map the sessions followed. */
    shardMap: z.object({
      /** The file as given to rehearse (of the first run, in merged results). */
      file: z.string(),
      source: z.enum(["state", "plan"]),
      /** Terraform's state serial and lineage the ids came from, when the map came from a state. */
      stateSerial: count.nullable(),
      stateLineage: z.string().nullable(),
      stateModifiedAt: z.string().nullable(),
      readAt: z.string().nullable(),
      /** Shards in the map. */
      shards: count,
      /** sha256 (16 hex digits) of the map's stack, state and every shard's index and deployment id. */
      fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
    }),
    /** The environment's capacity plan: the per-shard ceiling C, the headroom h and u = floor(C × h). */
    plan: z.object({
      ceilingPerShard: z.number().positive(),
      headroom: z.number().positive().max(1),
      usablePerShard: count,
      /** True when no Genesys source documents C (only load tests show it). */
      ceilingOnlyObserved: z.boolean(),
      /** The tenant-wide concurrent-sessions ceiling, when the plan knows one. */
      orgCeiling: z.number().positive().nullable(),
      /** Shards the plan has. */
      shards: count,
    }),
    /** Model time runs this many times faster than real time. */
    timeScale: z.number().positive(),
    resolutionSeconds: z.literal(RESOLUTION_SECONDS),
    /** When the earliest run started (ISO 8601): model second 0 of every series. */
    startedAt: z.iso.datetime({ offset: true }),
    /** Points in every series. */
    seconds: z.number().int().min(1),
    /** One per machine (one for a single run). */
    runs: z.array(runSchema).min(1),
    /** Every shard any run drove, by index. */
    shards: z.array(shardSchema).min(1),
    totals: countsSchema.extend({
      /** Refusals by the service's answer, failures by cause, refusals by what they mean. */
      refusals: z.record(z.string(), count),
      refusalKinds: z.record(z.string(), count),
      failures: z.record(z.string(), count),
      /** The most sessions connected at once on all shards during each second (merged: the runs' sum). */
      series: z.object({ live: counts }),
    }),
  })
  .superRefine((results, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: "custom", path, message });
    const seen = new Map<number, number>();
    results.runs.forEach((run, position) => {
      for (const index of run.drivenShards) {
        if (seen.has(index)) issue(["runs", position, "drivenShards"], `repeats shard ${index}`);
        seen.set(index, position);
      }
    });
    results.shards.forEach((shard, position) => {
      if (seen.get(shard.index) !== shard.run)
        issue(["shards", position, "run"], `is not the run that drove shard ${shard.index}`);
      for (const [name, values] of Object.entries(shard.series)) {
        if (values.length !== results.seconds)
          issue(["shards", position, "series", name], `must have ${results.seconds} points (seconds)`);
      }
    });
    if (results.totals.series.live.length !== results.seconds)
      issue(["totals", "series", "live"], `must have ${results.seconds} points (seconds)`);
    if (seen.size !== results.shards.length) issue(["shards"], "must list every driven shard once");
  });

export type RehearsalResults = z.infer<typeof resultsSchema>;
export type ShardResults = RehearsalResults["shards"][number];
export type ShardSeries = ShardResults["series"];
export type RunResults = RehearsalResults["runs"][number];
export type ResultsTotals = RehearsalResults["totals"];

/** One shard's series while it is being recorded. */
interface Recording {
  live: number;
  readonly series: {
    live: number[];
    connected: number[];
    refused: number[];
    retried: number[];
    failed: number[];
  };
  /** The connect latencies of each second. */
  readonly latencies: number[][];
  readonly histogram: Map<number, number>;
  retried: number;
}

/**
 * Keeps, per shard and for all shards together, one point per model second of live sessions and of each event,
 * from the driver's events (`RehearsalOptions.recorder`), which come in time order. Seconds without an event carry
 * the live count on.
 */
export class SeriesRecorder implements RehearsalRecorder {
  private readonly shards = new Map<number, Recording>();
  private readonly total = { live: 0, series: [] as number[] };

  constructor(shardIndexes: readonly number[] = []) {
    for (const index of shardIndexes) this.recording(index);
  }

  connected(shard: number, modelTimeMs: number, connectLatencyMs: number): void {
    const second = this.at(shard, modelTimeMs);
    const recording = this.recording(shard);
    recording.series.connected[second] += 1;
    recording.live += 1;
    recording.series.live[second] = Math.max(recording.series.live[second], recording.live);
    const latency = Math.max(0, Math.round(connectLatencyMs));
    recording.latencies[second].push(latency);
    recording.histogram.set(latency, (recording.histogram.get(latency) ?? 0) + 1);
    this.total.live += 1;
    this.total.series[second] = Math.max(this.total.series[second], this.total.live);
  }

  closed(shard: number, modelTimeMs: number): void {
    this.at(shard, modelTimeMs);
    this.recording(shard).live -= 1;
    this.total.live -= 1;
  }

  refused(shard: number, modelTimeMs: number, _answer?: string): void {
    this.recording(shard).series.refused[this.at(shard, modelTimeMs)] += 1;
  }

  retried(shard: number, modelTimeMs: number): void {
    const recording = this.recording(shard);
    recording.series.retried[this.at(shard, modelTimeMs)] += 1;
    recording.retried += 1;
  }

  failed(shard: number, modelTimeMs: number, _cause?: string): void {
    this.recording(shard).series.failed[this.at(shard, modelTimeMs)] += 1;
  }

  /** Retries the driver started on a shard. */
  retriesOf(shard: number): number {
    return this.shards.get(shard)?.retried ?? 0;
  }

  /**
   * The series up to the model time `endModelMs` (the run's end), every one with the same number of points.
   * Shards in index order.
   */
  finish(endModelMs: number): {
    readonly seconds: number;
    readonly shards: ReadonlyMap<number, { series: ShardSeries; connectLatencyMs: [number, number][] }>;
    readonly totalLive: number[];
  } {
    const last = Math.max(
      secondOf(endModelMs),
      this.total.series.length - 1,
      ...[...this.shards.values()].map((recording) => recording.series.live.length - 1),
    );
    const shards = new Map<number, { series: ShardSeries; connectLatencyMs: [number, number][] }>();
    for (const index of [...this.shards.keys()].sort((a, b) => a - b)) {
      this.at(index, last * 1000);
      const recording = this.recording(index);
      const stat = (p: number | "max") =>
        recording.latencies.map((values) =>
          values.length === 0 ? null : p === "max" ? most(values) : (percentile(values, p) ?? null),
        );
      shards.set(index, {
        series: {
          ...recording.series,
          connectP50Ms: stat(50),
          connectP99Ms: stat(99),
          connectMaxMs: stat("max"),
        },
        connectLatencyMs: [...recording.histogram.entries()].sort((a, b) => a[0] - b[0]),
      });
    }
    return { seconds: last + 1, shards, totalLive: [...this.total.series] };
  }

  private recording(shard: number): Recording {
    let recording = this.shards.get(shard);
    if (recording === undefined) {
      recording = {
        live: 0,
        series: { live: [], connected: [], refused: [], retried: [], failed: [] },
        latencies: [],
        histogram: new Map(),
        retried: 0,
      };
      this.shards.set(shard, recording);
    }
    return recording;
  }

  /** The second of `modelTimeMs`, with the shard's and the total's series grown to hold it. */
  private at(shard: number, modelTimeMs: number): number {
    const second = secondOf(modelTimeMs);
    const { series, latencies } = this.recording(shard);
    const live = this.recording(shard).live;
    while (series.live.length <= second) {
      series.live.push(live);
      series.connected.push(0);
      series.refused.push(0);
      series.retried.push(0);
      series.failed.push(0);
      latencies.push([]);
    }
    while (this.total.series.length <= second) this.total.series.push(this.total.live);
    return second;
  }
}

/** The largest of `values` (0 for none), without spreading them into arguments: a day's series is 86,400 long. */
export function most(values: readonly number[]): number {
  let largest = 0;
  for (const value of values) if (value > largest) largest = value;
  return largest;
}

function secondOf(modelTimeMs: number): number {
  return Math.max(0, Math.floor(modelTimeMs / (RESOLUTION_SECONDS * 1000)));
}

/** A shard map's fingerprint: its stack, state and every shard's index and deployment id. */
export function shardMapFingerprint(map: ShardMap): string {
  const hash = createHash("sha256");
  hash.update(
    JSON.stringify([map.environment, map.stack, map.stateSerial ?? null, map.stateLineage ?? null]),
  );
  for (const shard of [...map.shards].sort((a, b) => a.index - b.index))
    hash.update(`\n${shard.index}:${shard.deploymentId ?? ""}`);
  return hash.digest("hex").slice(0, 16);
}

/** What `buildResults` joins: the run as asked for and where, the driver's result and the recorded series. */
export type ResultsInput = Pick<
  RehearsalRequest,
  | "environment"
  | "url"
  | "sessions"
  | "rampPerMinute"
  | "holdSeconds"
  | "timeScale"
  | "singleDeployment"
  | "loseShard"
> & {
  readonly shardMapFile: string;
  readonly shardMap: ShardMap;
  readonly plan: CapacityPlan;
  /** The shards given to the driver, with their map shares (index, deployment id, planned sessions). */
  readonly shards: readonly {
    readonly index: number;
    readonly deploymentId: string;
    readonly sessions: number;
  }[];
  /**
   * The indexes of the shards this machine drove, as given to the driver (`RehearsalOptions.only`).
   * @default - every shard in `shards`
   */
  readonly only?: readonly number[];
  readonly host: string;
  /** When the driver started (just before `runRehearsal`). */
  readonly startedAt: Date;
  readonly result: RehearsalResult;
  readonly recorder: SeriesRecorder;
};

/** The results of one run: its metadata, per driven shard the driver's counts and the series, and the totals. */
export function buildResults(input: ResultsInput): RehearsalResults {
  const { result, plan, shardMap } = input;
  const recorded = input.recorder.finish(result.elapsedMs * input.timeScale);
  const byIndex = new Map(result.shards.map((shard) => [shard.index, shard]));
  const empty = emptySeries(recorded.seconds);
  const only = input.only === undefined ? undefined : new Set(input.only);
  const shards: ShardResults[] = input.shards
    .filter((shard) => only === undefined || only.has(shard.index))
    .sort((a, b) => a.index - b.index)
    .map((driven) => {
      const counted = byIndex.get(driven.index);
      const series = recorded.shards.get(driven.index);
      return {
        index: driven.index,
        deploymentId: driven.deploymentId,
        plannedSessions: driven.sessions,
        run: 0,
        sessions: counted?.sessions ?? 0,
        connected: counted?.connected ?? 0,
        peakConcurrent: counted?.peakConcurrent ?? 0,
        refused: counted?.refused ?? 0,
        retried: input.recorder.retriesOf(driven.index),
        failed: counted?.failed ?? 0,
        echoed: counted?.echoed ?? 0,
        connectP50Ms: counted?.connectP50Ms ?? null,
        connectP99Ms: counted?.connectP99Ms ?? null,
        lost: counted?.lost ?? false,
        movedIn: counted?.movedIn ?? 0,
        connectLatencyMs: series?.connectLatencyMs ?? [],
        series: series?.series ?? empty,
      };
    });
  const sessionsCeiling = plan.usage.find((usage) => usage.measure === "sessions-per-shard");
  const startedAt = input.startedAt.toISOString();
  return {
    format: RESULTS_FORMAT,
    version: RESULTS_VERSION,
    environment: input.environment,
    stack: shardMap.stack,
    shardMap: {
      file: input.shardMapFile,
      source: shardMap.source,
      stateSerial: shardMap.stateSerial ?? null,
      stateLineage: shardMap.stateLineage ?? null,
      stateModifiedAt: shardMap.stateModifiedAt ?? null,
      readAt: shardMap.readAt ?? null,
      shards: shardMap.shards.length,
      fingerprint: shardMapFingerprint(shardMap),
    },
    plan: {
      ceilingPerShard: plan.parameters.sessionsPerShard,
      headroom: plan.parameters.headroom,
      usablePerShard: plan.parameters.usableSessionsPerShard,
      ceilingOnlyObserved: sessionsCeiling?.basis.onlyObserved ?? false,
      orgCeiling: plan.parameters.limits.webMessagingSessionsPerOrg ?? null,
      shards: plan.shards,
    },
    timeScale: input.timeScale,
    resolutionSeconds: RESOLUTION_SECONDS,
    startedAt,
    seconds: recorded.seconds,
    runs: [
      {
        host: input.host,
        startedAt,
        offsetSeconds: 0,
        url: input.url,
        sessions: input.sessions,
        rampPerMinute: input.rampPerMinute,
        holdSeconds: input.holdSeconds,
        singleDeployment: input.singleDeployment,
        loseShard: input.loseShard ?? null,
        drivenShards: shards.map((shard) => shard.index),
        drivenSessions: result.totals.sessions,
        elapsedMs: result.elapsedMs,
        connectPhaseMs: result.connectPhaseMs,
        firstRefusal: result.firstRefusal ?? null,
        aborted: result.aborted ?? null,
      },
    ],
    shards,
    totals: {
      ...result.totals,
      connectP50Ms: result.totals.connectP50Ms ?? null,
      connectP99Ms: result.totals.connectP99Ms ?? null,
      retried: shards.reduce((sum, shard) => sum + shard.retried, 0),
      refusals: { ...result.refusals },
      refusalKinds: { ...(result.refusalKinds as Record<RefusalKind, number>) },
      failures: { ...result.failures },
      series: { live: recorded.totalLive },
    },
  };
}

/** Series of `seconds` points with nothing in them. */
export function emptySeries(seconds: number): ShardSeries {
  const zeros = () => new Array<number>(seconds).fill(0);
  const nulls = () => new Array<number | null>(seconds).fill(null);
  return {
    live: zeros(),
    connected: zeros(),
    refused: zeros(),
    retried: zeros(),
    failed: zeros(),
    connectP50Ms: nulls(),
    connectP99Ms: nulls(),
    connectMaxMs: nulls(),
  };
}

/**
 * Checks parsed JSON as rehearsal results; `label` (usually the file path) starts the one line.
 * @throws ResultsError with one line: the first problem, and how many more there are.
 */
export function parseResults(raw: unknown, label: string): RehearsalResults {
  const format = (raw as { format?: unknown } | null)?.format;
  if (typeof raw !== "object" || raw === null || format !== RESULTS_FORMAT) {
    throw new ResultsError(
      `${label}: not the results of a rehearsal (no "format": "${RESULTS_FORMAT}"); rehearse --out <dir> writes them`,
    );
  }
  const result = resultsSchema.safeParse(raw);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const where = first.path.length > 0 ? first.path.join(".") : "the file";
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length === 1 ? "" : "s"})` : "";
  throw new ResultsError(`${label}: ${where}: ${first.message}${more}`);
}

/**
 * Reads results from a folder `rehearse --out` wrote (its results.json) or from the file itself.
 * @throws ResultsError (one line) when it cannot be read, is no JSON or no results.
 */
export function loadResults(path: string): { readonly file: string; readonly results: RehearsalResults } {
  let file = path;
  let text: string;
  try {
    if (statSync(path).isDirectory()) file = join(path, RESULTS_FILE);
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ResultsError(`${file}: cannot read the results (${reason}); rehearse --out <dir> writes them`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ResultsError(`${file}: not JSON (${(error as Error).message})`);
  }
  return { file, results: parseResults(raw, file) };
}

/**
 * Makes the folder results are written to (and its parents) unless it is there; returns it. Results are never
 * overwritten: a real load test's results come from a booked night window, so a second run into the same folder
 * is refused rather than allowed to replace them.
 * @throws ResultsError (one line) when it is a file, cannot be made, or already holds results or a report.
 */
export function prepareOutDir(dir: string): string {
  try {
    mkdirSync(dir, { recursive: true });
    if (statSync(dir).isDirectory()) {
      const held = [RESULTS_FILE, REPORT_FILE].filter((name) => existsSync(join(dir, name)));
      if (held.length > 0) {
        throw new ResultsError(
          `--out ${dir} already holds ${held.join(" and ")} of an earlier run, which are never overwritten: pass a new folder`,
        );
      }
      return dir;
    }
  } catch (error) {
    if (error instanceof ResultsError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EEXIST" && code !== "ENOTDIR")
      throw new ResultsError(`--out ${dir}: cannot make the folder (${(error as Error).message})`);
  }
  throw new ResultsError(`--out must be a folder for ${RESULTS_FILE} and the report, got the file "${dir}"`);
}

/** Writes results.json into `dir` (which exists); returns its path. */
export function writeResults(dir: string, results: RehearsalResults): string {
  const file = join(dir, RESULTS_FILE);
  writeFileSync(file, `${JSON.stringify(results)}\n`);
  return file;
}

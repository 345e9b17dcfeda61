/**
 * Fixtures of the rehearsal results tests: a dev environment file scaled down to a small per-shard ceiling, its
 * shard map with deployments created in an emulator, and synthetic results of any number of shards built through
 * the same recorder and builder `rehearse --out` uses.
 */
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { planShards, type CapacityPlan } from "../../capacity";
import { loadEnvironment } from "../../config/environment";
import { planEnvironment } from "../../config/plan";
import { buildResults, SeriesRecorder, type RehearsalResults } from "../../rehearsal/results";
import type { RehearsalResult, ShardResult } from "../../rehearsal/run";
import { completeShardMap, type ShardMap } from "../../shard-map";
import { GUEST_LIMIT_KEYS } from "../../emulator/guest/limits";
import { startWithClient, type Answer } from "../emulator/helpers";
import { createWebDeployments, guestUrl } from "./fixtures";

/**
 * Writes `dir/dev.yaml`: the committed dev environment with `target` sessions at `ceiling` per shard (headroom
 * 0.8, one spare). Returns its path and its plan.
 */
export function writeScaledDev(
  dir: string,
  target: number,
  ceiling: number,
): { readonly file: string; readonly plan: CapacityPlan } {
  const committed = readFileSync(join(__dirname, "../../environments/dev.yaml"), "utf8");
  const text = committed
    .replace(/^ {2}targetConcurrentSessions: \d+$/m, `  targetConcurrentSessions: ${target}`)
    .replace(/^ {2}sessionsPerShard: \d+$/m, `  sessionsPerShard: ${ceiling}`);
  if (text === committed) throw new Error("dev.yaml: capacity lines not found");
  const file = join(dir, "dev.yaml");
  writeFileSync(file, text);
  return { file, plan: planEnvironment(loadEnvironment(file), file) };
}

/** A deployed shard map of dev for `plan`, as shard-map writes it from a state, with its deployments in the emulator. */
export async function writeDeployedMap(
  dir: string,
  plan: CapacityPlan,
  call: (method: string, path: string, body?: unknown) => Promise<Answer>,
): Promise<{ readonly file: string; readonly map: ShardMap }> {
  const ids = await createWebDeployments(call, plan.shards);
  const map = completeShardMap({
    environment: "dev",
    stack: "gc-dev",
    source: "state",
    stateSerial: 7,
    stateLineage: randomUUID(),
    readAt: new Date().toISOString(),
    shards: plan.perShard.map((share, position) => ({
      index: share.index,
      deploymentId: ids[position],
      queueId: randomUUID(),
      flowId: randomUUID(),
      sessions: share.sessions,
      arrivalsPerMinute: share.arrivalsPerMinute ?? null,
    })),
  });
  const file = join(dir, `shard-map-${randomUUID()}.json`);
  writeFileSync(file, JSON.stringify(map));
  return { file, map };
}

/**
 * A fresh emulator at `timeScale` whose deployments hold 15 sessions each, with dev scaled to 36 sessions at 15 per
 * shard deployed into it (u = 12: 3 shards + 1 spare of 9 sessions each). `args(out)` is a run of it (600 arrivals
 * a minute, a 30 s hold, --json) writing `--out out`; the caller closes the emulator.
 */
export async function deployScaledDev(dir: string, timeScale: number) {
  const { file: environment, plan } = writeScaledDev(dir, 36, 15);
  const { emulator, call } = await startWithClient({ guest: { timeScale } });
  await call("PUT", "/__emulator/limits", {
    "web.messaging": { [GUEST_LIMIT_KEYS.concurrentPerDeployment]: 15 },
  });
  const { file: shardMap } = await writeDeployedMap(dir, plan, call);
  const args = (out: string): string[] => [
    environment,
    "--shard-map",
    shardMap,
    "--url",
    guestUrl(emulator.url),
    "--ramp-per-minute",
    "600",
    "--hold-seconds",
    "30",
    "--time-scale",
    String(timeScale),
    "--json",
    "--out",
    out,
  ];
  return { environment, plan, shardMap, emulator, call, args };
}

/** What synthetic results are made of. */
export interface SyntheticOptions {
  readonly shards: number;
  /** Model seconds of the run. */
  readonly seconds: number;
  /** Per-shard ceiling of the plan (headroom 0.8). */
  readonly ceiling: number;
  /** Sessions per shard; shard 0 gets `overload` more, refused beyond the ceiling. */
  readonly perShard: number;
  readonly overload?: number;
  /** Which shards of the map this run drives. @default all */
  readonly driven?: readonly number[];
  readonly map?: ShardMap;
  readonly host?: string;
  readonly startedAt?: Date;
  /** Put into the environment and the first deployment id, to test escaping. */
  readonly deploymentPrefix?: string;
}

/** A shard map of `count` shards of dev, from a state. */
export function syntheticMap(count: number, sessions: number, deploymentPrefix = "dep-"): ShardMap {
  return completeShardMap({
    environment: "dev",
    stack: "gc-dev",
    source: "state",
    stateSerial: 3,
    stateLineage: "0b7c1a2e-lineage",
    shards: Array.from({ length: count }, (_, index) => ({
      index,
      deploymentId: `${deploymentPrefix}${index}`,
      queueId: `queue-${index}`,
      flowId: `flow-${index}`,
      sessions,
      arrivalsPerMinute: 10,
    })),
  });
}

/**
 * Results as `rehearse --out` builds them, from events fed to a SeriesRecorder: each driven shard ramps its
 * sessions over the first half of the run, holds and closes at the end; shard 0's overload is refused at the
 * ceiling.
 */
export function syntheticResults(options: SyntheticOptions): RehearsalResults {
  const overload = options.overload ?? 0;
  const map = options.map ?? syntheticMap(options.shards, options.perShard, options.deploymentPrefix);
  const driven = map.shards
    .filter((shard) => options.driven === undefined || options.driven.includes(shard.index))
    .map((shard) => ({
      index: shard.index,
      deploymentId: shard.deploymentId ?? "",
      sessions: shard.sessions,
    }));
  const plan = planShards({
    targetSessions: options.shards * Math.floor(options.ceiling * 0.8),
    sessionsPerShard: options.ceiling,
    headroom: 0.8,
    spares: 0,
  });
  const recorder = new SeriesRecorder(driven.map((shard) => shard.index));
  const endMs = options.seconds * 1000 - 1;
  const rampMs = endMs / 2;
  const shardResults: ShardResult[] = [];
  // The driver reports events in time order, across shards.
  const events: { at: number; tell: () => void }[] = [];
  for (const shard of driven) {
    const sessions = options.perShard + (shard.index === 0 ? overload : 0);
    const connected = Math.min(sessions, options.ceiling);
    for (let k = 0; k < sessions; k += 1) {
      const at = ((k + 0.5) / sessions) * rampMs;
      events.push({
        at,
        tell: () =>
          k < connected
            ? recorder.connected(shard.index, at, 2 + (k % 5))
            : recorder.refused(shard.index, at, "503 Max concurrent connections exceeded for tenant"),
      });
    }
    for (let k = 0; k < connected; k += 1)
      events.push({ at: endMs, tell: () => recorder.closed(shard.index, endMs) });
    // Built apart and cast: the driver's result types grow (retries), and the fixture gives what buildResults reads.
    shardResults.push({
      index: shard.index,
      deploymentId: shard.deploymentId,
      sessions,
      connected,
      peakConcurrent: connected,
      refused: sessions - connected,
      failed: 0,
      echoed: connected,
      connectP50Ms: connected > 0 ? 4 : undefined,
      connectP99Ms: connected > 0 ? 6 : undefined,
      lost: false,
      movedIn: 0,
      retried: 0,
    } as ShardResult);
  }
  for (const event of events.sort((a, b) => a.at - b.at)) event.tell();
  const sum = (field: "sessions" | "connected" | "refused" | "echoed") =>
    shardResults.reduce((total, shard) => total + shard[field], 0);
  const refused = sum("refused");
  const result = {
    url: "ws://127.0.0.1:8089/v1",
    shards: shardResults,
    totals: {
      sessions: sum("sessions"),
      connected: sum("connected"),
      peakConcurrent: sum("connected"),
      refused,
      failed: 0,
      echoed: sum("echoed"),
      retried: 0,
      connectP50Ms: 4,
      connectP99Ms: 6,
    },
    started: sum("sessions"),
    retries: {},
    refusals: refused > 0 ? { "503 Max concurrent connections exceeded for tenant": refused } : {},
    refusalKinds: { ceiling: refused, rate: 0, unknownDeployment: 0, other: 0 },
    failures: {},
    firstRefusal:
      refused > 0
        ? {
            shardIndex: 0,
            shardLive: options.ceiling,
            totalLive: options.ceiling,
            answer: "503 Max concurrent connections exceeded for tenant",
          }
        : undefined,
    connectPhaseMs: 1000,
    elapsedMs: endMs,
  } as RehearsalResult;
  return buildResults({
    environment: map.environment,
    shardMapFile: "shard-map.json",
    shardMap: map,
    plan,
    shards: map.shards.map((shard) => ({
      index: shard.index,
      deploymentId: shard.deploymentId ?? "",
      sessions: shard.sessions,
    })),
    only: options.driven,
    host: options.host ?? "test-host",
    startedAt: options.startedAt ?? new Date("2025-01-01T10:00:00.000Z"),
    url: result.url,
    sessions: sum("sessions"),
    rampPerMinute: 600,
    holdSeconds: 30,
    timeScale: 1,
    singleDeployment: false,
    loseShard: undefined,
    result,
    recorder,
  });
}

/**
 * The load driver of a rehearsal: opens guest sessions against a Web Messaging guest endpoint (the emulator's
 * `ws://127.0.0.1:<port>/v1`) along a shard map, ramps them at the given arrival rate, sends one text message
 * per session, holds, and closes every connection. It counts, per shard, sessions, peak concurrent
 * connections, refusals (the service answered no: an HTTP error at the upgrade or an error frame to
 * configureSession) and failures (timeouts, network errors, missing echoes, unexpected closes).
 *
 * Bounded: at most `maxPendingConnects` handshakes at once, every session settles within `connectTimeoutMs`,
 * and the whole run stops at a deadline derived from the ramp and the hold.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import { readRefusal, unreachableMessage } from "./probe";
import { arrivalOrder, percentile, spreadByWeight } from "./spread";

/** One shard to drive: where to connect and its planned share (a weight). */
export interface RehearsalShard {
  readonly index: number;
  readonly deploymentId: string;
  /** The plan's sessions for this shard; sessions are spread in proportion. */
  readonly plannedSessions: number;
}

export interface RehearsalOptions {
  /** The guest endpoint, e.g. "ws://127.0.0.1:8089/v1". */
  readonly url: string;
  readonly shards: readonly RehearsalShard[];
  /** Sessions to open in all. */
  readonly sessions: number;
  /** New sessions per minute (model time) across all shards. */
  readonly rampPerMinute: number;
  /** How long every session stays connected after the ramp, in model seconds. */
  readonly holdSeconds: number;
  /** Model time runs this many times faster than real time. @default 1 */
  readonly timeScale?: number;
  /** Every session on the first shard, as the load tests that hit the wall did. @default false */
  readonly singleDeployment?: boolean;
  /** Drop this shard's connections after the ramp and re-open its sessions on the other shards. @default - none */
  readonly loseShard?: number;
  /** Real milliseconds a session has to get its SessionResponse (and its echo). @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Handshakes in flight at most; arrivals wait beyond it. @default 256 */
  readonly maxPendingConnects?: number;
  /** Called every `progressIntervalMs` while running. @default - no progress */
  readonly onProgress?: (progress: RehearsalProgress) => void;
  /** @default 1000 */
  readonly progressIntervalMs?: number;
  /**
   * Told of every session's events as they happen, e.g. to keep time series (`rehearsal/results.ts`).
   * @default - none
   */
  readonly recorder?: RehearsalRecorder;
}

/**
 * Observes a rehearsal event by event. Every method gets the shard's index (`RehearsalShard.index`) and the model
 * time of the event: milliseconds since the run started, times the time scale (a minute of model time passes in a
 * second at time scale 60). Methods are called synchronously from the driver's event handlers and must not throw.
 */
export interface RehearsalRecorder {
  /** A session got its SessionResponse, `connectLatencyMs` real milliseconds after its connect started. */
  connected(shard: number, modelTimeMs: number, connectLatencyMs: number): void;
  /** A connected session's connection closed, by either side (a lost shard's and the final close included). */
  closed(shard: number, modelTimeMs: number): void;
  /** The service refused a session: `answer` is "<status> <text>", as `RehearsalResult.refusals` counts it. */
  refused(shard: number, modelTimeMs: number, answer: string): void;
  /** The driver tries a refused or failed session again (after its backoff), once per new attempt. */
  retried(shard: number, modelTimeMs: number): void;
  /** A session failed: timeout, network error, lost connection or no echo; `cause` as `RehearsalResult.failures`. */
  failed(shard: number, modelTimeMs: number, cause: string): void;
}

export type RehearsalPhase = "ramp" | "failover" | "hold" | "close";

export interface RehearsalProgress {
  readonly phase: RehearsalPhase;
  readonly elapsedMs: number;
  readonly started: number;
  readonly planned: number;
  readonly live: number;
  readonly refused: number;
  readonly failed: number;
}

/** What happened to a set of sessions: one shard's, or all of them. */
export interface SessionCounts {
  /** Sessions given (a shard's include those moved to it from a lost shard). */
  readonly sessions: number;
  /** Sessions that got their SessionResponse. */
  readonly connected: number;
  /** Connections open at once, at most. */
  readonly peakConcurrent: number;
  /** Sessions the service refused (HTTP error at the upgrade, or an error frame to configureSession). */
  readonly refused: number;
  /** Sessions that timed out, met a network error, lost their connection or got no echo. */
  readonly failed: number;
  /** Text messages echoed back. */
  readonly echoed: number;
  /** Median real milliseconds from the connect to the SessionResponse. */
  readonly connectP50Ms: number | undefined;
  readonly connectP99Ms: number | undefined;
}

export interface ShardResult extends SessionCounts {
  readonly index: number;
  readonly deploymentId: string;
  /** Whether this shard was lost after the ramp (`loseShard`). */
  readonly lost: boolean;
  /** Sessions moved here from the lost shard. */
  readonly movedIn: number;
}

/**
 * What a refusal means.
 * - `ceiling`: a concurrent-connection ceiling (503), per deployment or tenant-wide;
 * - `rate`: the per-deployment connection rate (429);
 * - `unknownDeployment`: the endpoint does not know the deployment (403 or 404 at the upgrade, or "Deployment not
 *   found" to configureSession): the shard map does not match what is deployed, which is no capacity problem;
 * - `other`: any other answer.
 */
export type RefusalKind = "ceiling" | "rate" | "unknownDeployment" | "other";

/** The kind of a refusal, from the answer as the result records it ("<status> <text>"). */
export function refusalKind(answer: string): RefusalKind {
  const status = Number(answer.split(" ", 1)[0]);
  if (status === 403 || status === 404 || /deployment not found/i.test(answer)) return "unknownDeployment";
  if (status === 503) return "ceiling";
  if (status === 429) return "rate";
  return "other";
}

/**
 * The first refusal for load (not for an unknown deployment): where and at what load it happened, which tells a
 * per-deployment from an org-wide ceiling.
 */
export interface FirstRefusal {
  readonly shardIndex: number;
  /**
   * Connections open on that shard when it was refused, counted as the service counts them: from the accepted
   * upgrade (not the later SessionResponse) until the socket closes.
   */
  readonly shardLive: number;
  /** Connections open on all shards when it was refused, counted the same way. */
  readonly totalLive: number;
  readonly answer: string;
}

export interface RehearsalResult {
  readonly url: string;
  readonly shards: readonly ShardResult[];
  readonly totals: SessionCounts;
  /** Refusals by the service's answer, e.g. {"503 Max concurrent connections exceeded for tenant": 12}. */
  readonly refusals: Record<string, number>;
  /** Refusals by what they mean: load (ceiling, rate), an unknown deployment, or other. */
  readonly refusalKinds: Record<RefusalKind, number>;
  /** Failures by cause, e.g. {"timeout": 1}. */
  readonly failures: Record<string, number>;
  readonly firstRefusal: FirstRefusal | undefined;
  /** Real milliseconds from the first arrival to the last session settled (connected, refused or failed). */
  readonly connectPhaseMs: number;
  /** Real milliseconds of the whole run. */
  readonly elapsedMs: number;
  /** Why the run stopped early, if it did. */
  readonly aborted?: { readonly reason: "unreachable" | "deadline"; readonly message: string };
}

interface ShardState {
  readonly shard: RehearsalShard;
  sessions: number;
  connected: number;
  live: number;
  /** Connections the service admitted (an accepted upgrade) and not yet closed. */
  admitted: number;
  peak: number;
  refused: number;
  failed: number;
  echoed: number;
  lost: boolean;
  movedIn: number;
  readonly latencies: number[];
  readonly open: Set<Session>;
}

interface Session {
  readonly state: ShardState;
  readonly socket: WebSocket;
  readonly token: string;
  readonly messageTracingId: string;
  settled: boolean;
  /** The upgrade was accepted: the service holds a connection for it. */
  admitted: boolean;
  connected: boolean;
  echoed: boolean;
  closingByUs: boolean;
  timer?: NodeJS.Timeout;
}

const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
const CLOSE_GRACE_MS = 5000;

/** Runs one rehearsal. Never rejects for what the service answers; the result says what happened. */
export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalResult> {
  const timeScale = options.timeScale ?? 1;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxPending = options.maxPendingConnects ?? 256;
  if (options.shards.length === 0) throw new Error("runRehearsal: no shards");
  const shards: ShardState[] = options.shards.map((shard) => ({
    shard,
    sessions: 0,
    connected: 0,
    live: 0,
    admitted: 0,
    peak: 0,
    refused: 0,
    failed: 0,
    echoed: 0,
    lost: false,
    movedIn: 0,
    latencies: [],
    open: new Set(),
  }));
  const counts = options.singleDeployment
    ? shards.map((_, position) => (position === 0 ? options.sessions : 0))
    : spreadByWeight(
        options.sessions,
        options.shards.map((shard) => shard.plannedSessions),
      );
  counts.forEach((count, position) => (shards[position].sessions = count));

  const started = Date.now();
  const recorder = options.recorder;
  const modelNow = () => (Date.now() - started) * timeScale;
  const refusals: Record<string, number> = {};
  const refusalKinds: Record<RefusalKind, number> = { ceiling: 0, rate: 0, unknownDeployment: 0, other: 0 };
  const failures: Record<string, number> = {};
  let firstRefusal: FirstRefusal | undefined;
  let totalLive = 0;
  let totalAdmitted = 0;
  let totalPeak = 0;
  let pending = 0;
  let startedCount = 0;
  let plannedCount = options.sessions;
  let anyAnswer = false;
  let aborted: RehearsalResult["aborted"];
  let phase: RehearsalPhase = "ramp";
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiter = wake;
    wake = undefined;
    waiter?.();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const rampMs = (options.sessions / options.rampPerMinute) * (60_000 / timeScale);
  const holdMs = (options.holdSeconds * 1000) / timeScale;
  const deadline = started + rampMs + holdMs + 4 * connectTimeoutMs + 2 * CLOSE_GRACE_MS + 10_000;
  const pastDeadline = () => {
    if (Date.now() <= deadline || aborted) return aborted !== undefined;
    aborted = {
      reason: "deadline",
      message: `the rehearsal ran past its deadline (${Math.round((deadline - started) / 1000)} s) and was stopped`,
    };
    return true;
  };

  const progress = options.onProgress
    ? setInterval(
        () =>
          options.onProgress?.({
            phase,
            elapsedMs: Date.now() - started,
            started: startedCount,
            planned: plannedCount,
            live: totalLive,
            refused: sum(shards, "refused"),
            failed: sum(shards, "failed"),
          }),
        options.progressIntervalMs ?? 1000,
      )
    : undefined;
  progress?.unref();

  function settle(session: Session): boolean {
    if (session.settled) return false;
    session.settled = true;
    clearTimeout(session.timer);
    pending -= 1;
    notify();
    return true;
  }

  /** A session the service refused before it connected. */
  function refuse(session: Session, answer: string): void {
    if (!settle(session)) return;
    anyAnswer = true;
    session.state.refused += 1;
    recorder?.refused(session.state.shard.index, modelNow(), answer);
    refusals[answer] = (refusals[answer] ?? 0) + 1;
    const kind = refusalKind(answer);
    refusalKinds[kind] += 1;
    if (kind !== "unknownDeployment") {
      firstRefusal ??= {
        shardIndex: session.state.shard.index,
        shardLive: session.state.admitted,
        totalLive: totalAdmitted,
        answer,
      };
    }
    discard(session);
  }

  /** A session that failed before it connected (timeout, network error, early close). */
  function fail(session: Session, cause: string): void {
    if (!settle(session)) return;
    countFailure(session, cause);
    if (NETWORK_ERRORS.has(cause) && !anyAnswer && !aborted) {
      aborted = { reason: "unreachable", message: unreachableMessage(options.url, cause) };
    }
    discard(session);
  }

  function countFailure(session: Session, cause: string): void {
    session.state.failed += 1;
    recorder?.failed(session.state.shard.index, modelNow(), cause);
    failures[cause] = (failures[cause] ?? 0) + 1;
  }

  /** Forgets a session that never connected and drops its socket. */
  function discard(session: Session): void {
    session.closingByUs = true;
    session.state.open.delete(session);
    session.socket.terminate();
  }

  function startSession(state: ShardState): void {
    startedCount += 1;
    pending += 1;
    const connectStart = Date.now();
    const url = `${options.url}?deploymentId=${encodeURIComponent(state.shard.deploymentId)}`;
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: connectTimeoutMs });
    const session: Session = {
      state,
      socket,
      token: randomUUID(),
      messageTracingId: randomUUID(),
      settled: false,
      admitted: false,
      connected: false,
      echoed: false,
      closingByUs: false,
    };
    state.open.add(session);
    session.timer = setTimeout(() => fail(session, "timeout"), connectTimeoutMs);
    socket.on("unexpected-response", (_request, response: IncomingMessage) => {
      readRefusal(response, (status, text) => refuse(session, `${status} ${text}`));
    });
    socket.on("open", () => {
      // The service counts the connection from here (the emulator at the upgrade), before the SessionResponse.
      session.admitted = true;
      state.admitted += 1;
      totalAdmitted += 1;
      socket.send(
        JSON.stringify({
          action: "configureSession",
          deploymentId: state.shard.deploymentId,
          token: session.token,
          startNew: false,
          tracingId: randomUUID(),
        }),
      );
    });
    socket.on("message", (data) => {
      let frame: { type?: string; class?: string; code?: number; body?: unknown; tracingId?: string };
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!session.connected) {
        if (frame.class === "SessionResponse" && (frame.body as { connected?: boolean })?.connected) {
          onConnected(session, Date.now() - connectStart);
        } else if (frame.class === "ConnectionClosedEvent" || (frame.code ?? 200) >= 400) {
          refuse(
            session,
            `${frame.code ?? 200} ${frame.class === "string" ? String(frame.body) : frame.class}`,
          );
        }
        return;
      }
      if (frame.class === "StructuredMessage" && frame.tracingId === session.messageTracingId) {
        session.echoed = true;
        state.echoed += 1;
      }
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (!session.settled) fail(session, error.code ?? error.message);
    });
    socket.on("close", () => {
      state.open.delete(session);
      if (session.admitted) {
        state.admitted -= 1;
        totalAdmitted -= 1;
      }
      if (session.connected) {
        state.live -= 1;
        totalLive -= 1;
        recorder?.closed(state.shard.index, modelNow());
        if (!session.closingByUs) countFailure(session, "closed by the server");
      } else if (!session.settled) {
        fail(session, "closed before SessionResponse");
      }
      notify();
    });
  }

  function onConnected(session: Session, latencyMs: number): void {
    if (!settle(session)) return;
    anyAnswer = true;
    const { state } = session;
    session.connected = true;
    state.connected += 1;
    state.latencies.push(latencyMs);
    recorder?.connected(state.shard.index, modelNow(), latencyMs);
    state.live += 1;
    state.peak = Math.max(state.peak, state.live);
    totalLive += 1;
    totalPeak = Math.max(totalPeak, totalLive);
    session.socket.send(
      JSON.stringify({
        action: "onMessage",
        token: session.token,
        tracingId: session.messageTracingId,
        message: { type: "Text", text: `rehearsal message from shard ${state.shard.index}` },
      }),
    );
  }

  /** Starts the arrivals of `order` (positions in `shards`), `intervalMs` apart, and waits until all settle. */
  async function drive(order: readonly number[], intervalMs: number): Promise<void> {
    const phaseStart = Date.now();
    let next = 0;
    while ((next < order.length || pending > 0) && !pastDeadline()) {
      if (aborted) break;
      const now = Date.now();
      while (next < order.length && pending < maxPending && phaseStart + next * intervalMs <= now) {
        startSession(shards[order[next]]);
        next += 1;
      }
      const untilNext =
        next < order.length && pending < maxPending ? phaseStart + next * intervalMs - Date.now() : 50;
      await sleep(Math.max(1, Math.min(50, untilNext)));
    }
  }

  const order = arrivalOrder(counts);
  await drive(order, 60_000 / (options.rampPerMinute * timeScale));
  const connectPhaseMs = Date.now() - started;

  if (options.loseShard !== undefined && !aborted) {
    phase = "failover";
    const lost = shards.find((state) => state.shard.index === options.loseShard);
    if (lost) {
      lost.lost = true;
      const dropped = [...lost.open].filter((session) => session.connected);
      for (const session of dropped) {
        session.closingByUs = true;
        session.socket.terminate();
      }
      const survivors = shards.filter((state) => state !== lost);
      const moved = spreadByWeight(
        dropped.length,
        survivors.map((state) => (options.singleDeployment ? 1 : state.shard.plannedSessions)),
      );
      moved.forEach((count, position) => {
        survivors[position].sessions += count;
        survivors[position].movedIn += count;
      });
      plannedCount += dropped.length;
      const positions = survivors.map((state) => shards.indexOf(state));
      // The dropped guests reconnect at once, as a page reload or an SDK retry does.
      await drive(
        arrivalOrder(moved).map((position) => positions[position]),
        0,
      );
    }
  }

  if (!aborted) {
    phase = "hold";
    const holdEnd = Date.now() + holdMs;
    while (Date.now() < holdEnd && !pastDeadline()) await sleep(Math.min(250, holdEnd - Date.now()));
  }

  // Every connected session gets its echo before the close (bounded like a connect).
  const echoEnd = Date.now() + connectTimeoutMs;
  const awaitingEcho = () =>
    shards.some((state) => [...state.open].some((session) => session.connected && !session.echoed));
  while (!aborted && awaitingEcho() && Date.now() < echoEnd) await sleep(20);

  phase = "close";
  for (const state of shards) {
    for (const session of state.open) {
      if (!session.settled) fail(session, "stopped before it connected");
      if (session.connected && !session.echoed) countFailure(session, "no echo of the message");
      session.closingByUs = true;
      if (session.socket.readyState === WebSocket.OPEN) session.socket.close(1000);
      else session.socket.terminate();
    }
  }
  const closeEnd = Date.now() + CLOSE_GRACE_MS;
  while (shards.some((state) => state.open.size > 0) && Date.now() < closeEnd) await sleep(20);
  for (const state of shards) for (const session of state.open) session.socket.terminate();
  if (progress) clearInterval(progress);

  const shardResults: ShardResult[] = shards
    .filter((state) => state.sessions > 0 || state.lost)
    .map((state) => ({
      index: state.shard.index,
      deploymentId: state.shard.deploymentId,
      sessions: state.sessions,
      connected: state.connected,
      peakConcurrent: state.peak,
      refused: state.refused,
      failed: state.failed,
      echoed: state.echoed,
      connectP50Ms: percentile(state.latencies, 50),
      connectP99Ms: percentile(state.latencies, 99),
      lost: state.lost,
      movedIn: state.movedIn,
    }));
  const allLatencies = shards.flatMap((state) => state.latencies);
  return {
    url: options.url,
    shards: shardResults,
    totals: {
      // Guests, not connections: a lost shard's sessions re-opened elsewhere count once, where they ended.
      sessions: options.sessions,
      connected: sum(
        shards.filter((state) => !state.lost),
        "connected",
      ),
      peakConcurrent: totalPeak,
      refused: sum(shards, "refused"),
      failed: sum(shards, "failed"),
      echoed: sum(shards, "echoed"),
      connectP50Ms: percentile(allLatencies, 50),
      connectP99Ms: percentile(allLatencies, 99),
    },
    refusals,
    refusalKinds,
    failures,
    firstRefusal,
    connectPhaseMs,
    elapsedMs: Date.now() - started,
    ...(aborted ? { aborted } : {}),
  };
}

function sum(shards: readonly ShardState[], field: "connected" | "refused" | "failed" | "echoed"): number {
  return shards.reduce((total, state) => total + state[field], 0);
}

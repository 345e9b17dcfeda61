/**
 * The load driver of a rehearsal: opens guest sessions against a Web Messaging guest endpoint (the emulator's
 * `ws://127.0.0.1:<port>/v1`, or an org's `wss://webmessaging.<region domain>/v1` once a load test is approved)
 * along a shard map, ramps them at the given arrival rate, sends text messages, holds, and closes every
 * connection. It counts, per shard, sessions, peak concurrent connections, retries, refusals (the service answered
 * no: an HTTP error at the upgrade or an error frame to configureSession, and retrying did not help) and failures
 * (timeouts, network errors, missing echoes, unexpected closes).
 *
 * Within the service's limits: new connections are paced per deployment (`connectionsPerDeploymentPerMinute`), each
 * session's messages per session (`messagesPerSessionPerSecond`), and a 429 or 503 is retried with capped
 * exponential backoff and full jitter, honouring the service's `Retry-After` / `retryAfter`, until the session
 * has waited `backoff.budgetMs` (model time) in all; past that it counts as refused (rehearsal/backoff.ts).
 *
 * Bounded: at most `maxPendingConnects` handshakes at once, every attempt settles within `connectTimeoutMs`, and
 * the whole run stops at a deadline derived from the ramp, the pacing, the retry budget and the hold. An abort
 * (`signal`, Ctrl-C in the CLI) stops the ramp, closes every session and returns what happened so far.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import WebSocket from "ws";
import {
  DEFAULT_BACKOFF,
  isRetryable,
  nextRetryDelayMs,
  parseRetryAfterHeader,
  retryAfterOfFrame,
  type BackoffPolicy,
} from "./backoff";
import { webSocketConnector, type Connector } from "./connect";
import { SlidingWindowPacer, pacingWindowMs } from "./pacing";
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
  /** Every shard of the map (with `only`, the ones this run drives are picked from them). */
  readonly shards: readonly RehearsalShard[];
  /** Sessions of the whole test, spread over `shards` by their planned share. */
  readonly sessions: number;
  /** New sessions per minute (model time) of the whole test, across all shards. */
  readonly rampPerMinute: number;
  /** How long every session stays connected after the ramp, in model seconds. */
  readonly holdSeconds: number;
  /** Model time runs this many times faster than real time. @default 1 */
  readonly timeScale?: number;
  /** Every session on the first shard, as the load tests that hit the wall did. @default false */
  readonly singleDeployment?: boolean;
  /**
   * Drive only the shards with these indexes: each gets the sessions and the ramp it has in the whole test, so
   * machines driving disjoint sets together run it once.
   * @default - every shard
   */
  readonly only?: readonly number[];
  /** Drop this shard's connections after the ramp and re-open its sessions on the other shards. @default - none */
  readonly loseShard?: number;
  /** Text messages each session sends once connected. @default 1 */
  readonly messages?: number;
  /**
   * New connections (retries included) one deployment is sent per model minute at most
   * (`connections.rate.per.minute`).
   * @default - not paced
   */
  readonly connectionsPerDeploymentPerMinute?: number;
  /**
   * Connections opened to deployments just before the run (the probe's), at real times `at` (`now()`'s clock):
   * they count against `connectionsPerDeploymentPerMinute` as the service counts them.
   * @default - none
   */
  readonly priorConnections?: readonly { readonly deploymentId: string; readonly at: number }[];
  /** Messages one session sends per model second at most (`messages.per.session.rate.per.second`). @default - not paced */
  readonly messagesPerSessionPerSecond?: number;
  /** How 429 and 503 are retried, in model milliseconds. @default DEFAULT_BACKOFF (up to 60 s of waiting) */
  readonly backoff?: Partial<BackoffPolicy>;
  /** The `Origin` header of every connection. @default - none */
  readonly origin?: string;
  /** Opens each connection. @default webSocketConnector() */
  readonly connect?: Connector;
  /** Aborting it stops the run: every session is closed and the result says `interrupted`. @default - none */
  readonly signal?: AbortSignal;
  /** The jitter's random source, in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** The real clock, in milliseconds. @default Date.now */
  readonly now?: () => number;
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
  /** Sessions the service refused (HTTP error at the upgrade, or an error frame to configureSession), retries spent. */
  readonly refused: number;
  /** Retries after a 429 or 503 (a new connection, a configureSession or a message sent again). */
  readonly retried: number;
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
 * - `rate`: the per-deployment connection rate, or another rate (429);
 * - `unknownDeployment`: the endpoint does not know the deployment or does not let this guest in (403 or 404 at the
 *   upgrade, or "Deployment not found" to configureSession): the shard map does not match what is deployed, or
 *   the deployment does not allow the Origin sent; no capacity problem either way;
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
 * per-deployment from an org-wide ceiling. It is the service's first "no", whether or not a retry later got in.
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
  /** Sessions begun (arrived) before the run ended; less than `totals.sessions` when it was stopped early. */
  readonly started: number;
  /** Refusals by the service's answer, e.g. {"503 Max concurrent connections exceeded for tenant": 12}. */
  readonly refusals: Record<string, number>;
  /** Refusals by what they mean: load (ceiling, rate), an unknown deployment, or other. */
  readonly refusalKinds: Record<RefusalKind, number>;
  /** Retries by the answer that caused them. */
  readonly retries: Record<string, number>;
  /** Failures by cause, e.g. {"timeout": 1}. */
  readonly failures: Record<string, number>;
  readonly firstRefusal: FirstRefusal | undefined;
  /** Real milliseconds from the first arrival to the last session settled (connected, refused or failed). */
  readonly connectPhaseMs: number;
  /** Real milliseconds of the whole run. */
  readonly elapsedMs: number;
  /** Why the run stopped early, if it did. */
  readonly aborted?: {
    readonly reason: "unreachable" | "deadline" | "interrupted";
    readonly message: string;
  };
}

/** A first-in, first-out queue that does not copy on every take. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
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
  retried: number;
  failed: number;
  echoed: number;
  lost: boolean;
  movedIn: number;
  readonly latencies: number[];
  /** Sessions with a socket (connecting or connected). */
  readonly open: Set<Session>;
  /** Sessions waiting for a handshake slot or their deployment's pace. */
  readonly ready: Fifo<Session>;
}

type MessageState = "pending" | "echoed" | "refused";

interface Session {
  readonly state: ShardState;
  readonly token: string;
  /** The current attempt's socket. */
  socket?: WebSocket;
  /** Real time the current attempt started (connect latency is measured from it). */
  attemptStartedAt: number;
  settled: boolean;
  /** The current attempt holds a handshake slot. */
  inFlight: boolean;
  connected: boolean;
  closingByUs: boolean;
  /** Waiting out a backoff before its next attempt, without a socket. */
  backingOff: boolean;
  /** Waiting out a backoff before sending configureSession again on its open socket. */
  reconfiguring: boolean;
  attempts: number;
  waitedMs: number;
  /** The answer the next attempt retries. */
  retrying?: string;
  /** A timer waits for the session's message pace. */
  pacing: boolean;
  /** The connect timeout of the current attempt. */
  timer?: NodeJS.Timeout;
  /** Backoff and pacing timers. */
  readonly timers: Set<NodeJS.Timeout>;
  /** Each message by its tracingId. */
  readonly messages: Map<string, MessageState>;
  /** Messages to send (again), in order. */
  readonly outbox: string[];
}

const NETWORK_ERRORS = new Set(["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
const CLOSE_GRACE_MS = 5000;

/** Runs one rehearsal. Never rejects for what the service answers; the result says what happened. */
export async function runRehearsal(options: RehearsalOptions): Promise<RehearsalResult> {
  const timeScale = options.timeScale ?? 1;
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const maxPending = options.maxPendingConnects ?? 256;
  const messagesPerSession = options.messages ?? 1;
  const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
  const connect = options.connect ?? webSocketConnector();
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  if (options.shards.length === 0) throw new Error("runRehearsal: no shards");
  if (options.singleDeployment && options.only !== undefined) {
    throw new Error("runRehearsal: singleDeployment and only do not go together");
  }
  const shards: ShardState[] = options.shards.map((shard) => ({
    shard,
    sessions: 0,
    connected: 0,
    live: 0,
    admitted: 0,
    peak: 0,
    refused: 0,
    retried: 0,
    failed: 0,
    echoed: 0,
    lost: false,
    movedIn: 0,
    latencies: [],
    open: new Set(),
    ready: new Fifo(),
  }));
  const driven = options.only === undefined ? undefined : new Set(options.only);
  const counts = (
    options.singleDeployment
      ? shards.map((_, position) => (position === 0 ? options.sessions : 0))
      : spreadByWeight(
          options.sessions,
          options.shards.map((shard) => shard.plannedSessions),
        )
  ).map((count, position) => (driven && !driven.has(shards[position].shard.index) ? 0 : count));
  counts.forEach((count, position) => (shards[position].sessions = count));
  /** This run's share of the whole test: all of it, or the driven shards' sessions. */
  const sessions = counts.reduce((total, count) => total + count, 0);
  const rampPerMinute = options.rampPerMinute * (options.sessions > 0 ? sessions / options.sessions : 1);

  const started = now();
  const recorder = options.recorder;
  const modelNow = () => (now() - started) * timeScale;
  const connectionPacer =
    options.connectionsPerDeploymentPerMinute === undefined
      ? undefined
      : new SlidingWindowPacer(
          options.connectionsPerDeploymentPerMinute,
          pacingWindowMs(60_000, timeScale),
          modelNow,
        );
  for (const prior of connectionPacer ? (options.priorConnections ?? []) : [])
    connectionPacer?.takeAt(prior.deploymentId, (prior.at - started) * timeScale);
  const messagePacer =
    options.messagesPerSessionPerSecond === undefined
      ? undefined
      : new SlidingWindowPacer(
          options.messagesPerSessionPerSecond,
          pacingWindowMs(1000, timeScale),
          modelNow,
        );
  const refusals: Record<string, number> = {};
  const refusalKinds: Record<RefusalKind, number> = { ceiling: 0, rate: 0, unknownDeployment: 0, other: 0 };
  const retries: Record<string, number> = {};
  const failures: Record<string, number> = {};
  const backingOff = new Set<Session>();
  let firstRefusal: FirstRefusal | undefined;
  let totalLive = 0;
  let totalAdmitted = 0;
  let totalPeak = 0;
  let inFlight = 0;
  let unsettled = 0;
  let startedCount = 0;
  let plannedCount = sessions;
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

  const onAbort = () => {
    aborted ??= {
      reason: "interrupted",
      message:
        "interrupted: the ramp stopped and every session was closed; the counts are those of the run so far",
    };
    notify();
  };
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });

  const realMs = (modelMs: number) => modelMs / timeScale;
  const rampMs = rampPerMinute > 0 ? (sessions / rampPerMinute) * (60_000 / timeScale) : 0;
  const pacedRampMs = connectionPacer
    ? realMs(
        Math.max(0, ...counts.map((count) => Math.ceil(count / connectionPacer.limit))) *
          connectionPacer.windowMs,
      )
    : 0;
  const messagesMs = messagePacer
    ? realMs(Math.ceil(messagesPerSession / messagePacer.limit) * messagePacer.windowMs)
    : 0;
  const holdMs = (options.holdSeconds * 1000) / timeScale;
  const deadline =
    started +
    Math.max(rampMs, pacedRampMs) +
    holdMs +
    messagesMs +
    2 * realMs(policy.budgetMs) +
    4 * connectTimeoutMs +
    2 * CLOSE_GRACE_MS +
    10_000;
  const pastDeadline = () => {
    if (now() <= deadline || aborted) return aborted !== undefined;
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
            elapsedMs: now() - started,
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

  /** Runs `action` after `modelMs` of model time, unless the session's timers are cleared first. */
  function later(session: Session, modelMs: number, action: () => void): void {
    const timer = setTimeout(() => {
      session.timers.delete(timer);
      action();
    }, realMs(modelMs));
    session.timers.add(timer);
  }

  function clearTimers(session: Session): void {
    clearTimeout(session.timer);
    for (const timer of session.timers) clearTimeout(timer);
    session.timers.clear();
    session.pacing = false;
  }

  function arrive(state: ShardState): void {
    startedCount += 1;
    unsettled += 1;
    const messageIds = Array.from({ length: messagesPerSession }, () => randomUUID());
    state.ready.push({
      state,
      token: randomUUID(),
      attemptStartedAt: 0,
      settled: false,
      inFlight: false,
      connected: false,
      closingByUs: false,
      backingOff: false,
      reconfiguring: false,
      attempts: 0,
      waitedMs: 0,
      pacing: false,
      timers: new Set(),
      messages: new Map(messageIds.map((id) => [id, "pending"])),
      outbox: messageIds,
    });
  }

  let rotation = 0;
  /**
   * Starts waiting sessions while handshake slots are free and their deployment's pace allows, taking the shards in
   * turn. Returns real milliseconds until the pace lets the next one go (Infinity when none is held back by it).
   */
  function pump(): number {
    let heldForMs = Infinity;
    for (let k = 0; k < shards.length && inFlight < maxPending; k += 1) {
      const state = shards[(rotation + k) % shards.length];
      while (state.ready.size > 0 && inFlight < maxPending) {
        if (connectionPacer) {
          const wait = connectionPacer.waitMs(state.shard.deploymentId);
          if (wait > 0) {
            heldForMs = Math.min(heldForMs, realMs(wait));
            break;
          }
          connectionPacer.take(state.shard.deploymentId);
        }
        const session = state.ready.shift() as Session;
        if (session.retrying !== undefined) countRetry(session);
        open(session);
      }
    }
    rotation = (rotation + 1) % shards.length;
    return heldForMs;
  }

  /** Counts the retry of `session.retrying` as it starts. */
  function countRetry(session: Session): void {
    const answer = session.retrying ?? "";
    session.retrying = undefined;
    retries[answer] = (retries[answer] ?? 0) + 1;
    session.state.retried += 1;
    recorder?.retried(session.state.shard.index, modelNow());
  }

  function settle(session: Session): boolean {
    if (session.settled) return false;
    session.settled = true;
    clearTimeout(session.timer);
    if (!session.connected) clearTimers(session);
    if (session.inFlight) {
      session.inFlight = false;
      inFlight -= 1;
    }
    backingOff.delete(session);
    unsettled -= 1;
    notify();
    return true;
  }

  /** A session the service refused before it connected, with no retry left. */
  function refuse(session: Session, answer: string): void {
    if (!settle(session)) return;
    session.state.refused += 1;
    recorder?.refused(session.state.shard.index, modelNow(), answer);
    refusals[answer] = (refusals[answer] ?? 0) + 1;
    refusalKinds[refusalKind(answer)] += 1;
    discard(session);
  }

  /** A session that failed before it connected (timeout, network error, early close, a stop). */
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
    session.socket?.terminate();
  }

  /** Ends the current attempt: its handshake slot and its socket (which then no longer speaks for the session). */
  function endAttempt(session: Session): void {
    clearTimeout(session.timer);
    if (session.inFlight) {
      session.inFlight = false;
      inFlight -= 1;
    }
    const socket = session.socket;
    session.socket = undefined;
    session.state.open.delete(session);
    socket?.terminate();
    notify();
  }

  /**
   * The service said no before the session connected: `status` at the upgrade, or a frame's code. A 429 or 503 is
   * tried again after a backoff while the session's retry budget lasts (`onSocket`: by sending configureSession
   * again on the open socket); anything else, or a spent budget, refuses the session.
   */
  function answered(
    session: Session,
    status: number,
    answer: string,
    retryAfterMs: number | undefined,
    onSocket: boolean,
  ) {
    anyAnswer = true;
    const kind = refusalKind(answer);
    if (kind === "ceiling" || kind === "rate") {
      firstRefusal ??= {
        shardIndex: session.state.shard.index,
        shardLive: session.state.admitted,
        totalLive: totalAdmitted,
        answer,
      };
    }
    const delay =
      isRetryable(status) && !aborted ? nextRetryDelayMs(session, policy, random, retryAfterMs) : undefined;
    if (delay === undefined) return refuse(session, answer);
    session.attempts += 1;
    session.waitedMs += delay;
    session.retrying = answer;
    if (onSocket) {
      clearTimeout(session.timer);
      session.reconfiguring = true;
      later(session, delay, () => {
        session.reconfiguring = false;
        if (session.socket?.readyState === WebSocket.OPEN) {
          countRetry(session);
          armConnectTimeout(session);
          sendConfigure(session);
        } else {
          // The socket closed while it waited: connect again instead.
          endAttempt(session);
          session.state.ready.push(session);
          notify();
        }
      });
      return;
    }
    endAttempt(session);
    session.backingOff = true;
    backingOff.add(session);
    later(session, delay, () => {
      session.backingOff = false;
      backingOff.delete(session);
      session.state.ready.push(session);
      notify();
    });
  }

  function armConnectTimeout(session: Session): void {
    clearTimeout(session.timer);
    session.timer = setTimeout(() => fail(session, "timeout"), connectTimeoutMs);
  }

  function sendConfigure(session: Session): void {
    session.socket?.send(
      JSON.stringify({
        action: "configureSession",
        deploymentId: session.state.shard.deploymentId,
        token: session.token,
        startNew: false,
        tracingId: randomUUID(),
      }),
    );
  }

  /** One connection attempt of `session`. */
  function open(session: Session): void {
    const { state } = session;
    session.inFlight = true;
    inFlight += 1;
    session.attemptStartedAt = now();
    const url = `${options.url}?deploymentId=${encodeURIComponent(state.shard.deploymentId)}`;
    const socket = connect(url, { origin: options.origin, handshakeTimeout: connectTimeoutMs });
    session.socket = socket;
    state.open.add(session);
    armConnectTimeout(session);
    let admitted = false;
    const current = () => session.socket === socket;
    socket.on("unexpected-response", (_request, response: IncomingMessage) => {
      const retryAfter = response.headers["retry-after"];
      readRefusal(response, (status, text) => {
        if (!current() || session.settled) return;
        answered(session, status, `${status} ${text}`, parseRetryAfterHeader(retryAfter, now()), false);
      });
    });
    socket.on("open", () => {
      // The service counts the connection from here (the emulator at the upgrade), before the SessionResponse.
      admitted = true;
      state.admitted += 1;
      totalAdmitted += 1;
      if (current()) sendConfigure(session);
    });
    socket.on("message", (data) => {
      if (!current()) return;
      let frame: { type?: string; class?: string; code?: number; body?: unknown; tracingId?: string };
      try {
        frame = JSON.parse(String(data));
      } catch {
        return;
      }
      if (!session.connected) {
        if (session.settled || session.reconfiguring) return;
        if (frame.class === "SessionResponse" && (frame.body as { connected?: boolean })?.connected) {
          onConnected(session, now() - session.attemptStartedAt);
        } else if (frame.class === "ConnectionClosedEvent" || (frame.code ?? 200) >= 400) {
          answered(session, frame.code ?? 200, frameAnswer(frame), retryAfterOfFrame(frame.body), true);
        }
        return;
      }
      onFrame(session, frame);
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (current() && !session.settled && !session.reconfiguring) fail(session, error.code ?? error.message);
    });
    socket.on("close", () => {
      if (admitted) {
        state.admitted -= 1;
        totalAdmitted -= 1;
      }
      if (!current()) return;
      state.open.delete(session);
      messagePacer?.forget(session.token);
      if (session.connected) {
        clearTimers(session);
        state.live -= 1;
        totalLive -= 1;
        recorder?.closed(state.shard.index, modelNow());
        if (!session.closingByUs) countFailure(session, "closed by the server");
      } else if (session.reconfiguring) {
        // Its backoff timer connects it again.
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
    sendMessages(session);
  }

  /** Sends the session's waiting messages, each when its session's pace allows. */
  function sendMessages(session: Session): void {
    while (session.outbox.length > 0) {
      if (session.closingByUs || session.socket?.readyState !== WebSocket.OPEN) return;
      if (messagePacer) {
        const wait = messagePacer.waitMs(session.token);
        if (wait > 0) {
          if (!session.pacing) {
            session.pacing = true;
            later(session, wait, () => {
              session.pacing = false;
              sendMessages(session);
            });
          }
          return;
        }
        messagePacer.take(session.token);
      }
      const tracingId = session.outbox.shift() as string;
      session.socket.send(
        JSON.stringify({
          action: "onMessage",
          token: session.token,
          tracingId,
          message: { type: "Text", text: `rehearsal message from shard ${session.state.shard.index}` },
        }),
      );
    }
  }

  /** A frame to a connected session: the echo of one of its messages, or an error answering one. */
  function onFrame(
    session: Session,
    frame: { class?: string; code?: number; body?: unknown; tracingId?: string },
  ) {
    const id = frame.tracingId;
    if (id === undefined || session.messages.get(id) !== "pending") return;
    if (frame.class === "StructuredMessage" && (frame.code ?? 200) < 400) {
      session.messages.set(id, "echoed");
      session.state.echoed += 1;
      return;
    }
    const code = frame.code ?? 200;
    if (code < 400) return;
    const answer = frameAnswer(frame);
    const delay =
      isRetryable(code) && !aborted
        ? nextRetryDelayMs(session, policy, random, retryAfterOfFrame(frame.body))
        : undefined;
    if (delay === undefined) {
      session.messages.set(id, "refused");
      countFailure(session, `message refused: ${answer}`);
      return;
    }
    session.attempts += 1;
    session.waitedMs += delay;
    later(session, delay, () => {
      session.retrying = answer;
      countRetry(session);
      session.outbox.push(id);
      sendMessages(session);
    });
  }

  /** Starts the arrivals of `order` (positions in `shards`), `intervalMs` apart, and waits until all settle. */
  async function drive(order: readonly number[], intervalMs: number): Promise<void> {
    const phaseStart = now();
    let next = 0;
    while ((next < order.length || unsettled > 0) && !pastDeadline()) {
      const time = now();
      while (next < order.length && phaseStart + next * intervalMs <= time) {
        arrive(shards[order[next]]);
        next += 1;
      }
      const heldForMs = pump();
      const untilArrival = next < order.length ? phaseStart + next * intervalMs - now() : Infinity;
      await sleep(Math.max(1, Math.min(50, untilArrival, heldForMs)));
    }
  }

  const order = arrivalOrder(counts);
  if (!aborted) await drive(order, rampPerMinute > 0 ? 60_000 / (rampPerMinute * timeScale) : 0);
  const connectPhaseMs = now() - started;

  if (options.loseShard !== undefined && !aborted) {
    phase = "failover";
    const lost = shards.find((state) => state.shard.index === options.loseShard);
    if (lost) {
      lost.lost = true;
      const dropped = [...lost.open].filter((session) => session.connected);
      for (const session of dropped) {
        session.closingByUs = true;
        session.socket?.terminate();
      }
      const survivors = shards.filter(
        (state) => state !== lost && (!driven || driven.has(state.shard.index)),
      );
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
    const holdEnd = now() + holdMs;
    while (now() < holdEnd && !pastDeadline()) await sleep(Math.min(250, holdEnd - now()));
  }

  // Every connected session gets its echoes before the close (bounded like a connect).
  const echoEnd = now() + connectTimeoutMs + messagesMs;
  const awaitingEcho = () =>
    shards.some((state) =>
      [...state.open].some(
        (session) => session.connected && [...session.messages.values()].includes("pending"),
      ),
    );
  while (!aborted && awaitingEcho() && now() < echoEnd) await sleep(20);

  phase = "close";
  const interrupted = aborted?.reason === "interrupted";
  const stopCause = interrupted ? "interrupted before it connected" : "stopped before it connected";
  for (const session of [...backingOff]) fail(session, stopCause);
  for (const state of shards) for (const session of state.ready.drain()) fail(session, stopCause);
  for (const state of shards) {
    for (const session of [...state.open]) {
      if (!session.settled) {
        fail(session, stopCause);
        continue;
      }
      clearTimers(session);
      if (!interrupted && [...session.messages.values()].includes("pending"))
        countFailure(session, "no echo of the message");
      session.closingByUs = true;
      if (session.socket?.readyState === WebSocket.OPEN) session.socket.close(1000);
      else session.socket?.terminate();
    }
  }
  const closeEnd = now() + CLOSE_GRACE_MS;
  while (shards.some((state) => state.open.size > 0) && now() < closeEnd) await sleep(20);
  for (const state of shards) for (const session of state.open) session.socket?.terminate();
  if (progress) clearInterval(progress);
  options.signal?.removeEventListener("abort", onAbort);

  const shardResults: ShardResult[] = shards
    .filter((state) => state.sessions > 0 || state.lost)
    .map((state) => ({
      index: state.shard.index,
      deploymentId: state.shard.deploymentId,
      sessions: state.sessions,
      connected: state.connected,
      peakConcurrent: state.peak,
      refused: state.refused,
      retried: state.retried,
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
      sessions,
      connected: sum(
        shards.filter((state) => !state.lost),
        "connected",
      ),
      peakConcurrent: totalPeak,
      refused: sum(shards, "refused"),
      retried: sum(shards, "retried"),
      failed: sum(shards, "failed"),
      echoed: sum(shards, "echoed"),
      connectP50Ms: percentile(allLatencies, 50),
      connectP99Ms: percentile(allLatencies, 99),
    },
    started: startedCount,
    refusals,
    refusalKinds,
    retries,
    failures,
    firstRefusal,
    connectPhaseMs,
    elapsedMs: now() - started,
    ...(aborted ? { aborted } : {}),
  };
}

/** What an error frame says, as "<code> <text>": the text of a `string` frame, else its `errorMessage` or class. */
function frameAnswer(frame: { class?: string; code?: number; body?: unknown }): string {
  const body = frame.body as { errorMessage?: unknown } | undefined;
  const text =
    frame.class === "string"
      ? String(frame.body)
      : typeof body?.errorMessage === "string"
        ? body.errorMessage
        : frame.class;
  return `${frame.code ?? 200} ${text}`;
}

function sum(
  shards: readonly ShardState[],
  field: "connected" | "refused" | "retried" | "failed" | "echoed",
): number {
  return shards.reduce((total, state) => total + state[field], 0);
}

/**
 * The voice rehearsal: drives inbound call flow runs at a call arrival rate through a Data Action's execute endpoint
 * (`POST /api/v2/integrations/actions/{actionId}/execute`, the emulator's by default), and applies each flow's
 * timeout and failure path as Architect would. It models a call as its flow run, not as media: a call arrives, the
 * flow's Call Data Action step calls the action and waits up to the step's timeout, then
 * - success: the call is transferred to the queue (success path);
 * - failure (the execution was refused, e.g. the org's concurrent executions are full, or the endpoint failed) or
 *   timeout: with `onFailure: "transfer"` (the project's flow, flows/inbound-call-data-action.yaml) the failure or
 *   timeout path transfers it to the same queue; with `onFailure: "retry"` (a flow without a failure path that loops
 *   back to the lookup, as the report's flow behaved) the step runs again after `retryDelaySeconds`.
 * A call that has not reached the queue after `callerWaitSeconds` (default 30 s, the report's wall) would have hung
 * and dropped (the report's `408 requestTimedOut`): the driver counts it as hung and stops waiting for it (an
 * execution still running keeps its slot at the org, as it would).
 *
 * It reports, per model second: arrivals, executions in flight (the most outstanding at once), timeouts, failures,
 * success-path and failure-path transfers and calls that would have hung; and totals and wait percentiles.
 */
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { REPORTED_CALLER_WAIT_SECONDS } from "../genesys";
import { percentile } from "./spread";

/** How the call flow treats its Data Action, as Architect runs it. */
export interface CallFlowPolicy {
  /** Model seconds the Call Data Action step waits for the action: the action's own timeout. */
  readonly timeoutSeconds: number;
  /**
   * What the flow does when the action fails or times out: `transfer` (its failure and timeout paths route the call
   * to the queue) or `retry` (it calls the action again, until it succeeds or the caller gives up).
   */
  readonly onFailure: "transfer" | "retry";
  /** With `retry`: model seconds between attempts. @default 1 */
  readonly retryDelaySeconds?: number;
}

export interface VoiceRehearsalOptions {
  /** The Platform API's base URL, e.g. "http://127.0.0.1:8089" (the emulator). */
  readonly apiUrl: string;
  /** The bearer token the API accepts. */
  readonly token: string;
  /** The Data Action the flow calls. */
  readonly actionId: string;
  /** How many calls arrive. */
  readonly calls: number;
  /** New calls per model second. */
  readonly callsPerSecond: number;
  /** The flow's timeout and failure path. */
  readonly flow: CallFlowPolicy;
  /** How long a caller waits for the queue before the call would drop, model seconds. @default 30 */
  readonly callerWaitSeconds?: number;
  /** Model time runs this many times faster than real time (the emulator's downstream must use the same). @default 1 */
  readonly timeScale?: number;
  /** Stops the run: no new calls, every outstanding request aborted. @default - none */
  readonly signal?: AbortSignal;
  /** The fetch to use (a test's). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** What happened in one model second (by the time each event happened). */
export interface VoiceSecond {
  readonly second: number;
  arrivals: number;
  /** The most executions the driver had outstanding at once during the second. */
  inFlight: number;
  /** Executions that ended by the action's timeout (408) or the step's. */
  timeouts: number;
  /** Executions refused or failed (any other non-2xx). */
  failures: number;
  /** Calls transferred on the success path. */
  successTransfers: number;
  /** Calls transferred on the failure or timeout path. */
  failurePathTransfers: number;
  /** Calls that passed the caller's wait without reaching the queue: they would have hung and dropped. */
  hung: number;
}

export interface VoiceRehearsalResult {
  readonly seconds: readonly VoiceSecond[];
  readonly totals: {
    readonly calls: number;
    readonly reachedQueue: number;
    readonly successTransfers: number;
    readonly failurePathTransfers: number;
    readonly hung: number;
    readonly executions: number;
    readonly timeouts: number;
    readonly failures: number;
    readonly peakInFlight: number;
  };
  /** Model seconds from arrival to the queue, of the calls that reached it (undefined when none did). */
  readonly waitToQueueSeconds:
    { readonly p50: number; readonly p99: number; readonly max: number } | undefined;
  /** Failures by HTTP status (429, 502, …), for the report. */
  readonly failuresByStatus: Readonly<Record<string, number>>;
  readonly interrupted: boolean;
}

type Attempt = "success" | "timeout" | "failure" | "hung";

/** Runs the calls and reports what the flow did with each (see the module comment). */
export async function rehearseVoice(options: VoiceRehearsalOptions): Promise<VoiceRehearsalResult> {
  const scale = options.timeScale ?? 1;
  if (!(options.calls >= 0 && options.callsPerSecond > 0 && scale > 0 && options.flow.timeoutSeconds > 0)) {
    throw new RangeError(
      "calls >= 0, callsPerSecond > 0, timeScale > 0 and flow.timeoutSeconds > 0 are required",
    );
  }
  const doFetch = options.fetch ?? globalThis.fetch;
  const realMs = (modelSeconds: number) => (modelSeconds * 1000) / scale;
  const callerWaitMs = realMs(options.callerWaitSeconds ?? REPORTED_CALLER_WAIT_SECONDS);
  const stepMs = realMs(options.flow.timeoutSeconds);
  const retryMs = realMs(options.flow.retryDelaySeconds ?? 1);
  const url = `${options.apiUrl}/api/v2/integrations/actions/${encodeURIComponent(options.actionId)}/execute`;
  const started = performance.now();
  const modelSecondNow = () => Math.floor(((performance.now() - started) * scale) / 1000);

  const seconds: VoiceSecond[] = [];
  const bucket = (second = modelSecondNow()): VoiceSecond => {
    while (seconds.length <= second) {
      seconds.push({
        second: seconds.length,
        arrivals: 0,
        inFlight: 0,
        timeouts: 0,
        failures: 0,
        successTransfers: 0,
        failurePathTransfers: 0,
        hung: 0,
      });
    }
    return seconds[second];
  };
  const failuresByStatus: Record<string, number> = {};
  const waits: number[] = [];
  let inFlight = 0;
  let peakInFlight = 0;
  let executions = 0;
  const setInFlight = (delta: number) => {
    inFlight += delta;
    peakInFlight = Math.max(peakInFlight, inFlight);
    const current = bucket();
    current.inFlight = Math.max(current.inFlight, inFlight);
  };

  /** One Call Data Action step: the action's answer, or the step's timeout, or the caller's deadline. */
  const attempt = async (deadline: number): Promise<Attempt> => {
    const remaining = deadline - performance.now();
    if (remaining <= 0) return "hung";
    const controller = new AbortController();
    const byStep = stepMs <= remaining;
    const timer = setTimeout(() => controller.abort(), Math.min(stepMs, remaining));
    const abortRun = () => controller.abort();
    options.signal?.addEventListener("abort", abortRun, { once: true });
    executions++;
    setInFlight(1);
    try {
      const response = await doFetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
        body: JSON.stringify({ conversationId: randomUUID() }),
        signal: controller.signal,
      });
      await response.arrayBuffer();
      if (response.ok) return "success";
      if (response.status === 408) return "timeout";
      failuresByStatus[response.status] = (failuresByStatus[response.status] ?? 0) + 1;
      return "failure";
    } catch {
      if (!controller.signal.aborted) {
        failuresByStatus.network = (failuresByStatus.network ?? 0) + 1;
        return "failure";
      }
      return byStep && !options.signal?.aborted ? "timeout" : "hung";
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", abortRun);
      setInFlight(-1);
    }
  };

  /** One call's flow run, from arrival to the queue or to the caller giving up. */
  const call = async (): Promise<void> => {
    const arrival = performance.now();
    const deadline = arrival + callerWaitMs;
    bucket().arrivals++;
    const reached = (path: "successTransfers" | "failurePathTransfers") => {
      bucket()[path]++;
      waits.push(((performance.now() - arrival) * scale) / 1000);
    };
    for (;;) {
      const outcome = await attempt(deadline);
      if (outcome === "success") return reached("successTransfers");
      if (outcome === "hung") {
        bucket().hung++;
        return;
      }
      bucket()[outcome === "timeout" ? "timeouts" : "failures"]++;
      if (options.flow.onFailure === "transfer") return reached("failurePathTransfers");
      const wait = Math.min(retryMs, deadline - performance.now());
      if (wait > 0) await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
      if (performance.now() >= deadline || options.signal?.aborted) {
        bucket().hung++;
        return;
      }
    }
  };

  const runs: Promise<void>[] = [];
  for (let index = 0; index < options.calls && !options.signal?.aborted; index++) {
    const due = started + realMs(index / options.callsPerSecond);
    const delay = due - performance.now();
    if (delay > 0) await sleep(delay, undefined, { signal: options.signal }).catch(() => undefined);
    if (options.signal?.aborted) break;
    runs.push(call());
  }
  await Promise.all(runs);

  const sum = (field: keyof Omit<VoiceSecond, "second" | "inFlight">) =>
    seconds.reduce((total, second) => total + second[field], 0);
  const sorted = [...waits].sort((a, b) => a - b);
  return {
    seconds,
    totals: {
      calls: runs.length,
      reachedQueue: waits.length,
      successTransfers: sum("successTransfers"),
      failurePathTransfers: sum("failurePathTransfers"),
      hung: sum("hung"),
      executions,
      timeouts: sum("timeouts"),
      failures: sum("failures"),
      peakInFlight,
    },
    waitToQueueSeconds:
      sorted.length === 0
        ? undefined
        : { p50: percentile(sorted, 50)!, p99: percentile(sorted, 99)!, max: sorted[sorted.length - 1] },
    failuresByStatus,
    interrupted: options.signal?.aborted ?? false,
  };
}

/** The per-second table and the totals as text lines, for the command line. */
export function formatVoiceReport(result: VoiceRehearsalResult): string[] {
  const header = "second  arrivals  in flight  timeouts  failures  success  failure path  hung";
  const rows = result.seconds.map((s) =>
    [
      String(s.second).padStart(6),
      String(s.arrivals).padStart(9),
      String(s.inFlight).padStart(10),
      String(s.timeouts).padStart(9),
      String(s.failures).padStart(9),
      String(s.successTransfers).padStart(8),
      String(s.failurePathTransfers).padStart(13),
      String(s.hung).padStart(5),
    ].join(" "),
  );
  const t = result.totals;
  const wait = result.waitToQueueSeconds;
  return [
    header,
    ...rows,
    `calls ${t.calls}: ${t.reachedQueue} reached the queue (${t.successTransfers} on success, ` +
      `${t.failurePathTransfers} on the failure or timeout path), ${t.hung} would have hung; ` +
      `${t.executions} executions, ${t.timeouts} timed out, ${t.failures} failed` +
      (Object.keys(result.failuresByStatus).length > 0
        ? ` (${Object.entries(result.failuresByStatus)
            .map(([status, count]) => `${status}: ${count}`)
            .join(", ")})`
        : "") +
      `; at most ${t.peakInFlight} in flight`,
    wait
      ? `wait to the queue: p50 ${wait.p50.toFixed(1)} s, p99 ${wait.p99.toFixed(1)} s, max ${wait.max.toFixed(1)} s`
      : "wait to the queue: no call reached it",
  ];
}

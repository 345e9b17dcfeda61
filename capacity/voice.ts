/**
 * The voice planner profile: a call flow's Data Actions against the org's Data Action limits. Pure, like the rest
 * of `capacity/`: it imports nothing from cdktf, constructs, the file system or the network.
 *
 * The model (Little's law): executions in flight = executions per second × how long each runs. Each call runs
 * `dataActionsPerCall` executions at entry, so at `callsPerMinute` calls a minute
 *   executions/s = callsPerMinute / 60 × dataActionsPerCall,
 *   in flight at p99 = executions/s × p99 latency,
 *   in flight at the wall = executions/s × the action's timeout (what a backend that slows down until every
 *   execution times out holds: the report's slow ServiceNow).
 * The org's concurrent-execution limit (`actions.concurrent.executions.max`, 50 by default) and its executions per
 * minute (`requests.volume.max`, 2,500) are per org: every Data Action of every flow (the messaging shards' too)
 * counts against them, and no number of shards, queues or IVRs lifts them.
 */
import { LIMITS_CATALOG, resolveLimitValues } from "./catalog";
import { describeBasis, ceilingBasis, raiseAdvice } from "./evidence";
import { formatNumber } from "./format";
import type { LimitKey, LimitOverrides, OrgLimitValues } from "./types";

/** The headroom the voice check keeps below each limit when none is given, as the shard planner does. */
export const DEFAULT_VOICE_HEADROOM = 0.8;

/** What the voice planner checks. */
export interface VoicePlanInput {
  /** Peak new calls per minute at the IVR entry. A number > 0. */
  readonly callsPerMinute: number;
  /** Data Action executions each call runs at entry. A number > 0. */
  readonly dataActionsPerCall: number;
  /** The p99 latency of one execution, in seconds (observed, or the timeout when unknown). A number > 0. */
  readonly p99LatencySeconds: number;
  /** The action's execution timeout, in seconds, 1–60: the longest one execution holds a slot and a call. */
  readonly timeoutSeconds: number;
  /** How long a caller may wait at the entry, in seconds. */
  readonly maxCallerWaitSeconds: number;
  /**
   * The org's other Data Action load at the same peak (the messaging flows'): it counts against the same limits.
   * @default - none
   */
  readonly otherLoad?: { readonly executionsPerMinute: number; readonly inFlight: number };
  /**
   * The fraction of each limit the plan may use, in (0, 1].
   * @default DEFAULT_VOICE_HEADROOM (0.8)
   */
  readonly headroom?: number;
  /** Values of catalog limits recorded for the org (the environment's `limits:`). @default - none */
  readonly limits?: LimitOverrides;
  /** The org's values from its Limits API (the preflight). @default - none */
  readonly orgLimits?: OrgLimitValues;
}

/** Why a voice plan does not fit, or fits only narrowly. */
export type VoiceWarningCode =
  | "voice-timeout-exceeds-wait"
  | "voice-data-action-concurrency"
  | "voice-data-action-rate"
  | "voice-timeout-wall"
  | "voice-data-action-no-headroom";

/** The codes that make a voice plan infeasible (the others are warnings). */
export const VOICE_INFEASIBLE_CODES = [
  "voice-timeout-exceeds-wait",
  "voice-data-action-concurrency",
  "voice-data-action-rate",
] as const satisfies readonly VoiceWarningCode[];

/** A voice plan's problem, with the numbers. */
export interface VoiceWarning {
  readonly code: VoiceWarningCode;
  readonly severity: "error" | "warning";
  /** The catalog limit concerned; absent for the caller-wait check. */
  readonly limit?: LimitKey;
  /** What the plan needs, in `unit`. */
  readonly required: number;
  /** What the limit allows, in `unit`. */
  readonly available: number;
  readonly unit: string;
  /** One or two sentences a person can act on: the numbers, and what to change. */
  readonly message: string;
}

/** The voice plan: the Data Action load at the entry and how it sits against the org's limits. */
export interface VoicePlan {
  /** Voice Data Action executions per second at peak. */
  readonly executionsPerSecond: number;
  /** Voice Data Action executions per minute at peak. */
  readonly executionsPerMinute: number;
  /** Executions in flight at p99 latency, the org's other load included. */
  readonly inFlightAtP99: number;
  /** Executions in flight if every execution ran to its timeout, the org's other load included. */
  readonly inFlightAtTimeout: number;
  /** The org's concurrent-execution limit the plan was checked against. */
  readonly concurrencyLimit: number;
  /** The org's executions-per-minute limit the plan was checked against. */
  readonly rateLimit: number;
  /**
   * The most calls per minute the concurrency limit carries at p99 latency (with the headroom, after the other
   * load): the planner's answer to "how many calls can this entry take".
   */
  readonly maxCallsPerMinuteAtP99: number;
  /** The longest p99 latency, in seconds, at which the peak stays within the limit's headroom. */
  readonly maxLatencySecondsAtPeak: number;
  /** True when no error-severity warning is present. */
  readonly feasible: boolean;
  readonly warnings: readonly VoiceWarning[];
}

/** Bad voice planner input: the field, the value and what is allowed. */
export class VoicePlanInputError extends Error {
  constructor(
    readonly field: keyof VoicePlanInput,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`${field} must be ${allowed}, got ${formatNumber(Number(value))}`);
    this.name = "VoicePlanInputError";
  }
}

const CONCURRENCY: LimitKey = "dataActionConcurrentExecutions";
const RATE: LimitKey = "dataActionExecutionsPerMinute";

/**
 * Plans the voice entry's Data Action load against the org's limits (see the module comment for the model).
 * @throws VoicePlanInputError for input out of range.
 */
export function planVoice(input: VoicePlanInput): VoicePlan {
  validate(input);
  const headroom = input.headroom ?? DEFAULT_VOICE_HEADROOM;
  const resolved = resolveLimitValues(input.limits, input.orgLimits?.values);
  const concurrencyLimit = resolved.values[CONCURRENCY] ?? LIMITS_CATALOG[CONCURRENCY].defaultValue!;
  const rateLimit = resolved.values[RATE] ?? LIMITS_CATALOG[RATE].defaultValue!;
  const other = input.otherLoad ?? { executionsPerMinute: 0, inFlight: 0 };

  const executionsPerMinute = input.callsPerMinute * input.dataActionsPerCall;
  const executionsPerSecond = executionsPerMinute / 60;
  const voiceAtP99 = executionsPerSecond * input.p99LatencySeconds;
  const voiceAtTimeout = executionsPerSecond * input.timeoutSeconds;
  const inFlightAtP99 = voiceAtP99 + other.inFlight;
  const inFlightAtTimeout = voiceAtTimeout + other.inFlight;
  const usableConcurrency = concurrencyLimit * headroom;
  const spare = Math.max(0, usableConcurrency - other.inFlight);
  const maxCallsPerMinuteAtP99 = Math.floor(
    Number(((spare / input.p99LatencySeconds / input.dataActionsPerCall) * 60).toPrecision(15)),
  );
  const maxLatencySecondsAtPeak = spare / executionsPerSecond;

  const advice = (key: LimitKey) => {
    const basis = ceilingBasis(key, resolved.origins[key], {
      orgConfigurable: input.orgLimits?.configurable?.[key],
    });
    return {
      source: describeBasis(basis, (field) => field, { configurable: false }),
      raise: raiseAdvice(basis.configurable, basis.configurableFrom),
    };
  };
  const load =
    `${formatNumber(input.callsPerMinute)} calls/min × ${formatNumber(input.dataActionsPerCall)} Data ` +
    `Action${input.dataActionsPerCall === 1 ? "" : "s"} each = ${formatNumber(executionsPerSecond)}/s`;
  const others =
    other.inFlight > 0 || other.executionsPerMinute > 0
      ? `, plus ${formatNumber(other.inFlight)} in flight (${formatNumber(other.executionsPerMinute)}/min) from the messaging flows`
      : "";
  const change =
    "Sharding does not lift it: the limit is per org. Change the flow, not the number of IVRs: a shorter " +
    "timeout with a failure path that still routes the call, an acknowledge-only action (the endpoint answers " +
    "202 at once and works in the background), or a faster endpoint";

  const warnings: VoiceWarning[] = [];
  /** A warning about the concurrent-execution limit. */
  const concurrency = (
    code: VoiceWarningCode,
    severity: VoiceWarning["severity"],
    required: number,
    available: number,
    message: string,
  ): VoiceWarning => ({
    code,
    severity,
    limit: CONCURRENCY,
    required,
    available,
    unit: LIMITS_CATALOG[CONCURRENCY].unit,
    message,
  });
  if (input.timeoutSeconds >= input.maxCallerWaitSeconds) {
    warnings.push({
      code: "voice-timeout-exceeds-wait",
      severity: "error",
      required: input.timeoutSeconds,
      available: input.maxCallerWaitSeconds,
      unit: "seconds",
      message:
        `The Data Action's timeout, ${formatNumber(input.timeoutSeconds)} s, is not shorter than the ` +
        `${formatNumber(input.maxCallerWaitSeconds)} s a caller may wait: a slow endpoint holds calls until they ` +
        `drop (the load-test report's 408 after 30 s). Set the timeout to a few seconds (about 3 × the p99) and ` +
        `keep the failure and timeout paths routing to the queue.`,
    });
  }
  if (inFlightAtP99 > concurrencyLimit) {
    const { source, raise } = advice(CONCURRENCY);
    warnings.push(
      concurrency(
        "voice-data-action-concurrency",
        "error",
        inFlightAtP99,
        concurrencyLimit,
        `${load}; at ${formatNumber(input.p99LatencySeconds)} s p99 latency about ` +
          `${formatNumber(voiceAtP99)} run at once${others}, over the org's ${concurrencyLimit} concurrent Data ` +
          `Action executions (${source}): the rest are refused and take the failure path. The limit carries ` +
          `${maxCallsPerMinuteAtP99} calls/min at this latency with the ${percent(headroom)} headroom. ${change}; ` +
          `or a raised limit. ${raise}`,
      ),
    );
  } else if (inFlightAtP99 > usableConcurrency) {
    const { source } = advice(CONCURRENCY);
    warnings.push(
      concurrency(
        "voice-data-action-no-headroom",
        "warning",
        inFlightAtP99,
        usableConcurrency,
        `${load}; at ${formatNumber(input.p99LatencySeconds)} s p99 latency about ` +
          `${formatNumber(inFlightAtP99)} run at once${others}, above ${percent(headroom)} of the org's ` +
          `${concurrencyLimit} concurrent Data Action executions (${source}).`,
      ),
    );
  }
  if (voiceAtTimeout > concurrencyLimit - other.inFlight && inFlightAtP99 <= concurrencyLimit) {
    const { source, raise } = advice(CONCURRENCY);
    warnings.push(
      concurrency(
        "voice-timeout-wall",
        "warning",
        inFlightAtTimeout,
        concurrencyLimit,
        `${load}; if the endpoint slows to the ${formatNumber(input.timeoutSeconds)} s timeout, ` +
          `${formatNumber(voiceAtTimeout)} would run at once${others}, over the org's ${concurrencyLimit} ` +
          `concurrent executions (${source}); the peak stays within ${percent(headroom)} of it up to ` +
          `${formatNumber(maxLatencySecondsAtPeak)} s latency. Past that, calls take the failure path after at ` +
          `most ${formatNumber(input.timeoutSeconds)} s and still reach the queue, but the org's other Data ` +
          `Actions are refused meanwhile. ${change}; or a raised limit. ${raise}`,
      ),
    );
  }
  if (executionsPerMinute + other.executionsPerMinute > rateLimit) {
    const { source, raise } = advice(RATE);
    warnings.push({
      code: "voice-data-action-rate",
      severity: "error",
      limit: RATE,
      required: executionsPerMinute + other.executionsPerMinute,
      available: rateLimit,
      unit: LIMITS_CATALOG[RATE].unit,
      message:
        `${load} = ${formatNumber(executionsPerMinute)} executions/min${others}, over the org's ${rateLimit} ` +
        `Data Action executions per minute (${source}). Sharding does not lift it: the limit is per org. Call ` +
        `the action once per call, cache lookups in a data table (reads are not rate limited), or ask for a ` +
        `raised limit. ${raise}`,
    });
  }
  return {
    executionsPerSecond,
    executionsPerMinute,
    inFlightAtP99,
    inFlightAtTimeout,
    concurrencyLimit,
    rateLimit,
    maxCallsPerMinuteAtP99,
    maxLatencySecondsAtPeak,
    feasible: warnings.every((warning) => warning.severity !== "error"),
    warnings,
  };
}

function validate(input: VoicePlanInput): void {
  const positive = (field: keyof VoicePlanInput, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) throw new VoicePlanInputError(field, value, "a number > 0");
  };
  positive("callsPerMinute", input.callsPerMinute);
  positive("dataActionsPerCall", input.dataActionsPerCall);
  positive("p99LatencySeconds", input.p99LatencySeconds);
  positive("maxCallerWaitSeconds", input.maxCallerWaitSeconds);
  if (!(Number.isInteger(input.timeoutSeconds) && input.timeoutSeconds >= 1 && input.timeoutSeconds <= 60)) {
    throw new VoicePlanInputError("timeoutSeconds", input.timeoutSeconds, "an integer from 1 to 60");
  }
  if (input.p99LatencySeconds > input.timeoutSeconds) {
    throw new VoicePlanInputError(
      "p99LatencySeconds",
      input.p99LatencySeconds,
      `<= timeoutSeconds (${input.timeoutSeconds}): an execution is cut off at its timeout`,
    );
  }
  const headroom = input.headroom ?? DEFAULT_VOICE_HEADROOM;
  if (!(headroom > 0 && headroom <= 1)) throw new VoicePlanInputError("headroom", headroom, "> 0 and <= 1");
}

function percent(fraction: number): string {
  return `${formatNumber(fraction * 100)}%`;
}

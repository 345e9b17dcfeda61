/**
 * How a rehearsal retries a session the service refused for load (429 and 503): capped exponential backoff with
 * full jitter, at least as long as the service's own `Retry-After` / `retryAfter`, within a bound on the total time
 * one session spends waiting. Pure: the random source is a parameter, and times are model milliseconds.
 *
 * Where the service says how long to wait (emulator/guest/PROTOCOL.md, "Retries"):
 * - a refused upgrade: the `Retry-After` header (RFC 9110: delay-seconds, or an HTTP-date);
 * - an error frame: `body.retryAfter`, in seconds, on `TooManyRequestsErrorMessage` 429 (a live capture of a
 *   configureSession over its rate in MobileSDK issue #347; the SDK's fixtures and its "Retry after <n> seconds"
 *   text say seconds).
 */

/** The retry policy, in model milliseconds. */
export interface BackoffPolicy {
  /** The first retry waits up to this long. */
  readonly baseMs: number;
  /** No single wait is drawn from a longer span than this (before `Retry-After`). */
  readonly capMs: number;
  /** A session waits at most this long in all; a retry that would pass it is not made and the session is refused. */
  readonly budgetMs: number;
}

/** 1 s, doubling up to 30 s, and at most 60 s of waiting per session (model time). */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 30_000, budgetMs: 60_000 };

/** The statuses (at the upgrade, or as a frame's code) a session is retried after: too many requests, unavailable. */
export function isRetryable(status: number): boolean {
  return status === 429 || status === 503;
}

/**
 * The wait before retry number `attempt` (0 for the first): a uniform draw from [0, min(cap, base × 2^attempt))
 * ("full jitter"), or the service's `retryAfterMs` when that is longer.
 */
export function backoffDelayMs(
  attempt: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number {
  const span = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt, 52));
  const jittered = Math.floor(Math.min(Math.max(random(), 0), 1) * span);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** What one session has spent on retries so far. */
export interface RetryState {
  /** Retries made. */
  readonly attempts: number;
  /** Model milliseconds waited in all. */
  readonly waitedMs: number;
}

/** Whether to retry, and after how long; `undefined` once the wait would pass the policy's budget. */
export function nextRetryDelayMs(
  state: RetryState,
  policy: BackoffPolicy,
  random: () => number = Math.random,
  retryAfterMs?: number,
): number | undefined {
  const delay = backoffDelayMs(state.attempts, policy, random, retryAfterMs);
  return state.waitedMs + delay > policy.budgetMs ? undefined : delay;
}

/**
 * A `Retry-After` header in milliseconds: delay-seconds, or an HTTP-date less `nowMs`; undefined when absent or
 * unreadable.
 */
export function parseRetryAfterHeader(
  value: string | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** `body.retryAfter` of an error frame (seconds) in milliseconds; undefined when absent or not a number >= 0. */
export function retryAfterOfFrame(body: unknown): number | undefined {
  const value = (body as { retryAfter?: unknown } | null | undefined)?.retryAfter;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

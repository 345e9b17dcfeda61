/** Retrying 429 and 503 (rehearsal/backoff.ts): full jitter, its cap, Retry-After and the per-session budget. */
import fc from "fast-check";
import {
  DEFAULT_BACKOFF,
  backoffDelayMs,
  isRetryable,
  nextRetryDelayMs,
  parseRetryAfterHeader,
  retryAfterOfFrame,
} from "../../rehearsal/backoff";

describe("backoffDelayMs: capped exponential backoff with full jitter", () => {
  const policy = { baseMs: 1000, capMs: 30_000, budgetMs: 60_000 };

  it.each([
    [0, 0.5, 500],
    [1, 0.5, 1000],
    [2, 0.5, 2000],
    [4, 0.5, 8000],
    [5, 0.5, 15_000], // 32 s is over the 30 s cap
    [40, 0.999, 29_970],
    [0, 0, 0],
  ])("retry %i with random %p waits %i ms", (attempt, random, expected) => {
    expect(backoffDelayMs(attempt, policy, () => random)).toBe(expected);
  });

  it("waits at least the service's Retry-After, and the jitter when that is longer", () => {
    expect(backoffDelayMs(0, policy, () => 0.5, 3000)).toBe(3000);
    expect(backoffDelayMs(4, policy, () => 0.9, 3000)).toBe(14_400);
  });

  it("draws every wait from [0, min(cap, base × 2^attempt)) whatever the random source says", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: -1, max: 2, noNaN: true }),
        (attempt, r) => {
          const delay = backoffDelayMs(attempt, policy, () => r);
          return delay >= 0 && delay <= Math.min(policy.capMs, policy.baseMs * 2 ** attempt);
        },
      ),
    );
  });
});

describe("nextRetryDelayMs: the per-session budget", () => {
  it("retries while the waits add up to the budget, then gives up", () => {
    const policy = { baseMs: 1000, capMs: 30_000, budgetMs: 10_000 };
    const always = () => 0.999;
    expect(nextRetryDelayMs({ attempts: 0, waitedMs: 0 }, policy, always)).toBe(999);
    expect(nextRetryDelayMs({ attempts: 3, waitedMs: 2000 }, policy, always)).toBe(7992);
    expect(nextRetryDelayMs({ attempts: 3, waitedMs: 2009 }, policy, always)).toBeUndefined();
    // A Retry-After past the budget is not waited for.
    expect(nextRetryDelayMs({ attempts: 0, waitedMs: 0 }, policy, always, 11_000)).toBeUndefined();
  });

  it("never retries with a budget of 0", () => {
    expect(
      nextRetryDelayMs({ attempts: 0, waitedMs: 0 }, { ...DEFAULT_BACKOFF, budgetMs: 0 }, () => 0.5),
    ).toBe(undefined);
  });

  it("keeps the total wait of a session within the budget, whatever the draws (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.999, noNaN: true }), { maxLength: 50 }), (draws) => {
        let state = { attempts: 0, waitedMs: 0 };
        for (const draw of draws) {
          const delay = nextRetryDelayMs(state, DEFAULT_BACKOFF, () => draw);
          if (delay === undefined) break;
          state = { attempts: state.attempts + 1, waitedMs: state.waitedMs + delay };
        }
        return state.waitedMs <= DEFAULT_BACKOFF.budgetMs;
      }),
    );
  });
});

describe("what the service says", () => {
  it("retries 429 and 503 only", () => {
    expect([400, 403, 404, 429, 500, 502, 503, 4029].filter(isRetryable)).toEqual([429, 503]);
  });

  it("reads Retry-After as delay-seconds or an HTTP-date", () => {
    const now = Date.parse("2026-12-06T12:00:00Z");
    expect(parseRetryAfterHeader("3", now)).toBe(3000);
    expect(parseRetryAfterHeader(" 0 ", now)).toBe(0);
    expect(parseRetryAfterHeader("Sun, 06 Dec 2026 12:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfterHeader("Sun, 06 Dec 2026 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfterHeader("soon", now)).toBeUndefined();
    expect(parseRetryAfterHeader(undefined, now)).toBeUndefined();
  });

  it("reads retryAfter of a TooManyRequestsErrorMessage body in seconds", () => {
    // The capture of MobileSDK issue #347.
    const body = {
      errorCode: 429,
      errorMessage: "ConfigureSession rate too high for this session",
      retryAfter: 3,
    };
    expect(retryAfterOfFrame(body)).toBe(3000);
    expect(retryAfterOfFrame({ retryAfter: "3" })).toBeUndefined();
    expect(retryAfterOfFrame("Request failed.")).toBeUndefined();
    expect(retryAfterOfFrame(undefined)).toBeUndefined();
  });
});

import fc from "fast-check";
import { planVoice, VoicePlanInputError, type VoicePlanInput } from "../../capacity";

/** The load-test report's entry: a ServiceNow lookup that holds each call, at the org's default limits. */
const REPORT: VoicePlanInput = {
  callsPerMinute: 600,
  dataActionsPerCall: 1,
  p99LatencySeconds: 20,
  timeoutSeconds: 60,
  maxCallerWaitSeconds: 30,
};

/** The same entry with the project's fixes: an acknowledge-only action, 3 s timeout, answering in 0.3 s. */
const FIXED: VoicePlanInput = { ...REPORT, p99LatencySeconds: 0.3, timeoutSeconds: 3 };

const codes = (input: VoicePlanInput) => planVoice(input).warnings.map((w) => `${w.severity} ${w.code}`);

describe("planVoice", () => {
  it("computes the report's wall with Little's law: 10 calls/s × 20 s = 200 executions against 50", () => {
    const plan = planVoice(REPORT);
    expect(plan.executionsPerSecond).toBe(10);
    expect(plan.inFlightAtP99).toBe(200);
    expect(plan.inFlightAtTimeout).toBe(600);
    expect(plan.concurrencyLimit).toBe(50);
    expect(plan.maxCallsPerMinuteAtP99).toBe(120);
    expect(plan.feasible).toBe(false);
    expect(codes(REPORT)).toEqual([
      "error voice-timeout-exceeds-wait",
      "error voice-data-action-concurrency",
    ]);
    const concurrency = plan.warnings.find((w) => w.code === "voice-data-action-concurrency")!;
    expect(concurrency.message).toBe(
      "600 calls/min × 1 Data Action each = 10/s; at 20 s p99 latency about 200 run at once, over the org's 50 " +
        "concurrent Data Action executions (catalog: documented by Genesys): the rest are refused and take the " +
        "failure path. The limit carries 120 calls/min at this latency with the 80% headroom. Sharding does not " +
        "lift it: the limit is per org. Change the flow, not the number of IVRs: a shorter timeout with a failure " +
        "path that still routes the call, an acknowledge-only action (the endpoint answers 202 at once and works " +
        "in the background), or a faster endpoint; or a raised limit. Whether Genesys raises it is unknown (no " +
        "source says; the preflight reads `configurable` from the org's Limits docs): ask Genesys Customer Care, " +
        "or change the plan.",
    );
  });

  it("passes the same peak once the action acknowledges and times out after 3 s", () => {
    const plan = planVoice(FIXED);
    expect(plan.feasible).toBe(true);
    expect(plan.inFlightAtP99).toBe(3);
    expect(codes(FIXED)).toEqual([]);
    expect(plan.maxLatencySecondsAtPeak).toBe(4);
  });

  it.each([
    [
      "within the limit, above the headroom",
      { p99LatencySeconds: 4.5, timeoutSeconds: 5 },
      ["warning voice-data-action-no-headroom"],
    ],
    [
      "fits at p99, not if the endpoint slows to the timeout",
      { p99LatencySeconds: 1, timeoutSeconds: 8 },
      ["warning voice-timeout-wall"],
    ],
    [
      "over the executions per minute",
      { callsPerMinute: 3000, p99LatencySeconds: 0.2, timeoutSeconds: 1 },
      ["error voice-data-action-rate"],
    ],
  ] as const)("%s", (_case, change, expected) => {
    expect(codes({ ...FIXED, ...change })).toEqual(expected);
  });

  it("counts the messaging flows' Data Actions against the same org-wide limits", () => {
    const alone = planVoice(FIXED);
    const shared = planVoice({ ...FIXED, otherLoad: { inFlight: 48, executionsPerMinute: 2000 } });
    expect(shared.inFlightAtP99).toBe(alone.inFlightAtP99 + 48);
    expect(codes({ ...FIXED, otherLoad: { inFlight: 48, executionsPerMinute: 2000 } })).toEqual([
      "error voice-data-action-concurrency",
      "error voice-data-action-rate",
    ]);
    expect(shared.warnings[0].message).toContain("plus 48 in flight (2000/min) from the messaging flows");
  });

  it("reads a limit recorded for the org, and the org's own value before it", () => {
    expect(
      planVoice({ ...REPORT, timeoutSeconds: 25, limits: { dataActionConcurrentExecutions: 250 } }).feasible,
    ).toBe(true);
    const org = planVoice({
      ...REPORT,
      timeoutSeconds: 25,
      limits: { dataActionConcurrentExecutions: 250 },
      orgLimits: {
        values: { dataActionConcurrentExecutions: 100 },
        configurable: { dataActionConcurrentExecutions: true },
      },
    });
    expect(org.concurrencyLimit).toBe(100);
    expect(org.warnings[0].message).toContain("(org's Limits API)");
    expect(org.warnings[0].message).toContain("ask Genesys Customer Care to raise it");
  });

  it.each([
    ["callsPerMinute", { callsPerMinute: 0 }, "callsPerMinute must be a number > 0, got 0"],
    ["timeoutSeconds", { timeoutSeconds: 61 }, "timeoutSeconds must be an integer from 1 to 60, got 61"],
    [
      "p99 over the timeout",
      { p99LatencySeconds: 4, timeoutSeconds: 3 },
      "p99LatencySeconds must be <= timeoutSeconds (3): an execution is cut off at its timeout, got 4",
    ],
  ] as const)("fails when %s is out of range", (_field, change, message) => {
    expect(() => planVoice({ ...FIXED, ...change })).toThrow(VoicePlanInputError);
    expect(() => planVoice({ ...FIXED, ...change })).toThrow(message);
  });
});

describe("planVoice properties", () => {
  const input = fc.record({
    callsPerMinute: fc.integer({ min: 1, max: 5000 }),
    dataActionsPerCall: fc.integer({ min: 1, max: 4 }),
    timeoutSeconds: fc.integer({ min: 1, max: 60 }),
    latencyFraction: fc.double({ min: 0.01, max: 1, noNaN: true }),
    maxCallerWaitSeconds: fc.integer({ min: 2, max: 120 }),
    limit: fc.integer({ min: 1, max: 500 }),
    other: fc.integer({ min: 0, max: 100 }),
  });
  function sample(v: {
    callsPerMinute: number;
    dataActionsPerCall: number;
    timeoutSeconds: number;
    latencyFraction: number;
    maxCallerWaitSeconds: number;
    limit: number;
    other: number;
  }): VoicePlanInput {
    return {
      callsPerMinute: v.callsPerMinute,
      dataActionsPerCall: v.dataActionsPerCall,
      timeoutSeconds: v.timeoutSeconds,
      p99LatencySeconds: v.timeoutSeconds * v.latencyFraction,
      maxCallerWaitSeconds: v.maxCallerWaitSeconds,
      otherLoad: { inFlight: v.other, executionsPerMinute: v.other * 10 },
      limits: { dataActionConcurrentExecutions: v.limit, dataActionExecutionsPerMinute: 1_000_000 },
    };
  }

  it("in flight is arrivals per second × latency (Little's law), plus the other load", () => {
    fc.assert(
      fc.property(input, (v) => {
        const i = sample(v);
        const plan = planVoice(i);
        const perSecond = (i.callsPerMinute * i.dataActionsPerCall) / 60;
        expect(plan.inFlightAtP99).toBeCloseTo(perSecond * i.p99LatencySeconds + v.other, 9);
        expect(plan.inFlightAtTimeout).toBeCloseTo(perSecond * i.timeoutSeconds + v.other, 9);
        expect(plan.inFlightAtTimeout).toBeGreaterThanOrEqual(plan.inFlightAtP99 - 1e-9);
      }),
    );
  });

  it("is infeasible on concurrency exactly when the load at p99 exceeds the limit, and says what to change", () => {
    fc.assert(
      fc.property(input, (v) => {
        const plan = planVoice(sample(v));
        const error = plan.warnings.find((w) => w.code === "voice-data-action-concurrency");
        expect(error !== undefined).toBe(plan.inFlightAtP99 > v.limit);
        if (error) {
          expect(error.message).toContain(`over the org's ${v.limit} concurrent`);
          expect(error.message).toContain("Sharding does not lift it");
          expect(error.message).toMatch(/shorter timeout.*acknowledge-only.*raised limit/);
        }
      }),
    );
  });

  it("a timeout not shorter than the caller's wait is always an error", () => {
    fc.assert(
      fc.property(input, (v) => {
        const i = sample(v);
        const plan = planVoice(i);
        const wait = plan.warnings.some((w) => w.code === "voice-timeout-exceeds-wait");
        expect(wait).toBe(i.timeoutSeconds >= i.maxCallerWaitSeconds);
        if (wait) expect(plan.feasible).toBe(false);
      }),
    );
  });

  it("maxCallsPerMinuteAtP99 is the largest call rate within the headroom, with no other load", () => {
    fc.assert(
      fc.property(input, (v) => {
        const i = { ...sample(v), otherLoad: undefined };
        const { maxCallsPerMinuteAtP99: max } = planVoice(i);
        const usable = v.limit * 0.8;
        const inFlight = (calls: number) => ((calls * i.dataActionsPerCall) / 60) * i.p99LatencySeconds;
        expect(inFlight(max)).toBeLessThanOrEqual(usable + 1e-9);
        expect(inFlight(max + 1)).toBeGreaterThan(usable - 1e-9);
      }),
    );
  });

  it("a slower endpoint never clears a concurrency error (monotonic in latency)", () => {
    fc.assert(
      fc.property(input, fc.double({ min: 1, max: 10, noNaN: true }), (v, factor) => {
        const fast = sample(v);
        const slow = {
          ...fast,
          p99LatencySeconds: Math.min(fast.timeoutSeconds, fast.p99LatencySeconds * factor),
        };
        const failing = (i: VoicePlanInput) =>
          planVoice(i).warnings.some((w) => w.code === "voice-data-action-concurrency");
        if (failing(fast)) expect(failing(slow)).toBe(true);
      }),
    );
  });
});

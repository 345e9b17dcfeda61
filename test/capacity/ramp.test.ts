import { checkRamp, planRamp, planShards, rampRates } from "../../capacity";

describe("the ramp", () => {
  it("takes target / rate minutes: 10,000 sessions at 50 new/min take 200 min", () => {
    const plan = planShards({ targetSessions: 10_000, arrivalsPerMinute: 50 });
    expect(plan.shards).toBe(85);
    expect(plan.ramp).toEqual({ sessions: 10_000, perMinute: 50, minutes: 200 });
  });

  it("has no ramp without an arrival rate, or at a rate of 0", () => {
    expect(planShards({ targetSessions: 200 }).ramp).toBeUndefined();
    expect(planShards({ targetSessions: 200, arrivalsPerMinute: 0 }).ramp).toBeUndefined();
  });

  it("gives every shard a rate above 0, where the whole-number arrival shares leave 35 of 85 shards at 0", () => {
    const plan = planShards({ targetSessions: 10_000, arrivalsPerMinute: 50 });
    expect(plan.perShard.filter((share) => share.arrivalsPerMinute === 0)).toHaveLength(35);
    const rates = rampRates(
      plan.perShard.map((share) => share.sessions),
      50,
    );
    // 118 sessions: 50 × 118 / 10,000 = 0.59/min; 117 sessions: 0.585/min; each fills in 200 min.
    expect(rates[0]).toBeCloseTo(0.59, 12);
    expect(rates[84]).toBeCloseTo(0.585, 12);
    expect(plan.perShard.map((share, i) => share.sessions / rates[i])).toEqual(
      plan.perShard.map(() => expect.closeTo(200, 9)),
    );
  });

  it("spreads nothing when no shard has sessions", () => {
    expect(rampRates([0, 0], 10)).toEqual([0, 0]);
    expect(rampRates([], 10)).toEqual([]);
  });
});

describe("checkRamp", () => {
  const ramp = planRamp(10_000, 50)!;

  it("says nothing when the ramp fits the hold and the window, or nothing is given", () => {
    expect(checkRamp(ramp, {})).toEqual([]);
    expect(checkRamp(ramp, { windowMinutes: 200 })).toEqual([]);
    expect(checkRamp(ramp, { holdMinutes: 200, windowMinutes: 400 })).toEqual([]);
  });

  it("warns when the ramp outlasts the booked window, with the rate that fits it", () => {
    expect(checkRamp(ramp, { windowMinutes: 120 })).toEqual([
      {
        code: "ramp-exceeds-window",
        message:
          "the ramp takes 200 min (10000 sessions at 50 new/min), longer than the 120 min window: ramp at 84 " +
          "new/min or more, or book 200 min",
      },
    ]);
  });

  it("warns when the ramp outlasts the hold, and counts the hold in the window", () => {
    expect(checkRamp(ramp, { holdMinutes: 60, windowMinutes: 240 })).toEqual([
      {
        code: "ramp-exceeds-hold",
        message:
          "the ramp takes 200 min (10000 sessions at 50 new/min), longer than the 60 min hold at the target: most " +
          "of the test is ramping; ramp at 167 new/min or more to reach the target within the hold, or hold longer",
      },
      {
        code: "ramp-exceeds-window",
        message:
          "the ramp takes 200 min (10000 sessions at 50 new/min) and the hold 60 min, longer than the 240 min " +
          "window: ramp at 56 new/min or more, or book 260 min",
      },
    ]);
  });

  it("says when the hold alone fills the window", () => {
    expect(checkRamp(ramp, { holdMinutes: 120, windowMinutes: 120 }).at(-1)?.message).toContain(
      "the hold alone fills the window; book 320 min or hold less",
    );
  });
});

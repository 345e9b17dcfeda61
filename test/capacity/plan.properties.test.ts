import fc from "fast-check";
import { planShards, rampRates, type CapacityPlan, type PlanInput } from "../../capacity";
import { MAX_SHARDS_PER_STACK } from "../../genesys";

/**
 * Inputs with small enough numbers that every plan lists at most about 60,000 shards. Headroom is a whole
 * percentage, so u = floor(C × p / 100) can be computed exactly in integers as an independent oracle.
 */
const planInputs = fc
  .record({
    targetSessions: fc.integer({ min: 1, max: 30_000 }),
    sessionsPerShard: fc.integer({ min: 1, max: 600 }),
    headroomPercent: fc.integer({ min: 1, max: 100 }),
    spares: fc.integer({ min: 0, max: 4 }),
    arrivals: fc.option(
      fc.record({
        arrivalsPerMinute: fc.integer({ min: 0, max: 30_000 }),
        arrivalsPerShardPerMinute: fc.integer({ min: 1, max: 3000 }),
      }),
      { nil: undefined },
    ),
  })
  .filter(
    ({ sessionsPerShard, headroomPercent, arrivals }) =>
      exactUsable(sessionsPerShard, headroomPercent) >= 1 &&
      (arrivals === undefined || exactUsable(arrivals.arrivalsPerShardPerMinute, headroomPercent) >= 1),
  )
  .map(({ headroomPercent, arrivals, ...rest }) => {
    const input: PlanInput = { ...rest, ...arrivals, headroom: headroomPercent / 100 };
    return { input, headroomPercent };
  });

/** floor(ceiling × percent / 100) in integer arithmetic. */
function exactUsable(ceiling: number, percent: number): number {
  const product = ceiling * percent;
  return (product - (product % 100)) / 100;
}

function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

function sessionShares(plan: CapacityPlan): number[] {
  return plan.perShard.map((share) => share.sessions);
}

function arrivalShares(plan: CapacityPlan): number[] {
  return plan.perShard.map((share) => share.arrivalsPerMinute ?? Number.NaN);
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

describe("planShards: invariants", () => {
  it("computes u and ua as floor(ceiling × headroom), exactly", () => {
    fc.assert(
      fc.property(planInputs, ({ input, headroomPercent }) => {
        const { parameters } = planShards(input);
        expect(parameters.usableSessionsPerShard).toBe(exactUsable(input.sessionsPerShard!, headroomPercent));
        if (input.arrivalsPerMinute !== undefined) {
          expect(parameters.usableArrivalsPerShardPerMinute).toBe(
            exactUsable(input.arrivalsPerShardPerMinute!, headroomPercent),
          );
        }
      }),
    );
  });

  it("has N = n + s >= 1 with n the larger of the two terms, binding naming that term", () => {
    fc.assert(
      fc.property(planInputs, ({ input }) => {
        const plan = planShards(input);
        const { usableSessionsPerShard: u, usableArrivalsPerShardPerMinute: ua } = plan.parameters;
        const forSessions = ceilDiv(input.targetSessions, u);
        const forArrivals = input.arrivalsPerMinute === undefined ? 0 : ceilDiv(input.arrivalsPerMinute, ua!);
        expect(plan.baseShards).toBe(Math.max(forSessions, forArrivals));
        expect(plan.shards).toBe(plan.baseShards + input.spares!);
        expect(plan.shards).toBeGreaterThanOrEqual(1);
        expect(plan.binding).toBe(forArrivals > forSessions ? "arrivals" : "sessions");
      }),
    );
  });

  it("is minimal: n base shards hold T and R within u and ua, and n - 1 would not", () => {
    fc.assert(
      fc.property(planInputs, ({ input }) => {
        const plan = planShards(input);
        const { usableSessionsPerShard: u, usableArrivalsPerShardPerMinute: ua } = plan.parameters;
        const n = plan.baseShards;
        const R = input.arrivalsPerMinute;
        expect(ceilDiv(input.targetSessions, n)).toBeLessThanOrEqual(u);
        if (R !== undefined) expect(ceilDiv(R, n)).toBeLessThanOrEqual(ua!);
        if (n > 1) {
          const sessionsOverflow = ceilDiv(input.targetSessions, n - 1) > u;
          const arrivalsOverflow = R !== undefined && ceilDiv(R, n - 1) > ua!;
          expect(sessionsOverflow || arrivalsOverflow).toBe(true);
        }
      }),
    );
  });

  it("spreads T (and R) over all N shards: shares sum to the total, differ by at most 1, larger first", () => {
    fc.assert(
      fc.property(planInputs, ({ input }) => {
        const plan = planShards(input);
        expect(plan.perShard.findIndex((share, i) => share.index !== i)).toBe(-1);
        const spreads = [sessionShares(plan)];
        expect(sum(spreads[0])).toBe(input.targetSessions);
        if (input.arrivalsPerMinute !== undefined) {
          spreads.push(arrivalShares(plan));
          expect(sum(spreads[1])).toBe(input.arrivalsPerMinute);
        }
        for (const shares of spreads) {
          expect(shares[0] - shares[shares.length - 1]).toBeLessThanOrEqual(1);
          expect(shares.findIndex((share, i) => i > 0 && share > shares[i - 1])).toBe(-1);
        }
      }),
    );
  });

  it("keeps the largest share within u and ua", () => {
    fc.assert(
      fc.property(planInputs, ({ input }) => {
        const plan = planShards(input);
        expect(Math.max(...sessionShares(plan))).toBeLessThanOrEqual(plan.parameters.usableSessionsPerShard);
        if (input.arrivalsPerMinute !== undefined) {
          expect(Math.max(...arrivalShares(plan))).toBeLessThanOrEqual(
            plan.parameters.usableArrivalsPerShardPerMinute!,
          );
        }
      }),
    );
  });

  it("still fits within u and ua after losing any s shards, once their load is spread over the rest", () => {
    fc.assert(
      fc.property(planInputs, fc.infiniteStream(fc.nat()), ({ input }, picks) => {
        const plan = planShards(input);
        const { usableSessionsPerShard: u, usableArrivalsPerShardPerMinute: ua } = plan.parameters;
        // Lose s distinct shards chosen by fast-check (the largest first, the rest anywhere).
        const alive = [...plan.perShard];
        const lost = alive.splice(0, plan.spares > 0 ? 1 : 0);
        const pick = picks[Symbol.iterator]();
        while (lost.length < plan.spares) lost.push(...alive.splice(pick.next().value % alive.length, 1));

        expect(alive).toHaveLength(plan.baseShards);
        // The survivors' free room must hold everything the lost shards carried...
        const lostSessions = sum(lost.map((share) => share.sessions));
        expect(sum(alive.map((share) => u - share.sessions))).toBeGreaterThanOrEqual(lostSessions);
        // ...and, spread evenly, the fullest survivor stays within u.
        expect(ceilDiv(input.targetSessions, alive.length)).toBeLessThanOrEqual(u);
        if (input.arrivalsPerMinute !== undefined) {
          const lostArrivals = sum(lost.map((share) => share.arrivalsPerMinute!));
          expect(sum(alive.map((share) => ua! - share.arrivalsPerMinute!))).toBeGreaterThanOrEqual(
            lostArrivals,
          );
          expect(ceilDiv(input.arrivalsPerMinute, alive.length)).toBeLessThanOrEqual(ua!);
        }
      }),
    );
  });

  it("never needs fewer shards for a larger target", () => {
    fc.assert(
      fc.property(planInputs, fc.integer({ min: 1, max: 30_000 }), ({ input }, more) => {
        const smaller = planShards(input);
        const larger = planShards({ ...input, targetSessions: input.targetSessions + more });
        expect(larger.shards).toBeGreaterThanOrEqual(smaller.shards);
      }),
    );
  });

  it("never needs fewer shards for a lower headroom or more spares", () => {
    fc.assert(
      fc.property(planInputs, fc.integer({ min: 1, max: 3 }), ({ input, headroomPercent }, extra) => {
        const plan = planShards(input);
        expect(planShards({ ...input, spares: input.spares! + extra }).shards).toBe(plan.shards + extra);
        if (headroomPercent > 1 && exactUsable(input.sessionsPerShard!, headroomPercent - 1) >= 1) {
          const lower = { ...input, headroom: (headroomPercent - 1) / 100 };
          const arrivalsOk =
            input.arrivalsPerMinute === undefined ||
            exactUsable(input.arrivalsPerShardPerMinute!, headroomPercent - 1) >= 1;
          if (arrivalsOk) expect(planShards(lower).shards).toBeGreaterThanOrEqual(plan.shards);
        }
      }),
    );
  });
});

describe("planShards: infeasibility invariants", () => {
  it("is feasible exactly when no warning is an error", () => {
    fc.assert(
      fc.property(
        planInputs,
        fc.option(fc.integer({ min: 1, max: 40_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
        ({ input }, tenant, maxShards) => {
          const plan = planShards({
            ...input,
            maxShards,
            limits: tenant === undefined ? undefined : { webMessagingSessionsPerOrg: tenant },
          });
          expect(plan.feasible).toBe(!plan.warnings.some((warning) => warning.severity === "error"));
        },
      ),
    );
  });

  it("is infeasible whatever the shard count when the target exceeds a tenant-wide ceiling", () => {
    fc.assert(
      fc.property(planInputs, fc.integer({ min: 1, max: 30_000 }), ({ input }, tenant) => {
        fc.pre(input.targetSessions > tenant);
        const plan = planShards({ ...input, limits: { webMessagingSessionsPerOrg: tenant } });
        expect(plan.feasible).toBe(false);
        expect(plan.warnings.find((w) => w.code === "tenant-sessions-exceeded")).toMatchObject({
          required: input.targetSessions,
          available: tenant,
        });
      }),
    );
  });

  it("is infeasible with shards-exceed-stack exactly when a shard group holds more shards than one stack", () => {
    let over = 0;
    fc.assert(
      fc.property(planInputs, fc.integer({ min: 1, max: 3000 }), ({ input }, shardsPerGroup) => {
        const plan = planShards({ ...input, shardsPerGroup });
        const stack = plan.warnings.filter((w) => w.code === "shards-exceed-stack");
        if (Math.min(plan.shards, shardsPerGroup) > MAX_SHARDS_PER_STACK) {
          over++;
          expect(plan.feasible).toBe(false);
          expect(stack).toEqual([
            expect.objectContaining({
              severity: "error",
              required: Math.min(plan.shards, shardsPerGroup),
              available: MAX_SHARDS_PER_STACK,
              raisable: false,
            }),
          ]);
        } else {
          expect(stack).toEqual([]);
        }
      }),
      { numRuns: 500 },
    );
    expect(over).toBeGreaterThan(0); // the inputs reach past one stack
  });

  it("warns about a per-shard session ceiling exactly when it is above the catalog's 150", () => {
    fc.assert(
      fc.property(planInputs, ({ input }) => {
        const warned = planShards(input).warnings.some(
          (w) => w.code === "ceiling-above-catalog" && w.limit === "webMessagingSessionsPerDeployment",
        );
        expect(warned).toBe(input.sessionsPerShard! > 150);
      }),
    );
  });

  it("asks for agents that keep the headroom: the suggested count leaves floor(capacity × h) >= T", () => {
    fc.assert(
      fc.property(
        planInputs,
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 1, max: 25 }),
        ({ input, headroomPercent }, count, capacityPerAgent) => {
          const plan = planShards({ ...input, agents: { count, capacityPerAgent } });
          const capacity = count * capacityPerAgent;
          const keeps = exactUsable(capacity, headroomPercent) >= input.targetSessions;
          const agentWarning = plan.warnings.find((w) => w.code.startsWith("agent-capacity"));
          expect(agentWarning === undefined).toBe(keeps);
          if (agentWarning !== undefined) {
            expect(agentWarning.code).toBe(
              capacity < input.targetSessions ? "agent-capacity-short" : "agent-capacity-no-headroom",
            );
            const suggested = Number(/\((\d+) agents at/.exec(agentWarning.message)![1]);
            expect(exactUsable(suggested * capacityPerAgent, headroomPercent)).toBeGreaterThanOrEqual(
              input.targetSessions,
            );
            expect(exactUsable((suggested - 1) * capacityPerAgent, headroomPercent)).toBeLessThan(
              input.targetSessions,
            );
          }
        },
      ),
    );
  });
});

describe("planShards: ramp invariants", () => {
  /** Plans with an arrival rate above 0, and the rate each shard ramps at. */
  const ramps = planInputs
    .filter(({ input }) => (input.arrivalsPerMinute ?? 0) > 0)
    .map(({ input }) => {
      const plan = planShards(input);
      return {
        input,
        plan,
        sessions: sessionShares(plan),
        rates: rampRates(sessionShares(plan), input.arrivalsPerMinute!),
      };
    });

  it("per-shard rates sum to the total rate", () => {
    fc.assert(
      fc.property(ramps, ({ input, rates }) => {
        expect(Math.abs(sum(rates) - input.arrivalsPerMinute!)).toBeLessThanOrEqual(
          1e-9 * input.arrivalsPerMinute!,
        );
      }),
    );
  });

  it("gives every shard with sessions a rate above 0, and a shard without sessions none", () => {
    fc.assert(
      fc.property(ramps, ({ sessions, rates }) => {
        expect(sessions.every((count, i) => rates[i] > 0 === count > 0)).toBe(true);
      }),
    );
  });

  it("takes target / rate minutes, and every shard fills at that moment", () => {
    fc.assert(
      fc.property(ramps, ({ input, plan, sessions, rates }) => {
        const minutes = input.targetSessions / input.arrivalsPerMinute!;
        expect(plan.ramp?.minutes).toBe(minutes);
        const fillsAt = (count: number, i: number) => Math.abs(count / rates[i] - minutes) <= 1e-9 * minutes;
        expect(sessions.every((count, i) => count === 0 || fillsAt(count, i))).toBe(true);
      }),
    );
  });
});

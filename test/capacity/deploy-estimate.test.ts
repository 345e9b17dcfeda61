import fc from "fast-check";
import { planShards, type PlanInput } from "../../capacity";
import { DEFAULT_OAUTH_CLIENTS } from "../../capacity/plan";

/** prod as committed: 10,000 sessions at 150 per shard, h = 0.8, one spare: 85 shards, d = 1. */
const PROD: PlanInput = { targetSessions: 10000, sessionsPerShard: 150 };

describe("planShards: the deploy estimate in shard groups and OAuth clients", () => {
  it("keeps one stack on one client: prod at G = 100 needs 4.53 min whatever the clients", () => {
    for (const oauthClients of [1, 2, 4]) {
      const { deploy } = planShards({ ...PROD, oauthClients });
      expect(deploy).toMatchObject({
        apiRequests: 1360,
        planRequests: 510,
        shardGroups: 0,
        oauthClients,
        usefulClients: 1,
        effectiveRequestsPerMinute: 300,
      });
      expect(deploy.minimumMinutes).toBeCloseTo(1360 / 300, 10);
      expect(deploy.planMinimumMinutes).toBeCloseTo(510 / 300, 10);
    }
  });

  it("splits prod at G = 25 into 4 groups, so 4 clients deploy it in 1.33 min (the largest group, 400 requests)", () => {
    const byClients = [1, 2, 4].map(
      (oauthClients) => planShards({ ...PROD, shardsPerGroup: 25, oauthClients }).deploy,
    );
    expect(byClients[0]!.perStack.map((s) => s.apiRequests)).toEqual([400, 400, 400, 160]);
    expect(byClients.map((d) => d.shardGroups)).toEqual([4, 4, 4]);
    expect(byClients.map((d) => Number(d.minimumMinutes.toFixed(2)))).toEqual([4.53, 2.27, 1.33]);
    expect(byClients.map((d) => Number(d.planMinimumMinutes.toFixed(2)))).toEqual([1.7, 0.85, 0.5]);
  });

  it("caps the clients' rate at an org-wide rate when one is recorded", () => {
    const { deploy, warnings } = planShards({
      targetSessions: 120_000,
      sessionsPerShard: 150,
      oauthClients: 11,
      limits: { platformApiRequestsPerOrgPerMinute: 3000 },
    });
    expect(deploy).toMatchObject({ shardGroups: 11, usefulClients: 11, effectiveRequestsPerMinute: 3000 });
    expect(deploy.minimumMinutes).toBeCloseTo(deploy.apiRequests / 3000, 10);
    expect(warnings.find((w) => w.code === "deploy-api-rate")?.message).toContain(
      "capped by the org-wide 3000 requests/min",
    );
  });

  it("defaults to one client", () => {
    expect(DEFAULT_OAUTH_CLIENTS).toBe(1);
    expect(planShards(PROD).deploy.oauthClients).toBe(1);
  });

  it.each([0, 1.5, 1001])("refuses oauthClients %p", (oauthClients) => {
    expect(() => planShards({ ...PROD, oauthClients })).toThrow(/oauthClients must be/);
  });
});

describe("planShards: deploy estimate invariants", () => {
  const inputs = fc.record({
    targetSessions: fc.integer({ min: 1, max: 200_000 }),
    shardsPerGroup: fc.integer({ min: 1, max: 1000 }),
    clients: fc.integer({ min: 1, max: 40 }),
    more: fc.integer({ min: 1, max: 40 }),
    org: fc.option(fc.integer({ min: 1, max: 20_000 }), { nil: undefined }),
  });
  const plan = (
    i: { targetSessions: number; shardsPerGroup: number; org: number | undefined },
    clients: number,
  ) =>
    planShards({
      targetSessions: i.targetSessions,
      sessionsPerShard: 150,
      shardsPerGroup: i.shardsPerGroup,
      oauthClients: clients,
      limits: i.org === undefined ? {} : { platformApiRequestsPerOrgPerMinute: i.org },
    }).deploy;

  it("more clients never make a deploy or a plan slower", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const fewer = plan(i, i.clients);
        const more = plan(i, i.clients + i.more);
        expect(more.minimumMinutes).toBeLessThanOrEqual(fewer.minimumMinutes);
        expect(more.planMinimumMinutes).toBeLessThanOrEqual(fewer.planMinimumMinutes);
      }),
      { numRuns: 200 },
    );
  });

  it("is never faster than the org-wide rate, nor than one client for the largest stack", () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const d = plan(i, i.clients);
        const tolerance = 1e-9;
        if (i.org !== undefined) {
          expect(d.minimumMinutes + tolerance).toBeGreaterThanOrEqual(d.apiRequests / i.org);
          expect(d.planMinimumMinutes + tolerance).toBeGreaterThanOrEqual(d.planRequests / i.org);
        }
        expect(d.minimumMinutes + tolerance).toBeGreaterThanOrEqual(d.apiRequests / (d.usefulClients * 300));
        const largest = Math.max(...d.perStack.map((s) => s.apiRequests));
        expect(d.minimumMinutes + tolerance).toBeGreaterThanOrEqual(largest / 300);
        expect(d.perStack.reduce((sum, s) => sum + s.apiRequests, 0)).toBe(d.apiRequests); // d = 1
      }),
      { numRuns: 200 },
    );
  });
});

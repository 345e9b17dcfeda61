import {
  DEFAULT_HEADROOM,
  DEFAULT_SPARE_SHARDS,
  DEPLOY_API_REQUESTS_PER_SHARD,
  PlanInputError,
  planShards,
  type CapacityPlan,
  type PlanInput,
  type PlanWarning,
  type UsageMeasure,
  type WarningCode,
} from "../../capacity";

function warning(plan: CapacityPlan, code: WarningCode): PlanWarning | undefined {
  return plan.warnings.find((entry) => entry.code === code);
}

function usage(plan: CapacityPlan, measure: UsageMeasure) {
  return plan.usage.find((entry) => entry.measure === measure);
}

/** The PlanInputError that `input` raises. */
function inputError(input: PlanInput): PlanInputError {
  try {
    planShards(input);
  } catch (error) {
    if (error instanceof PlanInputError) return error;
    throw error;
  }
  throw new Error("planShards accepted the input");
}

describe("planShards: the formula, hand-computed", () => {
  it.each<{
    name: string;
    input: PlanInput;
    u: number;
    ua?: number;
    forSessions: number;
    forArrivals?: number;
    n: number;
    N: number;
    binding: "sessions" | "arrivals";
  }>([
    {
      name: "T=10000, C=150, h=0.8: u=120, n=ceil(83.3)=84, N=85",
      input: { targetSessions: 10000, sessionsPerShard: 150, headroom: 0.8 },
      u: 120,
      forSessions: 84,
      n: 84,
      N: 85,
      binding: "sessions",
    },
    {
      name: "plus R=1200, Rd=1000: ua=800, arrivals term 2, sessions bind",
      input: {
        targetSessions: 10000,
        sessionsPerShard: 150,
        headroom: 0.8,
        arrivalsPerMinute: 1200,
        arrivalsPerShardPerMinute: 1000,
      },
      u: 120,
      ua: 800,
      forSessions: 84,
      forArrivals: 2,
      n: 84,
      N: 85,
      binding: "sessions",
    },
    {
      name: "T=1000, R=20000: sessions term 9, arrivals term 25, arrivals bind",
      input: { targetSessions: 1000, arrivalsPerMinute: 20000 },
      u: 120,
      ua: 800,
      forSessions: 9,
      forArrivals: 25,
      n: 25,
      N: 26,
      binding: "arrivals",
    },
    {
      name: "a tie (T=240, R=1600: both terms 2) says sessions",
      input: { targetSessions: 240, arrivalsPerMinute: 1600 },
      u: 120,
      ua: 800,
      forSessions: 2,
      forArrivals: 2,
      n: 2,
      N: 3,
      binding: "sessions",
    },
    {
      name: "one session over a multiple of u adds a shard (T=241)",
      input: { targetSessions: 241 },
      u: 120,
      forSessions: 3,
      n: 3,
      N: 4,
      binding: "sessions",
    },
    {
      name: "R=0 gives an arrivals term of 0",
      input: { targetSessions: 100, arrivalsPerMinute: 0 },
      u: 120,
      ua: 800,
      forSessions: 1,
      forArrivals: 0,
      n: 1,
      N: 2,
      binding: "sessions",
    },
    {
      name: "T=1 without spares is one shard",
      input: { targetSessions: 1, spares: 0 },
      u: 120,
      forSessions: 1,
      n: 1,
      N: 1,
      binding: "sessions",
    },
    {
      name: "headroom 1 uses the whole ceiling (T=150, C=150)",
      input: { targetSessions: 150, headroom: 1, spares: 2 },
      u: 150,
      forSessions: 1,
      n: 1,
      N: 3,
      binding: "sessions",
    },
    {
      name: "C=100, h=0.29 gives u=29, not the 28 of 100 × 0.29 in floating point",
      input: { targetSessions: 290, sessionsPerShard: 100, headroom: 0.29 },
      u: 29,
      forSessions: 10,
      n: 10,
      N: 11,
      binding: "sessions",
    },
    {
      name: "C=1e9, h=0.9999999999 gives u=999999999: only binary noise is forgiven, not real fractions",
      input: { targetSessions: 999_999_999, sessionsPerShard: 1e9, headroom: 0.9999999999, spares: 0 },
      u: 999_999_999,
      forSessions: 1,
      n: 1,
      N: 1,
      binding: "sessions",
    },
    {
      name: "an override of the sessions limit sets C when --sessions-per-shard is not given (200 × 0.8 = 160)",
      input: { targetSessions: 10000, limits: { webMessagingSessionsPerDeployment: 200 } },
      u: 160,
      forSessions: 63,
      n: 63,
      N: 64,
      binding: "sessions",
    },
    {
      name: "an explicit sessionsPerShard wins over the override",
      input: {
        targetSessions: 10000,
        sessionsPerShard: 150,
        limits: { webMessagingSessionsPerDeployment: 200 },
      },
      u: 120,
      forSessions: 84,
      n: 84,
      N: 85,
      binding: "sessions",
    },
    {
      name: "an override of the connections limit sets Rd (2000 × 0.8 = 1600)",
      input: {
        targetSessions: 100,
        arrivalsPerMinute: 16001,
        limits: { webMessagingConnectionsPerDeploymentPerMinute: 2000 },
      },
      u: 120,
      ua: 1600,
      forSessions: 1,
      forArrivals: 11,
      n: 11,
      N: 12,
      binding: "arrivals",
    },
  ])("$name", ({ input, u, ua, forSessions, forArrivals, n, N, binding }) => {
    const plan = planShards(input);
    expect(plan.parameters.usableSessionsPerShard).toBe(u);
    expect(plan.parameters.usableArrivalsPerShardPerMinute).toBe(ua);
    expect(plan.shardsForSessions).toBe(forSessions);
    expect(plan.shardsForArrivals).toBe(forArrivals);
    expect(plan.baseShards).toBe(n);
    expect(plan.shards).toBe(N);
    expect(plan.spares).toBe(N - n);
    expect(plan.binding).toBe(binding);
    expect(plan.perShard).toHaveLength(N);
  });

  it("applies the named defaults: headroom 0.8, 1 spare, C=150 and Rd=1000 from the catalog", () => {
    expect(DEFAULT_HEADROOM).toBe(0.8);
    expect(DEFAULT_SPARE_SHARDS).toBe(1);
    const { parameters } = planShards({ targetSessions: 10 });
    expect(parameters).toMatchObject({
      headroom: 0.8,
      spares: 1,
      sessionsPerShard: 150,
      arrivalsPerShardPerMinute: 1000,
      arrivalsPerMinute: undefined,
    });
  });

  it("spreads T=10000 and R=1200 over 85 shards, larger shares first", () => {
    const plan = planShards({ targetSessions: 10000, arrivalsPerMinute: 1200 });
    // 10000 = 55 × 118 + 30 × 117; 1200 = 10 × 15 + 75 × 14.
    expect(plan.perShard[0]).toEqual({ index: 0, queueGroup: 0, sessions: 118, arrivalsPerMinute: 15 });
    expect(plan.perShard[9]).toEqual({ index: 9, queueGroup: 9, sessions: 118, arrivalsPerMinute: 15 });
    expect(plan.perShard[10]).toEqual({ index: 10, queueGroup: 10, sessions: 118, arrivalsPerMinute: 14 });
    expect(plan.perShard[54]).toEqual({ index: 54, queueGroup: 54, sessions: 118, arrivalsPerMinute: 14 });
    expect(plan.perShard[55]).toEqual({ index: 55, queueGroup: 55, sessions: 117, arrivalsPerMinute: 14 });
    expect(plan.perShard[84]).toEqual({ index: 84, queueGroup: 84, sessions: 117, arrivalsPerMinute: 14 });
  });

  it("leaves arrival shares undefined without an arrival rate", () => {
    const plan = planShards({ targetSessions: 500 });
    expect(plan.perShard.every((share) => share.arrivalsPerMinute === undefined)).toBe(true);
    expect(plan.shardsForArrivals).toBeUndefined();
    expect(usage(plan, "arrivals-per-shard")).toBeUndefined();
  });
});

describe("planShards: usage", () => {
  it("reports per-shard sessions and arrivals against C and Rd, and sessions after losing the spare", () => {
    const plan = planShards({ targetSessions: 10000, arrivalsPerMinute: 1200 });
    expect(usage(plan, "sessions-per-shard")).toEqual({
      measure: "sessions-per-shard",
      limit: "webMessagingSessionsPerDeployment",
      unit: "sessions",
      used: 118,
      available: 150,
      fraction: 118 / 150,
      basis: {
        origin: "catalog",
        evidence: "observed",
        configurable: "unknown",
        configurableFrom: "catalog",
        known: true,
        onlyObserved: true,
      },
    });
    // 10000 sessions over the 84 base shards: ceil(119.05) = 120 = u.
    expect(usage(plan, "sessions-per-shard-after-losing-spares")).toMatchObject({ used: 120, fraction: 0.8 });
    expect(usage(plan, "arrivals-per-shard")).toMatchObject({
      limit: "webMessagingConnectionsPerDeploymentPerMinute",
      used: 15,
      available: 1000,
      fraction: 0.015,
    });
  });

  it("has no after-losing-spares entry without spares", () => {
    expect(
      usage(planShards({ targetSessions: 100, spares: 0 }), "sessions-per-shard-after-losing-spares"),
    ).toBe(undefined);
  });
});

describe("planShards: the org's shard ceiling", () => {
  it("is feasible at exactly M shards", () => {
    const plan = planShards({ targetSessions: 10000, maxShards: 85 });
    expect(plan.feasible).toBe(true);
    expect(warning(plan, "shards-exceed-max")).toBeUndefined();
    expect(usage(plan, "shards")).toMatchObject({ used: 85, available: 85, fraction: 1, unit: "shards" });
  });

  it("is infeasible above M, saying where M came from, by how much, and about raising it", () => {
    const plan = planShards({ targetSessions: 10000, maxShards: { value: 50, source: "--max-shards" } });
    expect(plan.feasible).toBe(false);
    expect(plan.maxShards).toEqual({ value: 50, source: "--max-shards", limit: undefined });
    expect(warning(plan, "shards-exceed-max")).toEqual({
      code: "shards-exceed-max",
      severity: "error",
      limit: undefined,
      fields: ["maxShards"],
      required: 85,
      available: 50,
      unit: "shards",
      raisable: "unknown",
      message:
        "Infeasible: the plan needs 85 shards (84 base + 1 spare) but --max-shards allows 50: 35 over. " +
        "Lower the target or the spares, or raise --max-shards if the org allows more shards.",
    });
  });

  it("says when the base shards would fit without spares", () => {
    const plan = planShards({ targetSessions: 10000, maxShards: 84 });
    expect(warning(plan, "shards-exceed-max")?.message).toContain(
      "85 shards (84 base + 1 spare) but maxShards allows 84: 1 over. " +
        "Without spares the 84 base shards would fit.",
    );
  });

  it("takes M from a catalog limit and its override, naming the limit", () => {
    const plan = planShards({
      targetSessions: 10000,
      maxShards: { limit: "queuesPerOrg" },
      limits: { queuesPerOrg: 80 },
    });
    expect(plan.feasible).toBe(false);
    expect(plan.maxShards).toEqual({
      value: 80,
      source: "Queues per org (routing/queues.max)",
      limit: "queuesPerOrg",
    });
    expect(warning(plan, "shards-exceed-max")).toMatchObject({
      limit: "queuesPerOrg",
      required: 85,
      available: 80,
    });
    expect(warning(plan, "shards-exceed-max")?.message).toContain(
      "Queues per org (routing/queues.max) is 80 (recorded in limits.queuesPerOrg): 5 over. " +
        "Whether Genesys raises it is unknown",
    );
    expect(warning(plan, "shards-exceed-max")?.fields).toEqual(["limits.queuesPerOrg"]);
  });

  it("takes M from the catalog default of queuesPerOrg (5000)", () => {
    const plan = planShards({ targetSessions: 600_000, maxShards: { limit: "queuesPerOrg" } });
    expect(plan.shards).toBe(5001);
    expect(warning(plan, "shards-exceed-max")).toMatchObject({ required: 5001, available: 5000 });
  });

  it("plans past 1,000 shards in shard groups: 1,001 and 1,251 shards are feasible at the default G", () => {
    for (const [target, shards] of [
      [120_000, 1001],
      [150_000, 1251],
    ]) {
      const plan = planShards({ targetSessions: target });
      expect(plan.shards).toBe(shards);
      expect(warning(plan, "shards-exceed-stack")).toBeUndefined();
      expect(plan.feasible).toBe(true);
    }
  });

  it("is infeasible only when a shard group would hold more than one stack's 1,000 (shards-exceed-stack)", () => {
    const plan = planShards({ targetSessions: 120_000, shardsPerGroup: 2000 });
    expect(plan.feasible).toBe(false);
    expect(warning(plan, "shards-exceed-stack")).toEqual({
      code: "shards-exceed-stack",
      severity: "error",
      fields: ["shardsPerGroup"],
      required: 1001,
      available: 1000,
      unit: "shards",
      raisable: false,
      message:
        "Infeasible: the plan needs 1001 shards (1000 base + 1 spare) in shard groups of shardsPerGroup 2000, but " +
        "one stack holds at most 1000 shards, so synth cannot build it, even with capacity.acceptInfeasible. " +
        "Lower shardsPerGroup to at most 1000 (default 100).",
    });
    expect(
      warning(planShards({ targetSessions: 119_880, shardsPerGroup: 2000 }), "shards-exceed-stack"),
    ).toBe(undefined);
    expect(
      warning(planShards({ targetSessions: 120_000, shardsPerGroup: 1000 }), "shards-exceed-stack"),
    ).toBe(undefined);
  });

  it("checks every org limit each shard counts against, without being asked: one queue per shard", () => {
    const plan = planShards({ targetSessions: 10000, limits: { queuesPerOrg: 80 } });
    expect(plan.feasible).toBe(false);
    expect(warning(plan, "shards-exceed-max")).toMatchObject({
      limit: "queuesPerOrg",
      required: 85,
      available: 80,
    });
    expect(plan.maxShards).toMatchObject({ value: 80, limit: "queuesPerOrg" });
  });

  it("does not let an explicit M above the org's deployment limit hide that limit", () => {
    const plan = planShards({
      targetSessions: 10000,
      maxShards: { value: 200, source: "--max-shards" },
      limits: { webDeploymentsPerOrg: 50 },
    });
    expect(plan.feasible).toBe(false);
    expect(plan.warnings.filter((w) => w.code === "shards-exceed-max")).toEqual([
      expect.objectContaining({ limit: "webDeploymentsPerOrg", required: 85, available: 50 }),
    ]);
    expect(plan.maxShards).toMatchObject({ value: 50, limit: "webDeploymentsPerOrg" });
    expect(plan.usage.filter((u) => u.measure === "shards").map((u) => u.available)).toEqual([200, 50, 5000]);
  });

  it("notes, without failing, a ceiling limit that has no known value", () => {
    const plan = planShards({ targetSessions: 10000, maxShards: { limit: "webDeploymentsPerOrg" } });
    expect(plan.feasible).toBe(true);
    expect(warning(plan, "shard-ceiling-unknown")).toEqual({
      code: "shard-ceiling-unknown",
      severity: "info",
      limit: "webDeploymentsPerOrg",
      fields: ["limits.webDeploymentsPerOrg"],
      required: 85,
      available: undefined,
      unit: "shards",
      raisable: "unknown",
      message:
        "Messenger deployments per org (web.deployments/deployments.max) has no known value, so 85 shards were " +
        "not checked against it; read it with GET /api/v2/organizations/limits/namespaces/web.deployments " +
        "(key deployments.max), as the preflight does, or record it as limits.webDeploymentsPerOrg.",
    });
    expect(usage(plan, "shards")).toMatchObject({ used: 85, available: undefined, fraction: undefined });
  });
});

describe("planShards: limits sharding cannot fix", () => {
  it("fails when agents × capacity per agent is below T: infeasible, sharding cannot help", () => {
    const plan = planShards({ targetSessions: 10000, agents: { count: 300, capacityPerAgent: 3 } });
    expect(plan.feasible).toBe(false);
    expect(warning(plan, "agent-capacity-short")).toEqual({
      code: "agent-capacity-short",
      severity: "error",
      limit: "agentMaxMessageCapacity",
      fields: ["agents.count", "agents.capacityPerAgent"],
      required: 10000,
      available: 900,
      unit: "sessions",
      raisable: false,
      message:
        "300 agents × 3 message conversations each = 900 at once, 9100 short of the 10000 target sessions. " +
        "Sharding does not help: add agents (4167 agents at 3 each keep the 80% headroom) or raise message " +
        "capacity per agent (at most 25).",
    });
  });

  it("does not suggest a capacity above 25 when agents are already at 25", () => {
    const plan = planShards({ targetSessions: 1000, agents: { count: 10, capacityPerAgent: 25 } });
    expect(warning(plan, "agent-capacity-short")?.message).toMatch(
      /add agents \(50 agents at 25 each keep the 80% headroom\)\.$/,
    );
  });

  it("warns, without failing, when agents cover T exactly: 100% leaves none of the headroom", () => {
    const plan = planShards({ targetSessions: 1000, agents: { count: 50, capacityPerAgent: 20 } });
    expect(plan.feasible).toBe(true);
    expect(warning(plan, "agent-capacity-short")).toBeUndefined();
    expect(usage(plan, "agent-capacity")).toMatchObject({ used: 1000, available: 1000, fraction: 1 });
    expect(warning(plan, "agent-capacity-no-headroom")).toEqual({
      code: "agent-capacity-no-headroom",
      severity: "warning",
      limit: "agentMaxMessageCapacity",
      fields: ["agents.count", "agents.capacityPerAgent"],
      required: 1000,
      available: 800,
      unit: "sessions",
      raisable: false,
      message:
        "50 agents × 20 message conversations each = 1000 at once for 1000 target sessions: 100% of agent " +
        "capacity, above the 80% headroom the plan keeps on every ceiling. Add agents (63 agents at 20 each " +
        "keep the 80% headroom) or raise message capacity per agent (at most 25).",
    });
  });

  it("does not warn when agents keep the headroom (63 × 20 = 1260; floor(1260 × 0.8) = 1008 >= 1000)", () => {
    const plan = planShards({ targetSessions: 1000, agents: { count: 63, capacityPerAgent: 20 } });
    expect(warning(plan, "agent-capacity-no-headroom")).toBeUndefined();
    const short = planShards({ targetSessions: 1000, agents: { count: 62, capacityPerAgent: 20 } });
    expect(warning(short, "agent-capacity-no-headroom")).toBeDefined();
  });

  it("checks Data Actions with Little's law: 400/min × 3 = 20/s; × 2 s = 40 in flight, within 50 and 2500/min", () => {
    const plan = planShards({
      targetSessions: 1000,
      arrivalsPerMinute: 400,
      dataActions: { perSession: 3, p99LatencySeconds: 2 },
    });
    expect(usage(plan, "data-action-concurrency")).toMatchObject({ used: 40, available: 50, fraction: 0.8 });
    expect(usage(plan, "data-action-rate")).toMatchObject({ used: 1200, available: 2500, fraction: 0.48 });
    expect(warning(plan, "data-action-concurrency")).toBeUndefined();
    expect(warning(plan, "data-action-rate")).toBeUndefined();
  });

  it("fails when Data Actions in flight exceed the concurrency limit", () => {
    const plan = planShards({
      targetSessions: 1000,
      arrivalsPerMinute: 400,
      dataActions: { perSession: 3, p99LatencySeconds: 3 },
    });
    expect(plan.feasible).toBe(false);
    expect(warning(plan, "data-action-concurrency")).toMatchObject({
      severity: "error",
      limit: "dataActionConcurrentExecutions",
      required: 60,
      available: 50,
      unit: "executions",
      raisable: "unknown",
    });
    expect(warning(plan, "data-action-concurrency")?.message).toContain(
      "400 new sessions/min × 3 Data Actions each = 20/s; at 3 s p99 latency about 60 run at once, " +
        "over the org's 50 concurrent Data Action executions (the catalog's default, from the Genesys " +
        "blueprint design-architect-flow-data-actions-for-resiliency). Sharding does not help",
    );
  });

  it("fails when Data Action executions per minute exceed the rate limit", () => {
    const plan = planShards({
      targetSessions: 1000,
      arrivalsPerMinute: 1000,
      dataActions: { perSession: 2.6, p99LatencySeconds: 0.5 },
    });
    expect(plan.feasible).toBe(false);
    expect(warning(plan, "data-action-rate")).toMatchObject({
      severity: "error",
      limit: "dataActionExecutionsPerMinute",
      required: 2600,
      available: 2500,
    });
    expect(warning(plan, "data-action-rate")?.message).toContain(
      "1000 new sessions/min × 2.6 Data Actions each = 2600 executions/min, over the org's 2500",
    );
  });

  it("uses the org's own Data Action limits when given as overrides", () => {
    const plan = planShards({
      targetSessions: 1000,
      arrivalsPerMinute: 400,
      dataActions: { perSession: 3, p99LatencySeconds: 3 },
      limits: { dataActionConcurrentExecutions: 100 },
    });
    expect(warning(plan, "data-action-concurrency")).toBeUndefined();
    expect(usage(plan, "data-action-concurrency")).toMatchObject({ used: 60, available: 100 });
  });
});

describe("planShards: the deploy's own API rate", () => {
  it("notes the minimum deploy time at 300 requests/min per OAuth client", () => {
    const plan = planShards({ targetSessions: 10000 });
    expect(DEPLOY_API_REQUESTS_PER_SHARD).toBe(16); // measured through the real provider
    expect(plan.deploy).toMatchObject({
      apiRequests: 1360,
      planRequests: 510,
      requestsPerMinute: 300,
      minimumMinutes: 1360 / 300,
    });
    // required and available are the same unit: the rate that deploys within 10 minutes vs the client's.
    expect(warning(plan, "deploy-api-rate")).toEqual({
      code: "deploy-api-rate",
      severity: "info",
      limit: "oauthClientRequestsPerMinute",
      fields: ["limits.oauthClientRequestsPerMinute"],
      required: 136,
      available: 300,
      unit: "requests/min",
      raisable: true,
      message:
        "Deploying 85 shards takes about 1360 Platform API requests (16 per shard): at least 4.53 min at " +
        "300 requests/min per OAuth client; finishing within 10 min takes 136 requests/min.",
    });
    expect(usage(plan, "deploy-api-rate")).toMatchObject({ used: 136, available: 300, unit: "requests/min" });
  });

  it("stays a note up to 10 minutes (187 shards) and warns above (188 shards)", () => {
    const at = planShards({ targetSessions: 22440, spares: 0 });
    expect(at.shards).toBe(187);
    expect(warning(at, "deploy-api-rate")?.severity).toBe("info");
    const over = planShards({ targetSessions: 22440, spares: 1 });
    expect(warning(over, "deploy-api-rate")).toMatchObject({
      severity: "warning",
      required: 300.8,
      available: 300,
    });
    expect(over.feasible).toBe(true); // a slow deploy is no infeasible plan
    expect(warning(over, "deploy-api-rate")?.message).toContain(
      "Deploying 188 shards in 2 shard groups after the base stack takes about 3008 Platform API requests (16 " +
        "per shard): at least 10.03 min at 300 requests/min per OAuth client, one client for all 2 stacks; a " +
        "no-change plan 1128, at least 3.76 min; finishing within 10 min takes 300.8 requests/min. That is over " +
        "10 minutes",
    );
  });

  it("uses an overridden OAuth rate", () => {
    const plan = planShards({ targetSessions: 10000, limits: { oauthClientRequestsPerMinute: 600 } });
    expect(plan.deploy.minimumMinutes).toBe(1360 / 600);
  });
});

describe("planShards: bad input", () => {
  it.each<[string, PlanInput, string]>([
    ["targetSessions is 0", { targetSessions: 0 }, "targetSessions must be an integer >= 1, got 0"],
    ["targetSessions is negative", { targetSessions: -5 }, "targetSessions must be an integer >= 1, got -5"],
    [
      "targetSessions is not an integer",
      { targetSessions: 1.5 },
      "targetSessions must be an integer >= 1, got 1.5",
    ],
    [
      "targetSessions is NaN",
      { targetSessions: Number.NaN },
      "targetSessions must be an integer >= 1, got NaN",
    ],
    [
      "sessionsPerShard is 0",
      { targetSessions: 10, sessionsPerShard: 0 },
      "sessionsPerShard must be an integer >= 1, got 0",
    ],
    [
      "sessionsPerShard is not an integer",
      { targetSessions: 10, sessionsPerShard: 150.5 },
      "sessionsPerShard must be an integer >= 1, got 150.5",
    ],
    [
      "arrivalsPerMinute is negative",
      { targetSessions: 10, arrivalsPerMinute: -1 },
      "arrivalsPerMinute must be an integer >= 0, got -1",
    ],
    [
      "arrivalsPerMinute is not an integer",
      { targetSessions: 10, arrivalsPerMinute: 2.5 },
      "arrivalsPerMinute must be an integer >= 0, got 2.5",
    ],
    [
      "arrivalsPerShardPerMinute is 0",
      { targetSessions: 10, arrivalsPerShardPerMinute: 0 },
      "arrivalsPerShardPerMinute must be an integer >= 1, got 0",
    ],
    ["headroom is above 1", { targetSessions: 10, headroom: 1.5 }, "headroom must be > 0 and <= 1, got 1.5"],
    ["headroom is 0", { targetSessions: 10, headroom: 0 }, "headroom must be > 0 and <= 1, got 0"],
    [
      "headroom is negative",
      { targetSessions: 10, headroom: -0.2 },
      "headroom must be > 0 and <= 1, got -0.2",
    ],
    [
      "headroom is NaN",
      { targetSessions: 10, headroom: Number.NaN },
      "headroom must be > 0 and <= 1, got NaN",
    ],
    [
      "spares is negative",
      { targetSessions: 10, spares: -1 },
      "spares must be an integer from 0 to 999999, got -1",
    ],
    [
      "spares is not an integer",
      { targetSessions: 10, spares: 0.5 },
      "spares must be an integer from 0 to 999999, got 0.5",
    ],
    [
      "spares alone exceed the planner's maximum",
      { targetSessions: 10, spares: 1_000_000 },
      "spares must be an integer from 0 to 999999, got 1000000",
    ],
    [
      "the usable sessions per shard round down to 0",
      { targetSessions: 10, sessionsPerShard: 1, headroom: 0.8 },
      "floor(sessionsPerShard × headroom) must be >= 1 usable session per shard, got floor(1 × 0.8) = 0",
    ],
    [
      "the usable arrivals per shard round down to 0",
      { targetSessions: 10, arrivalsPerMinute: 5, arrivalsPerShardPerMinute: 1, headroom: 0.5 },
      "floor(arrivalsPerShardPerMinute × headroom) must be >= 1 usable arrival per shard per minute, " +
        "got floor(1 × 0.5) = 0",
    ],
    ["maxShards is 0", { targetSessions: 10, maxShards: 0 }, "maxShards must be an integer >= 1, got 0"],
    [
      "maxShards is not an integer",
      { targetSessions: 10, maxShards: 2.5 },
      "maxShards must be an integer >= 1, got 2.5",
    ],
    [
      "an explicit maxShards value is 0",
      { targetSessions: 10, maxShards: { value: 0, source: "--max-shards" } },
      "maxShards must be an integer >= 1, got 0",
    ],
    [
      "maxShards names a limit that does not bound shards",
      { targetSessions: 10, maxShards: { limit: "agentMaxMessageCapacity" } } as unknown as PlanInput,
      'maxShards must be a limit among webDeploymentsPerOrg, queuesPerOrg, got "agentMaxMessageCapacity"',
    ],
    [
      "agents.count is 0",
      { targetSessions: 10, agents: { count: 0, capacityPerAgent: 5 } },
      "agents.count must be an integer >= 1, got 0",
    ],
    [
      "agents.capacityPerAgent is above 25",
      { targetSessions: 10, agents: { count: 10, capacityPerAgent: 26 } },
      "agents.capacityPerAgent must be an integer from 1 to 25, got 26",
    ],
    [
      "agents.capacityPerAgent is 0",
      { targetSessions: 10, agents: { count: 10, capacityPerAgent: 0 } },
      "agents.capacityPerAgent must be an integer from 1 to 25, got 0",
    ],
    [
      "dataActions.perSession is 0",
      { targetSessions: 10, arrivalsPerMinute: 5, dataActions: { perSession: 0, p99LatencySeconds: 1 } },
      "dataActions.perSession must be a number > 0, got 0",
    ],
    [
      "dataActions.p99LatencySeconds is 0",
      { targetSessions: 10, arrivalsPerMinute: 5, dataActions: { perSession: 1, p99LatencySeconds: 0 } },
      "dataActions.p99LatencySeconds must be > 0 and <= 60 (the longest Data Action timeout), got 0",
    ],
    [
      "dataActions.p99LatencySeconds is above the 60 s timeout",
      { targetSessions: 10, arrivalsPerMinute: 5, dataActions: { perSession: 1, p99LatencySeconds: 61 } },
      "dataActions.p99LatencySeconds must be > 0 and <= 60 (the longest Data Action timeout), got 61",
    ],
    [
      "data actions are given without an arrival rate",
      { targetSessions: 10, dataActions: { perSession: 1, p99LatencySeconds: 1 } },
      "arrivalsPerMinute is needed with dataActions.perSession: Data Action executions per minute = " +
        "arrivals per minute × data actions per session",
    ],
    [
      "the plan would list more than 1,000,000 shards",
      { targetSessions: 200_000_000 },
      "targetSessions 200000000 needs 1666668 shards, more than the planner lists (at most 1000000); " +
        "check targetSessions and the per-shard ceilings",
    ],
    [
      "the arrivals term would list more than 1,000,000 shards",
      { targetSessions: 10, arrivalsPerMinute: 900_000_000 },
      "arrivalsPerMinute 900000000 needs 1125001 shards, more than the planner lists (at most 1000000); " +
        "check arrivalsPerMinute and the per-shard ceilings",
    ],
    [
      "a limit override is not a positive integer",
      { targetSessions: 10, limits: { queuesPerOrg: 0 } },
      "limits.queuesPerOrg must be an integer >= 1 (queues), got 0",
    ],
  ])("fails when %s", (_name, input, message) => {
    expect(() => planShards(input)).toThrow(PlanInputError);
    expect(inputError(input).message).toBe(message);
  });

  it("fails when usable sessions are 0 with the catalog's C, blaming the headroom", () => {
    const error = inputError({ targetSessions: 10, headroom: 0.005 });
    expect(error).toMatchObject({ field: "headroom", value: 0.005 });
    expect(error.message).toBe(
      "floor(sessionsPerShard × headroom) must be >= 1 usable session per shard, got floor(150 × 0.005) = 0",
    );
  });

  it("fails when C × h is just under 1 (3 × 0.3333333333): a real fraction is not rounded up", () => {
    const error = inputError({ targetSessions: 10, sessionsPerShard: 3, headroom: 0.3333333333 });
    expect(error.message).toBe(
      "floor(sessionsPerShard × headroom) must be >= 1 usable session per shard, got floor(3 × 0.3333333333) = 0",
    );
  });

  it("allows a capacity per agent above 25 only when the org's limit is overridden", () => {
    const plan = planShards({
      targetSessions: 10,
      agents: { count: 1, capacityPerAgent: 30 },
      limits: { agentMaxMessageCapacity: 30 },
    });
    expect(usage(plan, "agent-capacity")).toMatchObject({ available: 30 });
  });

  it("carries field, value and allowed on the error, and renders fields under other names", () => {
    const error = inputError({ targetSessions: 10, headroom: 1.5 });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("PlanInputError");
    expect(error).toMatchObject({ field: "headroom", value: 1.5, allowed: "> 0 and <= 1" });
    expect(error.render((field) => `--${field}`)).toBe("--headroom must be > 0 and <= 1, got 1.5");
  });
});

describe("planShards: per-shard ceilings above what is known", () => {
  it("warns when sessionsPerShard is above the catalog's 150, naming the catalog's source and how to record a raise", () => {
    const plan = planShards({ targetSessions: 10000, sessionsPerShard: 1000 });
    expect(plan.shards).toBe(14);
    expect(plan.feasible).toBe(true);
    expect(warning(plan, "ceiling-above-catalog")).toEqual({
      code: "ceiling-above-catalog",
      severity: "warning",
      limit: "webMessagingSessionsPerDeployment",
      fields: ["sessionsPerShard", "limits.webMessagingSessionsPerDeployment"],
      required: 1000,
      available: 150,
      unit: "sessions",
      raisable: "unknown",
      message:
        "sessionsPerShard 1000 is above the known concurrent web messaging sessions per deployment: 150 " +
        "sessions (the catalog's default, from load-test reports of HTTP 503 at about 150 per deployment, not " +
        "published by Genesys). Plan with it only if Genesys raised the limit for your org, and record the " +
        "raised value as limits.webMessagingSessionsPerDeployment in the environment file (Genesys exposes no " +
        "Limits API key for it, so the preflight cannot read it).",
    });
  });

  it("names the field as the front end spells it", () => {
    const plan = planShards(
      { targetSessions: 10000, sessionsPerShard: 1000 },
      { fieldName: (field) => (field === "sessionsPerShard" ? "--sessions-per-shard" : field) },
    );
    expect(warning(plan, "ceiling-above-catalog")?.message).toMatch(/^--sessions-per-shard 1000 is above/);
  });

  it("does not warn at the catalog's value, below it, or when a raised value is recorded under limits", () => {
    for (const sessionsPerShard of [100, 150]) {
      expect(
        warning(planShards({ targetSessions: 1000, sessionsPerShard }), "ceiling-above-catalog"),
      ).toBeUndefined();
    }
    const recorded = planShards({
      targetSessions: 1000,
      sessionsPerShard: 1000,
      limits: { webMessagingSessionsPerDeployment: 1000 },
    });
    expect(warning(recorded, "ceiling-above-catalog")).toBeUndefined();
  });

  it("warns when arrivalsPerShardPerMinute is above the known rate, pointing at the preflight's key", () => {
    const plan = planShards({
      targetSessions: 100,
      arrivalsPerMinute: 5000,
      arrivalsPerShardPerMinute: 2000,
    });
    expect(warning(plan, "ceiling-above-catalog")).toMatchObject({
      limit: "webMessagingConnectionsPerDeploymentPerMinute",
      required: 2000,
      available: 1000,
    });
    expect(warning(plan, "ceiling-above-catalog")?.message).toContain(
      "(or let the preflight read it from the org: web.messaging/connections.rate.per.minute)",
    );
    // Without arrivals the rate ceiling is not used, so it is not questioned.
    expect(
      warning(planShards({ targetSessions: 100, arrivalsPerShardPerMinute: 2000 }), "ceiling-above-catalog"),
    ).toBeUndefined();
  });
});

describe("planShards: the tenant-wide sessions ceiling", () => {
  it("fails when the target exceeds it, whatever the shard count, saying sharding cannot lift it", () => {
    const plan = planShards({ targetSessions: 10000, limits: { webMessagingSessionsPerOrg: 3000 } });
    expect(plan.feasible).toBe(false);
    expect(plan.shards).toBe(85);
    expect(warning(plan, "tenant-sessions-exceeded")).toEqual({
      code: "tenant-sessions-exceeded",
      severity: "error",
      limit: "webMessagingSessionsPerOrg",
      fields: ["targetSessions", "limits.webMessagingSessionsPerOrg"],
      required: 10000,
      available: 3000,
      unit: "sessions",
      raisable: "unknown",
      message:
        "Infeasible whatever the shard count: 10000 target sessions exceed the org-wide ceiling of 3000 " +
        "concurrent sessions (Concurrent web messaging sessions per org (tenant-wide), recorded in " +
        "limits.webMessagingSessionsPerOrg). Sharding cannot lift it: every deployment counts against the same " +
        "tenant-wide ceiling. Ask Genesys Customer Care to raise the org's concurrent web messaging sessions " +
        '(the limit behind "Max concurrent connections exceeded for tenant") to at least 12500 (10000 at 80% ' +
        "headroom), or lower the target.",
    });
    expect(usage(plan, "sessions-per-org")).toMatchObject({ used: 10000, available: 3000 });
  });

  it("stays infeasible with more shards: smaller per-shard ceilings, more spares, a higher headroom", () => {
    for (const extra of [{ sessionsPerShard: 10 }, { spares: 50 }, { headroom: 1 }]) {
      const plan = planShards({
        targetSessions: 10000,
        ...extra,
        limits: { webMessagingSessionsPerOrg: 9999 },
      });
      expect(plan.feasible).toBe(false);
      expect(warning(plan, "tenant-sessions-exceeded")).toBeDefined();
    }
  });

  it("warns when the target fits it only above the headroom", () => {
    const plan = planShards({ targetSessions: 2900, limits: { webMessagingSessionsPerOrg: 3000 } });
    expect(plan.feasible).toBe(true);
    expect(warning(plan, "tenant-sessions-no-headroom")).toMatchObject({
      severity: "warning",
      required: 2900,
      available: 2400,
    });
    expect(warning(plan, "tenant-sessions-no-headroom")?.message).toMatch(
      /^2900 target sessions use 96\.67% of the org-wide ceiling of 3000 concurrent sessions .*Sharding cannot lift it/,
    );
    expect(
      planShards({ targetSessions: 2400, limits: { webMessagingSessionsPerOrg: 3000 } }).warnings,
    ).not.toEqual(expect.arrayContaining([expect.objectContaining({ code: "tenant-sessions-no-headroom" })]));
  });

  it("is not checked while no value is known, and is listed as such", () => {
    const plan = planShards({ targetSessions: 10000 });
    expect(usage(plan, "sessions-per-org")).toMatchObject({
      used: 10000,
      available: undefined,
      fraction: undefined,
    });
    expect(warning(plan, "tenant-sessions-exceeded")).toBeUndefined();
  });

  it("uses the org's value, saying it was read from the org", () => {
    const plan = planShards({
      targetSessions: 10000,
      limits: { webMessagingSessionsPerOrg: 20000 },
      orgLimits: {
        values: { webMessagingSessionsPerOrg: 5000 },
        configurable: { webMessagingSessionsPerOrg: true },
      },
    });
    expect(warning(plan, "tenant-sessions-exceeded")).toMatchObject({ available: 5000, raisable: true });
    expect(warning(plan, "tenant-sessions-exceeded")?.message).toContain("read from the org's Limits API)");
  });
});

describe("planShards: what each ceiling rests on", () => {
  it("says a catalog ceiling is only observed, and the headline's binding ceiling with it", () => {
    const plan = planShards({ targetSessions: 10000 });
    expect(plan.bindingCeiling).toEqual({
      limit: "webMessagingSessionsPerDeployment",
      value: 150,
      basis: expect.objectContaining({ origin: "catalog", evidence: "observed", onlyObserved: true }),
    });
  });

  it("says a ceiling set by a plan field rests on that field, still only observed until a value is recorded", () => {
    const set = planShards({ targetSessions: 10000, sessionsPerShard: 150 });
    expect(set.bindingCeiling.basis).toMatchObject({
      origin: "input",
      field: "sessionsPerShard",
      onlyObserved: true,
    });
    const recorded = planShards({
      targetSessions: 10000,
      limits: { webMessagingSessionsPerDeployment: 200 },
    });
    expect(recorded.bindingCeiling).toMatchObject({
      value: 200,
      basis: { origin: "limits", field: "limits.webMessagingSessionsPerDeployment", onlyObserved: false },
    });
  });

  it("says when the binding ceiling is the arrivals rate: third-party, configurable, not only observed", () => {
    const plan = planShards({ targetSessions: 100, arrivalsPerMinute: 8000 });
    expect(plan.binding).toBe("arrivals");
    expect(plan.bindingCeiling).toMatchObject({
      limit: "webMessagingConnectionsPerDeploymentPerMinute",
      value: 1000,
      basis: { origin: "catalog", evidence: "secondary", configurable: true, onlyObserved: false },
    });
  });

  it("takes whether a limit is configurable from the org's Limits docs when given, in the advice too", () => {
    const plan = planShards({
      targetSessions: 10000,
      orgLimits: { values: { queuesPerOrg: 20 }, configurable: { queuesPerOrg: false } },
    });
    const exceeded = plan.warnings.find((w) => w.limit === "queuesPerOrg");
    expect(exceeded).toMatchObject({ code: "shards-exceed-max", raisable: false });
    expect(exceeded?.message).toContain(
      "Queues per org (routing/queues.max) is 20 (read from the org's Limits API; the catalog assumes " +
        "5000): 65 over.",
    );
    expect(exceeded?.message).toMatch(
      /The org's Limits docs mark it not configurable: Genesys does not raise it; change the plan\.$/,
    );
    const queues = plan.usage.find((u) => u.limit === "queuesPerOrg");
    expect(queues?.basis).toMatchObject({ origin: "org", configurable: false, configurableFrom: "org" });
  });

  it("gives no Customer Care advice for the caller's own maxShards", () => {
    const plan = planShards({
      targetSessions: 10000,
      maxShards: { value: 10, source: "capacity.maxShards" },
    });
    expect(warning(plan, "shards-exceed-max")?.message).toBe(
      "Infeasible: the plan needs 85 shards (84 base + 1 spare) but capacity.maxShards allows 10: 75 over. " +
        "Lower the target or the spares, or raise capacity.maxShards if the org allows more shards.",
    );
    expect(usage(plan, "shards")?.basis).toMatchObject({ origin: "input", field: "maxShards" });
  });

  it("counts spares in the plural", () => {
    const plan = planShards({ targetSessions: 10000, spares: 2, maxShards: 10 });
    expect(warning(plan, "shards-exceed-max")?.message).toContain("(84 base + 2 spares)");
  });
});

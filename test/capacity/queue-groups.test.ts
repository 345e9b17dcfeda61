/**
 * The planner's second dimension: N deployments on Q = ceil(N / d) queue groups, deployment i on queue group
 * floor(i / d), checked against the queue-level limits, and the channel's deploy and plan cost N × deployment +
 * Q × (queue + flow).
 */
import fc from "fast-check";
import {
  DEPLOY_API_REQUESTS_PER_DEPLOYMENT,
  DEPLOY_API_REQUESTS_PER_QUEUE_GROUP,
  PLAN_API_REQUESTS_BY_RESOURCE,
  planShards,
  type CapacityPlan,
  type PlanInput,
  type WarningCode,
} from "../../capacity";

const warning = (plan: CapacityPlan, code: WarningCode) => plan.warnings.find((w) => w.code === code);
const usage = (plan: CapacityPlan, measure: string) => plan.usage.find((u) => u.measure === measure);
const groupsOf = (plan: CapacityPlan) => plan.perShard.map((share) => share.queueGroup);

describe("planShards: queue groups", () => {
  it("gives every deployment its own queue group by default (deploymentsPerQueue 1), as before queue groups", () => {
    const plan = planShards({ targetSessions: 10_000 });
    expect(plan.queueGroups).toMatchObject({ deploymentsPerQueue: 1, count: 85 });
    expect(groupsOf(plan)).toEqual(plan.perShard.map((share) => share.index));
    expect(plan.parameters.deploymentsPerQueue).toBe(1);
    // Nothing new to say about a layout that has not changed.
    expect(plan.warnings.map((w) => w.code)).toEqual(["shard-ceiling-unknown", "deploy-api-rate"]);
    expect(usage(plan, "conversations-per-queue")).toBeUndefined();
  });

  it("puts contiguous blocks of d deployments on one queue group: 6 on d = 5 are groups 0,0,0,0,0,1", () => {
    const plan = planShards({ targetSessions: 600, deploymentsPerQueue: 5 });
    expect(plan.shards).toBe(6);
    expect(groupsOf(plan)).toEqual([0, 0, 0, 0, 0, 1]);
    expect(plan.queueGroups).toEqual({
      deploymentsPerQueue: 5,
      count: 2,
      perGroup: [
        { index: 0, shards: [0, 1, 2, 3, 4], sessions: 500 },
        { index: 1, shards: [5], sessions: 100 },
      ],
      maxDeploymentsPerQueue: undefined,
    });
  });

  it("prices prod's 85 deployments at d = 50: 85 × 3 + 2 × 13 to deploy, 85 × 1 + 2 × 5 to plan", () => {
    const plan = planShards({ targetSessions: 10_000, arrivalsPerMinute: 1200, deploymentsPerQueue: 50 });
    expect(plan.queueGroups.count).toBe(2);
    expect(DEPLOY_API_REQUESTS_PER_DEPLOYMENT).toBe(3);
    expect(DEPLOY_API_REQUESTS_PER_QUEUE_GROUP).toBe(13);
    expect(PLAN_API_REQUESTS_BY_RESOURCE).toEqual({
      queue: 4,
      inboundMessageFlow: 1,
      messengerDeployment: 1,
    });
    expect(plan.deploy).toMatchObject({
      apiRequests: 281,
      planRequests: 95,
      requestsPerMinute: 300,
      minimumMinutes: 281 / 300,
    });
    expect(warning(plan, "deploy-api-rate")?.message).toBe(
      "Deploying 85 shards on 2 queue groups takes about 281 Platform API requests (3 per deployment, 13 per " +
        "queue group's queue and flow): at least 0.94 min at 300 requests/min per OAuth client; finishing within " +
        "10 min takes 28.1 requests/min.",
    );
    // d = 1 costs 16 and 6 per shard, as measured.
    expect(planShards({ targetSessions: 10_000, arrivalsPerMinute: 1200 }).deploy).toMatchObject({
      apiRequests: 1360,
      planRequests: 510,
    });
  });

  it("notes, without failing, that no queue-level conversation limit is known once deployments share a queue", () => {
    const plan = planShards({ targetSessions: 10_000, deploymentsPerQueue: 50 });
    expect(plan.feasible).toBe(true);
    expect(warning(plan, "queue-conversations-unchecked")).toMatchObject({
      severity: "info",
      required: 5900, // 50 × 118
      available: undefined,
      message: expect.stringContaining(
        "2 queue groups (50 deployments per queue group, one queue each): the largest, queue group 000, carries " +
          "5900 planned sessions in one queue. No source states how many conversations one queue holds",
      ),
    });
    expect(usage(plan, "conversations-per-queue")).toMatchObject({ used: 5900, available: undefined });
  });

  it("fails when a recorded conversations-per-queue ceiling is below a group's sessions, naming the largest d that fits", () => {
    const plan = planShards({
      targetSessions: 10_000,
      deploymentsPerQueue: 50,
      limits: { queueConversationsPerQueue: 2000 },
    });
    expect(plan.feasible).toBe(false);
    // floor(2000 × 0.8) = 1600 usable per queue; the largest deployment share is 118: at most 13 per queue.
    expect(plan.queueGroups.maxDeploymentsPerQueue).toBe(13);
    expect(warning(plan, "queue-conversations-exceeded")).toMatchObject({
      severity: "error",
      fields: ["deploymentsPerQueue", "limits.queueConversationsPerQueue"],
      required: 5900,
      available: 1600,
      message:
        "Infeasible: queue group 000 (shards 000–049) carries 5900 planned sessions in one queue, above 1600: the " +
        "2000 concurrent conversations per queue (recorded in limits.queueConversationsPerQueue) at 80% headroom. " +
        'Lower deploymentsPerQueue to 13 or less (it moves deployments to other queue groups: README "Queue groups").',
    });
    const fits = planShards({
      targetSessions: 10_000,
      deploymentsPerQueue: 13,
      limits: { queueConversationsPerQueue: 2000 },
    });
    expect(fits.feasible).toBe(true);
    expect(fits.queueGroups.count).toBe(7);
  });

  it("fails even at d = 1 when one deployment's share is more than a recorded queue ceiling holds", () => {
    const plan = planShards({ targetSessions: 1000, limits: { queueConversationsPerQueue: 100 } });
    expect(warning(plan, "queue-conversations-exceeded")?.message).toContain(
      "Even one deployment's share is more than a queue holds: lower the per-shard ceiling sessionsPerShard",
    );
  });

  it("counts queues, not shards, against the org's queue limit once deployments share queues", () => {
    const shared = planShards({
      targetSessions: 10_000,
      deploymentsPerQueue: 50,
      limits: { queuesPerOrg: 1 },
    });
    expect(usage(shared, "queue-groups")).toMatchObject({ used: 2, available: 1, limit: "queuesPerOrg" });
    expect(warning(shared, "shards-exceed-max")).toMatchObject({
      severity: "error",
      unit: "queues",
      required: 2,
      available: 1,
      fields: ["limits.queuesPerOrg", "deploymentsPerQueue"],
    });
    expect(warning(shared, "shards-exceed-max")?.message).toMatch(
      /^Infeasible: the plan needs 2 queue groups \(50 deployments per queue group, one queue each\) but Queues per org \(routing\/queues\.max\) is 1 \(recorded in limits\.queuesPerOrg\): 1 over\. Raise deploymentsPerQueue to 85 /,
    );
    // The shard ceiling (M) is the deployments' alone.
    expect(shared.maxShards?.limit).toBe("webDeploymentsPerOrg");
    expect(
      planShards({ targetSessions: 10_000, deploymentsPerQueue: 85, limits: { queuesPerOrg: 1 } }).feasible,
    ).toBe(true);
  });

  it("warns when the agents are more than one queue's members once deployments share queues", () => {
    const input: PlanInput = {
      targetSessions: 10_000,
      agents: { count: 6000, capacityPerAgent: 2 },
      deploymentsPerQueue: 50,
    };
    expect(warning(planShards(input), "queue-members-exceeded")).toMatchObject({
      severity: "warning",
      required: 6000,
      available: 5000,
      fields: ["agents.count", "limits.queueMembersPerQueue"],
    });
    // With one queue group per deployment only the usage says it: such a stack synthesizes as before.
    const separate = planShards({ ...input, deploymentsPerQueue: 1 });
    expect(warning(separate, "queue-members-exceeded")).toBeUndefined();
    expect(usage(separate, "members-per-queue")).toMatchObject({ used: 6000, available: 5000 });
  });

  it.each<[unknown, string]>([
    [0, "deploymentsPerQueue must be an integer from 1 to 1000, got 0"],
    [1001, "deploymentsPerQueue must be an integer from 1 to 1000, got 1001"],
    [2.5, "deploymentsPerQueue must be an integer from 1 to 1000, got 2.5"],
  ])("fails when deploymentsPerQueue is %p", (value, message) => {
    expect(() => planShards({ targetSessions: 100, deploymentsPerQueue: value as number })).toThrow(message);
  });
});

describe("planShards: queue groups, invariants", () => {
  const inputs = fc.record({
    targetSessions: fc.integer({ min: 1, max: 60_000 }),
    deploymentsPerQueue: fc.integer({ min: 1, max: 200 }),
    spares: fc.integer({ min: 0, max: 3 }),
  });

  it("makes Q = ceil(N / d) contiguous groups of d (the last may hold fewer) covering every deployment once", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const plan = planShards(input);
        const { perGroup, count } = plan.queueGroups;
        expect(count).toBe(Math.ceil(plan.shards / input.deploymentsPerQueue));
        expect(perGroup.flatMap((group) => group.shards)).toEqual(plan.perShard.map((share) => share.index));
        perGroup.forEach((group, index) => {
          expect(group.index).toBe(index);
          if (index < count - 1) expect(group.shards).toHaveLength(input.deploymentsPerQueue);
          expect(group.sessions).toBe(
            group.shards.reduce((sum, shard) => sum + plan.perShard[shard].sessions, 0),
          );
        });
      }),
    );
  });

  it("never moves a deployment to another queue group when the target grows (d fixed)", () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 60_000 }), (input, more) => {
        const before = planShards(input);
        const after = planShards({ ...input, targetSessions: input.targetSessions + more });
        for (const share of before.perShard)
          expect(after.perShard[share.index].queueGroup).toBe(share.queueGroup);
        // Growing only adds: the groups before are the lowest groups after.
        expect(after.queueGroups.count).toBeGreaterThanOrEqual(before.queueGroups.count);
      }),
    );
  });

  it("costs N × 3 + Q × 13 to deploy and N × 1 + Q × 5 to plan, and 16 and 6 per shard at d = 1", () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const plan = planShards(input);
        const n = plan.shards;
        const q = plan.queueGroups.count;
        expect(plan.deploy.apiRequests).toBe(n * 3 + q * 13);
        expect(plan.deploy.planRequests).toBe(n + q * 5);
        const separate = planShards({ ...input, deploymentsPerQueue: 1 });
        expect(separate.deploy).toMatchObject({ apiRequests: n * 16, planRequests: n * 6 });
      }),
    );
  });
});

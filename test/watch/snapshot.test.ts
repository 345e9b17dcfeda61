/** The snapshot's rules, pure: live counts against the plan's per-shard ceiling × headroom, and the org-wide one. */
import fc from "fast-check";
import { planShards } from "../../capacity";
import {
  budgetFromPlan,
  buildSnapshot,
  isAboveHeadroom,
  renderSnapshotJson,
  renderSnapshotText,
  watchedShards,
  WatchInputError,
  type CapacityBudget,
  type LimitCountsReading,
  type QueueCounts,
  type WatchedShard,
} from "../../watch";

/** C = 150, h = 0.8: u = 120 per shard. */
const BUDGET: CapacityBudget = budgetFromPlan(
  planShards({ targetSessions: 200, sessionsPerShard: 150, headroom: 0.8 }),
);
const NO_COUNTS: LimitCountsReading = {
  namespace: "web.messaging",
  status: "not-available",
  reason: "404 not.found",
};

function shards(count: number): WatchedShard[] {
  return Array.from({ length: count }, (_, index) => ({
    index,
    deploymentId: `d${index}`,
    queueId: `q${index}`,
    sessions: 67,
  }));
}

function snapshotOf(live: readonly (number | undefined)[], budget: CapacityBudget = BUDGET) {
  const observations = new Map<string, QueueCounts>();
  live.forEach((count, index) => {
    if (count !== undefined) observations.set(`q${index}`, { waiting: count, interacting: 0 });
  });
  return buildSnapshot({
    environment: "dev",
    takenAt: new Date("2026-12-06T12:00:00Z"),
    apiUrl: "http://127.0.0.1:1",
    shards: shards(live.length),
    budget,
    observations,
    limitCounts: NO_COUNTS,
  });
}

describe("budgetFromPlan", () => {
  it("takes the per-shard ceiling, the headroom and u = floor(C × h) the plan used", () => {
    expect(BUDGET).toEqual({
      ceilingPerShard: 150,
      headroom: 0.8,
      usablePerShard: 120,
      // A plan field gave C, and no Genesys source documents a per-deployment ceiling.
      ceilingOnlyObserved: true,
      orgCeiling: null,
      usableOrg: null,
    });
  });

  it("takes the catalog's 150 when the plan names no ceiling, and a tenant-wide ceiling the plan knows", () => {
    const budget = budgetFromPlan(
      planShards({ targetSessions: 200, headroom: 0.7, limits: { webMessagingSessionsPerOrg: 1000 } }),
    );
    expect(budget).toMatchObject({ ceilingPerShard: 150, usablePerShard: 105, ceilingOnlyObserved: true });
    expect(budget).toMatchObject({ orgCeiling: 1000, usableOrg: 700 });
  });
});

describe("buildSnapshot", () => {
  it.each([
    [0, "ok"],
    [120, "ok"],
    [121, "above-headroom"],
    [150, "above-headroom"],
    [151, "above-ceiling"],
  ] as const)("a shard with %i live conversations (u = 120, C = 150) is %s", (live, state) => {
    const snapshot = snapshotOf([live]);
    expect(snapshot.shards[0]).toMatchObject({ live, ceiling: 150, usable: 120, used: live / 150, state });
    expect(isAboveHeadroom(snapshot)).toBe(state !== "ok");
  });

  it("adds waiting and interacting, and sums every shard into the total", () => {
    const observations = new Map([
      ["q0", { waiting: 3, interacting: 4 }],
      ["q1", { waiting: 1, interacting: 0 }],
    ]);
    const snapshot = buildSnapshot({
      environment: "dev",
      takenAt: new Date(0),
      apiUrl: "x",
      shards: shards(2),
      budget: BUDGET,
      observations,
      limitCounts: NO_COUNTS,
    });
    expect(snapshot.shards[0]).toMatchObject({ waiting: 3, interacting: 4, live: 7, planned: 67 });
    expect(snapshot.total).toMatchObject({
      waiting: 4,
      interacting: 4,
      live: 8,
      planned: 134,
      ceiling: 300,
      usable: 240,
      orgCeiling: null,
      state: "ok",
    });
  });

  it("names the shards above their headroom by index", () => {
    expect(snapshotOf([10, 130, 0, 200]).aboveHeadroom).toEqual({
      shards: [1, 3],
      queueGroups: [1, 3],
      org: false,
    });
  });

  it("marks a queue the observations did not answer for as no data, which is not above headroom", () => {
    const snapshot = snapshotOf([5, undefined]);
    expect(snapshot.shards[1]).toMatchObject({ live: 0, state: "no-data" });
    expect(isAboveHeadroom(snapshot)).toBe(false);
  });

  it("is above headroom when the org total passes a known tenant-wide ceiling × headroom, every shard below its own", () => {
    const budget = budgetFromPlan(
      planShards({
        targetSessions: 200,
        sessionsPerShard: 150,
        headroom: 0.8,
        limits: { webMessagingSessionsPerOrg: 200 },
      }),
    );
    const snapshot = snapshotOf([100, 61], budget);
    expect(snapshot.shards.map((line) => line.state)).toEqual(["ok", "ok"]);
    expect(snapshot.total).toMatchObject({
      live: 161,
      orgCeiling: 200,
      orgUsable: 160,
      state: "above-headroom",
    });
    expect(snapshot.aboveHeadroom).toEqual({ shards: [], queueGroups: [], org: true });
    expect(isAboveHeadroom(snapshot)).toBe(true);
  });

  it("holds for any counts: above headroom exactly when some shard holds more than u, totals are the sums", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ waiting: fc.nat(400), interacting: fc.nat(400) }), {
          minLength: 1,
          maxLength: 30,
        }),
        (counts) => {
          const observations = new Map(counts.map((count, index) => [`q${index}`, count]));
          const snapshot = buildSnapshot({
            environment: "dev",
            takenAt: new Date(0),
            apiUrl: "x",
            shards: shards(counts.length),
            budget: BUDGET,
            observations,
            limitCounts: NO_COUNTS,
          });
          const lives = counts.map((count) => count.waiting + count.interacting);
          expect(isAboveHeadroom(snapshot)).toBe(lives.some((live) => live > 120));
          expect(snapshot.total.live).toBe(lives.reduce((a, b) => a + b, 0));
          expect(snapshot.aboveHeadroom.shards).toEqual(
            lives.flatMap((live, index) => (live > 120 ? [index] : [])),
          );
        },
      ),
    );
  });
});

describe("buildSnapshot with deployments sharing queue groups", () => {
  /** 6 shards on groups 0,0,0,0,0,1 (deploymentsPerQueue 5), 100 planned sessions each. */
  const grouped: WatchedShard[] = Array.from({ length: 6 }, (_, index) => ({
    index,
    queueGroup: Math.floor(index / 5),
    deploymentId: `d${index}`,
    queueId: `q${Math.floor(index / 5)}`,
    sessions: 100,
  }));
  const snapshotWith = (q0: number, q1: number) =>
    buildSnapshot({
      environment: "dev",
      takenAt: new Date("2026-12-06T12:00:00Z"),
      apiUrl: "http://127.0.0.1:1",
      shards: grouped,
      budget: BUDGET,
      observations: new Map([
        ["q0", { waiting: q0, interacting: 0 }],
        ["q1", { waiting: q1, interacting: 0 }],
      ]),
      limitCounts: NO_COUNTS,
    });

  it("gives each queue group the sum of its deployments' ceilings, and counts each queue once in the total", () => {
    const snapshot = snapshotWith(590, 10);
    expect(snapshot.queueGroups).toEqual([
      expect.objectContaining({
        queueGroup: 0,
        queueId: "q0",
        shards: [0, 1, 2, 3, 4],
        live: 590,
        planned: 500,
      }),
      expect.objectContaining({ queueGroup: 1, queueId: "q1", shards: [5], live: 10, planned: 100 }),
    ]);
    expect(snapshot.queueGroups[0]).toMatchObject({ ceiling: 750, usable: 600, state: "ok" });
    expect(snapshot.total).toMatchObject({ live: 600, planned: 600, ceiling: 900, usable: 720 });
    // A shard's line is its group's: its queue holds that many.
    expect(snapshot.shards[3]).toMatchObject({ index: 3, queueGroup: 0, deploymentId: "d3", live: 590 });
  });

  it("is above headroom by queue group: every shard of the group is named", () => {
    const snapshot = snapshotWith(601, 10);
    expect(snapshot.aboveHeadroom).toEqual({ shards: [0, 1, 2, 3, 4], queueGroups: [0], org: false });
    expect(isAboveHeadroom(snapshot)).toBe(true);
  });

  it("shows one row per queue group, with its shards, and says why", () => {
    const text = renderSnapshotText(snapshotWith(601, 10)).join("\n");
    expect(text).toContain(
      "6 shards on 2 queue groups: live conversations are counted per queue, so each group's ceiling is the sum " +
        "of its deployments' (deployment ids in --json)",
    );
    expect(text).toMatch(
      /^group\s+shards\s+waiting\s+interacting\s+live\s+planned\s+ceiling\s+usable\s+used\s+state$/m,
    );
    expect(text).toMatch(/^000\s+000–004\s+601\s+0\s+601\s+500\s+750\s+600\s+80.1%\s+ABOVE HEADROOM$/m);
    expect(text).toMatch(/^001\s+005\s+10\s+0\s+10\s+100\s+150\s+120\s+6.7%\s+ok$/m);
    expect(text).toMatch(/^total\s+611\s+0\s+611\s+600\s+900\s+720\s+67.9%\s+ok$/m);
    expect(text).toContain(
      "above headroom: queue group 000 (shards 000–004, usable 600) holds more live conversations than usable; " +
        "do not add load there",
    );
  });
});

describe("rendering", () => {
  it("shows one row per shard, the total, the org line and why the counts are missing", () => {
    const text = renderSnapshotText(snapshotOf([12, 121])).join("\n");
    expect(text).toContain(
      "per-shard ceiling 150 sessions (not documented by Genesys) × headroom 80% = usable 120 per shard",
    );
    expect(text).toMatch(/^000\s+d0\s+12\s+0\s+12\s+67\s+150\s+120\s+8%\s+ok$/m);
    expect(text).toMatch(/^001\s+d1\s+121\s+0\s+121\s+67\s+150\s+120\s+80.7%\s+ABOVE HEADROOM$/m);
    expect(text).toMatch(/^total\s+133\s+0\s+133\s+134\s+300\s+240\s+44.3%\s+ok$/m);
    expect(text).toContain("no tenant-wide ceiling is known");
    expect(text).toContain("Limits API counts (web.messaging): not available: 404 not.found");
    expect(text).toContain("above headroom: shard 001 holds more than 120");
  });

  it("summarizes per-entity counts and shows org-level ones", () => {
    const snapshot = {
      ...snapshotOf([1]),
      limitCounts: {
        namespace: "web.messaging",
        status: "answered",
        counts: [
          { name: "org.max", estimatedCount: 9, max: null, entityId: null, userId: null },
          { name: "per.deployment.max", estimatedCount: 4, max: 150, entityId: "d0", userId: null },
          { name: "per.deployment.max", estimatedCount: 5, max: 150, entityId: "d1", userId: null },
        ],
      } as LimitCountsReading,
    };
    const text = renderSnapshotText(snapshot).join("\n");
    expect(text).toContain("  org.max: 9");
    expect(text).toContain("  per.deployment.max: 2 entities, 9 in all, highest 5 of 150 (d1)");
  });

  it("writes JSON that reads back as the snapshot", () => {
    const snapshot = snapshotOf([3]);
    expect(JSON.parse(renderSnapshotJson(snapshot))).toEqual(snapshot);
  });
});

describe("watchedShards", () => {
  const map = {
    environment: "dev",
    source: "state" as const,
    shards: [
      { index: 1, deploymentId: "d1", queueId: "q1", sessions: 3 },
      { index: 0, deploymentId: "d0", queueId: "q0", sessions: 4 },
    ],
  };

  it("takes index, deployment, queue and sessions, in index order", () => {
    expect(watchedShards(map, "dev", "m.json")).toEqual([
      { index: 0, queueGroup: 0, deploymentId: "d0", queueId: "q0", sessions: 4 },
      { index: 1, queueGroup: 1, deploymentId: "d1", queueId: "q1", sessions: 3 },
    ]);
  });

  it("takes each shard's queue group from a map whose deployments share queues", () => {
    const shared = {
      ...map,
      shards: [
        { index: 0, queueGroup: 0, deploymentId: "d0", queueId: "q0", sessions: 4 },
        { index: 1, queueGroup: 0, deploymentId: "d1", queueId: "q0", sessions: 3 },
      ],
    };
    expect(watchedShards(shared, "dev", "m.json").map((s) => [s.index, s.queueGroup, s.queueId])).toEqual([
      [0, 0, "q0"],
      [1, 0, "q0"],
    ]);
  });

  it.each([
    [{ ...map, environment: "prod" }, 'm.json: the shard map is for environment "prod", not "dev"'],
    [
      { ...map, source: "plan" as const },
      "m.json: made from the plan (no deploy found), so it has no queue ids",
    ],
    [
      { ...map, shards: [{ index: 0, deploymentId: "d0", queueId: null, sessions: 1 }] },
      "m.json: shard 0 has no queueId",
    ],
    [
      {
        ...map,
        shards: [
          { index: 0, queueGroup: 0, deploymentId: "d0", queueId: "q0", sessions: 1 },
          { index: 1, queueGroup: 0, deploymentId: "d1", queueId: "q1", sessions: 1 },
        ],
      },
      "m.json: shard 1 is in queue group 0 with queue q1, but another shard of that group has queue q0",
    ],
  ])("fails when the map cannot be watched: %#", (bad, message) => {
    expect(() => watchedShards(bad, "dev", "m.json")).toThrow(WatchInputError);
    expect(() => watchedShards(bad, "dev", "m.json")).toThrow(message);
  });
});

/**
 * Queue observations and limit counts, answered from the guest side's live sessions: a guest who has written is
 * a `message` conversation waiting in the queue its deployment's flow transfers to.
 */
import type { RawGuest } from "../rehearsal/fixtures";
import { GENESYS_ERROR_KEYS, useEmulator } from "./helpers";
import { closeGuests, createRoutedShards, openGuests } from "./routed-shards";

const PATH = "/api/v2/analytics/queues/observations/query";

/** The query watch sends: oWaiting and oInteracting of `queueIds`, media type message. */
function query(queueIds: readonly string[], metrics: readonly string[] = ["oWaiting", "oInteracting"]) {
  return {
    filter: {
      type: "and",
      clauses: [{ type: "or", predicates: queueIds.map((value) => ({ dimension: "queueId", value })) }],
      predicates: [{ dimension: "mediaType", value: "message" }],
    },
    metrics,
  };
}

describe("queue observations and limit counts", () => {
  const ctx = useEmulator();
  const guests: RawGuest[] = [];
  afterEach(async () => closeGuests(guests.splice(0)));

  it("counts each written guest session as a waiting message conversation on its flow's queue", async () => {
    const shards = await createRoutedShards(ctx.call, 3);
    guests.push(...(await openGuests(ctx.emulator.url, shards[0].deploymentId, 3)));
    guests.push(...(await openGuests(ctx.emulator.url, shards[2].deploymentId, 1)));
    // Connected but silent: no conversation yet.
    guests.push(...(await openGuests(ctx.emulator.url, shards[1].deploymentId, 2, false)));

    const answer = await ctx.call("POST", PATH, query(shards.map((shard) => shard.queueId)));
    expect(answer.status).toBe(200);
    expect(answer.body.results).toHaveLength(3);
    const byQueue = Object.fromEntries(
      answer.body.results.map((result: { group: { queueId: string }; data: unknown }) => [
        result.group.queueId,
        result,
      ]),
    );
    expect(byQueue[shards[0].queueId]).toEqual({
      group: { queueId: shards[0].queueId, mediaType: "message" },
      data: [
        { metric: "oWaiting", stats: { count: 3 } },
        { metric: "oInteracting", stats: { count: 0 } },
      ],
    });
    expect(byQueue[shards[1].queueId].data[0].stats.count).toBe(0);
    expect(byQueue[shards[2].queueId].data[0].stats.count).toBe(1);

    await closeGuests(guests.splice(0, 3));
    const after = await ctx.call("POST", PATH, query([shards[0].queueId]));
    expect(after.body.results[0].data[0].stats.count).toBe(0);
  });

  it("observes every media type of a queue when the filter does not narrow it, message alone carrying conversations", async () => {
    const [shard] = await createRoutedShards(ctx.call, 1);
    guests.push(...(await openGuests(ctx.emulator.url, shard.deploymentId, 2)));
    const answer = await ctx.call("POST", PATH, {
      filter: { type: "or", predicates: [{ dimension: "queueId", value: shard.queueId }] },
      metrics: ["oWaiting"],
    });
    const counts = Object.fromEntries(
      answer.body.results.map(
        (result: { group: { mediaType: string }; data: { stats: { count: number } }[] }) => [
          result.group.mediaType,
          result.data[0].stats.count,
        ],
      ),
    );
    expect(counts).toEqual({ voice: 0, chat: 0, email: 0, callback: 0, message: 2 });
  });

  it("fails when a metric is not one Genesys documents (400 in Genesys's error shape)", async () => {
    const [shard] = await createRoutedShards(ctx.call, 1);
    const answer = await ctx.call("POST", PATH, query([shard.queueId], ["oWaiting", "oConnections"]));
    expect(answer.status).toBe(400);
    expect(Object.keys(answer.body).sort()).toEqual([...GENESYS_ERROR_KEYS].sort());
    expect(answer.body.code).toBe("general.bad.request");
    expect(answer.body.message).toContain("metrics.1");
  });

  it("fails when the body has no filter, no metrics or a predicate without a dimension (400)", async () => {
    expect((await ctx.call("POST", PATH, { metrics: ["oWaiting"] })).status).toBe(400);
    expect(
      (await ctx.call("POST", PATH, { filter: { type: "and", predicates: [] }, metrics: [] })).status,
    ).toBe(400);
    const noDimension = await ctx.call("POST", PATH, {
      filter: { type: "and", predicates: [{ value: "x" }] },
      metrics: ["oWaiting"],
    });
    expect(noDimension.status).toBe(400);
    expect(noDimension.body.message).toContain("dimension");
  });

  it("answers 501 for a documented metric the emulator does not model", async () => {
    const [shard] = await createRoutedShards(ctx.call, 1);
    const answer = await ctx.call("POST", PATH, query([shard.queueId], ["oOnQueueUsers"]));
    expect(answer.status).toBe(501);
    expect(answer.body.message).toContain("oOnQueueUsers");
  });

  it("counts web.messaging connections per deployment and for the org under the emulator's own keys", async () => {
    const shards = await createRoutedShards(ctx.call, 2);
    guests.push(...(await openGuests(ctx.emulator.url, shards[1].deploymentId, 2)));
    const answer = await ctx.call("GET", "/api/v2/organizations/limits/namespaces/web.messaging/counts");
    expect(answer.status).toBe(200);
    expect(answer.body.entities).toEqual([
      { name: "emulator.connections.concurrent.per.org.max", estimatedCount: 2 },
      {
        name: "emulator.connections.concurrent.per.deployment.max",
        estimatedCount: 0,
        max: 150,
        entityId: shards[0].deploymentId,
      },
      {
        name: "emulator.connections.concurrent.per.deployment.max",
        estimatedCount: 2,
        max: 150,
        entityId: shards[1].deploymentId,
      },
    ]);
    const one = await ctx.call(
      "GET",
      `/api/v2/organizations/limits/namespaces/web.messaging/counts?entityId=${shards[1].deploymentId}`,
    );
    expect(one.body.entities).toHaveLength(1);

    const routing = await ctx.call("GET", "/api/v2/organizations/limits/namespaces/routing/counts");
    expect(routing.body.entities).toEqual([{ name: "queues.max", estimatedCount: 2, max: 5000 }]);
    const unknown = await ctx.call("GET", "/api/v2/organizations/limits/namespaces/no.such/counts");
    expect(unknown.status).toBe(404);
  });
});

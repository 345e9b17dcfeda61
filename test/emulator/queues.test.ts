/** Routing queues with wrap-up codes and members, in the order `genesyscloud_routing_queue` calls them. */
import { request, useEmulator } from "./helpers";

const BASE = "/api/v2/routing/queues";
const USER_A = "11111111-1111-4111-8111-111111111111";
const USER_B = "22222222-2222-4222-8222-222222222222";

describe("routing queues", () => {
  const env = useEmulator();
  const { call } = env;

  const createQueue = (body: Record<string, unknown> = {}) =>
    call("POST", BASE, { name: "Support", ...body });

  it("creates, assigns members and codes, reads, updates and deletes like the provider", async () => {
    // create: POST /routing/queues (200 expected by the provider)
    const created = await createQueue({ description: "Tier 1", acwSettings: { wrapupPrompt: "OPTIONAL" } });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Support",
      acwSettings: { wrapupPrompt: "OPTIONAL" },
      skillEvaluationMethod: "ALL",
      division: { name: "Home" },
      memberCount: 0,
    });
    expect(created.body.selfUri).toBe(`${BASE}/${created.body.id}`);
    const queue = created.body.selfUri;

    // members: group check, then user members, then bulk add and a ring number
    const groups = await call("GET", `${queue}/members?pageSize=100&pageNumber=1&memberBy=group`);
    expect(groups.body.entities).toEqual([]);
    const added = await call("POST", `${queue}/members?delete=false`, [{ id: USER_A }, { id: USER_B }]);
    expect(added.status).toBe(204);
    expect((await call("PATCH", `${queue}/members/${USER_B}`, { id: USER_B, ringNumber: 3 })).status).toBe(
      204,
    );

    // wrap-up codes: read existing, add
    const code = await call("POST", "/api/v2/routing/wrapupcodes", { name: "Resolved" });
    const none = await call("GET", `${queue}/wrapupcodes?pageSize=100&pageNumber=1`);
    expect(none.body).toMatchObject({ entities: [], total: 0 });
    const assigned = await call("POST", `${queue}/wrapupcodes`, [{ id: code.body.id }]);
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual([expect.objectContaining({ id: code.body.id, name: "Resolved" })]);

    // read
    const read = await call("GET", queue);
    expect(read.body.memberCount).toBe(2);
    const members = await call("GET", `${queue}/members?pageSize=100&pageNumber=1&memberBy=user`);
    expect(members.body.entities).toEqual([
      expect.objectContaining({ id: USER_A, ringNumber: 1, memberBy: "user", joined: true }),
      expect.objectContaining({ id: USER_B, ringNumber: 3 }),
    ]);
    // the provider pages until it gets an empty page
    const past = await call("GET", `${queue}/members?pageSize=100&pageNumber=2&memberBy=user`);
    expect(past.body.entities).toEqual([]);
    const codes = await call("GET", `${queue}/wrapupcodes?pageSize=100&pageNumber=1`);
    expect(codes.body.entities.map((c: { id: string }) => c.id)).toEqual([code.body.id]);

    // update: PUT, remove a member and a code
    const updated = await call("PUT", queue, { name: "Support Tier 1", description: "renamed" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "Support Tier 1", version: 2, memberCount: 2 });
    await call("POST", `${queue}/members?delete=true`, [{ id: USER_A }]);
    expect((await call("DELETE", `${queue}/wrapupcodes/${code.body.id}`)).status).toBe(204);
    expect((await call("GET", queue)).body.memberCount).toBe(1);
    expect((await call("GET", `${queue}/wrapupcodes`)).body.total).toBe(0);

    // delete (forceDelete=true), then GET answers 404 as the provider's wait expects
    expect((await call("DELETE", `${queue}?forceDelete=true`)).status).toBe(204);
    expect((await call("GET", queue)).status).toBe(404);
    expect((await call("GET", `${queue}/members`)).status).toBe(404);
  });

  it("lists with the name filter the data source uses", async () => {
    await createQueue({ name: "Sales" });
    await createQueue({ name: "Support" });
    const found = await call("GET", `${BASE}?pageNumber=1&pageSize=100&name=Sales&hasPeer=false`);
    expect(found.body.entities.map((q: { name: string }) => q.name)).toEqual(["Sales"]);
    expect(found.body.entities[0].memberCount).toBe(0);
  });

  it("fails without a name, with a Genesys 400", async () => {
    const answer = await call("POST", BASE, { description: "nameless" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, code: "general.bad.request" });
    expect(answer.body.message).toContain("name");
  });

  it("fails when the name is taken, ignoring case", async () => {
    const first = await createQueue();
    const answer = await createQueue({ name: "SUPPORT" });
    expect(answer.status).toBe(400);
    expect(answer.body.messageParams).toMatchObject({ id: first.body.id });
  });

  it.each([
    ["an unknown wrap-up prompt", { acwSettings: { wrapupPrompt: "SOMETIMES" } }],
    ["an unknown skill evaluation method", { skillEvaluationMethod: "MOST" }],
    ["an unknown division", { division: { id: "00000000-0000-4000-8000-000000000000" } }],
    ["more than 6 routing rules", { routingRules: Array.from({ length: 7 }, () => ({ threshold: 1 })) }],
  ])("fails with 400 for %s", async (_label, body) => {
    expect((await createQueue(body)).status).toBe(400);
  });

  it("fails with 404 for an unknown queue and its sub-resources", async () => {
    const unknown = `${BASE}/00000000-0000-4000-8000-000000000000`;
    expect((await call("GET", unknown)).status).toBe(404);
    expect((await call("PUT", unknown, { name: "X" })).status).toBe(404);
    expect((await call("GET", `${unknown}/wrapupcodes`)).status).toBe(404);
    expect((await call("POST", `${unknown}/members`, [{ id: USER_A }])).status).toBe(404);
  });

  it("fails with 404 for an unknown wrap-up code, and for removing one the queue does not have", async () => {
    const queue = (await createQueue()).body.selfUri;
    const missing = "00000000-0000-4000-8000-000000000001";
    expect((await call("POST", `${queue}/wrapupcodes`, [{ id: missing }])).status).toBe(404);
    expect((await call("DELETE", `${queue}/wrapupcodes/${missing}`)).status).toBe(404);
  });

  it("fails with 400 for more than 100 members or codes per call", async () => {
    const queue = (await createQueue()).body.selfUri;
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `user-${i}` }));
    const members = await call("POST", `${queue}/members`, many);
    expect(members.status).toBe(400);
    expect(members.body.message).toContain("100");
    expect((await call("POST", `${queue}/wrapupcodes`, many)).status).toBe(400);
  });

  it("fails with 404 when changing the ring number of a non-member, and 400 for ring 7", async () => {
    const queue = (await createQueue()).body.selfUri;
    expect((await call("PATCH", `${queue}/members/${USER_A}`, { ringNumber: 2 })).status).toBe(404);
    await call("POST", `${queue}/members`, [{ id: USER_A }]);
    expect((await call("PATCH", `${queue}/members/${USER_A}`, { ringNumber: 7 })).status).toBe(400);
  });

  it("drops a deleted wrap-up code from the queue's codes", async () => {
    const queue = (await createQueue()).body.selfUri;
    const code = await call("POST", "/api/v2/routing/wrapupcodes", { name: "Gone" });
    await call("POST", `${queue}/wrapupcodes`, [{ id: code.body.id }]);
    await call("DELETE", code.body.selfUri);
    expect((await call("GET", `${queue}/wrapupcodes`)).body.entities).toEqual([]);
  });

  it("counts requests by route pattern", async () => {
    const queue = (await createQueue()).body.selfUri;
    await call("GET", `${queue}/members?memberBy=user`);
    const stats = await call("GET", "/__emulator/stats");
    expect(stats.body.endpoints[`POST ${BASE}`].requests).toBe(1);
    expect(stats.body.endpoints[`GET ${BASE}/:id/members`].statuses).toEqual({ "200": 1 });
  });

  it("accepts memberGroups: null and routingRules: null, as the provider sends them on every create", async () => {
    // createRoutingQueue sets MemberGroups: &memberGroups (a nil slice) and buildSdkRoutingRules may return nil
    const created = await createQueue({ memberGroups: null, routingRules: null, description: null });
    expect(created.status).toBe(200);
    expect(created.body.memberGroups).toBeUndefined();
    expect(created.body.description).toBeUndefined();
  });

  it("expands seeded groups, teams and skill groups into memberBy=group members", async () => {
    const seeded = await request(env.emulator, "POST", "/__emulator/seed", {
      body: {
        users: [
          { id: USER_A, name: "A", email: "a@example.com" },
          { id: USER_B, name: "B", email: "b@example.com" },
        ],
        groups: [{ name: "G", members: [USER_A] }],
        teams: [{ name: "T", members: [USER_A, USER_B] }],
        skillGroups: [{ name: "S" }],
      },
    });
    const created = await createQueue({
      memberGroups: [
        { id: seeded.body.groups.G, type: "GROUP" },
        { id: seeded.body.teams.T, type: "TEAM" },
        { id: seeded.body.skillGroups.S, type: "SKILLGROUP" },
      ],
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ memberCount: 2, userMemberCount: 0 });
    const queue = created.body.selfUri;
    const byGroup = await call("GET", `${queue}/members?pageSize=100&pageNumber=1&memberBy=group`);
    expect(byGroup.body.entities).toEqual([
      expect.objectContaining({ id: USER_A, memberBy: "group" }),
      expect.objectContaining({ id: USER_B, memberBy: "group" }),
    ]);
    // the provider's removeAllExistingUserMembersFromQueue reads memberBy=user: group members are not in it
    expect((await call("GET", `${queue}/members?memberBy=user`)).body.entities).toEqual([]);
    // a direct member counts once
    await call("POST", `${queue}/members`, [{ id: USER_A }]);
    expect((await call("GET", queue)).body).toMatchObject({ memberCount: 2, userMemberCount: 1 });
    expect((await call("GET", `${queue}/members`)).body.total).toBe(2);
  });

  it("fails with 400 for a member group that does not exist or has the wrong type", async () => {
    const seeded = await request(env.emulator, "POST", "/__emulator/seed", {
      body: { teams: [{ name: "T" }] },
    });
    const unknown = await createQueue({
      memberGroups: [{ id: "00000000-0000-4000-8000-000000000009", type: "GROUP" }],
    });
    expect(unknown.status).toBe(400);
    const wrongType = await createQueue({ memberGroups: [{ id: seeded.body.teams.T, type: "GROUP" }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.messageParams).toMatchObject({ type: "GROUP" });
  });
});

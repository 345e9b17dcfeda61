/**
 * Seeded users, groups, teams and skill groups, read the way the provider's data sources read them
 * (`genesyscloud_group`: POST /groups/search with one EXACT criterion; `genesyscloud_team` and
 * `genesyscloud_routing_skill_group`: GET with a name prefix and `after` cursors until no `nextUri`).
 */
import { request, startEmulator, useEmulator } from "./helpers";

const SEED = {
  users: [
    { name: "Ada Agent", email: "ada@example.com" },
    { id: "22222222-2222-4222-8222-222222222222", name: "Bo Agent", email: "bo@example.com" },
  ],
  groups: [{ name: "Agents", members: ["ada@example.com", "22222222-2222-4222-8222-222222222222"] }],
  teams: [{ name: "Team A", members: ["bo@example.com"] }, { name: "Team B" }],
  skillGroups: [{ name: "Spanish", members: ["ada@example.com"] }],
};

describe("seeding and the directory endpoints", () => {
  const env = useEmulator();
  const { call } = env;
  const seed = async (body: unknown = SEED) => request(env.emulator, "POST", "/__emulator/seed", { body });

  it("seeds objects and answers their ids, keeping fixed ids", async () => {
    const answer = await seed();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      users: {
        "ada@example.com": expect.any(String),
        "bo@example.com": "22222222-2222-4222-8222-222222222222",
      },
      groups: { Agents: expect.any(String) },
      teams: { "Team A": expect.any(String), "Team B": expect.any(String) },
      skillGroups: { Spanish: expect.any(String) },
    });
    const user = await call("GET", `/api/v2/users/${answer.body.users["ada@example.com"]}`);
    expect(user.body).toMatchObject({ name: "Ada Agent", email: "ada@example.com", state: "active" });
  });

  it("finds a group by exact name, ignoring case, as genesyscloud_group searches", async () => {
    const ids = (await seed()).body;
    const search = (value: string) =>
      call("POST", "/api/v2/groups/search", { query: [{ type: "EXACT", value, fields: ["name"] }] });
    const found = await search("agents");
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ total: 1, pageCount: 1, types: ["groups"] });
    expect(found.body.results).toEqual([
      expect.objectContaining({ id: ids.groups.Agents, name: "Agents", memberCount: 2, type: "official" }),
    ]);
    expect(found.body.results[0].memberIds).toBeUndefined();
    // no match: total 0 and an empty results list (the provider dereferences total)
    expect((await search("Agent")).body).toMatchObject({ total: 0, results: [] });
    const group = await call("GET", `/api/v2/groups/${ids.groups.Agents}`);
    expect(group.body.name).toBe("Agents");
    const members = await call("GET", `/api/v2/groups/${ids.groups.Agents}/members`);
    expect(members.body.entities.map((u: { name: string }) => u.name)).toEqual(["Ada Agent", "Bo Agent"]);
  });

  it("fails with 400 for a group search without criteria or with an unsupported type", async () => {
    expect((await call("POST", "/api/v2/groups/search", { query: [] })).status).toBe(400);
    const range = await call("POST", "/api/v2/groups/search", { query: [{ type: "RANGE", value: "a" }] });
    expect(range.status).toBe(400);
  });

  it("lists teams and skill groups by name prefix, with after cursors until no nextUri", async () => {
    const ids = (await seed()).body;
    const teams = await call("GET", "/api/v2/teams?pageSize=1&name=team");
    expect(teams.body.entities).toEqual([
      expect.objectContaining({ id: ids.teams["Team A"], memberCount: 1, division: expect.any(Object) }),
    ]);
    const after = new URL(teams.body.nextUri, "http://x").searchParams.get("after");
    const next = await call("GET", `/api/v2/teams?pageSize=1&name=team&after=${after}`);
    expect(next.body.entities.map((t: { name: string }) => t.name)).toEqual(["Team B"]);
    expect(next.body.nextUri).toBeUndefined();
    expect((await call("GET", "/api/v2/teams?pageSize=100&name=Nobody")).body.entities).toEqual([]);
    expect((await call("GET", "/api/v2/teams?after=not-a-cursor")).status).toBe(400);

    const skills = await call("GET", "/api/v2/routing/skillgroups?pageSize=100&name=Spanish");
    expect(skills.body.entities).toEqual([
      expect.objectContaining({ id: ids.skillGroups.Spanish, name: "Spanish" }),
    ]);
    const team = await call("GET", `/api/v2/teams/${ids.teams["Team A"]}/members`);
    expect(team.body.entities.map((u: { name: string }) => u.name)).toEqual(["Bo Agent"]);
  });

  it.each([
    ["a member who is no user", { groups: [{ name: "G", members: ["nobody@example.com"] }] }],
    ["a taken name", { teams: [{ name: "Team A" }] }],
    ["a taken email", { users: [{ name: "Ada 2", email: "ADA@example.com" }] }],
    ["a name twice", { groups: [{ name: "X" }, { name: "x" }] }],
    ["a user without an email", { users: [{ name: "No Mail" }] }],
  ])("fails with 400 for %s, and writes nothing", async (_label, bad) => {
    await seed();
    const before = (await request(env.emulator, "GET", "/__emulator/state")).body.collections;
    const answer = await seed({ users: [{ name: "Cy", email: "cy@example.com" }], ...bad });
    expect(answer.status).toBe(400);
    expect((await request(env.emulator, "GET", "/__emulator/state")).body.collections).toEqual(before);
  });

  it("answers 404 for unknown ids", async () => {
    const unknown = "00000000-0000-4000-8000-000000000000";
    for (const path of ["/api/v2/users", "/api/v2/groups", "/api/v2/teams", "/api/v2/routing/skillgroups"]) {
      expect((await call("GET", `${path}/${unknown}`)).status).toBe(404);
    }
  });
});

describe("seedObjects at start", () => {
  it("creates the objects before the first request", async () => {
    const emulator = await startEmulator({ seedObjects: SEED });
    try {
      const state = (await request(emulator, "GET", "/__emulator/state")).body.collections;
      expect(state.groups.map((g: { name: string }) => g.name)).toEqual(["Agents"]);
      expect(state.users).toHaveLength(2);
    } finally {
      await emulator.close();
    }
  });
});

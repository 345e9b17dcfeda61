/** Divisions: the home division, its data sources and moving queues between divisions. */
import { useEmulator } from "./helpers";

describe("divisions", () => {
  const env = useEmulator();
  const { call } = env;

  it("answers the home division, by itself, by id and in the name-filtered list", async () => {
    const home = await call("GET", "/api/v2/authorization/divisions/home");
    expect(home.body).toMatchObject({
      name: "Home",
      homeDivision: true,
      selfUri: expect.stringContaining(home.body.id),
    });
    expect((await call("GET", home.body.selfUri)).body).toEqual(home.body);
    const listed = await call("GET", "/api/v2/authorization/divisions?name=home&pageSize=100&pageNumber=1");
    expect(listed.body.entities).toEqual([home.body]);
    expect((await call("GET", "/api/v2/authorization/divisions?name=Other")).body.entities).toEqual([]);
    expect((await call("GET", "/api/v2/authorization/divisions/nope")).status).toBe(404);
  });

  it("moves queues into a division, and fails for unknown divisions, queues or object types", async () => {
    const home = (await call("GET", "/api/v2/authorization/divisions/home")).body;
    const queue = (await call("POST", "/api/v2/routing/queues", { name: "Support" })).body;
    const objects = `/api/v2/authorization/divisions/${home.id}/objects`;
    expect((await call("POST", `${objects}/QUEUE`, [queue.id])).status).toBe(204);
    expect((await call("GET", queue.selfUri)).body).toMatchObject({ division: { id: home.id }, version: 2 });
    expect((await call("POST", `${objects}/QUEUE`, ["00000000-0000-4000-8000-000000000000"])).status).toBe(
      404,
    );
    expect((await call("POST", `${objects}/FLOW`, [queue.id])).status).toBe(400);
    expect(
      (await call("POST", "/api/v2/authorization/divisions/nope/objects/QUEUE", [queue.id])).status,
    ).toBe(404);
  });
});

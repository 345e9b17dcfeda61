/** Routing wrap-up codes on the generic collection. */
import type { Emulator } from "../../emulator/server";
import { login, request, startEmulator } from "./helpers";

const BASE = "/api/v2/routing/wrapupcodes";

describe("routing wrap-up codes", () => {
  let emulator: Emulator;
  let token: string;
  const create = (body: unknown) => request(emulator, "POST", BASE, { token, body });

  beforeEach(async () => {
    emulator = await startEmulator();
    token = await login(emulator);
  });
  afterEach(() => emulator.close());

  it("creates a code with id, selfUri, version and the home division", async () => {
    const created = await create({ name: "Resolved", description: "Customer helped" });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: "Resolved",
      description: "Customer helped",
      version: 1,
      division: { name: "Home" },
    });
    expect(created.body.selfUri).toBe(`${BASE}/${created.body.id}`);
    const read = await request(emulator, "GET", created.body.selfUri, { token });
    expect(read.body).toEqual(created.body);
  });

  it("fails when name is missing, with a Genesys 400", async () => {
    const answer = await create({ description: "no name" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 400, code: "general.bad.request" });
    expect(answer.body.message).toContain("name");
  });

  it("fails when the name is taken, ignoring case", async () => {
    const first = await create({ name: "Resolved" });
    const answer = await create({ name: "RESOLVED" });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: "general.bad.request", messageParams: { id: first.body.id } });
  });

  it("updates a code and bumps its version", async () => {
    const created = await create({ name: "Resolved" });
    const updated = await request(emulator, "PUT", created.body.selfUri, {
      token,
      body: { name: "Resolved - billing", version: 1 },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ id: created.body.id, name: "Resolved - billing", version: 2 });
    expect(updated.body.dateCreated).toBe(created.body.dateCreated);
  });

  it("fails when an update sends a stale version, with 409", async () => {
    const created = await create({ name: "Resolved" });
    await request(emulator, "PUT", created.body.selfUri, { token, body: { name: "Two", version: 1 } });
    const stale = await request(emulator, "PUT", created.body.selfUri, {
      token,
      body: { name: "Three", version: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.status).toBe(409);
  });

  it("fails when an update takes another code's name", async () => {
    await create({ name: "Resolved" });
    const other = await create({ name: "Escalated" });
    const answer = await request(emulator, "PUT", other.body.selfUri, { token, body: { name: "resolved" } });
    expect(answer.status).toBe(400);
  });

  it("deletes a code; afterwards its id is a 404", async () => {
    const created = await create({ name: "Resolved" });
    const deleted = await request(emulator, "DELETE", created.body.selfUri, { token });
    expect(deleted.status).toBe(204);
    const read = await request(emulator, "GET", created.body.selfUri, { token });
    expect(read.status).toBe(404);
    expect(read.body).toMatchObject({ status: 404, code: "not.found" });
  });

  it("deletes with an empty JSON body, as the SDK sends it", async () => {
    const created = await create({ name: "Resolved" });
    const deleted = await request(emulator, "DELETE", created.body.selfUri, {
      token,
      body: "",
      contentType: "application/json",
    });
    expect(deleted.status).toBe(204);
  });

  it.each(["GET", "PUT", "DELETE"])("fails with 404 for %s of an unknown id", async (method) => {
    const answer = await request(emulator, method, `${BASE}/00000000-0000-4000-8000-000000000000`, {
      token,
      ...(method === "PUT" ? { body: { name: "X" } } : {}),
    });
    expect(answer.status).toBe(404);
  });

  it("lists in name order with paging and a name filter", async () => {
    for (const name of ["Delta", "alpha", "Charlie", "Bravo", "Alpha Two"]) await create({ name });
    const page = await request(emulator, "GET", `${BASE}?pageSize=2&pageNumber=2`, { token });
    expect(page.body).toMatchObject({ pageSize: 2, pageNumber: 2, total: 5, pageCount: 3 });
    expect(page.body.entities.map((code: { name: string }) => code.name)).toEqual(["Bravo", "Charlie"]);
    expect(page.body.nextUri).toBe(`${BASE}?pageSize=2&pageNumber=3`);
    expect(page.body.previousUri).toBe(`${BASE}?pageSize=2&pageNumber=1`);

    const exact = await request(emulator, "GET", `${BASE}?name=ALPHA`, { token });
    expect(exact.body.entities.map((code: { name: string }) => code.name)).toEqual(["alpha"]);
    const wildcard = await request(emulator, "GET", `${BASE}?name=alpha*`, { token });
    expect(wildcard.body.total).toBe(2);
  });

  it("fails when pageSize is out of range", async () => {
    const answer = await request(emulator, "GET", `${BASE}?pageSize=501`, { token });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain("pageSize");
  });
});

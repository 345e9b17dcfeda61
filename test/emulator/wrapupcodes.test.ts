/** Routing wrap-up codes on the generic collection, and persistence of the state file. */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("emulator persistence", () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), "emulator-state-"));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it("restores wrap-up codes and limit values from the state file", async () => {
    const stateFile = join(directory, "state.json");
    const first = await startEmulator({ stateFile, limits: { dataactions: { "requests.volume.max": 900 } } });
    const token = await login(first);
    const created = await request(first, "POST", BASE, { token, body: { name: "Resolved" } });
    await first.close();

    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    expect(saved).toMatchObject({
      formatVersion: 1,
      limitOverrides: { dataactions: { "requests.volume.max": 900 } },
    });
    expect(readdirSync(directory)).toEqual(["state.json"]); // the temp file was renamed away

    const second = await startEmulator({ stateFile });
    try {
      const token2 = await login(second);
      const read = await request(second, "GET", created.body.selfUri, { token: token2 });
      expect(read.body).toEqual(created.body);
      const limits = await request(second, "GET", "/api/v2/organizations/limits/namespaces/dataactions", {
        token: token2,
      });
      expect(limits.body.entities).toContainEqual({
        key: "requests.volume.max",
        namespace: "dataactions",
        value: 900,
      });
      const state = await request(second, "GET", "/__emulator/state");
      expect(state.body.collections.wrapupcodes).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("restores keyed records: queue members, utilization and published configuration versions", async () => {
    const stateFile = join(directory, "state.json");
    const first = await startEmulator({ stateFile });
    const token = await login(first);
    const queue = await request(first, "POST", "/api/v2/routing/queues", {
      token,
      body: { name: "Support" },
    });
    const member = "11111111-1111-4111-8111-111111111111";
    await request(first, "POST", `${queue.body.selfUri}/members`, { token, body: [{ id: member }] });
    await request(first, "PUT", "/api/v2/routing/utilization", {
      token,
      body: { utilization: { chat: { maximumCapacity: 7 } } },
    });
    const config = await request(first, "POST", "/api/v2/webdeployments/configurations", {
      token,
      body: { name: "Messenger", languages: ["en-us"], defaultLanguage: "en-us" },
    });
    await request(
      first,
      "POST",
      `/api/v2/webdeployments/configurations/${config.body.id}/versions/draft/publish`,
      {
        token,
      },
    );
    await first.close();

    const second = await startEmulator({ stateFile });
    try {
      const token2 = await login(second);
      const members = await request(second, "GET", `${queue.body.selfUri}/members`, { token: token2 });
      expect(members.body.entities.map((m: { id: string }) => m.id)).toEqual([member]);
      const utilization = await request(second, "GET", "/api/v2/routing/utilization", { token: token2 });
      expect(utilization.body.utilization.chat.maximumCapacity).toBe(7);
      const version = await request(
        second,
        "GET",
        `/api/v2/webdeployments/configurations/${config.body.id}/versions/1`,
        { token: token2 },
      );
      expect(version.status).toBe(200);
    } finally {
      await second.close();
    }
  });

  it("fails when the state file is not an emulator state file", async () => {
    const stateFile = join(directory, "state.json");
    writeFileSync(stateFile, '{"hello": 1}');
    await expect(startEmulator({ stateFile })).rejects.toThrow(/not an emulator state file/);
  });
});

/** The emulator over a real loopback socket: auth, start-up endpoints, the Limits API, 501s, faults and stats. */
import { LIMITS_CATALOG } from "../../capacity/catalog";
import type { Emulator } from "../../emulator/server";
import { CLIENT, GENESYS_ERROR_KEYS, basic, login, request, startEmulator } from "./helpers";

describe("emulator", () => {
  let emulator: Emulator;
  let token: string;
  const logged: string[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      accessTokens: ["static-token"],
      limits: { dataactions: { "actions.concurrent.executions.max": 20 } },
      log: (line) => logged.push(line),
    });
    token = await login(emulator);
  });
  afterAll(() => emulator.close());

  describe("auth", () => {
    it("issues a bearer token for HTTP Basic client credentials", async () => {
      const answer = await request(emulator, "POST", "/oauth/token", {
        authorization: basic(CLIENT.clientId, CLIENT.clientSecret),
        body: "grant_type=client_credentials",
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        access_token: expect.any(String),
        token_type: "bearer",
        expires_in: 86400,
      });
    });

    it("issues a token for credentials in form fields", async () => {
      const form = new URLSearchParams({
        grant_type: "client_credentials",
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      });
      const answer = await request(emulator, "POST", "/oauth/token", { body: form.toString() });
      expect(answer.status).toBe(200);
    });

    it("fails when the secret is wrong, with a Genesys login error", async () => {
      const answer = await request(emulator, "POST", "/oauth/token", {
        authorization: basic(CLIENT.clientId, "wrong"),
        body: "grant_type=client_credentials",
      });
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: "invalid_client", description: expect.any(String) });
    });

    it("fails when an API call has no bearer token", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/me");
      expect(answer.status).toBe(401);
      expect(Object.keys(answer.body)).toEqual(GENESYS_ERROR_KEYS);
      expect(answer.body).toMatchObject({ status: 401, code: "authentication.required" });
    });

    it("fails when the bearer token was never issued", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/me", { token: "made-up" });
      expect(answer.status).toBe(401);
      expect(answer.body.code).toBe("bad.credentials");
    });

    it("accepts a configured static access token", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/me", { token: "static-token" });
      expect(answer.status).toBe(200);
    });
  });

  describe("start-up endpoints of the Terraform provider", () => {
    it("serves organizations/me with defaultCountryCode", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/me", { token });
      expect(answer.body).toMatchObject({
        id: expect.any(String),
        name: "Emulated Org",
        defaultCountryCode: "US",
        selfUri: expect.stringMatching(/^\/api\/v2\/organizations\//),
      });
    });

    it("serves authorization/products with a total", async () => {
      const answer = await request(emulator, "GET", "/api/v2/authorization/products", { token });
      expect(answer.body.total).toBe(answer.body.entities.length);
    });
  });

  describe("limits API", () => {
    it("lists the namespaces, paged", async () => {
      const first = await request(emulator, "GET", "/api/v2/organizations/limits/namespaces?pageSize=2", {
        token,
      });
      expect(first.body).toMatchObject({ pageSize: 2, pageNumber: 1, total: 5, pageCount: 3 });
      expect(first.body.entities).toHaveLength(2);
      const all = await request(emulator, "GET", "/api/v2/organizations/limits/namespaces", { token });
      expect(all.body.entities.map((entity: { name: string }) => entity.name)).toEqual(
        expect.arrayContaining([
          "web.messaging",
          "web.deployments",
          "dataactions",
          "routing",
          "platform.api",
        ]),
      );
    });

    it("serves the org's effective values, with overrides applied", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/limits/namespaces/dataactions", {
        token,
      });
      expect(answer.body.entities).toEqual(
        expect.arrayContaining([
          { key: "actions.concurrent.executions.max", namespace: "dataactions", value: 20 },
          { key: "requests.volume.max", namespace: "dataactions", value: 2500 },
        ]),
      );
    });

    it("serves the defaults unaffected by overrides", async () => {
      const path = "/api/v2/organizations/limits/namespaces/dataactions/defaults";
      const answer = await request(emulator, "GET", path, { token });
      expect(answer.body.entities).toContainEqual({
        key: "actions.concurrent.executions.max",
        namespace: "dataactions",
        value: 50,
      });
    });

    it("serves docs with defaults and the configurable flag", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/limits/docs", { token });
      const webMessaging = answer.body.namespaces.find(
        (namespace: { name: string }) => namespace.name === "web.messaging",
      );
      expect(webMessaging.limits).toContainEqual(
        expect.objectContaining({
          key: "connections.rate.per.minute",
          defaultValue: 1000,
          configurable: true,
        }),
      );
      expect(webMessaging.limits).toContainEqual(
        expect.objectContaining({ key: "configure.per.session.rate.per.minute", configurable: false }),
      );
    });

    it("serves every namespace and key the limits catalog maps", async () => {
      for (const definition of Object.values(LIMITS_CATALOG)) {
        if (!definition.genesys) continue;
        const { namespace, key } = definition.genesys;
        const answer = await request(
          emulator,
          "GET",
          `/api/v2/organizations/limits/namespaces/${namespace}`,
          {
            token,
          },
        );
        expect(answer.body.entities.map((entity: { key: string }) => entity.key)).toContain(key);
      }
    });

    it("fails with a Genesys 404 for an unknown namespace", async () => {
      const answer = await request(emulator, "GET", "/api/v2/organizations/limits/namespaces/nope", {
        token,
      });
      expect(answer.status).toBe(404);
      expect(answer.body).toMatchObject({
        status: 404,
        code: "not.found",
        messageParams: { namespace: "nope" },
      });
    });

    it("changes values at run time through PUT /__emulator/limits", async () => {
      await request(emulator, "PUT", "/__emulator/limits", { body: { routing: { "queues.max": 42 } } });
      const answer = await request(emulator, "GET", "/api/v2/organizations/limits/namespaces/routing", {
        token,
      });
      expect(answer.body.entities).toContainEqual({ key: "queues.max", namespace: "routing", value: 42 });
    });

    it("merges PUT /__emulator/limits key by key and resets to the start-up values with DELETE", async () => {
      const limitOf = async (namespace: string, key: string) => {
        const answer = await request(
          emulator,
          "GET",
          `/api/v2/organizations/limits/namespaces/${namespace}`,
          {
            token,
          },
        );
        return (answer.body.entities as { key: string; value: number }[]).find((e) => e.key === key)?.value;
      };
      await request(emulator, "PUT", "/__emulator/limits", { body: { routing: { "queues.max": 42 } } });
      await request(emulator, "PUT", "/__emulator/limits", {
        body: { dataactions: { "actions.concurrent.executions.max": 7 } },
      });
      expect(await limitOf("routing", "queues.max")).toBe(42); // merged, not replaced
      expect(await limitOf("dataactions", "actions.concurrent.executions.max")).toBe(7);
      const reset = await request(emulator, "DELETE", "/__emulator/limits");
      expect(reset.body).toEqual({
        limitOverrides: { dataactions: { "actions.concurrent.executions.max": 20 } },
      });
      expect(await limitOf("dataactions", "actions.concurrent.executions.max")).toBe(20); // the --limits-file value
      expect(await limitOf("routing", "queues.max")).not.toBe(42);
    });
  });

  describe("unknown endpoints", () => {
    it("answers 501 with a Genesys body, logs the method and path, and counts it", async () => {
      await request(emulator, "POST", "/__emulator/reset-stats");
      const answer = await request(emulator, "GET", "/api/v2/routing/skills?pageSize=1", { token });
      expect(answer.status).toBe(501);
      expect(answer.body).toMatchObject({ status: 501, code: "not.implemented" });
      expect(logged).toContain("501 not implemented: GET /api/v2/routing/skills");
      const stats = await request(emulator, "GET", "/__emulator/stats");
      expect(stats.body.unknown).toEqual({ "GET /api/v2/routing/skills": 1 });
      expect(stats.body.totals.unknown).toBe(1);
    });
  });

  describe("stats", () => {
    it("counts requests per method and route pattern, and resets", async () => {
      await request(emulator, "POST", "/__emulator/reset-stats");
      await request(emulator, "GET", "/api/v2/organizations/limits/namespaces/routing", { token });
      await request(emulator, "GET", "/api/v2/organizations/limits/namespaces/dataactions", { token });
      await request(emulator, "GET", "/api/v2/organizations/limits/namespaces/nope", { token });
      const stats = await request(emulator, "GET", "/__emulator/stats");
      expect(stats.body.endpoints["GET /api/v2/organizations/limits/namespaces/:namespaceName"]).toEqual({
        requests: 3,
        faults: 0,
        statuses: { "200": 2, "404": 1 },
      });
      const reset = await request(emulator, "POST", "/__emulator/reset-stats");
      expect(reset.body.totals).toEqual({ requests: 0, faults: 0, unknown: 0 });
    });
  });
});

describe("emulator faults", () => {
  it("answers the next K matching requests with 429 and Retry-After, then recovers", async () => {
    const emulator = await startEmulator({ retryAfterSeconds: 7 });
    try {
      const token = await login(emulator);
      await request(emulator, "POST", "/__emulator/faults", {
        body: { pathPrefix: "/api/v2/organizations/limits", status: 429, count: 2 },
      });
      const path = "/api/v2/organizations/limits/namespaces/routing";
      const first = await request(emulator, "GET", path, { token });
      const other = await request(emulator, "GET", "/api/v2/organizations/me", { token });
      const second = await request(emulator, "GET", path, { token });
      const third = await request(emulator, "GET", path, { token });
      expect([first.status, other.status, second.status, third.status]).toEqual([429, 200, 429, 200]);
      expect(first.headers.get("retry-after")).toBe("7");
      expect(first.body).toMatchObject({ status: 429, code: "too.many.requests.retry.after" });
      const stats = await request(emulator, "GET", "/__emulator/stats");
      expect(
        stats.body.endpoints["GET /api/v2/organizations/limits/namespaces/:namespaceName"],
      ).toMatchObject({
        requests: 3,
        faults: 2,
      });
      expect(stats.body.totals.faults).toBe(2);
    } finally {
      await emulator.close();
    }
  });

  it("targets a method, applies nothing on a faulted write, and can be cleared", async () => {
    const emulator = await startEmulator();
    try {
      const token = await login(emulator);
      await request(emulator, "POST", "/__emulator/faults", {
        body: { pathPrefix: "/api/v2/routing/wrapupcodes", method: "POST", status: 503, count: 5 },
      });
      expect((await request(emulator, "GET", "/api/v2/routing/wrapupcodes", { token })).status).toBe(200);
      const created = await request(emulator, "POST", "/api/v2/routing/wrapupcodes", {
        token,
        body: { name: "A" },
      });
      expect(created.status).toBe(503);
      // The fault is decided before the handler runs, so the faulted create left nothing behind.
      const listed = await request(emulator, "GET", "/api/v2/routing/wrapupcodes", { token });
      expect(listed.body.total).toBe(0);
      await request(emulator, "DELETE", "/__emulator/faults");
      const retried = await request(emulator, "POST", "/api/v2/routing/wrapupcodes", {
        token,
        body: { name: "A" },
      });
      expect(retried.status).toBe(200);
    } finally {
      await emulator.close();
    }
  });

  it("fails when a targeted fault names a status it cannot inject", async () => {
    const emulator = await startEmulator();
    try {
      const answer = await request(emulator, "POST", "/__emulator/faults", {
        body: { pathPrefix: "/api/v2", status: 418 },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/^The request body is invalid: status: /);
    } finally {
      await emulator.close();
    }
  });

  it("injects random faults reproducibly for the same seed", async () => {
    const statusesFor = async (seed: number) => {
      const emulator = await startEmulator({ faultRate: 0.5, seed, retryAfterSeconds: 0 });
      try {
        const token = await login(emulator);
        const statuses: number[] = [];
        for (let i = 0; i < 30; i++) {
          statuses.push((await request(emulator, "GET", "/api/v2/organizations/me", { token })).status);
        }
        return statuses;
      } finally {
        await emulator.close();
      }
    };
    const first = await statusesFor(42);
    expect(await statusesFor(42)).toEqual(first);
    expect(await statusesFor(7)).not.toEqual(first);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(5);
    expect(first.filter((status) => status !== 200).length).toBeGreaterThan(5);
    expect(new Set(first.filter((status) => status !== 200))).toEqual(new Set([429, 500, 502, 503]));
  });

  it("faults only the statuses in faultKinds, and never the login or control endpoints", async () => {
    const emulator = await startEmulator({ faultRate: 1, faultKinds: [502] });
    try {
      const token = await login(emulator);
      expect((await request(emulator, "GET", "/api/v2/organizations/me", { token })).status).toBe(502);
      expect((await request(emulator, "GET", "/__emulator/stats")).status).toBe(200);
    } finally {
      await emulator.close();
    }
  });
});

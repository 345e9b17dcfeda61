/**
 * Integrations, credentials and data actions, in the order `genesyscloud_integration`,
 * `genesyscloud_integration_credential` and `genesyscloud_integration_action` call them.
 */
import { randomBytes } from "node:crypto";
import { useEmulator } from "./helpers";

/** A credential field value made per run: tests never carry a literal secret. */
const TEST_PASSWORD = randomBytes(12).toString("base64url");

const INTEGRATIONS = "/api/v2/integrations";
const CREDENTIALS = "/api/v2/integrations/credentials";
const ACTIONS = "/api/v2/integrations/actions";

describe("integrations", () => {
  const env = useEmulator();
  const { call } = env;

  const createIntegration = (type = "custom-rest-actions") =>
    call("POST", INTEGRATIONS, { integrationType: { id: type } });
  const basicAuth = (fields: Record<string, string> = { userName: "api", password: TEST_PASSWORD }) =>
    call("POST", CREDENTIALS, {
      name: "Integration-creds",
      type: { name: "basicAuth" },
      credentialFields: fields,
    });

  describe("integrations and config", () => {
    it("creates, configures, enables, reads and deletes an integration", async () => {
      const created = await createIntegration();
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        integrationType: { id: "custom-rest-actions" },
        intendedState: "DISABLED",
      });
      const integration = created.body.selfUri;
      expect(integration).toBe(`${INTEGRATIONS}/${created.body.id}`);

      // the provider dereferences name, notes, properties, advanced and credentials without nil checks
      const config = await call("GET", `${integration}/config/current`);
      expect(config.body).toMatchObject({
        version: 1,
        notes: "",
        properties: {},
        advanced: {},
        credentials: {},
      });
      expect(typeof config.body.name).toBe("string");

      const credential = await basicAuth();
      const put = await call("PUT", `${integration}/config/current`, {
        name: "Weather API",
        notes: "forecasts",
        version: config.body.version,
        properties: { baseUrl: "https://example.com" },
        advanced: {},
        credentials: { basicAuth: { id: credential.body.id } },
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        name: "Weather API",
        version: 2,
        credentials: { basicAuth: { id: credential.body.id, name: "Integration-creds" } },
      });

      const enabled = await call("PATCH", `${integration}?pageSize=25&pageNumber=1`, {
        intendedState: "ENABLED",
      });
      expect(enabled.body).toMatchObject({ intendedState: "ENABLED", name: "Weather API" });

      const read = await call("GET", `${integration}?pageSize=100&pageNumber=1`);
      expect(read.body).toMatchObject({ name: "Weather API", intendedState: "ENABLED" });
      const listed = await call("GET", `${INTEGRATIONS}?pageSize=100&pageNumber=1`);
      expect(listed.body.entities.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
      expect((await call("GET", `${INTEGRATIONS}?pageSize=100&pageNumber=2`)).body.entities).toEqual([]);

      // DeleteIntegration parses a body, so the delete answers the integration
      const deleted = await call("DELETE", integration);
      expect(deleted.status).toBe(200);
      expect(deleted.body.id).toBe(created.body.id);
      expect((await call("GET", integration)).status).toBe(404);
    });

    it("fails with 409 when the config version is stale", async () => {
      const integration = (await createIntegration()).body.selfUri;
      const body = { name: "A", version: 1, properties: {}, advanced: {}, notes: "", credentials: {} };
      expect((await call("PUT", `${integration}/config/current`, body)).status).toBe(200);
      const stale = await call("PUT", `${integration}/config/current`, { ...body, name: "B" });
      expect(stale.status).toBe(409);
      expect(stale.body).toMatchObject({ status: 409, messageParams: { sent: "1", current: "2" } });
    });

    it("fails with 400 for a config naming a credential that does not exist", async () => {
      const integration = (await createIntegration()).body.selfUri;
      const answer = await call("PUT", `${integration}/config/current`, {
        name: "A",
        version: 1,
        credentials: { basicAuth: { id: "00000000-0000-4000-8000-000000000000" } },
      });
      expect(answer.status).toBe(400);
    });

    it("fails with 400 for an unknown integration type or intended state", async () => {
      expect((await createIntegration("fax-machine")).status).toBe(400);
      expect((await call("POST", INTEGRATIONS, {})).status).toBe(400);
      const integration = (await createIntegration()).body.selfUri;
      expect((await call("PATCH", integration, { intendedState: "ON" })).status).toBe(400);
    });

    it("fails with 404 for an unknown integration", async () => {
      const unknown = `${INTEGRATIONS}/00000000-0000-4000-8000-000000000000`;
      expect((await call("GET", unknown)).status).toBe(404);
      expect((await call("GET", `${unknown}/config/current`)).status).toBe(404);
      expect((await call("PATCH", unknown, { intendedState: "ENABLED" })).status).toBe(404);
    });
  });

  describe("credentials", () => {
    it("creates, reads without secrets, updates and deletes a credential", async () => {
      const created = await basicAuth();
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ name: "Integration-creds", type: { name: "basicAuth" } });
      expect(created.body.credentialFields).toBeUndefined();

      const read = await call("GET", created.body.selfUri);
      expect(read.body).toMatchObject({
        id: created.body.id,
        name: "Integration-creds",
        type: { name: "basicAuth" },
      });
      expect(JSON.stringify(read.body)).not.toContain(TEST_PASSWORD);
      const listed = await call("GET", CREDENTIALS);
      expect(JSON.stringify(listed.body)).not.toContain(TEST_PASSWORD);

      const updated = await call("PUT", created.body.selfUri, {
        name: "Integration-renamed",
        type: { name: "basicAuth" },
        credentialFields: { userName: "api", password: `${TEST_PASSWORD}-new` },
      });
      expect(updated.body).toMatchObject({ name: "Integration-renamed" });
      expect(updated.body.credentialFields).toBeUndefined();

      expect((await call("DELETE", created.body.selfUri)).status).toBe(204);
      expect((await call("GET", created.body.selfUri)).status).toBe(404);
    });

    it("keeps the secret fields in the state, not in answers", async () => {
      await basicAuth();
      const state = await call("GET", "/__emulator/state");
      expect(state.body.collections.integrationCredentials[0].credentialFields.password).toBe(TEST_PASSWORD);
    });

    it.each([
      ["an unknown credential type", { name: "x", type: { name: "magic" }, credentialFields: {} }],
      [
        "a basicAuth credential without a password",
        { type: { name: "basicAuth" }, credentialFields: { userName: "a" } },
      ],
      ["no type", { name: "x", credentialFields: {} }],
    ])("fails with 400 for %s", async (_label, body) => {
      expect((await call("POST", CREDENTIALS, body)).status).toBe(400);
    });
  });

  describe("data actions", () => {
    const contract = {
      input: { inputSchema: { type: "object", properties: { city: { type: "string" } } } },
      output: { successSchema: { type: "object", properties: { temp: { type: "number" } } } },
    };
    const action = (integrationId: string, body: Record<string, unknown> = {}) => ({
      name: "Get weather",
      category: "Weather",
      integrationId,
      secure: false,
      contract,
      config: {
        timeoutSeconds: 20,
        request: { requestType: "GET", requestUrlTemplate: "https://example.com/${input.city}", headers: {} },
        response: { translationMap: { temp: "$.main.temp" }, successTemplate: '{"temp": ${temp}}' },
      },
      ...body,
    });

    it("creates, reads with contract and config, patches with the version and deletes an action", async () => {
      const integrationId = (await createIntegration()).body.id;
      const created = await call("POST", ACTIONS, action(integrationId));
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ name: "Get weather", integrationId, version: 1 });
      const path = `${ACTIONS}/${created.body.id}`;

      const bare = await call("GET", path);
      expect(bare.body.contract).toBeUndefined();
      expect(bare.body.config).toBeUndefined();
      const full = await call("GET", `${path}?expand=contract&includeConfig=true`);
      expect(full.body).toMatchObject({ contract, config: { timeoutSeconds: 20 } });

      // the templates are plain text, not JSON
      const template = (name: string) =>
        fetch(`${env.emulator.url}${path}/templates/${name}`, {
          headers: { authorization: `Bearer ${env.token}` },
        });
      expect(await (await template("requesttemplate.vm")).text()).toBe("${input.rawRequest}");
      expect(await (await template("successtemplate.vm")).text()).toBe('{"temp": ${temp}}');
      expect((await call("GET", `${path}/templates/other.vm`)).status).toBe(404);

      const patched = await call("PATCH", path, {
        name: "Get weather v2",
        category: "Weather",
        version: full.body.version,
        config: { ...action(integrationId).config, timeoutSeconds: 30 },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: "Get weather v2", version: 2 });

      const listed = await call("GET", `${ACTIONS}?pageSize=100&pageNumber=1&name=Get%20weather%20v2`);
      expect(listed.body.entities.map((a: { id: string }) => a.id)).toEqual([created.body.id]);

      expect((await call("DELETE", path)).status).toBe(204);
      expect((await call("GET", path)).status).toBe(404);
    });

    it("fails with 409 when a patch sends a stale version, and 400 without one", async () => {
      const integrationId = (await createIntegration()).body.id;
      const path = `${ACTIONS}/${(await call("POST", ACTIONS, action(integrationId))).body.id}`;
      await call("PATCH", path, { name: "Two", version: 1 });
      const stale = await call("PATCH", path, { name: "Three", version: 1 });
      expect(stale.status).toBe(409);
      expect((await call("PATCH", path, { name: "Four" })).status).toBe(400);
    });

    it.each([
      ["a timeout of 0 seconds", { config: { timeoutSeconds: 0 } }, "timeoutSeconds"],
      ["a timeout of 61 seconds", { config: { timeoutSeconds: 61 } }, "timeoutSeconds"],
      [
        "an input schema that is not an object",
        { contract: { ...contract, input: { inputSchema: "[]" } } },
        "inputSchema",
      ],
      [
        "an output schema that is a list",
        { contract: { ...contract, output: { successSchema: [] } } },
        "successSchema",
      ],
      ["no contract", { contract: undefined }, "contract"],
      ["a name longer than 256", { name: "x".repeat(257) }, "name"],
    ])("fails with 400 for %s", async (_label, body, field) => {
      const integrationId = (await createIntegration()).body.id;
      const answer = await call("POST", ACTIONS, action(integrationId, body));
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain(field);
    });

    it("fails with 400 for a patch with a timeout over 60", async () => {
      const integrationId = (await createIntegration()).body.id;
      const path = `${ACTIONS}/${(await call("POST", ACTIONS, action(integrationId))).body.id}`;
      expect((await call("PATCH", path, { version: 1, config: { timeoutSeconds: 90 } })).status).toBe(400);
    });

    it("fails with 400 when the integration does not exist", async () => {
      const answer = await call("POST", ACTIONS, action("00000000-0000-4000-8000-000000000000"));
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain("integration");
    });

    it("deletes an integration's actions with the integration", async () => {
      const integration = (await createIntegration()).body;
      const created = await call("POST", ACTIONS, action(integration.id));
      await call("DELETE", integration.selfUri);
      expect((await call("GET", `${ACTIONS}/${created.body.id}`)).status).toBe(404);
    });
  });
});

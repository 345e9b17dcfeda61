/**
 * Faults and latency must never half-apply a request: a `terraform apply` whose SDK retries 429 and 5xx (POSTs
 * included) must end with exactly the objects it asked for, with no duplicates.
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Emulator } from "../../emulator/server";
import { inboundMessageFlow, login, request, startEmulator, type Answer } from "./helpers";

/** A credential field value made per run: tests never carry a literal secret. */
const TEST_PASSWORD = randomBytes(12).toString("base64url");

const USER_A = "11111111-1111-4111-8111-111111111111";
const USER_B = "22222222-2222-4222-8222-222222222222";

/** Calls like the Go SDK's retrying HTTP client: 429 and 5xx other than 501 are sent again, up to 20 times. */
function retryingClient(emulator: Emulator, token: string) {
  return async (method: string, path: string, body?: unknown): Promise<Answer> => {
    for (let attempt = 0; ; attempt++) {
      const answer = await request(emulator, method, path, {
        token,
        ...(body === undefined ? {} : { body }),
      });
      const retryable = answer.status === 429 || (answer.status >= 500 && answer.status !== 501);
      if (!retryable || attempt === 20) return answer;
    }
  };
}

/** The calls the provider makes to create one of each resource this project deploys. */
async function applyEverything(emulator: Emulator, token: string): Promise<void> {
  const call = retryingClient(emulator, token);
  const ok = async (method: string, path: string, body?: unknown) => {
    const answer = await call(method, path, body);
    if (answer.status >= 300)
      throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };

  const code = await ok("POST", "/api/v2/routing/wrapupcodes", { name: "Resolved" });
  const queue = await ok("POST", "/api/v2/routing/queues", { name: "Support" });
  await ok("POST", `${queue.selfUri}/wrapupcodes`, [{ id: code.id }]);
  await ok("POST", `${queue.selfUri}/members?delete=false`, [{ id: USER_A }, { id: USER_B }]);
  await ok("PATCH", `${queue.selfUri}/members/${USER_B}`, { id: USER_B, ringNumber: 2 });
  await ok("PUT", "/api/v2/routing/utilization", { utilization: { message: { maximumCapacity: 5 } } });

  const job = await ok("POST", "/api/v2/flows/jobs");
  const upload = await fetch(job.presignedUrl, {
    method: "PUT",
    headers: job.headers,
    body: inboundMessageFlow(),
  });
  expect(upload.status).toBe(200);
  const deployed = await ok("GET", `/api/v2/flows/jobs/${job.id}?expand=messages`);
  expect(deployed.status).toBe("Success");

  const configuration = await ok("POST", "/api/v2/webdeployments/configurations", {
    name: "Messenger",
    languages: ["en-us"],
    defaultLanguage: "en-us",
  });
  await ok("GET", `/api/v2/webdeployments/configurations/${configuration.id}/versions/draft`);
  const published = await ok(
    "POST",
    `/api/v2/webdeployments/configurations/${configuration.id}/versions/draft/publish`,
  );
  await ok("POST", "/api/v2/webdeployments/deployments", {
    name: "Website",
    allowAllDomains: true,
    configuration: { id: configuration.id, version: published.version },
    flow: { id: deployed.flow.id },
  });

  const integration = await ok("POST", "/api/v2/integrations", {
    integrationType: { id: "custom-rest-actions" },
  });
  const credential = await ok("POST", "/api/v2/integrations/credentials", {
    name: "Integration-creds",
    type: { name: "basicAuth" },
    credentialFields: { userName: "api", password: TEST_PASSWORD },
  });
  const config = await ok("GET", `/api/v2/integrations/${integration.id}/config/current`);
  await ok("PUT", `/api/v2/integrations/${integration.id}/config/current`, {
    ...config,
    name: "CRM actions",
    credentials: { basicAuth: { id: credential.id } },
  });
  const action = await ok("POST", "/api/v2/integrations/actions", {
    name: "Lookup",
    category: "CRM",
    integrationId: integration.id,
    contract: { input: { inputSchema: { type: "object" } }, output: { successSchema: { type: "object" } } },
    config: { request: { requestType: "GET", requestUrlTemplate: "https://crm.example/lookup" } },
  });
  const current = await ok("GET", `${action.selfUri}?expand=contract&includeConfig=true`);
  await ok("PATCH", action.selfUri, { name: "Lookup", category: "CRM", version: current.version });
}

describe("emulator resilience", () => {
  it("ends a retried apply under 30% random faults with exactly the objects asked for", async () => {
    const emulator = await startEmulator({ faultRate: 0.3, seed: 11, retryAfterSeconds: 0 });
    try {
      await applyEverything(emulator, await login(emulator));
      const stats = (await request(emulator, "GET", "/__emulator/stats")).body;
      const faultedWrites = Object.entries(stats.endpoints as Record<string, { faults: number }>)
        .filter(([route]) => !route.startsWith("GET "))
        .reduce((sum, [, entry]) => sum + entry.faults, 0);
      expect(faultedWrites).toBeGreaterThan(0);

      const state = (await request(emulator, "GET", "/__emulator/state")).body;
      const counts = Object.fromEntries(
        Object.entries(state.collections).map(([name, entities]) => [name, (entities as unknown[]).length]),
      );
      expect(counts).toEqual({
        wrapupcodes: 1,
        queues: 1,
        flows: 1,
        webDeploymentConfigurations: 1,
        webDeployments: 1,
        integrations: 1,
        integrationCredentials: 1,
        integrationActions: 1,
        // voice entry's IVRs: none in this apply
        ivrs: 0,
        // seeded only (none here)
        users: 0,
        groups: 0,
        teams: 0,
        skillGroups: 0,
      });
      const [queue] = state.collections.queues;
      expect(state.records.queueAssignments[queue.id]).toEqual({
        wrapupCodeIds: [state.collections.wrapupcodes[0].id],
        members: [
          { id: USER_A, ringNumber: 1 },
          { id: USER_B, ringNumber: 2 },
        ],
      });
      const [configuration] = state.collections.webDeploymentConfigurations;
      expect(state.records.webDeploymentConfigurationVersions[configuration.id]).toHaveLength(1);
      const [integration] = state.collections.integrations;
      expect(state.records.integrationConfigs[integration.id]).toMatchObject({
        version: 2,
        name: "CRM actions",
      });
      expect(state.collections.integrationActions[0].version).toBe(2);
    } finally {
      await emulator.close();
    }
  });

  it("does not apply a request whose client gave up during the injected latency", async () => {
    const logged: string[] = [];
    const emulator = await startEmulator({ latencyMs: 300, log: (line) => logged.push(line) });
    try {
      const token = await login(emulator);
      const abandoned = fetch(`${emulator.url}/api/v2/routing/wrapupcodes`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ name: "Resolved" }),
        signal: AbortSignal.timeout(50),
      });
      await expect(abandoned).rejects.toThrow();
      await sleep(500);
      const listed = await request(emulator, "GET", "/api/v2/routing/wrapupcodes", { token });
      expect(listed.body.total).toBe(0);
      expect(logged).toContain(
        "client gave up during the latency: POST /api/v2/routing/wrapupcodes was not applied",
      );
      const stats = (await request(emulator, "GET", "/__emulator/stats")).body;
      expect(stats.endpoints["POST /api/v2/routing/wrapupcodes"].statuses).toEqual({ "499": 1 });
    } finally {
      await emulator.close();
    }
  });
});

/**
 * `rehearse --voice` against the emulator on 127.0.0.1: test.yaml's voice entry (its acknowledge action, 3 s),
 * found by its display name, driven at 600 calls a minute with a slow downstream.
 */
import { main as rehearse } from "../../cli/rehearse";
import { createEmulator, type Emulator } from "../../emulator/server";

const TOKEN = "voice-cli-token";
let emulator: Emulator;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
    out: () => out.join(""),
    err: () => err.join(""),
  };
}

async function api(method: string, path: string, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as { id: string };
}

beforeAll(async () => {
  emulator = await createEmulator({ accessTokens: [TOKEN] });
  const integration = await api("POST", "/api/v2/integrations", {
    integrationType: { id: "custom-rest-actions" },
  });
  for (const [name, timeoutSeconds] of [
    ["Test ServiceNow Call Ticket", 3],
    ["Slow lookup", undefined],
  ] as const) {
    await api("POST", "/api/v2/integrations/actions", {
      name,
      category: name,
      integrationId: integration.id,
      contract: { input: { inputSchema: { type: "object" } }, output: { successSchema: { type: "object" } } },
      config: timeoutSeconds === undefined ? {} : { timeoutSeconds },
    });
  }
});

afterAll(async () => {
  emulator.app.server.closeAllConnections();
  await emulator.close();
});

const common = () => ["--voice", "test", "--url", emulator.url, "--token", TOKEN, "--time-scale", "10"];

describe("rehearse --voice", () => {
  it("drives the environment's acknowledge action: every call reaches the queue, exit 0", async () => {
    const run = io();
    const code = await rehearse(
      [...common(), "--calls", "40", "--downstream-latency-seconds", "45"],
      run.io,
      {},
    );
    expect(run.err()).toBe("");
    expect(code).toBe(0);
    expect(run.out()).toContain(
      "second  arrivals  in flight  timeouts  failures  success  failure path  hung",
    );
    expect(run.out()).toContain(
      "calls 40: 40 reached the queue (0 on success, 40 on the failure or timeout path), 0 would have hung",
    );
  });

  it("exits 3 when calls would have hung: a lookup without a timeout, retried by the flow", async () => {
    const found = (await fetch(`${emulator.url}/api/v2/integrations/actions?name=Slow%20lookup`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    }).then((r) => r.json())) as { entities: { id: string }[] };
    const run = io();
    const code = await rehearse(
      [
        ...common(),
        "--action-id",
        found.entities[0].id,
        "--flow-timeout-seconds",
        "60",
        "--on-failure",
        "retry",
        "--calls",
        "20",
        "--downstream-latency-seconds",
        "45",
      ],
      run.io,
      {},
    );
    expect(code).toBe(3);
    expect(run.out()).toContain(
      "calls 20: 0 reached the queue (0 on success, 0 on the failure or timeout path), 20 would have hung",
    );
    // let the slow executions end before the next test's run
    await new Promise((resolve) => setTimeout(resolve, 4600));
  }, 20_000);

  it.each([
    [
      ["--voice", "test", "--url", "https://api.mypurecloud.com", "--token", "x"],
      "is not a loopback address",
    ],
    [
      ["--voice", "dev", "--url", "http://127.0.0.1:1", "--token", "x"],
      "environments/dev.yaml has no voice: section",
    ],
    [
      ["--voice", "test", "--url", "http://127.0.0.1:1"],
      "--token (or GENESYSCLOUD_ACCESS_TOKEN) is required",
    ],
    [["--voice", "test", "--calls", "0", "--token", "x"], "--calls must be a number > 0"],
  ])("fails with one line and exit 2: %j", async (argv, message) => {
    const run = io();
    expect(await rehearse(argv, run.io, {})).toBe(2);
    expect(run.err()).toContain(message);
    expect(run.err().trim().split("\n")).toHaveLength(1);
  });

  it("exits 4 when the API cannot be reached", async () => {
    const run = io();
    expect(
      await rehearse(["--voice", "test", "--url", "http://127.0.0.1:1", "--token", "x"], run.io, {}),
    ).toBe(4);
    expect(run.err()).toMatch(/^rehearse --voice: http:\/\/127\.0\.0\.1:1 could not be reached/);
  });
});

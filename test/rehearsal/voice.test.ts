/**
 * The voice rehearsal against the emulator's Data Action execute endpoint (a real HTTP server on 127.0.0.1): the
 * load-test report's scenario both ways. A slow ServiceNow (45 s per answer) behind the org's 50 concurrent Data
 * Action executions, 150 calls at 10 a second:
 * - without a short timeout (the action's default 60 s) and with a flow that retries instead of routing, calls pile
 *   up against the concurrency limit and hang past the caller's 30 s;
 * - with a long timeout but a failure path, the 50 calls that got a slot still hang;
 * - with the project's flow (3 s timeout, failure and timeout paths transfer), every call reaches the queue within
 *   the timeout; with an acknowledge-only endpoint (0.2 s) every call takes the success path.
 * Model time runs 10 times faster than real time (one model second is 100 ms), in the driver and the emulator alike;
 * each scenario starts once the previous one's executions have ended (an execution outlives a caller who hung up).
 */
import { createEmulator, type Emulator } from "../../emulator/server";
import { formatVoiceReport, rehearseVoice, type CallFlowPolicy } from "../../rehearsal/voice";

const TOKEN = "voice-rehearsal-token";
const TIME_SCALE = 10;
const SLOW_SERVICENOW_SECONDS = 45;

let emulator: Emulator;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** A Data Action as the provider creates it, with `timeoutSeconds` when given (else Genesys's default, 60 s). */
async function createAction(name: string, timeoutSeconds?: number): Promise<string> {
  const integration = await api("POST", "/api/v2/integrations", {
    integrationType: { id: "custom-rest-actions" },
  });
  const action = await api("POST", "/api/v2/integrations/actions", {
    name,
    category: name,
    integrationId: integration.body.id,
    contract: {
      input: {
        inputSchema: {
          type: "object",
          properties: { conversationId: { type: "string" } },
          required: ["conversationId"],
        },
      },
      output: { successSchema: { type: "object", properties: {} } },
    },
    config: {
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      request: { requestType: "POST", requestUrlTemplate: "https://snow.example.com/api/x_ack/calls" },
    },
  });
  expect(action.status).toBe(200);
  return action.body.id;
}

/** Waits until no execution is running (the emulator holds a slot until the downstream or the timeout ends it). */
async function drained(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await api("GET", "/__emulator/dataactions/executions")).body.inFlight === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("executions still running after 10 s");
}

async function downstream(latencySeconds: number): Promise<void> {
  await drained();
  await api("DELETE", "/__emulator/dataactions/executions");
  const answer = await api("PUT", "/__emulator/dataactions/downstream", {
    latencyMs: (latencySeconds * 1000) / TIME_SCALE,
    failureRate: 0,
    timeScale: TIME_SCALE,
  });
  expect(answer.status).toBe(200);
}

function run(actionId: string, flow: CallFlowPolicy) {
  return rehearseVoice({
    apiUrl: emulator.url,
    token: TOKEN,
    actionId,
    calls: 150,
    callsPerSecond: 10,
    flow,
    callerWaitSeconds: 30,
    timeScale: TIME_SCALE,
  });
}

beforeAll(async () => {
  emulator = await createEmulator({ accessTokens: [TOKEN] });
});

afterAll(async () => {
  await drained();
  // Requests the driver aborted (callers who hung up) can leave sockets that never carried a request; Node's server
  // would wait for them until its headers timeout (60 s).
  emulator.app.server.closeAllConnections();
  await emulator.close();
}, 20_000);

describe("the execute endpoint", () => {
  it("runs an action within the org's concurrency: 429 past it, 408 at the action's timeout, 400 without its input", async () => {
    const actionId = await createAction("Limits", 2);
    await api("PUT", "/__emulator/limits", { dataactions: { "actions.concurrent.executions.max": 2 } });
    try {
      await downstream(3); // longer than the action's 2 s
      const answers = await Promise.all(
        [1, 2, 3].map(() =>
          api("POST", `/api/v2/integrations/actions/${actionId}/execute`, { conversationId: "c" }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([408, 408, 429]);
      expect(answers.find((a) => a.status === 429)!.body.message).toBe(
        "The organization reached its limit of 2 concurrent data action executions (actions.concurrent.executions.max).",
      );
      await downstream(0.1);
      expect(
        (await api("POST", `/api/v2/integrations/actions/${actionId}/execute`, { conversationId: "c" })).body,
      ).toEqual({});
      expect((await api("POST", `/api/v2/integrations/actions/${actionId}/execute`, {})).status).toBe(400);
      expect((await api("GET", "/__emulator/dataactions/executions")).body).toMatchObject({
        started: 1,
        succeeded: 1,
        inFlight: 0,
      });
    } finally {
      await api("DELETE", "/__emulator/limits");
    }
  });
});

describe("the report's scenario, both ways", () => {
  jest.setTimeout(30_000);

  it("without a timeout and with a flow that retries, calls pile up against the 50 executions and hang", async () => {
    const actionId = await createAction("ServiceNow lookup, no timeout");
    await downstream(SLOW_SERVICENOW_SECONDS);
    const result = await run(actionId, { timeoutSeconds: 60, onFailure: "retry", retryDelaySeconds: 1 });
    console.log(["without a timeout, retrying:", ...formatVoiceReport(result)].join("\n"));
    expect(result.totals.calls).toBe(150);
    expect(result.totals.hung).toBe(150);
    expect(result.totals.reachedQueue).toBe(0);
    expect(result.totals.peakInFlight).toBeGreaterThanOrEqual(50);
    expect(result.failuresByStatus["429"]).toBeGreaterThan(100);
    const executions = (await api("GET", "/__emulator/dataactions/executions")).body;
    expect(executions.peakInFlight).toBe(50);
    expect(executions.refusedConcurrency).toBeGreaterThan(100);
  });

  it("with a long timeout and a failure path, the calls that got a slot still hang", async () => {
    const actionId = await createAction("ServiceNow lookup, long timeout", 60);
    await downstream(SLOW_SERVICENOW_SECONDS);
    const result = await run(actionId, { timeoutSeconds: 60, onFailure: "transfer" });
    console.log(["with a 60 s timeout and a failure path:", ...formatVoiceReport(result)].join("\n"));
    expect(result.totals.hung).toBe(50);
    expect(result.totals.failurePathTransfers).toBe(100);
    expect(result.failuresByStatus["429"]).toBe(100);
  });

  it("with the project's 3 s timeout and failure path, every call reaches the queue within the timeout", async () => {
    const actionId = await createAction("ServiceNow ticket, 3 s", 3);
    await downstream(SLOW_SERVICENOW_SECONDS);
    const result = await run(actionId, { timeoutSeconds: 3, onFailure: "transfer" });
    console.log(["with a 3 s timeout and a failure path:", ...formatVoiceReport(result)].join("\n"));
    expect(result.totals.hung).toBe(0);
    expect(result.totals.reachedQueue).toBe(150);
    expect(result.totals.failurePathTransfers).toBe(150);
    expect(result.totals.timeouts).toBeGreaterThanOrEqual(50);
    // 3 s of model time, plus the loopback's and a busy event loop's real milliseconds, scaled up 10 times (one
    // process serves the emulator and drives 150 calls; on a loaded 2-core machine a few hundred ms): far inside
    // the caller's 30 s.
    expect(result.waitToQueueSeconds!.p50).toBeLessThan(3 + 0.5);
    expect(result.waitToQueueSeconds!.max).toBeLessThan(10);
    expect(result.seconds.every((second) => second.hung === 0)).toBe(true);
  });

  it("with an acknowledge-only endpoint (202 at once) every call takes the success path", async () => {
    const actionId = await createAction("ServiceNow ticket, acknowledge", 3);
    await downstream(0.2);
    const result = await run(actionId, { timeoutSeconds: 3, onFailure: "transfer" });
    console.log(["with an acknowledge-only endpoint:", ...formatVoiceReport(result)].join("\n"));
    expect(result.totals.successTransfers).toBe(150);
    expect(result.totals.hung + result.totals.failures + result.totals.timeouts).toBe(0);
    expect(result.totals.peakInFlight).toBeLessThan(50);
  });
});

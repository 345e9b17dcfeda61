/** The emulator's guest WebSocket side (emulator/guest/): protocol shapes, ceilings, refusals and stats. */
import { randomUUID } from "node:crypto";
import { GUEST_LIMIT_KEYS } from "../../emulator/guest/limits";
import { createWebDeployments, guestUrl, RawGuest, type Refusal } from "../rehearsal/fixtures";
import { useEmulator } from "./helpers";

const CEILING_TEXT = "Max concurrent connections exceeded for tenant";

describe("guest WebSocket side", () => {
  const ctx = useEmulator();
  const open: RawGuest[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((guest) => guest.close()));
  });

  const connect = async (deploymentId: string) => {
    const guest = await RawGuest.connect(guestUrl(ctx.emulator.url), deploymentId);
    open.push(guest);
    return guest;
  };
  const attempt = async (deploymentId: string) => {
    const result = await RawGuest.open(guestUrl(ctx.emulator.url), deploymentId);
    if (result instanceof RawGuest) open.push(result);
    return result;
  };
  const configure = async (guest: RawGuest, deploymentId: string, token = randomUUID()) => {
    guest.send({ action: "configureSession", deploymentId, token, tracingId: "t-configure" });
    return { token, frame: await guest.next() };
  };
  const setLimits = (values: Record<string, number>) =>
    ctx.call("PUT", "/__emulator/limits", { "web.messaging": values });
  const guestStats = async () => (await ctx.call("GET", "/__emulator/stats")).body.webMessaging;

  it("answers configureSession with a SessionResponse and echoes a text message with its tracingId", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const guest = await connect(deploymentId);
    const { token, frame } = await configure(guest, deploymentId);
    expect(frame).toMatchObject({
      type: "response",
      class: "SessionResponse",
      code: 200,
      tracingId: "t-configure",
      body: { connected: true, newSession: true, readOnly: false, maxCustomDataBytes: 2048 },
    });
    guest.send({ action: "onMessage", token, tracingId: "t-1", message: { type: "Text", text: "hello" } });
    const echo = await guest.next();
    expect(echo).toMatchObject({
      type: "message",
      class: "StructuredMessage",
      code: 200,
      tracingId: "t-1",
      body: { type: "Text", text: "hello", direction: "Inbound" },
    });
    expect((echo.body as { id: string }).id).toMatch(/^[0-9a-f]{32}$/);
    guest.send({ action: "echo", token, tracingId: "t-2", message: { text: "ping", type: "Text" } });
    expect(await guest.next()).toMatchObject({
      type: "response",
      class: "StructuredMessage",
      tracingId: "t-2",
    });
  });

  it("resumes a session for the same token (newSession false) and closes it with closeSession", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const first = await connect(deploymentId);
    const { token } = await configure(first, deploymentId);
    const second = await connect(deploymentId);
    const { frame } = await configure(second, deploymentId, token);
    expect(frame).toMatchObject({ class: "SessionResponse", body: { connected: true, newSession: false } });
    second.send({ action: "closeSession", token, closeAllConnections: true });
    expect(await second.next()).toMatchObject({ class: "SessionResponse", body: { connected: false } });
    expect(await first.next()).toMatchObject({ type: "message", class: "ConnectionClosedEvent", body: {} });
    expect(await first.closed()).toBe(1000);
  });

  it("sends ConnectionClosedEvent to a fourth connection of one session (session.connections.max 3)", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const token = randomUUID();
    for (let n = 0; n < 3; n += 1) {
      const { frame } = await configure(await connect(deploymentId), deploymentId, token);
      expect(frame).toMatchObject({ class: "SessionResponse" });
    }
    const fourth = await connect(deploymentId);
    const { frame } = await configure(fourth, deploymentId, token);
    expect(frame).toMatchObject({ class: "ConnectionClosedEvent" });
    expect(await fourth.closed()).toBe(1000);
  });

  it("fails when a deployment id does not exist: 403 at the upgrade, counted", async () => {
    const refusal = (await attempt(randomUUID())) as Refusal;
    expect(refusal).toEqual({
      status: 403,
      message: "User is not authorized to access this resource with an explicit deny",
    });
    expect(((await attempt("")) as Refusal).status).toBe(403);
    expect((await guestStats()).refused.unknownDeployment).toBe(2);
  });

  it("fails when the deployment's concurrent ceiling is reached: 503, then admits again after a close", async () => {
    await setLimits({ [GUEST_LIMIT_KEYS.concurrentPerDeployment]: 2 });
    const [deploymentId, other] = await createWebDeployments(ctx.call, 2);
    const first = await connect(deploymentId);
    await connect(deploymentId);
    expect(await attempt(deploymentId)).toEqual({ status: 503, message: CEILING_TEXT });
    expect(await attempt(other)).toBeInstanceOf(RawGuest); // the ceiling is per deployment
    let stats = await guestStats();
    expect(stats.limits.concurrentPerDeployment).toBe(2);
    expect(stats.deployments[deploymentId]).toMatchObject({
      live: 2,
      peak: 2,
      accepted: 2,
      refused: { deploymentConcurrent: 1 },
    });
    expect(stats).toMatchObject({ live: 3, peak: 3, refused: { deploymentConcurrent: 1, total: 1 } });
    await first.close();
    await waitFor(async () => (await guestStats()).deployments[deploymentId].live === 1);
    expect(await attempt(deploymentId)).toBeInstanceOf(RawGuest);
    stats = await guestStats();
    expect(stats.deployments[deploymentId]).toMatchObject({ live: 2, peak: 2, accepted: 3 });
  });

  it("fails when the org-wide ceiling is reached, whatever the deployment: the same 503 text", async () => {
    await setLimits({ [GUEST_LIMIT_KEYS.concurrentPerOrg]: 3 });
    const ids = await createWebDeployments(ctx.call, 4);
    for (const id of ids.slice(0, 3)) await connect(id);
    expect(await attempt(ids[3])).toEqual({ status: 503, message: CEILING_TEXT });
    const stats = await guestStats();
    expect(stats.refused).toMatchObject({ orgConcurrent: 1, deploymentConcurrent: 0 });
    expect(stats.deployments[ids[3]]).toMatchObject({ live: 0, refused: { orgConcurrent: 1 } });
  });

  it("reports the per-deployment ceiling from the limits catalog (150) and no org ceiling by default", async () => {
    const stats = await guestStats();
    expect(stats.limits).toMatchObject({
      concurrentPerDeployment: 150,
      connectionsPerDeploymentPerMinute: 1000,
      timeScale: 1,
    });
    expect(stats.limits.concurrentPerOrg).toBeUndefined();
  });

  it("resets counts and peaks with POST /__emulator/reset-stats", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const first = await connect(deploymentId);
    await connect(deploymentId);
    await first.close();
    await waitFor(async () => (await guestStats()).live === 1);
    const reset = await ctx.call("POST", "/__emulator/reset-stats");
    expect(reset.body.webMessaging).toMatchObject({ live: 1, peak: 1, accepted: 0 });
    expect(reset.body.webMessaging.deployments[deploymentId]).toMatchObject({
      live: 1,
      peak: 1,
      accepted: 0,
    });
  });

  it("answers malformed and out-of-order requests with the documented error frames", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const guest = await connect(deploymentId);
    guest.send("not json");
    expect(await guest.next()).toEqual({
      type: "response",
      class: "string",
      code: 400,
      body: "Request failed.",
    });
    guest.send({ action: "onMessage", token: "t", tracingId: "x", message: { type: "Text", text: "hi" } });
    expect(await guest.next()).toMatchObject({ class: "string", code: 4007, tracingId: "x" });
    guest.send({ action: "configureSession", deploymentId: randomUUID(), token: "t" });
    expect(await guest.next()).toMatchObject({ class: "string", code: 400, body: "Deployment not found" });
    const { token } = await configure(guest, deploymentId);
    guest.send({ action: "onMessage", token, message: { type: "Text", text: "x".repeat(5000) } });
    expect(await guest.next()).toMatchObject({ code: 4011, body: "Message length 5000 is larger than 4096" });
    guest.send({ action: "getJwt", token });
    expect(await guest.next()).toMatchObject({ code: 400, body: "Request failed." });
    const stats = await guestStats();
    expect(stats.protocolErrors).toBe(4);
    expect(stats.unmodelledActions).toEqual({ getJwt: 1 });
  });

  it("refuses onMessage over the session's rate with TooManyRequestsErrorMessage", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const guest = await connect(deploymentId);
    const { token } = await configure(guest, deploymentId);
    for (const text of ["1", "2", "3"])
      guest.send({ action: "onMessage", token, message: { type: "Text", text } });
    expect(await guest.next()).toMatchObject({ class: "StructuredMessage" });
    expect(await guest.next()).toMatchObject({ class: "StructuredMessage" });
    expect(await guest.next()).toMatchObject({
      type: "response",
      class: "TooManyRequestsErrorMessage",
      code: 429,
      body: { errorCode: 4029, errorMessage: "Message rate too high for this session", retryAfter: 3 },
    });
  });

  it("closes while guests are connected, and the guests see their connections end", async () => {
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const guests = [await connect(deploymentId), await connect(deploymentId)];
    await ctx.emulator.close();
    for (const guest of guests) expect(await guest.closed()).toBe(1006);
  });
});

describe("guest connection rate", () => {
  // The window's clock is the test's (test/emulator/admission.test.ts covers its edges): no wall-clock timing.
  const clock = { now: 1_000_000 };
  const ctx = useEmulator({ guest: { now: () => clock.now } });

  it("fails when a deployment's new connections per minute are spent: 429 with Retry-After, then admits again", async () => {
    await ctx.call("PUT", "/__emulator/limits", {
      "web.messaging": { [GUEST_LIMIT_KEYS.connectionsPerDeploymentPerMinute]: 2 },
    });
    const [deploymentId] = await createWebDeployments(ctx.call, 1);
    const url = guestUrl(ctx.emulator.url);
    const guests: RawGuest[] = [];
    try {
      const results = [];
      for (let n = 0; n < 3; n += 1) results.push(await RawGuest.open(url, deploymentId));
      guests.push(...results.filter((result): result is RawGuest => result instanceof RawGuest));
      expect(guests).toHaveLength(2);
      expect(results[2]).toEqual({ status: 429, message: "Too Many Requests", retryAfter: "60" });
      clock.now += 60_000;
      const later = await RawGuest.open(url, deploymentId);
      expect(later).toBeInstanceOf(RawGuest);
      guests.push(later as RawGuest);
      const stats = (await ctx.call("GET", "/__emulator/stats")).body.webMessaging;
      expect(stats.deployments[deploymentId]).toMatchObject({ accepted: 3, live: 3, peak: 3 });
      expect(stats.deployments[deploymentId].refused.connectionRate).toBe(1);
    } finally {
      await Promise.all(guests.map((guest) => guest.close()));
    }
  });
});

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 2000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met within 2 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

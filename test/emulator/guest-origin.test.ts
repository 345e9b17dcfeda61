/**
 * The guest side's Origin check and its retry hints (emulator/guest/): a deployment's allowed domains decide which
 * Origins get in (403 otherwise, as an unknown deployment), a 503 can carry Retry-After, Retry-After speaks model
 * seconds at a time scale, and the message rate's second is compressed like the connection rate's minute.
 */
import { GUEST_LIMIT_KEYS } from "../../emulator/guest/limits";
import { createWebDeployments, guestUrl, RawGuest, type Refusal } from "../rehearsal/fixtures";
import { startWithClient, useEmulator } from "./helpers";

const DENY = { status: 403, message: "User is not authorized to access this resource with an explicit deny" };

describe("guest Origin check", () => {
  const ctx = useEmulator();
  const open: RawGuest[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((guest) => guest.close()));
  });
  const attempt = async (deploymentId: string, origin?: string) => {
    const result = await RawGuest.open(guestUrl(ctx.emulator.url), deploymentId, origin);
    if (result instanceof RawGuest) open.push(result);
    return result;
  };
  const guestStats = async () => (await ctx.call("GET", "/__emulator/stats")).body.webMessaging;

  it("lets in an Origin on an allowed domain or below it, whatever the scheme and port", async () => {
    const [id] = await createWebDeployments(ctx.call, 1, "Shop", { allowedDomains: ["Example.com"] });
    for (const origin of ["https://example.com", "http://www.example.com:8443", "https://a.b.EXAMPLE.com"])
      expect(await attempt(id, origin)).toBeInstanceOf(RawGuest);
  });

  it("fails when the deployment does not allow the Origin: 403 as for an unknown deployment, counted apart", async () => {
    const [id] = await createWebDeployments(ctx.call, 1, "Shop", { allowedDomains: ["example.com"] });
    const refused = [
      "https://evil-example.com", // not below example.com
      "https://example.com.evil.test",
      "webmessaging.mypurecloud.com", // the mobile SDK's Origin: its endpoint's host
      undefined, // no Origin at all: no domain to match
    ];
    for (const origin of refused) expect(await attempt(id, origin)).toEqual(DENY);
    const stats = await guestStats();
    expect(stats.refused).toMatchObject({ originNotAllowed: 4, unknownDeployment: 0, total: 4 });
    expect(stats.deployments[id]).toMatchObject({ live: 0, accepted: 0, refused: { originNotAllowed: 4 } });
  });

  it("fails for every Origin when an entry carries a scheme or a port: such an entry never matches", async () => {
    const [id] = await createWebDeployments(ctx.call, 1, "Shop", {
      allowedDomains: ["https://example.com", "example.com:443"],
    });
    expect(await attempt(id, "https://example.com")).toEqual(DENY);
  });

  it("lets every Origin in, and none, when the deployment allows all domains", async () => {
    const [id] = await createWebDeployments(ctx.call, 1, "Open", { allowAllDomains: true });
    for (const origin of ["https://anything.test", undefined])
      expect(await attempt(id, origin)).toBeInstanceOf(RawGuest);
    expect((await guestStats()).refused.originNotAllowed).toBe(0);
  });
});

describe("guest retry hints", () => {
  it("sends Retry-After with a 503 at a ceiling when emulator.concurrent.retry.after.seconds is set, and none by default", async () => {
    const ctx = await startWithClient();
    const guests: RawGuest[] = [];
    try {
      await ctx.call("PUT", "/__emulator/limits", {
        "web.messaging": { [GUEST_LIMIT_KEYS.concurrentPerDeployment]: 1 },
      });
      const [id] = await createWebDeployments(ctx.call, 1);
      const url = guestUrl(ctx.emulator.url);
      guests.push(await RawGuest.connect(url, id));
      expect(await RawGuest.open(url, id)).toEqual({
        status: 503,
        message: "Max concurrent connections exceeded for tenant",
      });
      await ctx.call("PUT", "/__emulator/limits", {
        "web.messaging": { [GUEST_LIMIT_KEYS.concurrentRetryAfterSeconds]: 7 },
      });
      expect(((await RawGuest.open(url, id)) as Refusal).retryAfter).toBe("7");
    } finally {
      await Promise.all(guests.map((guest) => guest.close()));
      await ctx.emulator.close();
    }
  });

  describe("at time scale 60", () => {
    const clock = { now: 5_000_000 };
    const ctx = useEmulator({ guest: { timeScale: 60, now: () => clock.now } });

    it("says Retry-After in model seconds: a full minute's wait is 60, though it lasts 1 s", async () => {
      await ctx.call("PUT", "/__emulator/limits", {
        "web.messaging": { [GUEST_LIMIT_KEYS.connectionsPerDeploymentPerMinute]: 1 },
      });
      const [id] = await createWebDeployments(ctx.call, 1);
      const url = guestUrl(ctx.emulator.url);
      const first = await RawGuest.connect(url, id);
      try {
        expect(await RawGuest.open(url, id)).toEqual({
          status: 429,
          message: "Too Many Requests",
          retryAfter: "60",
        });
        clock.now += 750; // three quarters of the compressed minute
        expect(((await RawGuest.open(url, id)) as Refusal).retryAfter).toBe("15");
      } finally {
        await first.close();
      }
    });

    it("compresses the message rate's second too: 2 messages per 1/60 s", async () => {
      const [id] = await createWebDeployments(ctx.call, 1);
      const guest = await RawGuest.connect(guestUrl(ctx.emulator.url), id);
      try {
        guest.send({ action: "configureSession", deploymentId: id, token: "t" });
        expect(await guest.next()).toMatchObject({ class: "SessionResponse" });
        const send = (text: string) =>
          guest.send({ action: "onMessage", token: "t", tracingId: text, message: { type: "Text", text } });
        send("1");
        send("2");
        await new Promise((resolve) => setTimeout(resolve, 60)); // well past 1/60 s
        send("3");
        const frames = [await guest.next(), await guest.next(), await guest.next()];
        expect(frames.map((frame) => [frame.class, frame.tracingId])).toEqual([
          ["StructuredMessage", "1"],
          ["StructuredMessage", "2"],
          ["StructuredMessage", "3"],
        ]);
      } finally {
        await guest.close();
      }
    });
  });
});

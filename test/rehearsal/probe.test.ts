/**
 * The probe before a rehearsal's ramp and the run's classification of refusals, against the emulator started
 * in-process on a free port of 127.0.0.1.
 */
import { randomUUID } from "node:crypto";
import { createServer } from "node:net";
import { GUEST_LIMIT_KEYS } from "../../emulator/guest/limits";
import { probeDeployments } from "../../rehearsal/probe";
import { renderText } from "../../rehearsal/report";
import { runRehearsal } from "../../rehearsal/run";
import { useEmulator } from "../emulator/helpers";
import { RawGuest, createWebDeployments, guestUrl } from "./fixtures";

const UNKNOWN = "403 User is not authorized to access this resource with an explicit deny";

describe("probeDeployments", () => {
  const context = useEmulator();
  const stats = async () => (await context.call("GET", "/__emulator/stats")).body.webMessaging;

  it("names the deployments the endpoint does not know, and closes the probes of the others", async () => {
    const ids = await createWebDeployments(context.call, 2);
    const stale = randomUUID();
    const result = await probeDeployments(guestUrl(context.emulator.url), [ids[0], stale, ids[1]]);
    expect(result).toEqual({ unknown: [{ deploymentId: stale, answer: UNKNOWN }] });
    const after = await stats();
    expect(after).toMatchObject({ accepted: 2, refused: { unknownDeployment: 1 } });
    expect(after.live).toBe(0);
  });

  it("counts a deployment refused for load (503 at its ceiling) as known", async () => {
    const [id] = await createWebDeployments(context.call, 1);
    await context.call("PUT", "/__emulator/limits", {
      "web.messaging": { [GUEST_LIMIT_KEYS.concurrentPerDeployment]: 1 },
    });
    const holder = await RawGuest.connect(guestUrl(context.emulator.url), id);
    expect(await probeDeployments(guestUrl(context.emulator.url), [id])).toEqual({ unknown: [] });
    expect((await stats()).refused.deploymentConcurrent).toBe(1);
    await holder.close();
  });
});

describe("probeDeployments: nothing listening", () => {
  it("says the endpoint is unreachable, once for all deployments", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const result = await probeDeployments(`ws://127.0.0.1:${port}/v1`, ["a", "b", "c"]);
    expect(result).toEqual({ unknown: [], unreachable: "ECONNREFUSED" });
  });
});

describe("runRehearsal: refusals for an unknown deployment are no ceiling", () => {
  const context = useEmulator();

  it("counts them apart, leaves them out of the first refusal and says the map is stale", async () => {
    const [id] = await createWebDeployments(context.call, 1);
    const url = guestUrl(context.emulator.url);
    const result = await runRehearsal({
      url,
      shards: [
        { index: 0, deploymentId: id, plannedSessions: 5 },
        { index: 1, deploymentId: randomUUID(), plannedSessions: 5 },
      ],
      sessions: 10,
      rampPerMinute: 60_000,
      holdSeconds: 0,
    });
    expect(result.refusals).toEqual({ [UNKNOWN]: 5 });
    expect(result.refusalKinds).toEqual({ ceiling: 0, rate: 0, unknownDeployment: 5, other: 0 });
    expect(result.firstRefusal).toBeUndefined();
    const request = {
      environment: "dev",
      shardMap: "dev.json",
      url,
      sessions: 10,
      rampPerMinute: 60_000,
      holdSeconds: 0,
      timeScale: 1,
      singleDeployment: false,
      loseShard: undefined,
      shards: 2,
    };
    const lines = renderText(request, result);
    expect(lines).toContain(
      `refused 5×: ${UNKNOWN} (an unknown deployment or a refused Origin, not a ceiling)`,
    );
    expect(lines).toContain(
      `5 sessions were refused because ${url} does not know their deployment: the shard map does not match ` +
        "what is deployed there (probably stale); write it again with npm run shard-map -- dev --format json " +
        "(or npm run demo)",
    );
    expect(lines.join("\n")).not.toContain("first refusal");
  });
});

/**
 * `watch` end to end: the CLI in-process, the real Genesys SDK against the emulator on 127.0.0.1 (port 0), shards
 * created through the emulator's API and guests holding conversations on them. The exit-code rules: above
 * ceiling × headroom 3, at or below 0, API unreachable 4, bad input 2 (one line, no stack trace).
 */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { EXIT, main } from "../../cli/watch";
import type { Emulator } from "../../emulator/server";
import type { RawGuest } from "../rehearsal/fixtures";
import { startWithClient } from "../emulator/helpers";
import { closeGuests, createRoutedShards, openGuests, type RoutedShard } from "../emulator/routed-shards";
import { scratchDir } from "../scratch";
import { captureIo, emulatorEnv, writeEnvironment, writeShardMap } from "./fixtures";

/** C = 10, h = 0.5: u = 5 live conversations per shard. */
const ENVIRONMENT = "watchtest";

let dir: string;
let emulator: Emulator;
let shards: RoutedShard[];
let shardMap: string;
const guests: RawGuest[] = [];

beforeAll(async () => {
  dir = scratchDir("watch-");
  writeEnvironment(dir, ENVIRONMENT, { sessionsPerShard: 10, headroom: 0.5, targetConcurrentSessions: 10 });
  const started = await startWithClient();
  emulator = started.emulator;
  shards = await createRoutedShards(started.call, 2);
  shardMap = writeShardMap(dir, ENVIRONMENT, shards, [5, 5]);
});
afterEach(async () => closeGuests(guests.splice(0)));
afterAll(async () => emulator?.close());

async function watch(
  argv: readonly string[],
  env: Record<string, string | undefined> = emulatorEnv(emulator, dir),
) {
  const io = captureIo();
  const code = await main(argv, io, env, { retry: { maxAttempts: 1 } });
  return { code, out: io.out, err: io.err };
}

/** A port of 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The live view on `io` until `signal` aborts, refreshing every second. */
function watchLive(io: ReturnType<typeof captureIo>, signal: AbortSignal, ...flags: string[]) {
  return main(
    [ENVIRONMENT, "--interval", "1", "--shard-map", shardMap, ...flags],
    io,
    emulatorEnv(emulator, dir),
    {
      signal,
      retry: { maxAttempts: 1 },
    },
  );
}

/** Makes the emulator answer the next queue observation query 503. */
function failNextObservation(): Promise<Response> {
  return fetch(`${emulator.url}/__emulator/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      pathPrefix: "/api/v2/analytics/queues/observations/query",
      status: 503,
      count: 1,
    }),
  });
}

describe("watch --once", () => {
  it("exits 0 with a shard at its ceiling × headroom (5 of u = 5), and reports it on the right shard", async () => {
    guests.push(...(await openGuests(emulator.url, shards[1].deploymentId, 5)));
    const { code, out, err } = await watch([ENVIRONMENT, "--once", "--json", "--shard-map", shardMap]);
    expect(err).toBe("");
    expect(code).toBe(EXIT.ok);
    const snapshot = JSON.parse(out);
    expect(snapshot.shards).toEqual([
      expect.objectContaining({ index: 0, queueId: shards[0].queueId, live: 0, state: "ok" }),
      expect.objectContaining({
        index: 1,
        deploymentId: shards[1].deploymentId,
        queueId: shards[1].queueId,
        waiting: 5,
        interacting: 0,
        live: 5,
        planned: 5,
        ceiling: 10,
        usable: 5,
        used: 0.5,
        state: "ok",
      }),
    ]);
    expect(snapshot.budget).toMatchObject({ ceilingPerShard: 10, headroom: 0.5, usablePerShard: 5 });
    expect(snapshot.aboveHeadroom).toEqual({ shards: [], queueGroups: [], org: false });
    expect(snapshot.apiUrl).toBe(emulator.url);
  });

  it("exits 3 when a shard is above its ceiling × headroom (6 of u = 5)", async () => {
    guests.push(...(await openGuests(emulator.url, shards[0].deploymentId, 6)));
    const { code, out } = await watch([ENVIRONMENT, "--once", "--json", "--shard-map", shardMap]);
    expect(code).toBe(EXIT.aboveHeadroom);
    const snapshot = JSON.parse(out);
    expect(snapshot.shards[0]).toMatchObject({ live: 6, state: "above-headroom" });
    expect(snapshot.aboveHeadroom).toEqual({ shards: [0], queueGroups: [0], org: false });
  });

  it("shows the emulator's web.messaging counts next to the observations", async () => {
    guests.push(...(await openGuests(emulator.url, shards[0].deploymentId, 2)));
    const { out } = await watch([ENVIRONMENT, "--once", "--json", "--shard-map", shardMap]);
    const { limitCounts } = JSON.parse(out);
    expect(limitCounts.status).toBe("answered");
    expect(limitCounts.counts).toContainEqual({
      name: "emulator.connections.concurrent.per.org.max",
      estimatedCount: 2,
      max: null,
      entityId: null,
      userId: null,
    });
  });

  it("prints the table once without --json", async () => {
    guests.push(...(await openGuests(emulator.url, shards[0].deploymentId, 1)));
    const { code, out } = await watch([ENVIRONMENT, "--once", "--shard-map", shardMap]);
    expect(code).toBe(EXIT.ok);
    expect(out).toContain(`watch ${ENVIRONMENT} at `);
    expect(out).toMatch(
      new RegExp(`^000\\s+${shards[0].deploymentId}\\s+1\\s+0\\s+1\\s+5\\s+10\\s+5\\s+10%\\s+ok$`, "m"),
    );
    expect(out).toContain("Limits API counts (web.messaging):");
    expect(out).not.toContain("\x1b[");
  });

  it("reads the queue ids from a state file with --state, as npm run shard-map does", async () => {
    const state = join(dir, "watchtest.tfstate");
    writeFileSync(
      state,
      JSON.stringify({
        version: 4,
        serial: 3,
        lineage: "watch-test",
        outputs: {
          capacity_plan: { value: { environment: ENVIRONMENT } },
          shard_map: {
            value: shards.map((shard) => ({
              index: shard.index,
              deployment_id: shard.deploymentId,
              queue_id: shard.queueId,
              flow_id: shard.flowId,
              sessions: 5,
              arrivals_per_minute: null,
            })),
          },
        },
      }),
    );
    guests.push(...(await openGuests(emulator.url, shards[1].deploymentId, 2)));
    const { code, out } = await watch([ENVIRONMENT, "--once", "--json", "--state", state]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out).shards[1]).toMatchObject({ queueId: shards[1].queueId, live: 2 });
  });

  it("exits 4 when nothing listens at the API (one line)", async () => {
    const env = { ...emulatorEnv(emulator, dir), GENESYSCLOUD_GATEWAY_PORT: String(await closedPort()) };
    const { code, out, err } = await watch([ENVIRONMENT, "--once", "--json", "--shard-map", shardMap], env);
    expect(code).toBe(EXIT.unavailable);
    expect(out).toBe("");
    expect(err).toMatch(/^watch: POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed: ECONNREFUSED/);
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  it("exits 4 when the observations answer 503", async () => {
    const fault = await failNextObservation();
    expect(fault.status).toBe(200);
    const { code, err } = await watch([ENVIRONMENT, "--once", "--shard-map", shardMap]);
    expect(code).toBe(EXIT.unavailable);
    expect(err).toContain("/api/v2/analytics/queues/observations/query answered 503");
  });
});

describe("watch, live", () => {
  it("redraws the table on a terminal and exits 0 when stopped (Ctrl-C)", async () => {
    guests.push(...(await openGuests(emulator.url, shards[0].deploymentId, 1)));
    const stop = new AbortController();
    const io = captureIo(true);
    let frames = 0;
    const write = io.stdout.write;
    io.stdout.write = (text: string) => {
      frames += 1;
      if (frames === 2) stop.abort();
      return write(text);
    };
    const code = await watchLive(io, stop.signal);
    expect(code).toBe(EXIT.ok);
    expect(frames).toBe(2);
    expect(io.out.split("\x1b[H\x1b[2J")).toHaveLength(3);
    expect(io.out).toContain("refreshing every 1 s; Ctrl-C to stop");
    expect(io.err).toBe("");
  });

  it("shows a failed refresh under the last table and goes on (exit 0 when stopped)", async () => {
    const stop = new AbortController();
    const io = captureIo(true);
    const frames: string[] = [];
    const write = io.stdout.write;
    io.stdout.write = (text: string) => {
      frames.push(text);
      if (frames.length === 1) {
        void failNextObservation();
      }
      if (frames.length === 3) stop.abort();
      return write(text);
    };
    const code = await watchLive(io, stop.signal);
    expect(code).toBe(EXIT.ok);
    expect(frames[0]).not.toContain("refresh failed");
    expect(frames[1]).toMatch(
      /refresh failed at .*observations\/query answered 503 .*; showing the last snapshot/,
    );
    expect(frames[2]).not.toContain("refresh failed");
  });

  it("prints one JSON line per refresh with --json", async () => {
    const stop = new AbortController();
    const io = captureIo();
    const write = io.stdout.write;
    io.stdout.write = (text: string) => {
      stop.abort();
      return write(text);
    };
    const code = await watchLive(io, stop.signal, "--json");
    expect(code).toBe(EXIT.ok);
    expect(io.out.trim().split("\n")).toHaveLength(1);
    expect(JSON.parse(io.out).environment).toBe(ENVIRONMENT);
  });
});

describe("watch, bad input (exit 2, one line, no stack trace)", () => {
  it.each([
    [[], "watch: an environment is required"],
    [[ENVIRONMENT, "--interval", "0"], '--interval must be a number of seconds from 1 to 3600, got "0"'],
    [
      [ENVIRONMENT, "--interval", "soon"],
      '--interval must be a number of seconds from 1 to 3600, got "soon"',
    ],
    [[ENVIRONMENT, "--bogus"], "watch: unknown option '--bogus'"],
    [
      [ENVIRONMENT, "--shard-map", "a.json", "--state", "b.tfstate"],
      "watch: give --shard-map or --state, not both",
    ],
    [["nosuch", "--once"], "nosuch"],
    [
      [ENVIRONMENT, "--once", "--shard-map", "/nonexistent/map.json"],
      "/nonexistent/map.json: cannot read the shard map",
    ],
  ])("fails on %j", async (argv, message) => {
    const { code, out, err } = await watch(argv);
    expect(code).toBe(EXIT.badInput);
    expect(out).toBe("");
    expect(err).toContain(message);
    expect(err.startsWith("watch: ")).toBe(true);
    expect(err).not.toMatch(/\n\s+at /);
  });

  it("fails when the shard map is another environment's", async () => {
    const other = writeShardMap(dir, "prod", shards, [1, 1], "other.json");
    const { code, err } = await watch([ENVIRONMENT, "--once", "--shard-map", other]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toBe(`watch: ${other}: the shard map is for environment "prod", not "${ENVIRONMENT}"\n`);
  });

  it("fails when there is no deployed state, naming what to pass", async () => {
    const { code, err } = await watch([ENVIRONMENT, "--once"]);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain("made from the plan (no deploy found), so it has no queue ids to observe");
    expect(err.trim().split("\n")).toHaveLength(1);
  });

  it("fails when credentials are missing, before any request", async () => {
    const env = { ...emulatorEnv(emulator, dir), GENESYSCLOUD_OAUTHCLIENT_ID: undefined };
    const { code, err } = await watch([ENVIRONMENT, "--once", "--shard-map", shardMap], env);
    expect(code).toBe(EXIT.badInput);
    expect(err).toBe("watch: GENESYSCLOUD_OAUTHCLIENT_ID is not set (the OAuth client id)\n");
  });

  it("fails when the client is rejected, without printing the secret", async () => {
    const secret = `wrong-${Date.now()}`;
    const env = { ...emulatorEnv(emulator, dir), GENESYSCLOUD_OAUTHCLIENT_SECRET: secret };
    const { code, err } = await watch([ENVIRONMENT, "--once", "--shard-map", shardMap], env);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain("GENESYSCLOUD_OAUTHCLIENT_ID/SECRET were rejected");
    expect(err).not.toContain(secret);
  });

  it("fails when an access token is rejected (401 at the first call)", async () => {
    const env = {
      ...emulatorEnv(emulator, dir),
      GENESYSCLOUD_OAUTHCLIENT_ID: undefined,
      GENESYSCLOUD_ACCESS_TOKEN: `not-a-token-${Date.now()}`,
    };
    const { code, err } = await watch([ENVIRONMENT, "--once", "--shard-map", shardMap], env);
    expect(code).toBe(EXIT.badInput);
    expect(err).toContain("answered 401");
    expect(err).toContain("the token in GENESYSCLOUD_ACCESS_TOKEN was rejected");
    expect(err).not.toContain("not-a-token");
  });
});

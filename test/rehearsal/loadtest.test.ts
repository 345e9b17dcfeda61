/**
 * `rehearse` (`npm run loadtest`) as the driver of a real load test, end to end against the emulator on 127.0.0.1:
 * the loopback rule and --approved (refused before any lookup or connection), the confirmation, --org's endpoint
 * and the Origin, Ctrl-C, --shards, --scenario, pacing within the limits and retries after Retry-After.
 *
 * Nothing here leaves the loopback interface: a test that names a real host passes a connector that either fails
 * the test if it is called, or opens the same path on the emulator's 127.0.0.1 port instead, and a lookup that
 * fails the test if it is called.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { parse, stringify } from "yaml";
import { EXIT_CODES, main, type RehearseRuntime } from "../../cli/rehearse";
import { GUEST_LIMIT_KEYS } from "../../emulator/guest/limits";
import type { Emulator } from "../../emulator/server";
import { webSocketConnector, type ConnectOptions } from "../../rehearsal/connect";
import { startWithClient } from "../emulator/helpers";
import { scratchDir } from "../scratch";
import { createWebDeployments, guestUrl, type Domains } from "./fixtures";

const ORG_URL = "wss://webmessaging.mypurecloud.com/v1"; // dev's region, us-east-1
const DEV_ORIGIN = "https://dev.example.com"; // dev's first messaging.allowedDomains
const DEV_FILE = join(__dirname, "../../environments/dev.yaml");

const dir = scratchDir("loadtest-");
const emulators: Emulator[] = [];
afterEach(async () => {
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

interface RunOptions {
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly signal?: AbortSignal;
  readonly network?: RehearseRuntime;
  readonly env?: Record<string, string>;
}

/** Runs the CLI in-process; parses stdout as JSON when --json is given. */
async function rehearse(argv: readonly string[], options: RunOptions = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      stdin: options.stdin,
    },
    options.env ?? {},
    { ...options.network, signal: options.signal },
  );
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the JSON report
  const report: any = argv.includes("--json") && stdout ? JSON.parse(stdout) : undefined;
  return { code, stdout, stderr, lines: stderr.trim().split("\n"), report };
}

/** A connector and a lookup that must not be used: each records its calls and throws. */
function untouchable() {
  const connect = jest.fn(() => {
    throw new Error("the driver connected");
  });
  const lookup = jest.fn(() => {
    throw new Error("the driver looked a name up");
  });
  return { connect, lookup, network: { connect, lookup } as unknown as RehearseRuntime };
}

/** A connector that opens every URL's path and query on `emulator` (127.0.0.1) instead, and records the calls. */
function toEmulator(emulator: Emulator) {
  const calls: { url: string; options: ConnectOptions }[] = [];
  const local = webSocketConnector();
  const base = guestUrl(emulator.url).replace(/\/v1$/, "");
  const connect = (url: string, options: ConnectOptions) => {
    calls.push({ url, options });
    const { pathname, search } = new URL(url);
    return local(`${base}${pathname}${search}`, options);
  };
  return { calls, network: { connect } };
}

/** A terminal's stdin that types `answer`. */
function terminal(answer: string) {
  return Object.assign(Readable.from([answer]), { isTTY: true });
}

/** An environments folder holding dev as committed, changed by `change`; the env that points commands at it. */
function environments(change: (dev: Record<string, unknown>) => void): Record<string, string> {
  const folder = scratchDir("environments-");
  const dev = parse(readFileSync(DEV_FILE, "utf8"));
  change(dev);
  writeFileSync(join(folder, "dev.yaml"), stringify(dev));
  return { GENESYS_ENVIRONMENTS_DIR: folder };
}

/**
 * An emulator (time scale `timeScale`, web.messaging `limits`) with `planned.length` deployments allowing `domains`,
 * and a shard map of dev whose shards plan `planned` sessions.
 */
async function deploy(
  planned: readonly number[],
  options: { timeScale?: number; limits?: Record<string, number>; domains?: Domains } = {},
) {
  const { emulator, call } = await startWithClient({ guest: { timeScale: options.timeScale ?? 1 } });
  emulators.push(emulator);
  if (options.limits) await call("PUT", "/__emulator/limits", { "web.messaging": options.limits });
  const ids = await createWebDeployments(call, planned.length, "Shard", options.domains);
  const shardMap = join(dir, `${randomUUID()}.json`);
  const shards = planned.map((sessions, index) => ({
    index,
    deploymentId: ids[index],
    queueId: randomUUID(),
    flowId: randomUUID(),
    sessions,
    arrivalsPerMinute: 1,
  }));
  writeFileSync(shardMap, JSON.stringify({ environment: "dev", source: "state", shards }));
  const stats = async () => (await call("GET", "/__emulator/stats")).body.webMessaging;
  return { emulator, call, ids, shardMap, stats, url: guestUrl(emulator.url) };
}

/** The arguments of a run of dev's `sessions` against `deployed`, then `extra`. */
function against(
  deployed: { shardMap: string; url: string },
  sessions: number,
  ...extra: string[]
): string[] {
  return [
    "dev",
    "--shard-map",
    deployed.shardMap,
    "--url",
    deployed.url,
    "--sessions",
    String(sessions),
    ...extra,
  ];
}

/** A shard map of dev with two deployments that exist nowhere (for runs that must not get as far as connecting). */
function paperMap(): string {
  const file = join(dir, `${randomUUID()}.json`);
  const shards = [0, 1].map((index) => ({ index, deploymentId: randomUUID(), sessions: 5 }));
  writeFileSync(file, JSON.stringify({ environment: "dev", source: "state", shards }));
  return file;
}

describe("rehearse: a host that is not loopback needs --approved", () => {
  it.each([
    [["--url", ORG_URL], "webmessaging.mypurecloud.com"],
    [["--org"], "webmessaging.mypurecloud.com"],
    [["--url", "ws://10.1.2.3:8089/v1"], "10.1.2.3"],
    [["--url", "ws://127.0.0.1.nip.io:8089/v1"], "127.0.0.1.nip.io"], // a name is not loopback, whatever it resolves to
    [["--url", "ws://[::2]:8089/v1"], "[::2]"],
  ])("fails with %j before any lookup or connection: one line, exit 2", async (target, host) => {
    const { connect, lookup, network } = untouchable();
    const { code, stdout, stderr } = await rehearse(["dev", "--shard-map", paperMap(), ...target], {
      network,
    });
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `rehearse: ${host} is not a loopback address, and this load test has no --approved <reference>: rehearse ` +
        "drives the local emulator unless Genesys approved the test (a support ticket at least 2 weeks ahead, in " +
        "the region's night window); pass --approved with that ticket or change id. Nothing was looked up or sent\n",
    );
    expect(connect).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
  });

  it("fails before any lookup with the default connector too (only the lookup injected)", async () => {
    const lookup = jest.fn();
    const { code } = await rehearse(["dev", "--shard-map", paperMap(), "--org"], { network: { lookup } });
    expect(code).toBe(EXIT_CODES.badInput);
    expect(lookup).not.toHaveBeenCalled();
  });

  it("fails when an approved test against a real host asks for a time scale other than 1", async () => {
    const { connect, network } = untouchable();
    const { code, stderr } = await rehearse(
      ["dev", "--shard-map", paperMap(), "--org", "--approved", "CS-1234", "--yes", "--time-scale", "60"],
      { network },
    );
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toBe(
      "rehearse: --time-scale must be 1 against webmessaging.mypurecloud.com, got 60: a real service runs in real " +
        "time, and a compressed ramp would open connections that many times faster than planned\n",
    );
    expect(connect).not.toHaveBeenCalled();
  });

  it("fails when --approved names nothing", async () => {
    const { code, stderr } = await rehearse(["dev", "--shard-map", paperMap(), "--org", "--approved", " "]);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toMatch(
      /^rehearse: option '--approved <reference>' argument ' ' is invalid\. --approved must name/,
    );
  });
});

describe("rehearse: confirming an approved load test", () => {
  const approved = (...extra: string[]) => [
    "dev",
    "--shard-map",
    paperMap(),
    "--org",
    "--approved",
    "CS-1234",
    "--sessions",
    "10",
    ...extra,
  ];

  it("says what it will do, and fails when stdin is no terminal and --yes is not given: nothing sent, exit 2", async () => {
    const { connect, lookup, network } = untouchable();
    const { code, stdout, lines } = await rehearse(approved(), { network, stdin: Readable.from(["yes\n"]) });
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stdout).toBe("");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(
      `rehearse: load test of dev against webmessaging.mypurecloud.com (${ORG_URL}), approved: CS-1234: 10 ` +
        "sessions over all 2 shards, ramp 60/min for 10 s, hold 60 s, 1 message each; at most 1000 new " +
        "connections per deployment per minute; 429/503 retried for up to 60 s; Origin https://dev.example.com",
    );
    expect(lines[1]).toBe(
      "rehearse: stdin is not a terminal, so nobody can confirm this load test: pass --yes to start it; nothing was sent",
    );
    expect(connect).not.toHaveBeenCalled();
    expect(lookup).not.toHaveBeenCalled();
  });

  it.each(["no\n", "y\n", ""])(
    "fails when the terminal answers %j instead of yes: nothing sent, exit 2",
    async (answer) => {
      const { connect, network } = untouchable();
      let stderr = "";
      const code = await main(
        approved(),
        {
          stdout: { write: () => true },
          stderr: { write: (text: string) => (stderr += text) },
          stdin: terminal(answer),
        },
        {},
        network,
      );
      expect(code).toBe(EXIT_CODES.badInput);
      expect(stderr).toContain("rehearse: type yes to start it, anything else stops: ");
      expect(stderr).toMatch(/rehearse: not confirmed \(the answer was not yes\); nothing was sent\n$/);
      expect(connect).not.toHaveBeenCalled();
    },
  );

  it("stops with 130 when Ctrl-C comes while it asks: nothing sent", async () => {
    const { connect, network } = untouchable();
    const controller = new AbortController();
    const stdin = Object.assign(new Readable({ read: () => undefined }), { isTTY: true }); // never answers
    const pending = rehearse(approved(), { network, stdin, signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const { code, lines } = await pending;
    expect(code).toBe(EXIT_CODES.interrupted);
    expect(lines.at(-1)).toBe("rehearse: interrupted before the start; nothing was sent");
    expect(connect).not.toHaveBeenCalled();
  });

  it("drives the org's endpoint once the terminal says yes: wss://webmessaging.<region domain>/v1 and dev's Origin", async () => {
    const deployed = await deploy([2, 1], { domains: { allowedDomains: ["dev.example.com"] } });
    const { calls, network } = toEmulator(deployed.emulator);
    const argv = ["dev", "--shard-map", deployed.shardMap, "--org", "--approved", "CS-1234"];
    const run = [...argv, "--sessions", "3", "--ramp-per-minute", "600", "--hold-seconds", "0", "--json"];
    const { code, report, stderr } = await rehearse(run, { network, stdin: terminal("yes\n") });
    expect(stderr).toContain("rehearse: type yes to start it");
    expect(code).toBe(EXIT_CODES.ok);
    expect(report.totals).toMatchObject({ sessions: 3, connected: 3, refused: 0, failed: 0 });
    expect(report.request).toMatchObject({ url: ORG_URL, approved: "CS-1234", origin: DEV_ORIGIN });
    // Two probes, then three sessions; every one to the org's host, with the Origin of dev's first allowed domain.
    expect(calls).toHaveLength(5);
    for (const call of calls) {
      expect(call.url).toMatch(/^wss:\/\/webmessaging\.mypurecloud\.com\/v1\?deploymentId=[0-9a-f-]{36}$/);
      expect(call.options.origin).toBe(DEV_ORIGIN);
    }
  }, 30_000);

  it("starts without asking with --yes", async () => {
    const deployed = await deploy([1], { domains: { allowedDomains: ["dev.example.com"] } });
    const { calls, network } = toEmulator(deployed.emulator);
    const { code, stderr } = await rehearse(
      [
        "dev",
        "--shard-map",
        deployed.shardMap,
        "--url",
        ORG_URL,
        "--approved",
        "CHG0042",
        "--yes",
        "--sessions",
        "1",
        "--hold-seconds",
        "0",
      ],
      { network },
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(stderr).not.toContain("type yes");
    expect(calls.length).toBe(2);
  }, 30_000);
});

describe("rehearse: the Origin", () => {
  it("sends https://<the first allowed domain>, which the emulator lets in, and fails on another (one line, exit 2)", async () => {
    const deployed = await deploy([2], { domains: { allowedDomains: ["dev.example.com"] } });
    const args = ["dev", "--shard-map", deployed.shardMap, "--url", deployed.url, "--sessions", "2"];
    const quick = [...args, "--hold-seconds", "0", "--ramp-per-minute", "6000"];
    expect((await rehearse(quick)).code).toBe(EXIT_CODES.ok);

    const other = await rehearse([...quick, "--origin", "https://www.example.org"]);
    expect(other.code).toBe(EXIT_CODES.badInput);
    expect(other.stderr).toMatch(
      /deployments do not allow the Origin https:\/\/www\.example\.org \(messaging\.allowedDomains, --origin\)\n$/,
    );
    expect((await deployed.stats()).refused.originNotAllowed).toBe(1); // the probe, and nothing after it
  }, 30_000);
});

describe("rehearse: Ctrl-C", () => {
  it("closes every session and prints the report so far: exit 130", async () => {
    const deployed = await deploy([10, 10], { timeScale: 60 });
    const controller = new AbortController();
    const argv = against(deployed, 20);
    const run = [
      ...argv,
      "--ramp-per-minute",
      "6000",
      "--hold-seconds",
      "3600",
      "--time-scale",
      "60",
      "--json",
    ];
    const pending = rehearse(run, { signal: controller.signal });
    // Abort in the hold (an hour of model time, a minute of real time), once every session is open.
    const deadline = Date.now() + 10_000;
    while ((await deployed.stats()).live < 20 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const abortedAt = Date.now();
    controller.abort();
    const { code, report } = await pending;
    expect(code).toBe(EXIT_CODES.interrupted);
    expect(Date.now() - abortedAt).toBeLessThan(5000);
    expect(report.aborted).toMatchObject({ reason: "interrupted" });
    expect(report.totals).toMatchObject({ sessions: 20, connected: 20, refused: 0, failed: 0 });
    // Cleanly: the emulator saw every connection close.
    const closeDeadline = Date.now() + 5000;
    while ((await deployed.stats()).live > 0 && Date.now() < closeDeadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await deployed.stats()).live).toBe(0);
  }, 30_000);

  it("stops the ramp and says how many sessions began, in the text report too", async () => {
    const deployed = await deploy([50], { timeScale: 60 });
    const controller = new AbortController();
    const argv = against(deployed, 50);
    // 50 sessions at 1/min, at time scale 60: one a second.
    const pending = rehearse([...argv, "--ramp-per-minute", "1", "--time-scale", "60"], {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 1500);
    const { code, stdout } = await pending;
    expect(code).toBe(EXIT_CODES.interrupted);
    expect(stdout).toContain("stopped: interrupted: the ramp stopped and every session was closed");
    expect(stdout).toMatch(/0 refused and 0 failed of 50 sessions, \d of them begun \(/);
  }, 30_000);
});

describe("rehearse as the process (npm run rehearse, npm run loadtest)", () => {
  const ROOT = join(__dirname, "../..");

  it("npm run loadtest is npm run rehearse: the same command, nothing different", () => {
    const scripts = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts;
    expect(scripts.loadtest).toBe(scripts.rehearse);
  });

  it("stops on Ctrl-C (SIGINT): every session closed, the partial report on stdout, exit 130", async () => {
    const deployed = await deploy([3], { timeScale: 60 });
    const argv = against(deployed, 3, "--hold-seconds", "3600", "--time-scale", "60", "--json");
    const child = spawn(process.execPath, [join(ROOT, "cli/bin.cjs"), "rehearse", ...argv], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    try {
      const deadline = Date.now() + 20_000;
      while ((await deployed.stats()).live < 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      child.kill("SIGINT");
      expect(await exited).toBe(EXIT_CODES.interrupted);
      expect(JSON.parse(stdout)).toMatchObject({
        aborted: { reason: "interrupted" },
        totals: { connected: 3 },
      });
      expect((await deployed.stats()).live).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  }, 40_000);
});

describe("rehearse --shards", () => {
  it("drives only those shards, each with its share of the whole test, and probes only their deployments", async () => {
    const deployed = await deploy([4, 4, 2], { timeScale: 60 });
    const argv = against(deployed, 10);
    const quick = ["--hold-seconds", "0", "--time-scale", "60", "--json"];
    const { code, report, stdout } = await rehearse([...argv, "--shards", "0,2", ...quick]);
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).not.toBe("");
    expect(report.request).toMatchObject({ sessions: 10, drivenShards: "0,2" });
    expect(
      report.shards.map((shard: { index: number; sessions: number }) => [shard.index, shard.sessions]),
    ).toEqual([
      [0, 4],
      [2, 2],
    ]);
    expect(report.totals).toMatchObject({ sessions: 6, connected: 6 });
    const stats = await deployed.stats();
    expect(stats.deployments[deployed.ids[1]]).toBeUndefined(); // not even probed
  }, 30_000);

  it.each([
    ["0-5", 'got "0-5" (the map has no shard 3)'],
    ["2-1", 'got "2-1" (2-1 runs backwards)'],
    ["one", 'got "one"'],
    ["0,,1", 'got "0,,1"'],
  ])("fails on --shards %s: one line naming the map's shards", async (ranges, ending) => {
    const map = paperMap();
    const threeShards = JSON.parse(readFileSync(map, "utf8"));
    threeShards.shards.push({ index: 2, deploymentId: randomUUID(), sessions: 5 });
    writeFileSync(map, JSON.stringify(threeShards));
    const { code, stderr } = await rehearse(["dev", "--shard-map", map, "--shards", ranges]);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toBe(
      `rehearse: --shards must be shard indexes or ranges of the map (0 to 2), such as 0-41 or 0-9,20-29; ${ending}\n`,
    );
  });

  it("fails with --single-deployment, and with --lose-shard outside the shards driven", async () => {
    const map = paperMap();
    const single = await rehearse(["dev", "--shard-map", map, "--shards", "0", "--single-deployment"]);
    expect(single.stderr).toBe(
      "rehearse: --single-deployment and --shards do not go together: --single-deployment puts every session on shard 0\n",
    );
    const lose = await rehearse(["dev", "--shard-map", map, "--shards", "0", "--lose-shard", "1"]);
    expect(lose.stderr).toBe("rehearse: --lose-shard must be one of the shards driven (--shards 0), got 1\n");
  });
});

describe("rehearse --scenario", () => {
  it("takes the scenario's sessions, ramp and hold, and a flag given overrides its value", async () => {
    const deployed = await deploy([10, 10], { timeScale: 600 });
    const { code, report } = await rehearse(
      against(deployed, 20, "--scenario", "forum-10k", "--time-scale", "600", "--json"),
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(report.request).toMatchObject({
      scenario: "forum-10k",
      sessions: 20, // given
      rampPerMinute: 50, // the scenario's
      holdSeconds: 600, // the scenario's: 10 minutes, 1 s at time scale 600
    });
    expect(report.totals).toMatchObject({ connected: 20, refused: 0 });
  }, 30_000);

  it("fails on an unknown scenario: one line naming the known ones", async () => {
    const { code, stderr } = await rehearse(["dev", "--shard-map", paperMap(), "--scenario", "forum-1m"]);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toBe('rehearse: --scenario must be one of forum-10k, got "forum-1m"\n');
  });
});

describe("rehearse: within the limits", () => {
  it("paces new connections per deployment within the environment's connections.rate.per.minute", async () => {
    // The service accepts 5 new connections a minute on the deployment; so does the environment's record of it.
    const deployed = await deploy([12], {
      timeScale: 60,
      limits: { [GUEST_LIMIT_KEYS.connectionsPerDeploymentPerMinute]: 5 },
    });
    const env = environments((dev) => {
      dev.limits = { webMessagingConnectionsPerDeploymentPerMinute: 5 };
    });
    const argv = against(deployed, 12);
    const started = Date.now();
    const { code, report } = await rehearse(
      [...argv, "--ramp-per-minute", "6000", "--hold-seconds", "0", "--time-scale", "60", "--json"],
      { env },
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(report.request.pacing).toMatchObject({
      connectionsPerDeploymentPerMinute: 5,
      from: "the environment's limits, else the catalog",
    });
    expect(report.totals).toMatchObject({ connected: 12, refused: 0, retried: 0 });
    // The probe and 12 sessions, 5 a (compressed) minute: at least two minutes of model time, 2 s here.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect((await deployed.stats()).refused.connectionRate).toBe(0);
  }, 30_000);

  it("retries a 429 after the emulator's Retry-After and counts the retries apart from refusals", async () => {
    // The service takes 2 new connections a minute, the environment does not know it (the catalog's 1000 paces
    // nothing): the probe and one session fill the minute, and the other two are told to come back in a minute.
    const deployed = await deploy([3], {
      timeScale: 60,
      limits: { [GUEST_LIMIT_KEYS.connectionsPerDeploymentPerMinute]: 2 },
    });
    const argv = against(deployed, 3);
    const burst = ["--ramp-per-minute", "6000", "--hold-seconds", "0", "--time-scale", "60"];
    const { code, report } = await rehearse([...argv, ...burst, "--retry-seconds", "180", "--json"]);
    expect(code).toBe(EXIT_CODES.ok);
    expect(report.totals).toMatchObject({ connected: 3, refused: 0 });
    // Waiting as told, each of the two got in on its first or second retry; retrying on backoff alone (1 s, 2 s,
    // … of model time) would have taken many more.
    expect(report.totals.retried).toBeGreaterThanOrEqual(2);
    expect(report.totals.retried).toBeLessThanOrEqual(4);
    expect(report.retries).toEqual({ "429 Too Many Requests": report.totals.retried });
    expect(report.shards[0]).toMatchObject({ refused: 0, retried: report.totals.retried });
    expect((await deployed.stats()).refused.connectionRate).toBe(report.totals.retried);
  }, 30_000);

  it("counts a session refused once its retries would pass --retry-seconds", async () => {
    const deployed = await deploy([2], {
      timeScale: 60,
      limits: {
        [GUEST_LIMIT_KEYS.concurrentPerDeployment]: 1,
        [GUEST_LIMIT_KEYS.concurrentRetryAfterSeconds]: 20,
      },
    });
    const argv = against(deployed, 2);
    const burst = ["--ramp-per-minute", "6000", "--hold-seconds", "120", "--time-scale", "60"];
    const { code, report } = await rehearse([...argv, ...burst, "--retry-seconds", "50", "--json"]);
    // Told to wait 20 s each time: two retries fit in 50 s, a third would not.
    expect(code).toBe(EXIT_CODES.refused);
    expect(report.totals).toMatchObject({ connected: 1, refused: 1, retried: 2 });
    expect(report.refusals).toEqual({ "503 Max concurrent connections exceeded for tenant": 1 });
    expect(report.retries).toEqual({ "503 Max concurrent connections exceeded for tenant": 2 });
  }, 30_000);

  it("paces messages within messages.per.session.rate.per.second (the catalog's 2)", async () => {
    const deployed = await deploy([2], { timeScale: 60 });
    const argv = against(deployed, 2);
    const quick = ["--hold-seconds", "0", "--time-scale", "60", "--json"];
    const { code, report } = await rehearse([...argv, "--messages", "6", ...quick]);
    expect(code).toBe(EXIT_CODES.ok);
    expect(report.request.pacing).toMatchObject({
      messagesPerSessionPerSecond: 2,
      from: "the limits catalog",
    });
    expect(report.totals).toMatchObject({ connected: 2, echoed: 12, retried: 0, failed: 0 });
    expect((await deployed.stats()).protocolErrors).toBe(0);
  }, 30_000);
});

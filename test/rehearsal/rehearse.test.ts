/**
 * `rehearse` end to end against the emulator started in-process on a free port of 127.0.0.1, scaled down to
 * seconds (time scale 60: a minute per second). Shard maps are built from the capacity planner's plan and web
 * deployments created through the emulator's Platform API, as a deploy would.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planShards } from "../../capacity";
import { EXIT_CODES, main } from "../../cli/rehearse";
import { GUEST_LIMIT_KEYS } from "../../emulator/guest/limits";
import { startWithClient } from "../emulator/helpers";
import { createWebDeployments, guestUrl } from "./fixtures";

const TIME_SCALE = 60;
const CEILING = 15;
const CEILING_ANSWER = "503 Max concurrent connections exceeded for tenant";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "rehearse-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The arguments of a scaled-down run of dev: by default 600 arrivals a minute at time scale 60, i.e. 10 a second. */
function scaledArgs(
  shardMap: string,
  url: string,
  sessions: number,
  holdSeconds: number,
  rampPerMinute = 600,
): string[] {
  return [
    "dev",
    "--shard-map",
    shardMap,
    "--url",
    url,
    "--sessions",
    String(sessions),
    "--ramp-per-minute",
    String(rampPerMinute),
    "--hold-seconds",
    String(holdSeconds),
    "--time-scale",
    String(TIME_SCALE),
  ];
}

/** Runs the CLI in-process; parses stdout as JSON when --json is given. */
async function rehearse(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read the JSON report
  const report: any = argv.includes("--json") && stdout ? JSON.parse(stdout) : undefined;
  return { code, stdout, stderr, report };
}

/**
 * An emulator with `limits` (web.messaging), and a shard map file of the dev environment for a plan of
 * `target` sessions at `CEILING` per shard, whose deployments exist in the emulator.
 */
async function deployPlan(
  target: number,
  plan: { headroom: number; spares: number },
  limits: Record<string, number>,
) {
  const { emulator, call } = await startWithClient({ guest: { timeScale: TIME_SCALE } });
  await call("PUT", "/__emulator/limits", { "web.messaging": limits });
  const capacity = planShards({
    targetSessions: target,
    sessionsPerShard: CEILING,
    arrivalsPerMinute: 600,
    headroom: plan.headroom,
    spares: plan.spares,
  });
  const ids = await createWebDeployments(call, capacity.shards);
  const shardMap = join(dir, `${randomUUID()}.json`);
  const map = {
    environment: "dev",
    source: "state",
    shards: capacity.perShard.map((share, position) => ({
      index: share.index,
      deploymentId: ids[position],
      queueId: randomUUID(),
      flowId: randomUUID(),
      sessions: share.sessions,
      arrivalsPerMinute: share.arrivalsPerMinute,
    })),
  };
  writeFileSync(shardMap, JSON.stringify(map));
  const stats = async () => (await call("GET", "/__emulator/stats")).body.webMessaging;
  const run = (...extra: string[]) =>
    rehearse(...scaledArgs(shardMap, guestUrl(emulator.url), target, 30), "--json", ...extra);
  /** Waits until the emulator has seen every connection of the last run close. */
  const settled = async () => {
    const deadline = Date.now() + 5000;
    while ((await stats()).live > 0) {
      if (Date.now() > deadline) throw new Error("guest connections still open after 5 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return { emulator, call, ids, map, shardMap, stats, run, settled, plan: capacity };
}

type Deployed = Awaited<ReturnType<typeof deployPlan>>;
const started: Deployed[] = [];
async function deploy(...args: Parameters<typeof deployPlan>): Promise<Deployed> {
  const deployed = await deployPlan(...args);
  started.push(deployed);
  return deployed;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((deployed) => deployed.emulator.close()));
});

describe("rehearse against the emulator, ceiling 15 per deployment", () => {
  it("carries the planned target with 0 refused, while --single-deployment is refused from the 16th concurrent session on", async () => {
    // 60 sessions at floor(15 × 0.8) = 12 per shard: 5 shards + 1 spare, 10 sessions each.
    const deployed = await deploy(
      60,
      { headroom: 0.8, spares: 1 },
      {
        [GUEST_LIMIT_KEYS.concurrentPerDeployment]: CEILING,
      },
    );
    expect(deployed.plan.shards).toBe(6);

    const planned = await deployed.run();
    expect(planned.code).toBe(EXIT_CODES.ok);
    expect(planned.report.totals).toMatchObject({
      sessions: 60,
      connected: 60,
      refused: 0,
      failed: 0,
      echoed: 60,
    });
    expect(planned.report.totals.peakConcurrent).toBe(60);
    expect(planned.report.shards.map((shard: { peakConcurrent: number }) => shard.peakConcurrent)).toEqual([
      10, 10, 10, 10, 10, 10,
    ]);
    expect(planned.report.totals.connectP99Ms).toEqual(expect.any(Number));
    await deployed.settled();
    expect((await deployed.stats()).refused.total).toBe(0);

    await deployed.call("POST", "/__emulator/reset-stats");
    const single = await deployed.run("--single-deployment");
    expect(single.code).toBe(EXIT_CODES.refused);
    expect(single.report.shards).toHaveLength(1);
    expect(single.report.shards[0]).toMatchObject({
      index: 0,
      sessions: 60,
      connected: CEILING,
      peakConcurrent: CEILING,
      refused: 60 - CEILING,
    });
    expect(single.report.refusals).toEqual({ [CEILING_ANSWER]: 60 - CEILING });
    expect(single.report.firstRefusal).toMatchObject({ shardIndex: 0, answer: CEILING_ANSWER });
    // Each refused session was retried (backoff within 60 s of model time) before it counted as refused; the
    // emulator saw every attempt: the retries and the final refusals, counted apart by the driver.
    const { retried } = single.report.shards[0];
    expect(retried).toBeGreaterThanOrEqual(60 - CEILING);
    expect(single.report.retries).toEqual({ [CEILING_ANSWER]: retried });
    const stats = await deployed.stats();
    expect(stats.deployments[deployed.ids[0]]).toMatchObject({
      peak: CEILING,
      accepted: CEILING + 1, // and the probe before the ramp, closed before it
      refused: { deploymentConcurrent: 60 - CEILING + retried },
    });
  }, 30_000);

  it("still fits after losing one shard when the plan has a spare, and is refused without one", async () => {
    // Headroom 1: 60 sessions need 4 shards of 15. With a spare: 5 shards of 12, losing one leaves 4 of 15.
    const withSpare = await deploy(
      60,
      { headroom: 1, spares: 1 },
      {
        [GUEST_LIMIT_KEYS.concurrentPerDeployment]: CEILING,
      },
    );
    const spared = await withSpare.run("--lose-shard", "2");
    expect(spared.code).toBe(EXIT_CODES.ok);
    expect(spared.report.totals).toMatchObject({ sessions: 60, connected: 60, refused: 0, failed: 0 });
    const lost = spared.report.shards.find((shard: { index: number }) => shard.index === 2);
    expect(lost).toMatchObject({ lost: true, connected: 12 });
    const survivors = spared.report.shards.filter((shard: { lost: boolean }) => !shard.lost);
    expect(survivors.map((shard: { peakConcurrent: number }) => shard.peakConcurrent)).toEqual([
      15, 15, 15, 15,
    ]);
    expect(survivors.map((shard: { movedIn: number }) => shard.movedIn)).toEqual([3, 3, 3, 3]);

    const noSpare = await deploy(
      60,
      { headroom: 1, spares: 0 },
      {
        [GUEST_LIMIT_KEYS.concurrentPerDeployment]: CEILING,
      },
    );
    const unspared = await noSpare.run("--lose-shard", "2");
    expect(unspared.code).toBe(EXIT_CODES.refused);
    expect(unspared.report.totals.refused).toBe(15);
    expect(unspared.report.refusals).toEqual({ [CEILING_ANSWER]: 15 });
  }, 30_000);

  it("shows the two hypotheses side by side: sharding lifts a per-deployment ceiling, not a tenant-wide one", async () => {
    const perDeployment = await deploy(
      60,
      { headroom: 0.8, spares: 1 },
      {
        [GUEST_LIMIT_KEYS.concurrentPerDeployment]: CEILING,
      },
    );
    // The tenant hypothesis: the per-deployment ceiling is the catalog's 150, the org holds 45 in all.
    const tenantWide = await deploy(
      60,
      { headroom: 0.8, spares: 1 },
      {
        [GUEST_LIMIT_KEYS.concurrentPerOrg]: 45,
      },
    );
    const outcomes: Record<string, { sharded: number; single: number }> = {};
    for (const [name, deployed] of [
      ["per-deployment 15", perDeployment],
      ["tenant-wide 45", tenantWide],
    ] as const) {
      const sharded = await deployed.run();
      await deployed.settled();
      const single = await deployed.run("--single-deployment");
      outcomes[name] = { sharded: sharded.report.totals.refused, single: single.report.totals.refused };
      if (name === "tenant-wide 45") {
        expect(sharded.code).toBe(EXIT_CODES.refused);
        // Refused at the same org total (45 open), whatever the shard: no shard was anywhere near 15.
        expect(sharded.report.firstRefusal.totalLive).toBeLessThanOrEqual(45);
        expect(
          sharded.report.shards.every((shard: { peakConcurrent: number }) => shard.peakConcurrent <= 10),
        ).toBe(true);
        // The emulator refused every attempt of both runs: each refused session's last one, and each retry.
        const attempts = (run: typeof sharded) => run.report.totals.refused + run.report.totals.retried;
        expect((await deployed.stats()).refused.orgConcurrent).toBe(attempts(sharded) + attempts(single));
      }
    }
    expect(outcomes).toEqual({
      "per-deployment 15": { sharded: 0, single: 45 },
      "tenant-wide 45": { sharded: 15, single: 15 },
    });
  }, 30_000);

  it("fails before the ramp when the shard map is stale: one line naming how many and which deployments are unknown (exit 2)", async () => {
    const deployed = await deploy(20, { headroom: 0.8, spares: 1 }, {});
    const stale = randomUUID();
    const map = {
      ...deployed.map,
      shards: deployed.map.shards.map((shard, i) => (i === 1 ? { ...shard, deploymentId: stale } : shard)),
    };
    const file = join(dir, `${randomUUID()}.json`);
    writeFileSync(file, JSON.stringify(map));
    const url = guestUrl(deployed.emulator.url);
    const { code, stdout, stderr } = await rehearse(...scaledArgs(file, url, 20, 0), "--json");
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `rehearse: ${file}: 1 of 3 deployments are unknown at ${url} (shards 1: 403 User is not authorized to ` +
        "access this resource with an explicit deny); the shard map is probably stale (the stack was redeployed " +
        "or the emulator restarted): write it again with npm run shard-map -- dev --format json, or npm run demo; " +
        "or the deployments do not allow the Origin https://dev.example.com (messaging.allowedDomains, --origin)\n",
    );
    await deployed.settled();
    const stats = await deployed.stats();
    // One probe per deployment and not one session of the ramp.
    expect(stats.refused.unknownDeployment).toBe(1);
    expect(stats.accepted).toBe(2);
  }, 30_000);

  it("says where the ceiling refused with the count the table shows, at the ceiling and one over", async () => {
    const deployed = await deploy(
      60,
      { headroom: 0.8, spares: 1 },
      {
        [GUEST_LIMIT_KEYS.concurrentPerDeployment]: CEILING,
      },
    );
    const url = guestUrl(deployed.emulator.url);
    // Every session at once (a burst), so refusals race the SessionResponses of the sessions just admitted.
    const burst = (sessions: number) =>
      rehearse(...scaledArgs(deployed.shardMap, url, sessions, 0, 10_000_000), "--single-deployment");
    const atCeiling = await burst(CEILING);
    expect(atCeiling.code).toBe(EXIT_CODES.ok);
    // sessions, connected, peak, refused, retried, failed
    expect(atCeiling.stdout).toMatch(
      new RegExp(`^0\\s+\\S+\\s+${CEILING}\\s+${CEILING}\\s+${CEILING}\\s+0\\s+0\\s+0`, "m"),
    );
    expect(atCeiling.stdout).not.toContain("first refusal");
    await deployed.settled();

    const oneOver = await burst(CEILING + 1);
    expect(oneOver.code).toBe(EXIT_CODES.refused);
    // The one over is retried (with backoff, within 60 s of model time) before it counts as refused.
    expect(oneOver.stdout).toMatch(
      new RegExp(`^0\\s+\\S+\\s+${CEILING + 1}\\s+${CEILING}\\s+${CEILING}\\s+1\\s+[1-9]\\d*\\s+0`, "m"),
    );
    expect(oneOver.stdout).toContain(
      `first refusal: shard 0 with ${CEILING} connections open on it and ${CEILING} in all.`,
    );
  }, 30_000);

  it("prints a table per shard with totals", async () => {
    const deployed = await deploy(20, { headroom: 0.8, spares: 1 }, {});
    const { code, stdout } = await rehearse(
      ...scaledArgs(deployed.shardMap, guestUrl(deployed.emulator.url), 20, 0),
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toContain("Rehearsal of dev: 20 sessions over 3 shards");
    expect(stdout).toMatch(
      /^shard\s+deployment\s+sessions\s+connected\s+peak\s+refused\s+retried\s+failed\s+p50 ms\s+p99 ms$/m,
    );
    expect(stdout).toMatch(/^total\s+20\s+20\s+20\s+0\s+0\s+0\s+\d+\s+\d+$/m);
    expect(stdout).toContain("Nothing refused: 20 sessions held, 20 at once");
  }, 30_000);
});

describe("rehearse: the ramp", () => {
  it("warns on stderr when the ramp outlasts the hold, or the ramp and hold the booked window", async () => {
    const deployed = await deploy(20, { headroom: 0.8, spares: 1 }, {});
    const url = guestUrl(deployed.emulator.url);
    // 20 sessions at 600 new/min: a 2 s ramp (model time), held 1 s, in a window of 0.04 min (2.4 s).
    const { code, stdout, stderr } = await rehearse(
      ...scaledArgs(deployed.shardMap, url, 20, 1),
      "--window-minutes",
      "0.04",
    );
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toContain("ramp 600/min for 2 s, hold 1 s");
    expect(stderr.split("\n").filter((line) => line.includes("warning"))).toEqual([
      "rehearse: warning: ramp-exceeds-hold: the ramp takes 2 s (20 sessions at 600 new/min), longer than the 1 s " +
        "hold at the target: most of the test is ramping; ramp at 1200 new/min or more to reach the target within " +
        "the hold, or hold longer",
      "rehearse: warning: ramp-exceeds-window: the ramp takes 2 s (20 sessions at 600 new/min) and the hold 1 s, " +
        "longer than the 2.4 s window: ramp at 858 new/min or more, or book 3 s",
    ]);
  }, 30_000);
});

describe("rehearse: progress", () => {
  it("rewrites a progress line on a terminal's stderr while it runs", async () => {
    const deployed = await deploy(20, { headroom: 0.8, spares: 1 }, {});
    let stderr = "";
    const code = await main(scaledArgs(deployed.shardMap, guestUrl(deployed.emulator.url), 20, 90), {
      stdout: { write: () => true },
      stderr: { isTTY: true, write: (text: string) => (stderr += text) },
    });
    expect(code).toBe(EXIT_CODES.ok);
    expect(stderr).toMatch(/\rrehearse: hold 1 s: 20\/20 started, 20 open, 0 refused, 0 failed/);
  }, 30_000);
});

describe("rehearse: bad input (exit 2, one line)", () => {
  const planMap = join(tmpdir(), `rehearse-plan-${process.pid}.json`);
  beforeAll(() =>
    writeFileSync(
      planMap,
      JSON.stringify({
        environment: "dev",
        source: "plan",
        shards: [
          { index: 0, deploymentId: null, queueId: null, flowId: null, sessions: 10, arrivalsPerMinute: 5 },
        ],
      }),
    ),
  );
  afterAll(() => rmSync(planMap, { force: true }));

  it.each([
    [["dev"], "rehearse: required option '--shard-map <file>' not specified"],
    [
      ["dev", "--shard-map", "x.json", "--sessions", "abc"],
      "rehearse: option '--sessions <n>' argument 'abc' is invalid. --sessions must be an integer from 1 to 100000, got \"abc\"",
    ],
    [
      ["dev", "--shard-map", "missing.json"],
      "rehearse: missing.json: cannot read the shard map (no such file); write one with npm run shard-map",
    ],
  ])("fails when the command line is %j", async (argv, line) => {
    const { code, stdout, stderr } = await rehearse(...argv);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stdout).toBe("");
    expect(stderr).toBe(`${line}\n`);
  });

  it("fails when the shard map comes from a plan (no deployment ids)", async () => {
    const { code, stderr } = await rehearse("dev", "--shard-map", planMap);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toContain('made from a plan (source "plan"), so it has no deployment ids to connect to');
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  it("fails when the shard map is for another environment", async () => {
    const { code, stderr } = await rehearse("prod", "--shard-map", planMap);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(stderr).toBe(
      `rehearse: ${planMap}: the shard map is for environment "dev" (gc-dev), not "prod" (gc-prod); write ` +
        "prod's with npm run shard-map -- prod --format json\n",
    );
  });

  it("exits 4 when nothing listens at the guest endpoint", async () => {
    const port = await freePort();
    const stateMap = oneShardMap("state-unreachable.json");
    const { code, stdout, stderr } = await rehearse(
      "dev",
      "--shard-map",
      stateMap,
      "--url",
      `ws://127.0.0.1:${port}/v1`,
      "--sessions",
      "50",
      "--ramp-per-minute",
      "6000",
      "--hold-seconds",
      "0",
    );
    expect(code).toBe(EXIT_CODES.unreachable);
    // The clear line only: no empty table, no "failed 1×: ECONNREFUSED" before it.
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `rehearse: cannot reach ws://127.0.0.1:${port}/v1 (ECONNREFUSED); start the emulator (npm run emulator) or pass --url\n`,
    );
  }, 30_000);
});

/** Writes a shard map of dev with one deployed shard (deployment "d") and returns its path. */
function oneShardMap(name: string): string {
  const file = join(dir, name);
  const shards = [{ index: 0, deploymentId: "d", sessions: 1 }];
  writeFileSync(file, JSON.stringify({ environment: "dev", source: "state", shards }));
  return file;
}

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

/**
 * The preflight end to end: the real Genesys SDK against the real emulator on loopback (no SDK mocks).
 */
import { LIMITS_CATALOG } from "../../capacity/catalog";
import type { PlanInput } from "../../capacity/types";
import type { Emulator } from "../../emulator/server";
import { PREFLIGHT_EXIT as EXIT, preflightFromEnv } from "../../cli/preflight-run";
import { OrgLimitsError, readOrgLimits, settingsFromEnv } from "../../preflight/org-limits";
import { formatPreflightReport, runPreflight } from "../../preflight/preflight";
import { CLIENT, request, startEmulator } from "../emulator/helpers";

/** 600 new sessions/min × 1 Data Action × 3 s p99 = 30 executions in flight: fits 50, not 20. */
const PLAN: PlanInput = {
  targetSessions: 3000,
  arrivalsPerMinute: 600,
  dataActions: { perSession: 1, p99LatencySeconds: 3 },
};

function envFor(emulator: Emulator, overrides: Record<string, string | undefined> = {}) {
  return {
    GENESYSCLOUD_OAUTHCLIENT_ID: CLIENT.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT.clientSecret,
    GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
    GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
    GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
    ...overrides,
  };
}

/** A CliIO whose `out` and `err` mocks are called once per line written, without its newline. */
function captureIo() {
  const out = jest.fn();
  const err = jest.fn();
  const lines = (mock: jest.Mock) => (text: string) => mock(text.replace(/\n$/, ""));
  return {
    stdout: { write: lines(out) },
    stderr: { write: lines(err) },
    out,
    err,
    all: () => [...out.mock.calls, ...err.mock.calls].flat().join("\n"),
  };
}

async function statsOf(emulator: Emulator) {
  return (await request(emulator, "GET", "/__emulator/stats")).body;
}

describe("preflight against the emulator", () => {
  const emulators: Emulator[] = [];
  const start = async (options: Parameters<typeof startEmulator>[0] = {}) => {
    const emulator = await startEmulator(options);
    emulators.push(emulator);
    return emulator;
  };
  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
  });

  it("reads the org's limits through the SDK and maps them onto the catalog", async () => {
    const emulator = await start({ limits: { dataactions: { "actions.concurrent.executions.max": 20 } } });
    const reading = await readOrgLimits(settingsFromEnv(envFor(emulator)));
    expect(reading.apiUrl).toBe(emulator.url);
    expect(reading.limits.dataActionConcurrentExecutions).toEqual({
      key: "dataActionConcurrentExecutions",
      catalogDefault: 50,
      orgValue: 20,
      orgDefault: 50,
      configurable: true,
      genesys: { namespace: "dataactions", key: "actions.concurrent.executions.max" },
    });
    expect(reading.limits.agentMaxMessageCapacity.orgValue).toBeUndefined();
    expect(reading.overrides).toMatchObject({
      dataActionConcurrentExecutions: 20,
      webDeploymentsPerOrg: 100,
    });
    const stats = await statsOf(emulator);
    expect(stats.endpoints["POST /oauth/token"].requests).toBe(1);
    expect(stats.endpoints["GET /api/v2/organizations/limits/docs"].requests).toBe(1);
    expect(stats.totals.unknown).toBe(0);
  });

  it("passes a plan that fits the org's limits (exit 0)", async () => {
    const emulator = await start();
    const io = captureIo();
    const code = await preflightFromEnv(PLAN, envFor(emulator), io);
    expect(code).toBe(EXIT.fits);
    expect(io.err).not.toHaveBeenCalled();
    expect(io.all()).toContain("the plan FITS the org's limits");
  });

  it("fails when the org allows fewer concurrent Data Actions than the catalog (exit 3)", async () => {
    const emulator = await start({ limits: { dataactions: { "actions.concurrent.executions.max": 20 } } });
    const io = captureIo();
    const code = await preflightFromEnv(PLAN, envFor(emulator), io);
    expect(code).toBe(EXIT.doesNotFit);
    const text = io.all();
    expect(text).toContain("DOES NOT FIT");
    expect(text).toContain(
      "Does not fit because:\n  - 600 new sessions/min × 1 Data Action each = 10/s; at 3 s p99 latency about 30 " +
        "run at once, over the org's 20 concurrent Data Action executions (read from the org's Limits API; the " +
        "catalog assumes 50). Sharding does not help: this limit is per org. The org's Limits docs mark it " +
        "configurable: ask Genesys Customer Care to raise it (a case with a reason).\n",
    );
    expect(text).toContain("The plan fits the catalog's values");
  });

  it("fails when the org's lower connection rate needs more shards than its deployments allow", async () => {
    const emulator = await start({
      limits: {
        "web.messaging": { "connections.rate.per.minute": 10 },
        "web.deployments": { "deployments.max": 50 },
      },
    });
    const reading = await readOrgLimits(settingsFromEnv(envFor(emulator)));
    const report = runPreflight({
      planInput: {
        targetSessions: 3000,
        arrivalsPerMinute: 600,
        maxShards: { limit: "webDeploymentsPerOrg" },
      },
      reading,
    });
    expect(report.catalogPlan.shards).toBe(26);
    expect(report.orgPlan.shards).toBe(76); // ceil(600 / floor(10 × 0.8)) + 1 spare
    expect(report.fits).toBe(false);
    expect(report.rows.find((row) => row.key === "webDeploymentsPerOrg")).toMatchObject({
      orgValue: 50,
      plannedUse: 76,
      headroomLeft: -26,
      status: "over",
      raisable: true,
      raisableFrom: "limits-docs",
    });
    expect(report.notes).toContain("With the org's values the plan needs 76 shards; with the catalog's 26.");
  });

  it("retries a 429 on a limits call, honouring Retry-After, and succeeds", async () => {
    const emulator = await start({ retryAfterSeconds: 1 });
    await request(emulator, "POST", "/__emulator/faults", {
      body: { pathPrefix: "/api/v2/organizations/limits/namespaces/dataactions", status: 429, count: 1 },
    });
    const io = captureIo();
    const started = Date.now();
    const code = await preflightFromEnv(PLAN, envFor(emulator), io);
    expect(code).toBe(EXIT.fits);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const stats = await statsOf(emulator);
    expect(
      stats.endpoints["GET /api/v2/organizations/limits/namespaces/:namespaceName"].statuses["429"],
    ).toBe(1);
  });

  it("fails with one clear line when the limits call stays rate limited (exit 4)", async () => {
    const emulator = await start({ retryAfterSeconds: 0 });
    await request(emulator, "POST", "/__emulator/faults", {
      body: { pathPrefix: "/api/v2/organizations/limits/docs", status: 429, count: 100 },
    });
    const io = captureIo();
    const code = await preflightFromEnv(PLAN, envFor(emulator), io);
    expect(code).toBe(EXIT.unavailable);
    expect(io.out).not.toHaveBeenCalled();
    expect(io.err.mock.calls).toEqual([
      [
        `preflight: GET ${emulator.url}/api/v2/organizations/limits/docs was rate limited (429) 3 times in a row ` +
          "(waited 0 s, Retry-After 0); try again later",
      ],
    ]);
  });

  it("gives up at once when Retry-After is longer than the wait budget", async () => {
    const emulator = await start({ retryAfterSeconds: 120 });
    await request(emulator, "POST", "/__emulator/faults", {
      body: { pathPrefix: "/api/v2/organizations/limits/docs", status: 429, count: 1 },
    });
    const error = await readOrgLimits({
      ...settingsFromEnv(envFor(emulator)),
      retry: { maxTotalWaitSeconds: 30 },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OrgLimitsError);
    expect((error as OrgLimitsError).message).toContain("rate limited (429) 1 times in a row");
  });

  it.each([
    ["GENESYSCLOUD_OAUTHCLIENT_ID", "GENESYSCLOUD_OAUTHCLIENT_ID is not set (the OAuth client id)"],
    [
      "GENESYSCLOUD_OAUTHCLIENT_SECRET",
      "GENESYSCLOUD_OAUTHCLIENT_SECRET is not set (the OAuth client secret)",
    ],
  ])("fails when %s is missing (exit 2), before any request", async (variable, message) => {
    const emulator = await start();
    const io = captureIo();
    const code = await preflightFromEnv(PLAN, envFor(emulator, { [variable]: undefined }), io);
    expect(code).toBe(EXIT.badInput);
    expect(io.err.mock.calls).toEqual([[`preflight: ${message}`]]);
    expect((await statsOf(emulator)).totals.requests).toBe(0);
  });

  it("fails when neither a region nor a gateway is set", () => {
    expect(() =>
      settingsFromEnv({ GENESYSCLOUD_OAUTHCLIENT_ID: "id", GENESYSCLOUD_OAUTHCLIENT_SECRET: "s" }),
    ).toThrow(
      "GENESYSCLOUD_REGION is not set (a region such as us-east-1), and no GENESYSCLOUD_GATEWAY_HOST either",
    );
  });

  it("fails when the region is not a Genesys Cloud region, before any request", async () => {
    const settings = settingsFromEnv({
      GENESYSCLOUD_OAUTHCLIENT_ID: "id",
      GENESYSCLOUD_OAUTHCLIENT_SECRET: "s",
      GENESYSCLOUD_REGION: "mars-north-1",
    });
    await expect(readOrgLimits(settings)).rejects.toThrow(
      /^GENESYSCLOUD_REGION "mars-north-1" is not a Genesys Cloud region; use one of dca, tca, us-east-1/,
    );
  });

  it("fails when the credentials are rejected (exit 2), and never shows the secret", async () => {
    const emulator = await start();
    const secret = "Sup3r-Secret-Value-9f8e7d";
    const io = captureIo();
    const code = await preflightFromEnv(
      PLAN,
      envFor(emulator, { GENESYSCLOUD_OAUTHCLIENT_SECRET: secret }),
      io,
    );
    expect(code).toBe(EXIT.badInput);
    expect(io.err.mock.calls).toEqual([
      [
        `preflight: GENESYSCLOUD_OAUTHCLIENT_ID/SECRET were rejected by ${emulator.url}: ` +
          "401 invalid_client: Invalid client credentials.",
      ],
    ]);
    const everything = io.all();
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain(Buffer.from(`${CLIENT.clientId}:${secret}`).toString("base64"));
  });

  it("fails when the gateway cannot be reached (exit 4)", async () => {
    const emulator = await start();
    const port = emulator.port;
    await emulator.close();
    emulators.splice(0);
    const io = captureIo();
    const code = await preflightFromEnv(
      PLAN,
      envFor(emulator, { GENESYSCLOUD_GATEWAY_PORT: String(port) }),
      io,
    );
    expect(code).toBe(EXIT.unavailable);
    expect(io.err.mock.calls[0][0]).toMatch(
      /^preflight: POST http:\/\/127\.0\.0\.1:\d+\/oauth\/token failed: /,
    );
  });

  it("fails on bad plan input (exit 2) before contacting the org, naming the field as given", async () => {
    const emulator = await start();
    const io = captureIo();
    const code = await preflightFromEnv({ ...PLAN, headroom: 1.5 }, envFor(emulator), io, {
      fieldName: (field) => `--${field}`,
    });
    expect(code).toBe(EXIT.badInput);
    expect(io.err.mock.calls).toEqual([["preflight: --headroom must be > 0 and <= 1, got 1.5"]]);
    expect((await statsOf(emulator)).totals.requests).toBe(0);
  });

  it("prints the report as JSON with --json", async () => {
    const emulator = await start();
    const io = captureIo();
    await preflightFromEnv(PLAN, envFor(emulator), io, { json: true });
    const report = JSON.parse(io.out.mock.calls[0][0]);
    expect(report).toMatchObject({ fits: true, apiUrl: emulator.url, reasons: [] });
  });
});

describe("formatPreflightReport", () => {
  it("shows one table row per catalog limit with catalog, org and planned values", async () => {
    const emulator = await startEmulator({
      limits: { dataactions: { "actions.concurrent.executions.max": 20 } },
    });
    try {
      const reading = await readOrgLimits(settingsFromEnv(envFor(emulator)));
      const text = formatPreflightReport(runPreflight({ planInput: PLAN, reading }));
      const lines = text.split("\n");
      const header = lines.findIndex((line) => line.startsWith("Limit "));
      expect(lines[header]).toMatch(
        /^Limit\s+Unit\s+Catalog\s+Org\s+Default\s+Planned use\s+Left\s+Raisable\s+Status\s+Rests on$/,
      );
      const row = lines.find((line) => line.startsWith("Concurrent Data Action executions per org"));
      expect(row?.split(/\s{2,}/)).toEqual([
        "Concurrent Data Action executions per org",
        "executions",
        "50",
        "20",
        "50",
        "30",
        "-10",
        "yes (org docs)",
        "over",
        "org's Limits API",
      ]);
      // Queues: the emulator's Limits docs say not configurable; the table says so and who says it.
      const queues = lines.find((line) => line.startsWith("Queues per org"));
      expect(queues?.split(/\s{2,}/).slice(-3)).toEqual(["no (org docs)", "ok", "org's Limits API"]);
      const sessions = lines.find((line) =>
        line.startsWith("Concurrent web messaging sessions per deployment"),
      );
      expect(sessions?.split(/\s{2,}/).slice(-3)).toEqual([
        "unknown",
        "ok",
        "catalog: observed in load tests only, not documented by Genesys",
      ]);
      expect(text).toContain(
        "\nNote: the binding ceiling, 150 concurrent web messaging sessions per deployment, is observed in load " +
          "tests only",
      );
      const tableRows = lines.slice(header + 2, lines.indexOf("", header));
      expect(tableRows).toHaveLength(Object.keys(LIMITS_CATALOG).length);
    } finally {
      await emulator.close();
    }
  });
});

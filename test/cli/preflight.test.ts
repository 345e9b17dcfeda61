/**
 * The `preflight` command: its own usage messages, and the preflight end to end against the emulator on
 * loopback (the real Genesys SDK, no mocks).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../scratch";
import { main } from "../../cli/preflight";
import { ENVIRONMENTS_DIR } from "../../config/environment";
import type { Emulator } from "../../emulator/server";
import { CLIENT, startEmulator } from "../emulator/helpers";

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(
    argv,
    { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } },
    env,
  );
  return { code, stdout, stderr };
}

function orgEnv(emulator: Emulator, protocol = "http"): Record<string, string> {
  return {
    GENESYSCLOUD_OAUTHCLIENT_ID: CLIENT.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT.clientSecret,
    GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
    GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
    GENESYSCLOUD_GATEWAY_PROTOCOL: protocol,
  };
}

describe("preflight: usage", () => {
  it("prints help on stdout and exits 0", async () => {
    const { code, stdout, stderr } = await run(["--help"]);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: preflight <environment> [--json]");
    expect(stdout).toContain(
      "Exit codes: 0 the plan fits, 2 bad input or credentials, 3 it does not fit the org's limits, 4 the limits " +
        "could not be read.",
    );
  });

  it.each<[string, string[], string]>([
    [
      "two environments are given",
      ["prod", "dev"],
      "one environment at a time, got 2: prod, dev (usage: preflight <environment> [--json]; run it once per " +
        "environment)",
    ],
    [
      "no environment is given",
      [],
      "an environment is required (usage: preflight <environment> [--json]; environments: dev, prod, test)",
    ],
    [
      "an option is unknown",
      ["prod", "--jsn"],
      "unknown option '--jsn' (Did you mean --json?) (usage: preflight <environment> [--json])",
    ],
  ])("fails when %s (exit 2, one line)", async (_name, argv, line) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`preflight: ${line}\n`);
  });

  it("fails when the environment does not exist, naming the known ones", async () => {
    const { code, stderr } = await run(["staging"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      "preflight: environments/staging.yaml: no such environment file (environments: dev, prod, test)\n",
    );
  });

  it("reads environments from GENESYS_ENVIRONMENTS_DIR", async () => {
    const dir = scratchDir("envs-");
    writeFileSync(join(dir, "dev.yaml"), readFileSync(join(ENVIRONMENTS_DIR, "dev.yaml"), "utf8"));
    const { code, stderr } = await run(["prod"], { GENESYS_ENVIRONMENTS_DIR: dir });
    expect(code).toBe(2);
    expect(stderr).toBe(
      `preflight: ${join(dir, "prod.yaml")}: no such environment file (environments: dev)\n`,
    );
  });

  it("fails on the folder when GENESYS_ENVIRONMENTS_DIR holds no environment file", async () => {
    const dir = scratchDir("envs-");
    const { code, stderr } = await run(["prod"], { GENESYS_ENVIRONMENTS_DIR: dir });
    expect(code).toBe(2);
    expect(stderr).toBe(
      `preflight: GENESYS_ENVIRONMENTS_DIR=${dir}: no environment files in ${dir} (expected <name>.yaml, e.g. ` +
        "prod.yaml; files starting with _ are skipped)\n",
    );
  });

  it("sets the process exit code when run as a program (npm run preflight is genesys-cdktf preflight)", () => {
    const result = spawnSync(process.execPath, [join(__dirname, "../../cli/bin.cjs"), "preflight"], {
      encoding: "utf8",
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^preflight: an environment is required /);
    const scripts = JSON.parse(readFileSync(join(__dirname, "../../package.json"), "utf8")).scripts;
    expect(scripts.preflight).toBe("node cli/bin.cjs preflight");
  });
});

describe("preflight against the emulator", () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it("fails with one line, not an OpenSSL dump, when the gateway speaks plain HTTP (exit 2)", async () => {
    emulator = await startEmulator();
    const { code, stdout, stderr } = await run(["prod"], orgEnv(emulator, "https"));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(
      new RegExp(
        `^preflight: the server at 127\\.0\\.0\\.1:${emulator.port} does not speak HTTPS \\(POST ` +
          `https://127\\.0\\.0\\.1:${emulator.port}/oauth/token failed: [A-Z_]+\\); for a plain-HTTP gateway ` +
          "such as the local emulator set GENESYSCLOUD_GATEWAY_PROTOCOL=http\\n$",
      ),
    );
    expect(stderr).not.toMatch(/wrong version number|routines/);
  });

  it("checks the plan, each row saying what its ceiling rests on (exit 0)", async () => {
    emulator = await startEmulator();
    const { code, stdout } = await run(["prod", "--json"], orgEnv(emulator));
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const byKey = Object.fromEntries(report.rows.map((row: { key: string }) => [row.key, row]));
    expect(byKey.webDeploymentsPerOrg).toMatchObject({ evidence: "org's Limits API", orgValue: 100 });
    expect(byKey.webMessagingSessionsPerDeployment.evidence).toBe(
      "set by capacity.sessionsPerShard (the limit: observed in load tests only, not documented by Genesys)",
    );
    expect(byKey.webMessagingSessionsPerOrg).toMatchObject({ status: "unchecked", orgValue: null });
    // The deploy's own request rate is a row with its use, not "not-used" beside a note counting requests.
    expect(byKey.oauthClientRequestsPerMinute).toMatchObject({ plannedUse: 136, ceiling: 300, status: "ok" });
    expect(report.orgPlan.bindingCeiling.basis.onlyObserved).toBe(true);
  });

  it("fails when the org reports a tenant-wide ceiling below the target, whatever the shard count (exit 3)", async () => {
    emulator = await startEmulator({
      limits: {
        "web.deployments": { "deployments.max": 1000 },
        "web.messaging": { "concurrent.connections.max": 3000 },
      },
    });
    const { code, stdout } = await run(["prod"], orgEnv(emulator));
    expect(code).toBe(3);
    expect(stdout).toContain("the plan DOES NOT FIT the org's limits.");
    expect(stdout).toContain(
      "  - Infeasible whatever the shard count: 10000 target sessions exceed the org-wide ceiling of 3000 " +
        "concurrent sessions (Concurrent web messaging sessions per org (tenant-wide), read from the org's Limits " +
        "API). Sharding cannot lift it: every deployment counts against the same tenant-wide ceiling. Ask " +
        "Genesys Customer Care to raise the org's concurrent web messaging sessions (the limit behind \"Max " +
        'concurrent connections exceeded for tenant") to at least 12500 (10000 at 80% headroom), or lower the ' +
        "target.\n",
    );
    expect(stdout).toContain(
      "Concurrent web messaging sessions per org (tenant-wide): no Genesys source names its Limits API key; took " +
        "web.messaging/concurrent.connections.max = 3000, whose name reads as one. Check it.",
    );
  });

  it("fails when the environment file records a tenant-wide ceiling below the target (exit 3)", async () => {
    emulator = await startEmulator({ limits: { "web.deployments": { "deployments.max": 1000 } } });
    const dir = scratchDir("envs-");
    const prod = readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8");
    writeFileSync(join(dir, "prod.yaml"), `${prod}limits:\n  webMessagingSessionsPerOrg: 5000\n`);
    const { code, stdout } = await run(["prod", "--json"], {
      ...orgEnv(emulator),
      GENESYS_ENVIRONMENTS_DIR: dir,
    });
    expect(code).toBe(3);
    const report = JSON.parse(stdout);
    expect(report.reasons).toEqual([
      expect.stringMatching(
        /^Infeasible whatever the shard count: 10000 target sessions exceed the org-wide ceiling of 5000 concurrent sessions \(Concurrent web messaging sessions per org \(tenant-wide\), recorded in limits\.webMessagingSessionsPerOrg\)\. Sharding cannot lift it/,
      ),
    ]);
  });
});

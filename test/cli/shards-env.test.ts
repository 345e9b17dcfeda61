import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../scratch";
import { main } from "../../cli/shards";
import { ENVIRONMENTS_DIR } from "../../config/environment";
import type { Emulator } from "../../emulator/server";
import { CLIENT, startEmulator } from "../emulator/helpers";

/** Runs `shards` in process and captures what it prints. */
async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
  };
  const code = await main(argv, io, env);
  return { code, stdout, stderr };
}

describe("shards --env", () => {
  it("plans an environment from its file: prod needs 85 shards", async () => {
    const result = await run(["--env", "prod", "--json"]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(plan.shards).toBe(85);
    expect(plan.baseShards).toBe(84);
    expect(plan.binding).toBe("sessions");
    expect(plan.perShard).toHaveLength(85);
  });

  it("fails when plan flags are mixed with --env", async () => {
    const result = await run(["--env", "prod", "--target", "5", "--headroom", "0.5"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "shards: --env takes every plan parameter from the environment file; drop --target, --headroom (or edit the file)\n",
    );
  });

  it("fails when the environment does not exist, naming the known ones", async () => {
    const result = await run(["--env", "staging"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "shards: environments/staging.yaml: no such environment file (environments: dev, prod, test)\n",
    );
  });

  it("fails when the environment file is bad, one line per problem", async () => {
    const dir = scratchDir("env-");
    const file = join(dir, "prod.yaml");
    writeFileSync(
      file,
      readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8").replace("headroom: 0.8", "headroom: 1.5"),
    );
    const result = await run(["--env", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `shards: ${file}: capacity.headroom must be > 0 and <= 1, got 1.5 (the fraction of each per-shard ceiling the plan may use)\n`,
    );
  });
});

describe("shards --env --from-org (the preflight, against the emulator)", () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  function orgEnv(e: Emulator): Record<string, string> {
    const url = new URL(e.url);
    return {
      GENESYSCLOUD_OAUTHCLIENT_ID: CLIENT.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT.clientSecret,
      GENESYSCLOUD_GATEWAY_HOST: url.hostname,
      GENESYSCLOUD_GATEWAY_PORT: url.port,
      GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
    };
  }

  it("exits 0 when prod fits the org's limits", async () => {
    emulator = await startEmulator({ limits: { "web.deployments": { "deployments.max": 100 } } });
    const result = await run(["--env", "prod", "--from-org"], orgEnv(emulator));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the plan FITS the org's limits");
  });

  it("exits 3 when the org's Data Action concurrency is below what prod needs", async () => {
    emulator = await startEmulator({
      limits: {
        "web.deployments": { "deployments.max": 100 },
        dataactions: { "actions.concurrent.executions.max": 20 },
      },
    });
    const result = await run(["--env", "prod", "--from-org", "--json"], orgEnv(emulator));
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.fits).toBe(false);
    expect(report.reasons).toEqual([
      "1200 new sessions/min × 1.5 Data Actions each = 30/s; at 0.93 s p99 latency about 28 run at once, over the " +
        "org's 20 concurrent Data Action executions (read from the org's Limits API; the catalog assumes 50). " +
        "Sharding does not help: this limit is per org. The org's Limits docs mark it configurable: ask Genesys " +
        "Customer Care to raise it (a case with a reason).",
    ]);
    const row = report.rows.find((r: { key: string }) => r.key === "dataActionConcurrentExecutions");
    expect(row).toMatchObject({ status: "over", evidence: "org's Limits API", raisable: true });
    expect(row.basis).toMatchObject({ origin: "org", configurableFrom: "org" });
  });

  it("exits 3 when the agents cannot take the target, and shows capacity per agent against the 25 cap", async () => {
    emulator = await startEmulator({ limits: { "web.deployments": { "deployments.max": 100 } } });
    const dir = scratchDir("env-");
    const file = join(dir, "prod.yaml");
    writeFileSync(
      file,
      readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8").replace(/^ {2}count: \d+$/m, "  count: 400"),
    );
    const result = await run(["--env", file, "--from-org", "--json"], orgEnv(emulator));
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.reasons.join("\n")).toMatch(/8000/); // 400 agents × 20 conversations < 10000 sessions
    const agentRow = report.rows.find((row: { key: string }) => row.key === "agentMaxMessageCapacity");
    expect(agentRow).toMatchObject({ plannedUse: 20, ceiling: 25, headroomLeft: 5, status: "ok" });
  });

  it("checks the org's deployment and queue limits on the flags path too (no --max-shards)", async () => {
    emulator = await startEmulator({
      limits: { "web.deployments": { "deployments.max": 10 }, routing: { "queues.max": 20 } },
    });
    const result = await run(["--target", "10000", "--from-org", "--json"], orgEnv(emulator));
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    const over = report.rows
      .filter((row: { status: string }) => row.status === "over")
      .map((row: { key: string }) => row.key);
    expect(over).toEqual(["webDeploymentsPerOrg", "queuesPerOrg"]);
    // One reason per limit: the planner's own infeasibility message is not repeated.
    expect(report.reasons).toHaveLength(2);
    // The org's Limits docs (the emulator's) mark queues.max not configurable: the row and the reason agree.
    const queues = report.rows.find((row: { key: string }) => row.key === "queuesPerOrg");
    expect(queues).toMatchObject({ raisable: false, raisableFrom: "limits-docs" });
    expect(report.reasons[1]).toMatch(
      /Queues per org \(routing\/queues\.max\) is 20 \(read from the org's Limits API; the catalog assumes 5000\): 65 over\. The org's Limits docs mark it not configurable: Genesys does not raise it; change the plan\.$/,
    );
  });

  it("does not let an explicit --max-shards above the org's limit hide it", async () => {
    emulator = await startEmulator({ limits: { "web.deployments": { "deployments.max": 10 } } });
    const result = await run(["--target", "10000", "--max-shards", "500", "--from-org"], orgEnv(emulator));
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      "  - Infeasible: the plan needs 85 shards (84 base + 1 spare) but Messenger deployments per org " +
        "(web.deployments/deployments.max) is 10 (read from the org's Limits API): 75 over. The org's Limits " +
        "docs mark it configurable: ask Genesys Customer Care to raise it (a case with a reason).\n",
    );
  });

  it("uses the org's connection rate when it is below an explicit --arrivals-per-shard-per-minute", async () => {
    emulator = await startEmulator({
      limits: {
        "web.deployments": { "deployments.max": 1000 },
        "web.messaging": { "connections.rate.per.minute": 10 },
      },
    });
    const argv = [
      "--target",
      "3000",
      "--arrivals-per-minute",
      "600",
      "--arrivals-per-shard-per-minute",
      "1000",
    ];
    const result = await run([...argv, "--from-org", "--json"], orgEnv(emulator));
    const report = JSON.parse(result.stdout);
    expect(report.notes.join("\n")).toContain("the plan input says 1000, the org 10; used the org's");
    expect(report.orgPlan.parameters.arrivalsPerShardPerMinute).toBe(10);
    expect(report.orgPlan.binding).toBe("arrivals"); // ceil(600 / floor(10 × 0.8)) = 75 > ceil(3000 / 120) = 25
    expect(result.code).toBe(0);
  });

  it("exits 3, blaming the org's values, when they leave no usable capacity", async () => {
    emulator = await startEmulator({ limits: { "web.messaging": { "connections.rate.per.minute": 1 } } });
    const result = await run(
      ["--target", "3000", "--arrivals-per-minute", "600", "--from-org"],
      orgEnv(emulator),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      "preflight: with the org's limits, floor(arrivalsPerShardPerMinute × headroom) must be >= 1 usable arrival per shard per minute, got floor(1 × 0.8) = 0: the org's values leave no capacity\n",
    );
  });

  it("writes null, not nothing, for absent values in --json", async () => {
    emulator = await startEmulator();
    const result = await run(["--target", "100", "--from-org", "--json"], orgEnv(emulator));
    const report = JSON.parse(result.stdout);
    const sessions = report.rows.find(
      (row: { key: string }) => row.key === "webMessagingSessionsPerDeployment",
    );
    expect(sessions.orgValue).toBeNull();
  });

  it("exits 2 with one line when credentials are missing", async () => {
    const result = await run(["--env", "prod", "--from-org"], {});
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("GENESYSCLOUD_OAUTHCLIENT_ID is not set");
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    const dir = mkdtempSync(join(tmpdir(), "env-"));
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
    expect(report.reasons.join("\n")).toContain("Concurrent Data Action executions per org");
  });

  it("exits 3 when the agents cannot take the target, and shows capacity per agent against the 25 cap", async () => {
    emulator = await startEmulator({ limits: { "web.deployments": { "deployments.max": 100 } } });
    const dir = mkdtempSync(join(tmpdir(), "env-"));
    const file = join(dir, "prod.yaml");
    writeFileSync(
      file,
      readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8").replace("count: 500", "count: 400"),
    );
    const result = await run(["--env", file, "--from-org", "--json"], orgEnv(emulator));
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.reasons.join("\n")).toMatch(/8000/); // 400 agents × 20 conversations < 10000 sessions
    const agentRow = report.rows.find((row: { key: string }) => row.key === "agentMaxMessageCapacity");
    expect(agentRow).toMatchObject({ plannedUse: 20, ceiling: 25, headroomLeft: 5, status: "ok" });
  });

  it("exits 2 with one line when credentials are missing", async () => {
    const result = await run(["--env", "prod", "--from-org"], {});
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain("GENESYSCLOUD_OAUTHCLIENT_ID is not set");
  });
});

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { EXIT_CODES, main } from "../../cli/shards";

/** Runs the CLI in-process and captures what it writes. */
async function run(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

describe("shards CLI: a plan (exit 0)", () => {
  it("prints a readable plan with identical shards grouped", async () => {
    const { code, stdout, stderr } = await run("--target", "10000", "--arrivals-per-minute", "1200");
    expect(code).toBe(EXIT_CODES.ok);
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain(
      "Shard plan: 85 shards = 84 base + 1 spare (binding constraint: sessions, an observed ceiling)\n",
    );
    expect(stdout).toContain(
      "sessions: 10000 at 120 usable per shard (floor(150 × headroom 0.8)) -> 84 shards",
    );
    expect(stdout).toContain(
      "arrivals: 1200/min at 800/min usable per shard (floor(1000 × headroom 0.8)) -> 2 shards",
    );
    const shardRows = stdout.split("\n").filter((line) => /^\d+(-\d+)?\s/.test(line));
    expect(shardRows.map((row) => row.split(/\s+/))).toEqual([
      ["0-9", "10", "118", "15"],
      ["10-54", "45", "118", "14"],
      ["55-84", "30", "117", "14"],
    ]);
    expect(stdout).toMatch(
      /^Sessions per shard +118 +150 +78\.7% +catalog: observed in load tests only, not documented by Genesys$/m,
    );
    expect(stdout).toMatch(/Sessions per shard after losing 1 shard\s+120\s+150\s+80\.0%/);
    expect(stdout).toContain(
      "[info] deploy-api-rate: Deploying 85 shards takes about 1360 Platform API requests",
    );
  });

  it("says in the headline when the binding ceiling is only observed, and what sharding then cannot do", async () => {
    const { stdout } = await run("--target", "10000");
    const [headline, , note] = stdout.split("\n");
    expect(headline).toBe(
      "Shard plan: 85 shards = 84 base + 1 spare (binding constraint: sessions, an observed ceiling)",
    );
    expect(note).toBe(
      "  Note: the binding ceiling, 150 concurrent web messaging sessions per deployment, is observed in load " +
        'tests only, not documented by Genesys. If the wall is tenant-wide ("Max concurrent connections exceeded ' +
        "for tenant\"), more shards do not lift it: give the org's ceiling as --sessions-per-org to check " +
        '(README: "What the ceilings rest on").',
    );
  });

  it("does not call an arrivals-bound plan observed: its ceiling comes from a configurable, third-party value", async () => {
    const { stdout } = await run("--target", "100", "--arrivals-per-minute", "8000");
    expect(stdout.split("\n")[0]).toBe(
      "Shard plan: 11 shards = 10 base + 1 spare (binding constraint: arrivals)",
    );
    expect(stdout).not.toContain("Note: the binding ceiling");
    expect(stdout).toContain(
      "sessions: 100 at 120 usable per shard (floor(150 × headroom 0.8)) -> 1 shard\n",
    );
  });

  it("says what every ceiling rests on, in the JSON too", async () => {
    const { stdout } = await run("--target", "1000", "--sessions-per-org", "5000");
    expect(stdout).toMatch(
      /^Sessions per org \(tenant-wide\) +1000 +5000 +20\.0% +recorded in --sessions-per-org$/m,
    );
    expect(stdout).toMatch(/^Shards vs Queues per org +10 +5000 +0\.2% +catalog: third-party sources only$/m);
    expect(stdout).toMatch(
      /^Shards vs Messenger deployments per org +10 +\? +\? +no known value \(the limit: third-party sources only\)$/m,
    );
    expect(stdout).toMatch(
      /^Deploy: requests\/min to finish in 10 min +16 +300 +5\.3% +catalog: documented by Genesys; configurable$/m,
    );
    const plan = JSON.parse((await run("--target", "1000", "--json")).stdout);
    for (const entry of plan.usage) expect(entry.basis).toHaveProperty("origin");
    expect(plan.bindingCeiling).toEqual({
      limit: "webMessagingSessionsPerDeployment",
      value: 150,
      basis: {
        origin: "catalog",
        evidence: "observed",
        configurable: "unknown",
        configurableFrom: "catalog",
        known: true,
        onlyObserved: true,
      },
    });
  });

  it("warns when --sessions-per-shard is above the catalog's 150, naming its source and how to record a raise", async () => {
    const { code, stdout } = await run("--target", "10000", "--sessions-per-shard", "1000");
    expect(code).toBe(0);
    expect(stdout).toContain("Shard plan: 14 shards");
    expect(stdout).toContain(
      "[warning] ceiling-above-catalog: --sessions-per-shard 1000 is above the known concurrent web messaging " +
        "sessions per deployment: 150 sessions (the catalog's default, from load-test reports of HTTP 503 at " +
        "about 150 per deployment, not published by Genesys). Plan with it only if Genesys raised the limit for " +
        "your org, and record the raised value as limits.webMessagingSessionsPerDeployment in the environment " +
        "file (Genesys exposes no Limits API key for it, so the preflight cannot read it).",
    );
  });

  it("warns when agents cover the target at 100%, above the headroom", async () => {
    const { code, stdout } = await run("--target", "1000", "--agents", "50", "--capacity-per-agent", "20");
    expect(code).toBe(0);
    expect(stdout).toContain(
      "[warning] agent-capacity-no-headroom: 50 agents × 20 message conversations each = 1000 at once for 1000 " +
        "target sessions: 100% of agent capacity, above the 80% headroom the plan keeps on every ceiling.",
    );
  });

  it("explains the deploy-rate numbers in --json: both in requests/min", async () => {
    const plan = JSON.parse((await run("--target", "10000", "--json")).stdout);
    const deploy = plan.warnings.find((w: { code: string }) => w.code === "deploy-api-rate");
    expect(deploy).toMatchObject({ required: 136, available: 300, unit: "requests/min" });
    expect(deploy.message).toContain("finishing within 10 min takes 136 requests/min");
  });

  it("prints one JSON object with --json", async () => {
    const { code, stdout, stderr } = await run(
      "--target",
      "10000",
      "--arrivals-per-minute",
      "1200",
      "--json",
    );
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({
      shards: 85,
      baseShards: 84,
      spares: 1,
      binding: "sessions",
      feasible: true,
    });
    expect(plan.perShard).toHaveLength(85);
    expect(plan.perShard[0]).toEqual({ index: 0, sessions: 118, arrivalsPerMinute: 15, queueGroup: 0 });
    expect(plan.perShard[84]).toEqual({ index: 84, sessions: 117, arrivalsPerMinute: 14, queueGroup: 84 });
    expect(plan.warnings).toEqual([
      // Every shard is a Messenger deployment: the org's deployment limit has no catalog value to check.
      expect.objectContaining({
        code: "shard-ceiling-unknown",
        severity: "info",
        limit: "webDeploymentsPerOrg",
      }),
      expect.objectContaining({ code: "deploy-api-rate", severity: "info" }),
    ]);
  });

  it("writes null, not nothing, for values that are absent", async () => {
    const plan = JSON.parse((await run("--target", "500", "--json")).stdout);
    expect(plan.perShard[0]).toEqual({ index: 0, sessions: 84, arrivalsPerMinute: null, queueGroup: 0 });
    expect(plan.parameters.limits.webDeploymentsPerOrg).toBeNull();
    const deploymentCeiling = plan.usage.find((u: { limit: string }) => u.limit === "webDeploymentsPerOrg");
    expect(deploymentCeiling).toMatchObject({ measure: "shards", used: 6, available: null, fraction: null });
  });

  it("applies the flags and the defaults the help names", async () => {
    const plan = JSON.parse(
      (
        await run(
          "--target",
          "1000",
          "--sessions-per-shard",
          "100",
          "--headroom",
          "0.5",
          "--spares",
          "2",
          "--json",
        )
      ).stdout,
    );
    expect(plan.parameters).toMatchObject({
      sessionsPerShard: 100,
      headroom: 0.5,
      usableSessionsPerShard: 50,
    });
    expect(plan).toMatchObject({ baseShards: 20, spares: 2, shards: 22 });
    const help = (await run("--help")).stdout;
    expect(help).toContain("(default: 150, the catalog's webMessagingSessionsPerDeployment");
    expect(help).toContain("(default: 1000, the catalog's webMessagingConnectionsPerDeploymentPerMinute)");
    expect(help).toContain("(default: 0.8)");
    expect(help).toContain("(default: 1)");
  });

  it("prints help on stdout and exits 0", async () => {
    const { code, stdout, stderr } = await run("--help");
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("Usage: shards [options]");
    expect(stdout).toContain("Exit codes: 0 a plan, 2 bad input, 3 infeasible");
  });
});

describe("shards CLI: infeasible (exit 3)", () => {
  it("labels each shard ceiling in the table by where it came from", async () => {
    const { stdout } = await run("--target", "10000", "--max-shards", "50");
    expect(stdout).toMatch(/^Shards vs --max-shards +85 +50 +170\.0% +OVER +set by --max-shards$/m);
    expect(stdout).toMatch(/^Shards vs Messenger deployments per org +85 +\? +\? +no known value/m);
    expect(stdout).toMatch(/^Shards vs Queues per org +85 +5000 +1\.7% +catalog: third-party sources only$/m);
  });

  it("prints the plan and the infeasibility", async () => {
    const { code, stdout, stderr } = await run("--target", "10000", "--max-shards", "50");
    expect(code).toBe(EXIT_CODES.infeasible);
    expect(code).toBe(3);
    expect(stderr).toBe("");
    expect(stdout.split("\n")[0]).toBe(
      "Shard plan: 85 shards = 84 base + 1 spare (binding constraint: sessions, an observed ceiling): " +
        "INFEASIBLE, see the errors below",
    );
    // The caller's own ceiling: no Customer Care advice.
    expect(stdout).toContain(
      "[error] shards-exceed-max: Infeasible: the plan needs 85 shards (84 base + 1 spare) but --max-shards " +
        "allows 50: 35 over. Lower the target or the spares, or raise --max-shards if the org allows more shards.\n",
    );
  });

  it("prints the JSON plan with feasible false and the error", async () => {
    const { code, stdout } = await run("--target", "10000", "--max-shards", "84", "--json");
    expect(code).toBe(3);
    const plan = JSON.parse(stdout);
    expect(plan.feasible).toBe(false);
    expect(plan.maxShards).toEqual({ value: 84, source: "--max-shards", limit: null });
    expect(plan.warnings[0]).toMatchObject({
      code: "shards-exceed-max",
      severity: "error",
      required: 85,
      available: 84,
    });
  });

  it("exits 0 at exactly --max-shards", async () => {
    expect((await run("--target", "10000", "--max-shards", "85")).code).toBe(0);
  });

  it("fails when the target exceeds --sessions-per-org, whatever the shard count, saying what to ask Genesys for", async () => {
    const { code, stdout, stderr } = await run("--target", "10000", "--sessions-per-org", "3000");
    expect(code).toBe(3);
    expect(stderr).toBe("");
    expect(stdout).toContain(
      "[error] tenant-sessions-exceeded: Infeasible whatever the shard count: 10000 target sessions exceed the " +
        "org-wide ceiling of 3000 concurrent sessions (Concurrent web messaging sessions per org (tenant-wide), " +
        "recorded in --sessions-per-org). Sharding cannot lift it: every deployment counts against the same " +
        "tenant-wide ceiling. Ask Genesys Customer Care to raise the org's concurrent web messaging sessions " +
        '(the limit behind "Max concurrent connections exceeded for tenant") to at least 12500 (10000 at 80% ' +
        "headroom), or lower the target.\n",
    );
    // More, smaller shards change nothing.
    expect(
      (await run("--target", "10000", "--sessions-per-org", "3000", "--sessions-per-shard", "10")).code,
    ).toBe(3);
  });

  it("fails when agents are short of the target: the sessions would not be answered", async () => {
    const { code, stdout } = await run("--target", "1000", "--agents", "10", "--capacity-per-agent", "5");
    expect(code).toBe(3);
    expect(stdout).toContain(
      "[error] agent-capacity-short: 10 agents × 5 message conversations each = 50 at once, 950 short of the " +
        "1000 target sessions. Sharding does not help: add agents (250 agents at 5 each keep the 80% headroom) " +
        "or raise message capacity per agent (at most 25).",
    );
  });

  it("fails when Data Actions exceed the org's limits, as the preflight does", async () => {
    const { code, stdout } = await run(
      ...["--target", "1000", "--arrivals-per-minute", "1000"],
      ...["--data-actions-per-session", "3", "--data-action-latency-seconds", "2"],
    );
    expect(code).toBe(3);
    expect(stdout).toContain(
      "[error] data-action-concurrency: 1000 new sessions/min × 3 Data Actions each = 50/s",
    );
    expect(stdout).toContain("[error] data-action-rate:");
    expect(stdout).toMatch(/Data Action executions per minute \(org\)\s+3000\s+2500\s+120\.0%\s+OVER/);
  });
});

describe("shards CLI: bad input (exit 2, one line on stderr)", () => {
  it.each<[string, string[], string]>([
    [
      "headroom is above 1",
      ["--target", "10", "--headroom", "1.5"],
      "--headroom must be > 0 and <= 1, got 1.5",
    ],
    ["headroom is 0", ["--target", "10", "--headroom", "0"], "--headroom must be > 0 and <= 1, got 0"],
    [
      "headroom is not a number",
      ["--target", "10", "--headroom", "high"],
      '--headroom must be a number, got "high"',
    ],
    [
      "target is missing",
      ["--headroom", "0.5"],
      "--target must be given (peak concurrent sessions, an integer >= 1), got nothing",
    ],
    ["target has no value", ["--target"], "option '--target <sessions>' argument missing"],
    ["target is not a number", ["--target", "lots"], '--target must be a number, got "lots"'],
    ["target is hexadecimal", ["--target", "0x10"], '--target must be a number, got "0x10"'],
    ["target is empty", ["--target", ""], '--target must be a number, got ""'],
    ["target is 0", ["--target", "0"], "--target must be an integer >= 1, got 0"],
    ["target is negative", ["--target", "-3"], "--target must be an integer >= 1, got -3"],
    ["target is not an integer", ["--target", "1.5"], "--target must be an integer >= 1, got 1.5"],
    [
      "sessions per shard is not an integer",
      ["--target", "10", "--sessions-per-shard", "99.5"],
      "--sessions-per-shard must be an integer >= 1, got 99.5",
    ],
    [
      "usable capacity is 0",
      ["--target", "10", "--sessions-per-shard", "1"],
      "floor(--sessions-per-shard × --headroom) must be >= 1 usable session per shard, got floor(1 × 0.8) = 0",
    ],
    [
      "usable arrivals are 0",
      ["--target", "10", "--arrivals-per-minute", "10", "--arrivals-per-shard-per-minute", "1"],
      "floor(--arrivals-per-shard-per-minute × --headroom) must be >= 1 usable arrival per shard per minute, " +
        "got floor(1 × 0.8) = 0",
    ],
    [
      "arrivals per minute is negative",
      ["--target", "10", "--arrivals-per-minute", "-1"],
      "--arrivals-per-minute must be an integer >= 0, got -1",
    ],
    [
      "spares is negative",
      ["--target", "10", "--spares", "-1"],
      "--spares must be an integer from 0 to 999999, got -1",
    ],
    [
      "max shards is 0",
      ["--target", "10", "--max-shards", "0"],
      "--max-shards must be an integer >= 1, got 0",
    ],
    [
      "--agents comes without --capacity-per-agent",
      ["--target", "10", "--agents", "40"],
      "--agents needs --capacity-per-agent, got --agents 40 alone",
    ],
    [
      "--capacity-per-agent comes without --agents",
      ["--target", "10", "--capacity-per-agent", "5"],
      "--capacity-per-agent needs --agents, got --capacity-per-agent 5 alone",
    ],
    [
      "capacity per agent is above 25",
      ["--target", "10", "--agents", "4", "--capacity-per-agent", "26"],
      "--capacity-per-agent must be an integer from 1 to 25, got 26",
    ],
    [
      "--data-actions-per-session comes without a latency",
      ["--target", "10", "--arrivals-per-minute", "5", "--data-actions-per-session", "2"],
      "--data-actions-per-session needs --data-action-latency-seconds, got --data-actions-per-session 2 alone",
    ],
    [
      "a latency comes without --data-actions-per-session",
      ["--target", "10", "--data-action-latency-seconds", "2"],
      "--data-action-latency-seconds needs --data-actions-per-session, got --data-action-latency-seconds 2 alone",
    ],
    [
      "data actions come without --arrivals-per-minute",
      ["--target", "10", "--data-actions-per-session", "2", "--data-action-latency-seconds", "1"],
      "--arrivals-per-minute is needed with --data-actions-per-session: Data Action executions per minute = " +
        "arrivals per minute × data actions per session",
    ],
    [
      "the Data Action latency is above the 60 s timeout",
      ["--target", "10", "--arrivals-per-minute", "5", "--data-actions-per-session", "2"].concat([
        "--data-action-latency-seconds",
        "90",
      ]),
      "--data-action-latency-seconds must be > 0 and <= 60 (the longest Data Action timeout), got 90",
    ],
    [
      "a flag is unknown",
      ["--target", "10", "--tagret", "3"],
      "unknown option '--tagret' (Did you mean --target?)",
    ],
    ["a flag is unknown and far from any", ["--target", "10", "--zzz"], "unknown option '--zzz'"],
    [
      "an argument is extra",
      ["--target", "10", "extra"],
      'unexpected argument "extra": shards takes only options (see --help)',
    ],
    [
      "--sessions-per-org is 0",
      ["--target", "10", "--sessions-per-org", "0"],
      "--sessions-per-org must be an integer >= 1 (sessions), got 0",
    ],
    [
      "--target is given twice (commander would keep the last)",
      ["--target", "10000", "--target", "20"],
      "--target was given twice (10000, 20); give it once",
    ],
    [
      "--target is given twice, once as --target=",
      ["--target=10000", "--arrivals-per-minute", "5", "--target", "20"],
      "--target was given twice (10000, 20); give it once",
    ],
    [
      "--headroom is given three times",
      ["--target", "10", "--headroom", "0.8", "--headroom=0.5", "--headroom", "0.7"],
      "--headroom was given 3 times (0.8, 0.5, 0.7); give it once",
    ],
    [
      "--target is longer than a number holds (it would be rounded to 100000000000000000000)",
      ["--target", "99999999999999999999"],
      '--target must be a number of at most 15 digits, got "99999999999999999999" (20 digits)',
    ],
    [
      "--sessions-per-shard has 16 digits",
      ["--target", "10", "--sessions-per-shard", "9007199254740993"],
      '--sessions-per-shard must be a number of at most 15 digits, got "9007199254740993" (16 digits)',
    ],
    [
      "--target overflows a number",
      ["--target", "1e400"],
      '--target must be a number from 1e-300 to 1e300 in size (or 0), got "1e400"',
    ],
  ])("fails when %s", async (_name, argv, line) => {
    const { code, stdout, stderr } = await run(...argv);
    expect(code).toBe(EXIT_CODES.badInput);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`shards: ${line}\n`);
  });
});

describe("shards CLI: run as a program", () => {
  /** Runs `genesys-cdktf shards` in a child process, as `npm run shards` does. */
  function runProgram(...argv: string[]) {
    return spawnSync(process.execPath, [join(__dirname, "../../cli/bin.cjs"), "shards", ...argv], {
      encoding: "utf8",
    });
  }

  it.each<[string, string[], number]>([
    ["a plan", ["--target", "100"], 0],
    ["bad input", ["--target", "100", "--headroom", "1.5"], 2],
    ["an infeasible plan", ["--target", "10000", "--max-shards", "50"], 3],
  ])("sets the process exit code for %s", (_name, argv, status) => {
    const result = runProgram(...argv);
    expect(result.status).toBe(status);
    if (status === 2) expect(result.stderr).toBe("shards: --headroom must be > 0 and <= 1, got 1.5\n");
    else expect(result.stdout).toContain("Shard plan:");
  });
});

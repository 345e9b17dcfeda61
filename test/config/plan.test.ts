import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../scratch";
import { parse, stringify } from "yaml";
import { ENVIRONMENTS_DIR, environmentsDirFrom, parseEnvironment } from "../../config/environment";
import {
  capacityPlanOutput,
  planEnvironment,
  planEnvironmentsForSynth,
  planVerdict,
} from "../../config/plan";

const LABEL = "environments/prod.yaml";

/** prod.yaml with `edit` applied, validated. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the parsed YAML freely
function prodWith(edit: (env: Record<string, any>) => void = () => undefined) {
  const raw = parse(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8"));
  edit(raw);
  return parseEnvironment(raw, LABEL, "prod");
}

function verdictOf(env: ReturnType<typeof prodWith>) {
  return planVerdict(env, planEnvironment(env, LABEL), LABEL);
}

/** A folder holding the given environment files (name -> parsed YAML object). */
function folderWith(files: Record<string, unknown>): string {
  const dir = scratchDir("envs-");
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, `${name}.yaml`), stringify(content));
  return dir;
}

describe("planVerdict: synth refuses infeasible plans", () => {
  it("lets a feasible plan through, printing its warnings", () => {
    const verdict = verdictOf(prodWith((e) => (e.agents.count = 500)));
    expect(verdict.problems).toEqual([]);
    expect(verdict.notices).toEqual([
      "environments/prod.yaml: agents.count, agents.messageCapacity: warning: 500 agents × 20 message " +
        "conversations each = 10000 at once for 10000 target sessions: 100% of agent capacity, above the 80% " +
        "headroom the plan keeps on every ceiling. Add agents (625 agents at 20 each keep the 80% headroom) or " +
        "raise message capacity per agent (at most 25).",
    ]);
  });

  it("fails when the org allows fewer deployments than the plan needs: one line per reason, naming file and field", () => {
    const verdict = verdictOf(
      prodWith((e) => {
        e.limits = { webDeploymentsPerOrg: 10 };
        e.agents.count = 10;
      }),
    );
    expect(verdict.problems).toEqual([
      "environments/prod.yaml: limits.webDeploymentsPerOrg: Infeasible: the plan needs 85 shards (84 base + 1 " +
        "spare) but Messenger deployments per org (web.deployments/deployments.max) is 10 (recorded in " +
        "limits.webDeploymentsPerOrg): 75 over. Whether Genesys raises it is unknown (no source says; the " +
        "preflight reads `configurable` from the org's Limits docs): ask Genesys Customer Care, or change the plan.",
      "environments/prod.yaml: agents.count, agents.messageCapacity: 10 agents × 20 message conversations each = " +
        "200 at once, 9800 short of the 10000 target sessions. Sharding does not help: add agents (625 agents " +
        "at 20 each keep the 80% headroom) or raise message capacity per agent (at most 25).",
      "environments/prod.yaml: the capacity plan is infeasible, so synth writes nothing; fix the fields above, " +
        'or deploy it anyway with capacity.acceptInfeasible: { reason: "<why>", codes: [shards-exceed-max, ' +
        "agent-capacity-short] }",
    ]);
  });

  it("fails when capacity.maxShards is below the plan, naming capacity.maxShards", () => {
    const verdict = verdictOf(prodWith((e) => (e.capacity.maxShards = 50)));
    expect(verdict.problems[0]).toBe(
      "environments/prod.yaml: capacity.maxShards: Infeasible: the plan needs 85 shards (84 base + 1 spare) but " +
        "capacity.maxShards allows 50: 35 over. Lower the target or the spares, or raise capacity.maxShards if " +
        "the org allows more shards.",
    );
  });

  it("fails when the target exceeds the tenant-wide ceiling, naming both fields", () => {
    const verdict = verdictOf(prodWith((e) => (e.limits = { webMessagingSessionsPerOrg: 8000 })));
    expect(verdict.problems[0]).toMatch(
      /^environments\/prod\.yaml: capacity\.targetConcurrentSessions, limits\.webMessagingSessionsPerOrg: Infeasible whatever the shard count: 10000 target sessions exceed the org-wide ceiling of 8000 concurrent sessions .*Sharding cannot lift it/,
    );
  });

  it("fails when Data Actions exceed the org's concurrency, naming the limit and the Data Action fields", () => {
    const verdict = verdictOf(prodWith((e) => (e.limits = { dataActionConcurrentExecutions: 20 })));
    expect(verdict.problems[0]).toMatch(
      /^environments\/prod\.yaml: limits\.dataActionConcurrentExecutions, dataActions\[\*\]\.perSession, dataActions\[\*\]\.p99LatencySeconds: 1200 new sessions\/min × 1\.5 Data Actions each/,
    );
  });

  it("accepts the codes capacity.acceptInfeasible names, and says so with its reason", () => {
    const verdict = verdictOf(
      prodWith((e) => {
        e.limits = { webDeploymentsPerOrg: 10 };
        e.capacity.acceptInfeasible = {
          reason: "Genesys raise pending, case 123",
          codes: ["shards-exceed-max"],
        };
      }),
    );
    expect(verdict.problems).toEqual([]);
    expect(verdict.notices[0]).toBe(
      'environments/prod.yaml: limits.webDeploymentsPerOrg: accepted by capacity.acceptInfeasible ("Genesys ' +
        'raise pending, case 123"), synthesized anyway: Infeasible: the plan needs 85 shards (84 base + 1 spare) ' +
        "but Messenger deployments per org (web.deployments/deployments.max) is 10 (recorded in " +
        "limits.webDeploymentsPerOrg): 75 over. Whether Genesys raises it is unknown (no source says; the " +
        "preflight reads `configurable` from the org's Limits docs): ask Genesys Customer Care, or change the plan.",
    );
  });

  it("still fails on an infeasibility the override does not name", () => {
    const verdict = verdictOf(
      prodWith((e) => {
        e.limits = { webDeploymentsPerOrg: 10 };
        e.agents.count = 10;
        e.capacity.acceptInfeasible = { reason: "deployments raise pending", codes: ["shards-exceed-max"] };
      }),
    );
    expect(verdict.problems).toHaveLength(2);
    expect(verdict.problems[0]).toMatch(
      /^environments\/prod\.yaml: agents\.count, agents\.messageCapacity: /,
    );
    expect(verdict.problems[1]).toContain("codes: [agent-capacity-short] }");
  });

  it("accepts a plan of more shards than one stack holds: it is synthesized in shard groups", () => {
    const verdict = verdictOf(
      prodWith((e) => {
        e.capacity.targetConcurrentSessions = 120_000;
        e.agents.count = 7500;
        e.limits = { oauthClientRequestsPerMinute: 2000 };
      }),
    );
    expect(verdict.problems).toEqual([]);
  });

  it("names only the limits sharding cannot fix at 150,000 sessions (1,251 shards, in shard groups)", () => {
    const verdict = verdictOf(prodWith((e) => (e.capacity.targetConcurrentSessions = 150_000)));
    expect(verdict.problems.map((line) => line.split(": ")[1])).toEqual([
      "agents.count, agents.messageCapacity",
      "the capacity plan is infeasible, so synth writes nothing; fix the fields above, or deploy it anyway with capacity.acceptInfeasible",
    ]);
  });

  it("says when an accepted code is no longer needed", () => {
    const verdict = verdictOf(
      prodWith((e) => (e.capacity.acceptInfeasible = { reason: "old", codes: ["data-action-rate"] })),
    );
    expect(verdict.problems).toEqual([]);
    expect(verdict.notices).toContain(
      "environments/prod.yaml: capacity.acceptInfeasible.codes lists data-action-rate, which the plan no longer " +
        "exceeds; remove it so a new infeasibility is not accepted unseen",
    );
  });

  it.each<[string, unknown, string]>([
    [
      "an unknown code",
      { reason: "x", codes: ["too-many-shards"] },
      'environments/prod.yaml: capacity.acceptInfeasible.codes[0] must be one of "shards-exceed-max", ' +
        '"tenant-sessions-exceeded", "agent-capacity-short", "data-action-concurrency", "data-action-rate", ' +
        '"queue-conversations-exceeded", got "too-many-shards"',
    ],
    [
      "shards-exceed-stack, which no stack can hold",
      { reason: "x", codes: ["shards-exceed-max", "shards-exceed-stack"] },
      "environments/prod.yaml: capacity.acceptInfeasible.codes[1] must not list shards-exceed-stack: a stack " +
        'holds at most 1000 shards, so synth cannot build the plan whatever the reason, got "shards-exceed-stack"',
    ],
    [
      "no code",
      { reason: "x", codes: [] },
      "environments/prod.yaml: capacity.acceptInfeasible.codes must name at least one infeasibility code, got [] " +
        "(The infeasibility codes accepted (as `shards` prints them); any other still stops synth)",
    ],
    [
      "no reason",
      { codes: ["shards-exceed-max"] },
      "environments/prod.yaml: capacity.acceptInfeasible.reason is required (Why this environment is synthesized " +
        "although its plan exceeds a limit; synth prints it every time)",
    ],
  ])("fails when capacity.acceptInfeasible has %s", (_name, accept, line) => {
    expect(() => prodWith((e) => (e.capacity.acceptInfeasible = accept))).toThrow(line);
  });
});

describe("capacityPlanOutput", () => {
  it("carries feasible, what binds and what it rests on, every warning, and the shares", () => {
    const env = prodWith((e) => (e.agents.count = 500));
    const output = capacityPlanOutput(env, planEnvironment(env, LABEL));
    expect(output).toMatchObject({
      environment: "prod",
      shards: 85,
      base_shards: 84,
      spares: 1,
      binding: "sessions",
      binding_ceiling: {
        limit: "webMessagingSessionsPerDeployment",
        value: 150,
        origin: "input",
        only_observed: true,
      },
      feasible: true,
    });
    expect(output).not.toHaveProperty("accepted_infeasible");
    expect((output.warnings as { code: string }[]).map((w) => w.code)).toEqual([
      "shard-ceiling-unknown",
      "agent-capacity-no-headroom",
      "deploy-api-rate",
    ]);
    expect((output.warnings as object[])[1]).toEqual({
      code: "agent-capacity-no-headroom",
      severity: "warning",
      limit: "agentMaxMessageCapacity",
      fields: ["agents.count", "agents.messageCapacity"],
      required: 10000,
      available: 8000,
      unit: "sessions",
      message: expect.stringContaining("100% of agent capacity"),
    });
    expect(output.per_shard).toHaveLength(85);
  });

  it("says an accepted infeasible plan is infeasible, and why it was synthesized", () => {
    const env = prodWith((e) => {
      e.limits = { webDeploymentsPerOrg: 10 };
      e.capacity.acceptInfeasible = { reason: "raise pending", codes: ["shards-exceed-max"] };
    });
    const output = capacityPlanOutput(env, planEnvironment(env, LABEL));
    expect(output.feasible).toBe(false);
    expect(output.accepted_infeasible).toEqual({ reason: "raise pending", codes: ["shards-exceed-max"] });
    expect(output.warnings).toContainEqual(
      expect.objectContaining({
        code: "shards-exceed-max",
        severity: "error",
        fields: ["limits.webDeploymentsPerOrg"],
      }),
    );
  });
});

describe("planEnvironmentsForSynth", () => {
  it("plans every environment of the default folder", () => {
    const result = planEnvironmentsForSynth({});
    expect(result.problems).toEqual([]);
    expect(result.environments.map((e) => e.environment.name)).toEqual(["dev", "prod", "test"]);
  });

  it("fails when GENESYS_ENVIRONMENTS_DIR does not exist: one line naming the variable", () => {
    const result = planEnvironmentsForSynth({ GENESYS_ENVIRONMENTS_DIR: "/nonexistent/envs" });
    expect(result.environments).toEqual([]);
    expect(result.problems).toEqual([
      "GENESYS_ENVIRONMENTS_DIR=/nonexistent/envs: no such folder (/nonexistent/envs); it must hold the " +
        "environment files <name>.yaml",
    ]);
  });

  it("fails when GENESYS_ENVIRONMENTS_DIR holds no environment file", () => {
    const dir = folderWith({});
    writeFileSync(join(dir, "_draft.yaml"), "name: draft\n");
    expect(planEnvironmentsForSynth({ GENESYS_ENVIRONMENTS_DIR: dir }).problems).toEqual([
      `GENESYS_ENVIRONMENTS_DIR=${dir}: no environment files in ${dir} (expected <name>.yaml, e.g. prod.yaml; ` +
        "files starting with _ are skipped)",
    ]);
  });

  it("fails when GENESYS_ENVIRONMENTS_DIR is a file", () => {
    const dir = folderWith({});
    const file = join(dir, "prod.yaml");
    writeFileSync(file, "");
    expect(planEnvironmentsForSynth({ GENESYS_ENVIRONMENTS_DIR: file }).problems).toEqual([
      `GENESYS_ENVIRONMENTS_DIR=${file}: not a folder (${file}); it must hold the environment files <name>.yaml`,
    ]);
  });

  it("collects every environment's problems, infeasible plans included", () => {
    const prod = parse(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8"));
    const dev = parse(readFileSync(join(ENVIRONMENTS_DIR, "dev.yaml"), "utf8"));
    const dir = folderWith({
      prod: { ...prod, limits: { queuesPerOrg: 20 } },
      dev: { ...dev, capacity: { ...dev.capacity, headroom: 1.5 } },
    });
    const { problems } = planEnvironmentsForSynth({ GENESYS_ENVIRONMENTS_DIR: dir });
    expect(problems).toEqual([
      `${join(dir, "dev.yaml")}: capacity.headroom must be > 0 and <= 1, got 1.5 (the fraction of each per-shard ` +
        "ceiling the plan may use)",
      expect.stringMatching(new RegExp(`^${join(dir, "prod.yaml")}: limits\\.queuesPerOrg: Infeasible: `)),
      expect.stringContaining(
        `${join(dir, "prod.yaml")}: the capacity plan is infeasible, so synth writes nothing`,
      ),
    ]);
  });
});

describe("environmentsDirFrom", () => {
  it("defaults to environments/ and resolves GENESYS_ENVIRONMENTS_DIR against the working directory", () => {
    expect(environmentsDirFrom({})).toEqual({ dir: ENVIRONMENTS_DIR, label: "environments" });
    expect(environmentsDirFrom({ GENESYS_ENVIRONMENTS_DIR: "" }).dir).toBe(ENVIRONMENTS_DIR);
    expect(environmentsDirFrom({ GENESYS_ENVIRONMENTS_DIR: "envs" })).toEqual({
      dir: join(process.cwd(), "envs"),
      label: "GENESYS_ENVIRONMENTS_DIR=envs",
    });
  });
});

describe("planVerdict: ceilings above what is known", () => {
  it("warns, naming the file's field, when capacity.sessionsPerShard is above the catalog's 150", () => {
    const verdict = verdictOf(prodWith((e) => (e.capacity.sessionsPerShard = 1000)));
    expect(verdict.problems).toEqual([]);
    expect(verdict.notices).toContain(
      "environments/prod.yaml: capacity.sessionsPerShard, limits.webMessagingSessionsPerDeployment: warning: " +
        "capacity.sessionsPerShard 1000 is above the known concurrent web messaging sessions per deployment: 150 " +
        "sessions (the catalog's default, from load-test reports of HTTP 503 at about 150 per deployment, not " +
        "published by Genesys). Plan with it only if Genesys raised the limit for your org, and record the raised " +
        "value as limits.webMessagingSessionsPerDeployment in the environment file (Genesys exposes no Limits API " +
        "key for it, so the preflight cannot read it).",
    );
  });
});

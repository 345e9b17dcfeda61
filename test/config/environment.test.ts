import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "../scratch";
import { parse, stringify } from "yaml";
import {
  ENVIRONMENTS_DIR,
  EnvironmentError,
  environmentJsonSchema,
  listEnvironments,
  loadEnvironment,
  parseEnvironment,
} from "../../config/environment";

const LABEL = "environments/prod.yaml";

/** The committed prod file, as a plain object to mutate in a test. */
function prodFile(): Record<string, unknown> {
  return parse(readFileSync(join(ENVIRONMENTS_DIR, "prod.yaml"), "utf8"));
}

/** The problems reported for `raw`, or [] when it is valid. */
function problemsOf(raw: unknown, expectedName = "prod"): readonly string[] {
  try {
    parseEnvironment(raw, LABEL, expectedName);
    return [];
  } catch (e) {
    if (e instanceof EnvironmentError) return e.problems;
    throw e;
  }
}

/** Applies `edit` to a copy of prod.yaml and returns the problems. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a test edits the parsed YAML freely
function problemsAfter(edit: (env: Record<string, any>) => void): readonly string[] {
  const env = prodFile();
  edit(env);
  return problemsOf(env);
}

describe("environment files", () => {
  it("lists dev, test and prod", () => {
    expect(listEnvironments()).toEqual(["dev", "prod", "test"]);
  });

  it.each(["dev", "test", "prod"])("%s.yaml is valid", (name) => {
    const env = loadEnvironment(name);
    expect(env.name).toBe(name);
  });

  it("applies defaults: headroom 0.8, one spare shard, local state, no destroy protection", () => {
    const env = parseEnvironment(
      {
        name: "lab",
        region: "eu-west-1",
        namePrefix: "Lab",
        capacity: { targetConcurrentSessions: 100 },
        messaging: { allowedDomains: ["lab.example.com"] },
      },
      "environments/lab.yaml",
    );
    expect(env.capacity.headroom).toBe(0.8);
    expect(env.capacity.spareShards).toBe(1);
    expect(env.backend).toEqual({ type: "local" });
    expect(env.protectFromDestroy).toBe(false);
    expect(env.wrapupCodes).toEqual([]);
    expect(env.dataActions).toEqual([]);
  });

  it("prod protects stateful objects and keeps state in S3 with locking", () => {
    const env = loadEnvironment("prod");
    expect(env.protectFromDestroy).toBe(true);
    expect(env.backend).toMatchObject({ type: "s3", useLockfile: true });
  });

  it("the published JSON Schema is up to date (run `npm run schema`)", () => {
    const committed = JSON.parse(readFileSync(join(ENVIRONMENTS_DIR, "schema.json"), "utf8"));
    expect(committed).toEqual(JSON.parse(JSON.stringify(environmentJsonSchema())));
  });
});

describe("bad environment parameters", () => {
  it("fails when headroom is outside (0, 1], with the documented message", () => {
    expect(problemsAfter((e) => (e.capacity.headroom = 1.5))).toEqual([
      "environments/prod.yaml: capacity.headroom must be > 0 and <= 1, got 1.5 (the fraction of each per-shard ceiling the plan may use)",
    ]);
    expect(problemsAfter((e) => (e.capacity.headroom = 0))[0]).toContain(
      "capacity.headroom must be > 0 and <= 1, got 0",
    );
  });

  it("fails when the target is not a positive whole number", () => {
    expect(problemsAfter((e) => (e.capacity.targetConcurrentSessions = 0))[0]).toContain(
      "capacity.targetConcurrentSessions must be a whole number > 0, got 0",
    );
    expect(problemsAfter((e) => (e.capacity.targetConcurrentSessions = 10.5))[0]).toContain("got 10.5");
    expect(problemsAfter((e) => (e.capacity.targetConcurrentSessions = "many"))[0]).toContain(
      'capacity.targetConcurrentSessions must be a whole number > 0, got "many"',
    );
  });

  it("fails when spareShards is negative", () => {
    expect(problemsAfter((e) => (e.capacity.spareShards = -1))[0]).toContain(
      "capacity.spareShards must be a whole number >= 0, got -1",
    );
  });

  it("fails when a required field is missing", () => {
    expect(problemsAfter((e) => delete e.capacity)).toEqual([
      "environments/prod.yaml: capacity is required (How many concurrent sessions the channel must carry, and with how much margin)",
    ]);
  });

  it("fails on an unknown field, naming the allowed ones", () => {
    expect(problemsAfter((e) => (e.capacity.hedroom = 0.5))).toEqual([
      'environments/prod.yaml: capacity: unknown field "hedroom" (allowed: targetConcurrentSessions, peakArrivalsPerMinute, sessionsPerShard, arrivalsPerShardPerMinute, headroom, spareShards, maxShards, deploymentsPerQueue, shardsPerGroup, oauthClients, acceptInfeasible)',
    ]);
  });

  it("fails on an unknown region", () => {
    expect(problemsAfter((e) => (e.region = "mars-1"))[0]).toMatch(
      /region must be one of "dca", .*, got "mars-1"$/,
    );
  });

  it("fails when the name does not match the file", () => {
    expect(problemsAfter((e) => (e.name = "dev"))).toEqual([
      'environments/prod.yaml: name must match the file name "prod", got "dev"',
    ]);
  });

  it("fails when the name is not a lower-case identifier", () => {
    expect(problemsAfter((e) => (e.name = "Prod EU"))[0]).toContain("name must be lower-case letters");
  });

  it("fails when a Data Action timeout is outside 1-60 s", () => {
    expect(problemsAfter((e) => (e.dataActions[0].timeoutSeconds = 90))[0]).toBe(
      "environments/prod.yaml: dataActions[0].timeoutSeconds must be an integer from 1 to 60, got 90 (Execution timeout, 1-60 s: keep it short and give the flow a failure path)",
    );
  });

  it("fails when a Data Action endpoint is not an http(s) URL", () => {
    expect(problemsAfter((e) => (e.dataActions[0].endpoint = "ftp://crm"))[0]).toContain(
      'dataActions[0].endpoint must be an http(s) URL, got "ftp://crm"',
    );
  });

  it("fails when a Data Action's p99 latency exceeds its timeout, naming the action", () => {
    expect(problemsAfter((e) => (e.dataActions[1].p99LatencySeconds = 4))).toEqual([
      "environments/prod.yaml: dataActions[1].p99LatencySeconds must be <= its timeoutSeconds (3), got 4 (an execution is cut off at its timeout)",
    ]);
  });

  it("fails when Data Action names repeat, ignoring case, spaces and punctuation", () => {
    expect(problemsAfter((e) => (e.dataActions[1].name = "customerlookup"))).toEqual([
      'environments/prod.yaml: dataActions names must be unique (ignoring case, spaces and punctuation), got "customerlookup" and "CustomerLookup"',
    ]);
    // Both would be the construct DataActionCustomerLookup: synth would stop with a stack trace.
    expect(problemsAfter((e) => (e.dataActions[1].name = "Customer-Lookup"))).toEqual([
      'environments/prod.yaml: dataActions names must be unique (ignoring case, spaces and punctuation), got "Customer-Lookup" and "CustomerLookup"',
    ]);
  });

  it("fails when the flow's Data Action needs more than the one input the flow passes", () => {
    expect(
      problemsAfter((e) => {
        e.messaging.flowDataAction = "CustomerLookup";
        e.dataActions[0].endpoint =
          "https://crm.example.com/api/customers/${input.customerId}/orders/${input.orderId}";
      }),
    ).toEqual([
      'environments/prod.yaml: messaging.flowDataAction must name a Data Action whose endpoint has at most one ${input.*} field, got "CustomerLookup", whose dataActions[0].endpoint has ${input.customerId}, ${input.orderId} (the flow passes only the conversation id)',
    ]);
    // A Data Action the flow does not call may take several inputs.
    expect(
      problemsAfter((e) => {
        e.dataActions[0].endpoint =
          "https://crm.example.com/api/customers/${input.customerId}/orders/${input.orderId}";
      }),
    ).toEqual([]);
  });

  it("fails when agents' message capacity exceeds 25", () => {
    expect(problemsAfter((e) => (e.agents.messageCapacity = 30))[0]).toContain(
      "agents.messageCapacity must be an integer from 1 to 25, got 30",
    );
  });

  it("fails when the alerting timeout is under 7 s", () => {
    expect(problemsAfter((e) => (e.queue.alertingTimeoutSeconds = 5))[0]).toContain(
      "queue.alertingTimeoutSeconds must be a whole number >= 7, got 5",
    );
  });

  it("fails when the service level percentage is outside 0-1", () => {
    expect(problemsAfter((e) => (e.queue.serviceLevelPercentage = 80))[0]).toContain(
      "queue.serviceLevelPercentage must be from 0 to 1, got 80",
    );
  });

  it("fails when the service level duration is under 1000 ms", () => {
    expect(problemsAfter((e) => (e.queue.serviceLevelDurationMs = 500))[0]).toContain(
      "queue.serviceLevelDurationMs must be a whole number >= 1000, got 500",
    );
  });

  it("fails when an after-call work timeout is outside 1 s-1 day (provider 1.82.0's IntBetween(0, 86400000))", () => {
    expect(problemsAfter((e) => (e.queue.acwTimeoutMs = 86_400_001))[0]).toContain(
      "queue.acwTimeoutMs must be an integer from 1000 to 86400000, got 86400001",
    );
    expect(problemsAfter((e) => (e.queue.acwTimeoutMs = 86_400_000))).toEqual([]);
  });

  it("fails when an after-call work timeout is set with a mode that takes none", () => {
    expect(
      problemsAfter((e) => {
        e.queue.acwMode = "OPTIONAL";
      }),
    ).toEqual([
      "environments/prod.yaml: queue.acwTimeoutMs is only allowed with queue.acwMode MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT, AGENT_REQUESTED, got acwMode OPTIONAL",
    ]);
  });

  it("fails when wrap-up code names repeat, ignoring case, spaces and punctuation", () => {
    expect(problemsAfter((e) => e.wrapupCodes.push("RESOLVED"))).toEqual([
      'environments/prod.yaml: wrapupCodes must be unique (ignoring case, spaces and punctuation), got "RESOLVED" and "Resolved"',
    ]);
    // Both would be the construct FollowUpRequired: synth would stop with a stack trace.
    expect(problemsAfter((e) => e.wrapupCodes.push("Follow up required"))).toEqual([
      'environments/prod.yaml: wrapupCodes must be unique (ignoring case, spaces and punctuation), got "Follow up required" and "Follow-up required"',
    ]);
  });

  it("fails when a wrap-up code name has no letter or digit", () => {
    expect(problemsAfter((e) => e.wrapupCodes.push("--"))).toEqual([
      'environments/prod.yaml: wrapupCodes[4] must have a letter or digit, got "--"',
    ]);
  });

  it("fails when no domain is allowed and allow-all is not set explicitly", () => {
    expect(problemsAfter((e) => (e.messaging.allowedDomains = []))[0]).toContain(
      "messaging.allowedDomains must list at least one domain, got none (or set messaging.allowAllDomains: true explicitly)",
    );
  });

  it("fails when allow-all-domains is combined with a domain list", () => {
    expect(problemsAfter((e) => (e.messaging.allowAllDomains = true))[0]).toContain(
      "messaging.allowedDomains must be empty when messaging.allowAllDomains is true",
    );
  });

  it("fails when the upload size exceeds 10240 KB", () => {
    expect(problemsAfter((e) => (e.messaging.maxFileSizeKb = 20000))[0]).toContain(
      "messaging.maxFileSizeKb must be an integer from 0 to 10240, got 20000",
    );
  });

  it("fails when an upload file type is not one Messenger supports", () => {
    expect(problemsAfter((e) => (e.messaging.fileUploadTypes = ["application/pdf"]))[0]).toContain(
      'messaging.fileUploadTypes[0] must be one of "image/jpeg", "image/gif", "image/png", got "application/pdf"',
    );
  });

  it("fails when an S3 backend has no locking", () => {
    expect(problemsAfter((e) => delete e.backend.useLockfile)[0]).toContain(
      "backend must lock state: set backend.useLockfile: true or backend.dynamodbTable",
    );
  });

  it("fails on an unknown backend type", () => {
    expect(problemsAfter((e) => (e.backend = { type: "gcs" }))[0]).toContain(
      'backend.type must be one of "local", "s3", "cloud"',
    );
  });

  it("fails on an unknown limits catalog key or a non-positive override", () => {
    expect(problemsAfter((e) => (e.limits = { dataActionConcurrentExecution: 10 }))[0]).toMatch(
      /limits.* "dataActionConcurrentExecution"/,
    );
    expect(problemsAfter((e) => (e.limits = { dataActionConcurrentExecutions: 0 }))[0]).toContain(
      "limits.dataActionConcurrentExecutions must be a whole number > 0, got 0",
    );
  });

  it("reports every problem at once, one line each", () => {
    const problems = problemsAfter((e) => {
      e.capacity.headroom = 2;
      e.region = "nowhere";
      e.dataActions[0].timeoutSeconds = 0;
    });
    expect(problems).toHaveLength(3);
    for (const line of problems) expect(line.startsWith("environments/prod.yaml: ")).toBe(true);
  });

  it("fails with the known environments when the file does not exist", () => {
    expect(() => loadEnvironment("staging")).toThrow(
      /environments\/staging.yaml: no such environment file \(environments: dev, prod, test\)/,
    );
  });

  it("fails on YAML syntax errors, naming the file, line and column, once per error", () => {
    const dir = scratchDir("env-");
    writeFileSync(join(dir, "bad.yaml"), "name: bad\ncapacity:\n  target: 1\n bad: x\n");
    let problems: readonly string[] = [];
    try {
      loadEnvironment("bad", dir);
    } catch (e) {
      problems = (e as EnvironmentError).problems;
    }
    expect(problems).toEqual([
      `${join(dir, "bad.yaml")}:4:1: YAML All mapping items must start at the same column`,
    ]);
  });

  it("loads a file given by path", () => {
    const dir = scratchDir("env-");
    const file = join(dir, "prod.yaml");
    writeFileSync(file, stringify(prodFile()));
    expect(loadEnvironment(file).name).toBe("prod");
  });
});

import { mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { planShards } from "../../capacity";
import { main } from "../../cli/shard-map";
import { ENVIRONMENTS_DIR, loadEnvironment } from "../../config/environment";
import { defaultLocalStatePath } from "../../genesys";
import {
  ShardMapError,
  environmentShardMap,
  environmentStatePaths,
  shardMapCsv,
  shardMapFromPlan,
  shardMapFromState,
  type ShardMapOutputEntry,
  type TerraformRunner,
} from "../../shard-map";
import { scratchDir } from "../scratch";

const output: ShardMapOutputEntry[] = [
  { index: 1, deployment_id: "d-1", queue_id: "q-1", flow_id: "f-1", sessions: 66, arrivals_per_minute: 20 },
  { index: 0, deployment_id: "d-0", queue_id: "q-0", flow_id: "f-0", sessions: 67, arrivals_per_minute: 20 },
];

/** A Terraform state (format 4) of `environment`'s stack with the two outputs the stack writes. */
function stateOf(environment: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: 4,
    terraform_version: "1.9.8",
    serial: 7,
    lineage: "3f0c1d2e-lineage",
    outputs: {
      capacity_plan: { value: { environment, shards: 2 }, type: ["object", {}] },
      shard_map: { value: output, type: ["list", "object"] },
    },
    ...extra,
  });
}

const READ_AT = new Date("2026-11-27T10:00:00.000Z");

function run(argv: string[], environmentsDir?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    argv,
    { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    environmentsDir === undefined ? {} : { GENESYS_ENVIRONMENTS_DIR: environmentsDir },
    READ_AT,
  );
  return { code, out: out.join(""), err: err.join("") };
}

/** An environment folder with `lab` (dev's parameters) whose backend is `backend` (YAML lines). */
function labEnvironments(backend: string): string {
  const dir = scratchDir("shard-map-env-");
  const dev = readFileSync(join(ENVIRONMENTS_DIR, "dev.yaml"), "utf8");
  writeFileSync(
    join(dir, "lab.yaml"),
    dev.replace("name: dev", "name: lab").replace(/backend:[\s\S]*$/, `backend:\n${backend}\n`),
  );
  return dir;
}

describe("shard map", () => {
  it("before a deploy carries the plan's shares and no ids", () => {
    const plan = planShards({ targetSessions: 200, sessionsPerShard: 150, headroom: 0.8, spares: 1 });
    const map = shardMapFromPlan("dev", plan);
    expect(map).toMatchObject({ environment: "dev", stack: "gc-dev", source: "plan", ramp: null });
    expect(map.shards.map((s) => s.sessions)).toEqual(plan.perShard.map((s) => s.sessions));
    expect(map.shards.every((s) => s.deploymentId === null && s.queueId === null && s.flowId === null)).toBe(
      true,
    );
  });

  it("after a deploy takes the ids from the state's shard_map output, ordered by index, with the state's serial", () => {
    const modifiedAt = new Date("2026-11-26T09:30:00.000Z");
    const map = shardMapFromState("dev", stateOf("dev"), "terraform.gc-dev.tfstate", {
      modifiedAt,
      readAt: READ_AT,
    });
    expect(map).toEqual({
      environment: "dev",
      stack: "gc-dev",
      source: "state",
      stateSerial: 7,
      stateLineage: "3f0c1d2e-lineage",
      stateModifiedAt: "2026-11-26T09:30:00.000Z",
      readAt: "2026-11-27T10:00:00.000Z",
      ramp: { sessions: 133, perMinute: 40, minutes: 3.325 },
      shards: [
        {
          index: 0,
          queueGroup: 0,
          deploymentId: "d-0",
          queueId: "q-0",
          flowId: "f-0",
          sessions: 67,
          arrivalsPerMinute: 20,
          rampPerMinute: 20.1504,
        },
        {
          index: 1,
          queueGroup: 1,
          deploymentId: "d-1",
          queueId: "q-1",
          flowId: "f-1",
          sessions: 66,
          arrivalsPerMinute: 20,
          rampPerMinute: 19.8496,
        },
      ],
    });
    expect(shardMapCsv(map)).toBe(
      "index,deploymentId,queueId,flowId,sessions,arrivalsPerMinute,rampPerMinute,queueGroup\n" +
        "0,d-0,q-0,f-0,67,20,20.1504,0\n1,d-1,q-1,f-1,66,20,19.8496,1\n",
    );
  });

  it("takes each shard's queue group from a stack whose deployments share queues", () => {
    const shared: ShardMapOutputEntry[] = [0, 1, 2].map((index) => ({
      index,
      queue_group: Math.floor(index / 2),
      deployment_id: `d-${index}`,
      queue_id: `q-${Math.floor(index / 2)}`,
      flow_id: `f-${Math.floor(index / 2)}`,
      sessions: 10,
      arrivals_per_minute: 5,
    }));
    const state = JSON.stringify({
      version: 4,
      serial: 1,
      outputs: {
        capacity_plan: { value: { environment: "dev" } },
        shard_map: { value: shared },
      },
    });
    const map = shardMapFromState("dev", state, "state", { readAt: READ_AT });
    expect(map.shards.map((s) => [s.index, s.queueGroup, s.queueId])).toEqual([
      [0, 0, "q-0"],
      [1, 0, "q-0"],
      [2, 1, "q-1"],
    ]);
    expect(shardMapCsv(map).split("\n")[3]).toBe("2,d-2,q-1,f-1,10,5,5,1");
  });

  it("carries the plan's queue groups before a deploy", () => {
    const plan = planShards({ targetSessions: 600, deploymentsPerQueue: 5 });
    const map = shardMapFromPlan("dev", plan);
    expect(map.shards.map((s) => s.queueGroup)).toEqual([0, 0, 0, 0, 0, 1]);
  });

  it("gives every shard a rate to ramp at where the whole-number arrival shares are 0", () => {
    // prod's 10,000 sessions at 50 new/min over 85 shards: 35 shards have an arrival share of 0.
    const map = shardMapFromPlan("prod", planShards({ targetSessions: 10_000, arrivalsPerMinute: 50 }));
    expect(map.shards.filter((s) => s.arrivalsPerMinute === 0)).toHaveLength(35);
    expect(map.shards.every((s) => (s.rampPerMinute ?? 0) > 0)).toBe(true);
    expect(map.shards[0].rampPerMinute).toBe(0.59);
    expect(map.shards[84].rampPerMinute).toBe(0.585);
    expect(map.ramp).toEqual({ sessions: 10_000, perMinute: 50, minutes: 200 });
  });

  it("fails when the state is another environment's", () => {
    expect(() => shardMapFromState("prod", stateOf("dev"), "dev.tfstate")).toThrow(
      new ShardMapError(
        'dev.tfstate: this state is of environment "dev" (its capacity_plan output), not "prod": pass the ' +
          "state of gc-prod",
      ),
    );
  });

  it("fails when the state has no capacity_plan output to tell whose it is", () => {
    const bare = JSON.stringify({ version: 4, outputs: { shard_map: { value: output } } });
    expect(() => shardMapFromState("dev", bare, "s.tfstate")).toThrow(
      's.tfstate: the state has no "capacity_plan" output naming its environment',
    );
  });

  it("fails when the state has no shard_map output", () => {
    expect(() => shardMapFromState("dev", JSON.stringify({ version: 4, outputs: {} }), "s.tfstate")).toThrow(
      's.tfstate: the state has no "shard_map" output',
    );
  });

  it("fails when the file is not a Terraform state", () => {
    expect(() => shardMapFromState("dev", "not json", "s.tfstate")).toThrow(ShardMapError);
    expect(() => shardMapFromState("dev", JSON.stringify({ version: 3 }), "s.tfstate")).toThrow(
      "s.tfstate: not a Terraform state file of format version 4, got format version 3",
    );
    expect(() => shardMapFromState("dev", JSON.stringify({ outputs: {} }), "s.tfstate")).toThrow(
      "s.tfstate: not a Terraform state file of format version 4, got no format version",
    );
  });

  it("fails when the file is a plan's JSON, saying so", () => {
    const plan = JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: [] });
    expect(() => shardMapFromState("dev", plan, "plan.json")).toThrow(
      "plan.json: this is a Terraform plan (terraform show -json), not a state; pass the state (terraform state pull > <file>)",
    );
  });

  it("fails when the output is malformed", () => {
    const bad = stateOf("dev", {
      outputs: { capacity_plan: { value: { environment: "dev" } }, shard_map: { value: [{ index: 0 }] } },
    });
    expect(() => shardMapFromState("dev", bad, "s.tfstate")).toThrow('output "shard_map" must be a list of');
  });
});

describe("finding an environment's state", () => {
  it("puts a local backend's default state where the stack's backend block does", () => {
    const root = scratchDir("shard-map-root-");
    const paths = environmentStatePaths(loadEnvironment("dev"), root);
    expect(paths.stackDir).toBe(join(root, "cdktf.out", "stacks", "gc-dev"));
    expect(paths.localStateFile).toBe(join(root, "terraform.gc-dev.tfstate"));
    expect(defaultLocalStatePath("gc-dev")).toBe("../../../terraform.gc-dev.tfstate");
    expect(environmentStatePaths(loadEnvironment("prod"), root).localStateFile).toBeUndefined();
  });

  it("reads a local backend's state file, with its modification time", () => {
    const root = scratchDir("shard-map-root-");
    const file = join(root, "terraform.gc-dev.tfstate");
    writeFileSync(file, stateOf("dev"));
    utimesSync(file, new Date("2026-11-26T09:30:00Z"), new Date("2026-11-26T09:30:00Z"));
    const { map, note } = environmentShardMap({
      environment: loadEnvironment("dev"),
      environmentLabel: "environments/dev.yaml",
      root,
      now: READ_AT,
    });
    expect(note).toBeUndefined();
    expect(map).toMatchObject({
      source: "state",
      stateSerial: 7,
      stateModifiedAt: "2026-11-26T09:30:00.000Z",
    });
  });

  it("pulls an initialized remote backend's state with terraform state pull, in the stack's folder", () => {
    const root = scratchDir("shard-map-root-");
    const stackDir = join(root, "cdktf.out", "stacks", "gc-prod");
    mkdirSync(join(stackDir, ".terraform"), { recursive: true });
    const calls: { args: readonly string[]; cwd: string }[] = [];
    const terraform: TerraformRunner = (args, cwd) => {
      calls.push({ args, cwd });
      return { status: 0, stdout: stateOf("prod"), stderr: "" };
    };
    const { map } = environmentShardMap({
      environment: loadEnvironment("prod"),
      environmentLabel: "environments/prod.yaml",
      root,
      terraform,
      now: READ_AT,
    });
    expect(calls).toEqual([{ args: ["state", "pull"], cwd: stackDir }]);
    expect(map).toMatchObject({ environment: "prod", stack: "gc-prod", source: "state", stateSerial: 7 });
    expect(map).not.toHaveProperty("stateModifiedAt");
  });

  it("falls back to the plan with a note saying why when terraform state pull fails", () => {
    const root = scratchDir("shard-map-root-");
    mkdirSync(join(root, "cdktf.out", "stacks", "gc-prod", ".terraform"), { recursive: true });
    const { map, note } = environmentShardMap({
      environment: loadEnvironment("prod"),
      environmentLabel: "environments/prod.yaml",
      root,
      terraform: () => ({ status: 1, stdout: "", stderr: "\nError: No valid credential sources found\n" }),
    });
    expect(map.source).toBe("plan");
    expect(note).toBe(
      "gc-prod is not deployed here (terraform state pull failed: Error: No valid credential sources found): " +
        "the plan's shares from environments/prod.yaml, ids empty; pass --state <file> for a deployed stack",
    );
  });
});

describe("shard-map CLI", () => {
  const states = scratchDir("shard-map-state-");
  const devState = join(states, "dev.tfstate");
  writeFileSync(devState, stateOf("dev"));

  it("writes JSON from a state file", () => {
    const result = run(["dev", "--format", "json", "--state", devState]);
    expect(result.code).toBe(0);
    const map = JSON.parse(result.out);
    expect(map).toMatchObject({
      environment: "dev",
      stack: "gc-dev",
      stateSerial: 7,
      readAt: READ_AT.toISOString(),
    });
    expect(map.shards[0].deploymentId).toBe("d-0");
  });

  it("fails when --state is another environment's state, with one line (exit 2)", () => {
    const result = run(["prod", "--state", devState]);
    expect(result.code).toBe(2);
    expect(result.out).toBe("");
    expect(result.err).toBe(
      `shard-map: ${devState}: this state is of environment "dev" (its capacity_plan output), not "prod": pass the ` +
        "state of gc-prod\n",
    );
  });

  it("falls back to the plan's shares with a note when the stack is not deployed", () => {
    const dir = labEnvironments("  type: local\n  path: /nonexistent/lab.tfstate");
    const result = run(["lab"], dir);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      "index,deploymentId,queueId,flowId,sessions,arrivalsPerMinute,rampPerMinute,queueGroup\n" +
        "0,,,,67,20,20.1,0\n1,,,,67,20,20.1,1\n2,,,,66,20,19.8,2\n",
    );
    expect(result.err).toContain(
      "shard-map: gc-lab is not deployed here (no state found): the plan's shares from",
    );
  });

  it("warns on stderr when the ramp outlasts --window-minutes, and writes the map", () => {
    // The state: 133 sessions at 40 new/min, 3.33 min.
    const result = run(["dev", "--state", devState, "--window-minutes", "2"]);
    expect(result.code).toBe(0);
    expect(result.out).toContain("rampPerMinute");
    expect(result.err).toBe(
      "shard-map: warning: ramp-exceeds-window: the ramp takes 3.33 min (133 sessions at 40 new/min), longer " +
        "than the 2 min window: ramp at 67 new/min or more, or book 3.33 min\n",
    );
    expect(run(["dev", "--state", devState, "--window-minutes", "10"]).err).toBe("");
  });

  it("fails when --state names no file, with one line", () => {
    const result = run(["dev", "--state", "/nonexistent/state.json"]);
    expect(result.code).toBe(2);
    expect(result.err).toBe("shard-map: --state /nonexistent/state.json: no such file\n");
  });

  it.each([
    [
      ["dev", "--format", "xml"],
      "option '--format <format>' argument 'xml' is invalid. Allowed choices are csv, json.",
    ],
    [
      ["dev", "--window-minutes", "0"],
      "option '--window-minutes <minutes>' argument '0' is invalid. --window-minutes must be a number > 0, got \"0\"",
    ],
  ])("fails when the command line is %j, with one line", (argv, line) => {
    const result = run(argv);
    expect(result.code).toBe(2);
    expect(result.err).toBe(`shard-map: ${line}\n`);
  });
});

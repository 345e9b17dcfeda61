/**
 * The shard map of an environment split into shard groups: the base's state and every group's, found or given
 * with --state, merged into one map of the environment (synthetic states of a base and 2 groups at G = 2).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { main } from "../../cli/shard-map";
import { ENVIRONMENTS_DIR, loadEnvironment } from "../../config/environment";
import {
  environmentShardMap,
  environmentStatePaths,
  identityOf,
  parseShardMap,
  requireIdentity,
  shardMapJson,
  type ShardMapOutputEntry,
  type TerraformRunner,
} from "../../shard-map";
import { shardGroupBackend } from "../../stacks/shard-group-stack";
import { watchedShards } from "../../watch/shards";
import { scratchDir } from "../scratch";

const READ_AT = new Date("2026-12-06T10:00:00.000Z");

function entry(index: number, sessions: number): ShardMapOutputEntry {
  const id = String(index);
  return {
    index,
    deployment_id: `d-${id}`,
    queue_id: `q-${id}`,
    flow_id: `f-${id}`,
    sessions,
    arrivals_per_minute: 20,
  };
}

/** The base stack's state: capacity_plan (3 shards of `environment`), no shard_map. */
function baseState(environment: string, shards = 3): string {
  return JSON.stringify({
    version: 4,
    serial: 3,
    lineage: "lineage-base",
    outputs: { capacity_plan: { value: { environment, shards }, type: ["object", {}] } },
    resources: [],
  });
}

/** A group stack's state: its shard_map, and the cross-stack remote state it reads the base `base` with. */
function groupState(base: string, group: number, shards: ShardMapOutputEntry[]): string {
  return JSON.stringify({
    version: 4,
    serial: 10 + group,
    lineage: `lineage-group-${group}`,
    outputs: { shard_map: { value: shards, type: ["list", "object"] } },
    resources: [
      {
        mode: "data",
        type: "terraform_remote_state",
        name: `cross-stack-reference-input-${base}`,
        provider: 'provider["terraform.io/builtin/terraform"]',
        instances: [],
      },
    ],
  });
}

const GROUP_0 = [entry(0, 67), entry(1, 67)];
const GROUP_1 = [entry(2, 66)];

/** An environment folder with `lab` (dev's parameters at 2 shards per group: 3 shards in 2 groups). */
function labEnvironments(backend: string): string {
  const dir = scratchDir("shard-groups-env-");
  const dev = readFileSync(join(ENVIRONMENTS_DIR, "dev.yaml"), "utf8");
  writeFileSync(
    join(dir, "lab.yaml"),
    dev
      .replace("name: dev", "name: lab")
      .replace("capacity:\n", "capacity:\n  shardsPerGroup: 2\n")
      .replace(/backend:[\s\S]*$/, `backend:\n${backend}\n`),
  );
  return dir;
}

/** A folder with the three state files and an environment folder whose local backend points at them. */
function deployedLab(
  groups: { 0?: string; 1?: string } = {
    0: groupState("gc-lab", 0, GROUP_0),
    1: groupState("gc-lab", 1, GROUP_1),
  },
) {
  const states = scratchDir("shard-groups-state-");
  const base = join(states, "lab.tfstate");
  writeFileSync(base, baseState("lab"));
  const files = [base];
  for (const group of [0, 1] as const) {
    const text = groups[group];
    if (text === undefined) continue;
    const file = join(states, `lab-shards-${group}.tfstate`);
    writeFileSync(file, text);
    files.push(file);
  }
  return { environments: labEnvironments(`  type: local\n  path: ${base}`), files };
}

function run(argv: string[], environmentsDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    argv,
    { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } },
    { GENESYS_ENVIRONMENTS_DIR: environmentsDir },
    READ_AT,
  );
  return { code, out: out.join(""), err: err.join("") };
}

describe("the shard map of an environment split into shard groups", () => {
  it("reads the base's and every group's local state into one map of the environment", () => {
    const { environments } = deployedLab();
    const result = run(["lab", "--format", "json"], environments);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const map = JSON.parse(result.out);
    expect(map).toMatchObject({
      environment: "lab",
      stack: "gc-lab",
      source: "state",
      stateSerial: 3,
      stateLineage: "lineage-base",
      groups: [
        { group: 0, stack: "gc-lab-shards-0", stateSerial: 10, stateLineage: "lineage-group-0" },
        { group: 1, stack: "gc-lab-shards-1", stateSerial: 11, stateLineage: "lineage-group-1" },
      ],
      ramp: { sessions: 200, perMinute: 60 },
    });
    expect(map.groups[0].stateModifiedAt).toEqual(expect.any(String));
    expect(
      map.shards.map((shard: { index: number; deploymentId: string }) => [shard.index, shard.deploymentId]),
    ).toEqual([
      [0, "d-0"],
      [1, "d-1"],
      [2, "d-2"],
    ]);
  });

  it("takes the states from --state as a comma-separated list, in any order", () => {
    const { environments, files } = deployedLab();
    const [base, group0, group1] = files;
    const listed = run(
      ["lab", "--format", "json", "--state", [group1, base, group0].join(",")],
      environments,
    );
    expect(listed.code).toBe(0);
    const found = run(["lab", "--format", "json"], environments);
    expect(JSON.parse(listed.out)).toEqual(JSON.parse(found.out));
  });

  it("writes a map that rehearse and watch take as the environment's", () => {
    const { environments } = deployedLab();
    const map = parseShardMap(JSON.parse(run(["lab", "--format", "json"], environments).out), "lab.json");
    expect(map.groups?.map((group) => group.stack)).toEqual(["gc-lab-shards-0", "gc-lab-shards-1"]);
    expect(() => requireIdentity(map, identityOf("lab"), "lab.json")).not.toThrow();
    expect(watchedShards(map, "lab", "lab.json").map((shard) => shard.index)).toEqual([0, 1, 2]);
  });

  it("pulls each group's state in its own stack folder for a remote backend", () => {
    const environments = labEnvironments(
      "  type: s3\n  bucket: b\n  key: lab.tfstate\n  region: us-east-1\n  useLockfile: true",
    );
    const root = scratchDir("shard-groups-root-");
    const states: Record<string, string> = {
      "gc-lab": baseState("lab"),
      "gc-lab-shards-0": groupState("gc-lab", 0, GROUP_0),
      "gc-lab-shards-1": groupState("gc-lab", 1, GROUP_1),
    };
    for (const stack of Object.keys(states))
      mkdirSync(join(root, "cdktf.out", "stacks", stack, ".terraform"), { recursive: true });
    const pulled: string[] = [];
    const terraform: TerraformRunner = (args, cwd) => {
      const stack = cwd.split("/").pop() ?? "";
      pulled.push(`${args.join(" ")} in ${stack}`);
      return { status: 0, stdout: states[stack], stderr: "" };
    };
    const { map } = environmentShardMap({
      environment: loadEnvironment(join(environments, "lab.yaml")),
      environmentLabel: "lab.yaml",
      root,
      terraform,
      now: READ_AT,
    });
    expect(pulled).toEqual([
      "state pull in gc-lab",
      "state pull in gc-lab-shards-0",
      "state pull in gc-lab-shards-1",
    ]);
    expect(map.shards.map((shard) => shard.index)).toEqual([0, 1, 2]);
    expect(map.groups?.map((group) => group.stack)).toEqual(["gc-lab-shards-0", "gc-lab-shards-1"]);
    expect(map.groups?.[0]).not.toHaveProperty("stateModifiedAt");
  });

  it("finds each group's local state where the group stack's backend puts it", () => {
    const root = scratchDir("shard-groups-root-");
    for (const backend of [
      "  type: local",
      "  type: local\n  path: states/lab.tfstate",
      "  type: local\n  path: lab.state",
    ]) {
      const environment = loadEnvironment(join(labEnvironments(backend), "lab.yaml"));
      for (const group of [0, 1]) {
        const paths = environmentStatePaths(environment, root, group);
        const groupBackend = shardGroupBackend(environment.backend, group);
        const path = groupBackend.type === "local" ? groupBackend.path : undefined;
        expect(paths.stack).toBe(`gc-lab-shards-${group}`);
        expect(paths.localStateFile).toBe(
          resolve(paths.stackDir, path ?? `../../../terraform.gc-lab-shards-${group}.tfstate`),
        );
      }
    }
  });

  it("fails when a group's state is missing, with one line naming the group stack (exit 2)", () => {
    const { environments, files } = deployedLab({ 0: groupState("gc-lab", 0, GROUP_0) });
    const found = run(["lab"], environments);
    expect(found.code).toBe(2);
    expect(found.out).toBe("");
    expect(found.err).toMatch(
      /^shard-map: gc-lab-shards-1: no state file .*lab-shards-1\.tfstate: this shard group of gc-lab is not deployed here; deploy it or pass every stack's state with --state\n$/,
    );
    const given = run(["lab", "--state", files.join(",")], environments);
    expect(given.code).toBe(2);
    expect(given.err).toBe(
      "shard-map: gc-lab-shards-1: no state of this shard group (shards 002); deploy it, or pass its state with --state\n",
    );
  });

  it("fails when a group's state is another environment's group", () => {
    const { environments, files } = deployedLab({
      0: groupState("gc-lab", 0, GROUP_0),
      1: groupState("gc-dev", 1, GROUP_1),
    });
    const result = run(["lab", "--state", files.join(",")], environments);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `shard-map: ${files[2]}: this state is a shard group of gc-dev (it reads that base stack), not of gc-lab: ` +
        "pass the states of gc-lab's stacks\n" +
        "shard-map: gc-lab-shards-1: no state of this shard group (shards 002); deploy it, or pass its state with --state\n",
    );
  });

  it("fails when the base is another environment's", () => {
    const { environments, files } = deployedLab();
    writeFileSync(files[0], baseState("dev"));
    const result = run(["lab"], environments);
    expect(result.code).toBe(2);
    expect(result.err).toBe(
      `shard-map: ${files[0]}: this state is of environment "dev" (its capacity_plan output), not "lab": pass the ` +
        "state of gc-lab\n",
    );
  });

  it("fails when a group holds shards that are not its group's", () => {
    const { environments, files } = deployedLab({
      0: groupState("gc-lab", 0, GROUP_0),
      1: groupState("gc-lab", 1, [entry(2, 33), entry(3, 33)]),
    });
    const result = run(["lab", "--state", files.join(",")], environments);
    expect(result.code).toBe(2);
    expect(result.err).toContain(
      `shard-map: ${files[2]}: holds shards 002–003, but gc-lab deployed 3 shards (its capacity_plan) at ` +
        "capacity.shardsPerGroup 2, so gc-lab-shards-1 holds 002",
    );
  });

  it("fails when --state lists two base states, or a whole stack's with others", () => {
    const { environments, files } = deployedLab();
    const twice = run(["lab", "--state", [files[0], files[0], files[1]].join(",")], environments);
    expect(twice.code).toBe(2);
    expect(twice.err).toBe(
      "shard-map: --state: give the state of gc-lab (the one with a capacity_plan output) once, with every shard " +
        "group's, got 2 with a capacity_plan among 3 files\n",
    );
    expect(run(["lab", "--state", `${files[0]},`], environments).err).toBe(
      `shard-map: option '--state <files>' argument '${files[0]},' is invalid. --state takes files separated by commas, got "${files[0]},"\n`,
    );
  });

  it("round-trips through the JSON file with every group's identity", () => {
    const { environments } = deployedLab();
    const written = run(["lab", "--format", "json"], environments).out;
    expect(JSON.parse(shardMapJson(parseShardMap(JSON.parse(written), "lab.json")))).toEqual(
      JSON.parse(written),
    );
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadEnvironment, type EnvironmentConfig } from "../../config/environment";
import { planEnvironment } from "../../config/plan";
import { DEFAULT_SHARDS_PER_GROUP, shardGroupOf, shardGroups, shardGroupStackName } from "../../genesys";
import {
  addEnvironmentStacks,
  environmentStackNames,
  shardGroupProblems,
} from "../../stacks/environment-stacks";
import { groupClientEnvironmentVariables, shardGroupBackend } from "../../stacks/shard-group-stack";
import { scratchDir } from "../scratch";

type Json = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, unknown>;
  terraform: { backend: Record<string, unknown> };
  variable?: Record<string, Record<string, unknown>>;
  provider: { genesyscloud: Record<string, unknown>[] };
};

/** dev with `shards` shards (150 sessions per shard at 0.8 headroom: 120 usable, 1 spare) and G shards per group. */
function devWith(shards: number, shardsPerGroup?: number, edit?: (env: EnvironmentConfig) => void) {
  const env = structuredClone(loadEnvironment("dev"));
  env.name = "sg";
  env.capacity.targetConcurrentSessions = 120 * (shards - 1);
  env.capacity.peakArrivalsPerMinute = 60;
  if (env.agents) env.agents.count = 2000;
  if (shardsPerGroup !== undefined) env.capacity.shardsPerGroup = shardsPerGroup;
  edit?.(env);
  return env;
}

/** Synthesizes an environment's stacks with cdktf's App (cross-stack references resolved) and reads them. */
function synthStacks(env: EnvironmentConfig) {
  const plan = planEnvironment(env, "sg.yaml");
  const outdir = join(scratchDir("shard-groups-"), "out");
  const app = new App({ outdir, stackTraces: false });
  addEnvironmentStacks(app, { environment: env, plan });
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as {
    stacks: Record<string, { dependencies: string[] }>;
  };
  const stacks = new Map<string, Json>();
  for (const name of Object.keys(manifest.stacks)) {
    stacks.set(name, JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) as Json);
  }
  return { plan, manifest, stacks };
}

/** "type.address" of every resource a stack manages → the stack it is in. */
function homes(stacks: Map<string, Json>): Map<string, string> {
  const result = new Map<string, string>();
  for (const [name, json] of stacks) {
    for (const [type, resources] of Object.entries(json.resource ?? {})) {
      for (const address of Object.keys(resources)) result.set(`${type}.${address}`, name);
    }
  }
  return result;
}

/** A resource without its metadata and with cross-stack references written as the base's address. */
function comparable(resource: Record<string, unknown>): string {
  const { ["//"]: _metadata, ...rest } = resource;
  void _metadata;
  return JSON.stringify(rest).replace(
    /\$\{data\.terraform_remote_state\.cross-stack-reference-input-gc-sg\.outputs\.cross-stack-output-([a-z_]+?)([A-Z][A-Za-z0-9_]+?)(id|name|version)\}/g,
    (_match, type: string, address: string, attribute: string) =>
      `\${${type.replace(/^data(?=genesyscloud_)/, "data.")}.${address}.${attribute}}`,
  );
}

describe("shard groups", () => {
  it("keeps an environment of N <= G shards one stack, named as before", () => {
    const { manifest } = synthStacks(devWith(DEFAULT_SHARDS_PER_GROUP));
    expect(Object.keys(manifest.stacks)).toEqual(["gc-sg"]);
    expect(environmentStackNames(devWith(3), { shards: 3 })).toEqual(["gc-sg"]);
  });

  it("splits 5 shards at G = 2 into a base stack and groups 0-1, 2-3 and 4, each depending on the base", () => {
    const { manifest, stacks } = synthStacks(devWith(5, 2));
    expect(Object.keys(manifest.stacks)).toEqual([
      "gc-sg",
      "gc-sg-shards-0",
      "gc-sg-shards-1",
      "gc-sg-shards-2",
    ]);
    expect(manifest.stacks["gc-sg"].dependencies).toEqual([]);
    for (const k of [0, 1, 2]) expect(manifest.stacks[`gc-sg-shards-${k}`].dependencies).toEqual(["gc-sg"]);
    const deployments = (name: string) =>
      Object.values(stacks.get(name)!.resource.genesyscloud_webdeployments_deployment ?? {}).map(
        (d) => d.name,
      );
    expect(deployments("gc-sg")).toEqual([]);
    expect(deployments("gc-sg-shards-0")).toEqual(["Dev Messenger 000", "Dev Messenger 001"]);
    expect(deployments("gc-sg-shards-1")).toEqual(["Dev Messenger 002", "Dev Messenger 003"]);
    expect(deployments("gc-sg-shards-2")).toEqual(["Dev Messenger 004"]);
    // What every shard shares is in the base, once.
    const base = stacks.get("gc-sg")!;
    expect(Object.keys(base.resource.genesyscloud_webdeployments_configuration)).toHaveLength(1);
    expect(Object.keys(base.resource.genesyscloud_routing_wrapupcode)).toHaveLength(3);
    expect(base.resource.genesyscloud_routing_utilization).toBeDefined();
    expect(base.resource.genesyscloud_integration_action).toBeDefined();
    expect(base.output?.capacity_plan).toBeDefined();
    expect(base.output?.shard_map).toBeUndefined();
    // Each group reads the base's outputs through a local remote-state data source and has its own state and map.
    const group = stacks.get("gc-sg-shards-1")!;
    expect(group.data?.terraform_remote_state).toEqual({
      "cross-stack-reference-input-gc-sg": {
        backend: "local",
        config: { path: "../../../terraform.gc-sg.tfstate" },
        workspace: "${terraform.workspace}",
      },
    });
    expect(group.terraform.backend).toEqual({ local: { path: "../../../terraform.gc-sg-shards-1.tfstate" } });
    expect((group.output?.shard_map as { value: { index: number }[] }).value.map((s) => s.index)).toEqual([
      2, 3,
    ]);
  });

  it("gives every shard the address and configuration a single stack gives it", () => {
    const single = synthStacks(devWith(5)).stacks.get("gc-sg")!;
    const split = synthStacks(devWith(5, 2)).stacks;
    const all = homes(split);
    for (const [type, resources] of Object.entries(single.resource)) {
      for (const [address, resource] of Object.entries(resources)) {
        const home = all.get(`${type}.${address}`);
        expect(home).toBeDefined();
        expect(comparable(split.get(home!)!.resource[type][address])).toBe(comparable(resource));
      }
    }
    expect(all.size).toBe(
      Object.values(single.resource).reduce((sum, resources) => sum + Object.keys(resources).length, 0),
    );
  });

  it("grows into the last group, then new groups, and shrinks from the top: no object ever changes stack", () => {
    const seen = new Map<string, string>();
    let previous: string[] = [];
    for (const shards of [3, 4, 5, 7, 8, 6, 3]) {
      const { stacks } = synthStacks(devWith(shards, 2));
      const names = [...stacks.keys()];
      expect(names).toEqual([
        "gc-sg",
        ...shardGroups(shards, 2).map((g) => shardGroupStackName("sg", g.index)),
      ]);
      for (const [address, home] of homes(stacks)) {
        expect(seen.get(address) ?? home).toBe(home);
        seen.set(address, home);
      }
      // Groups are added and removed only at the end.
      const shared = Math.min(previous.length, names.length);
      expect(names.slice(0, shared)).toEqual(previous.slice(0, shared));
      previous = names;
    }
    for (let index = 0; index < 8; index++) expect(shardGroupOf(index, 2)).toBe(Math.floor(index / 2));
  }, 60_000);

  it("keeps a queue group in the shard group of its first deployment (G a multiple of d)", () => {
    const { stacks } = synthStacks(devWith(9, 4, (env) => (env.capacity.deploymentsPerQueue = 2)));
    const queues = (name: string) => Object.keys(stacks.get(name)!.resource.genesyscloud_routing_queue ?? {});
    expect(queues("gc-sg")).toEqual([]);
    expect(queues("gc-sg-shards-0").map((a) => a.split("_")[1])).toEqual(["QueueGroup000", "QueueGroup001"]);
    expect(queues("gc-sg-shards-1").map((a) => a.split("_")[1])).toEqual(["QueueGroup002", "QueueGroup003"]);
    expect(queues("gc-sg-shards-2").map((a) => a.split("_")[1])).toEqual(["QueueGroup004"]);
  }, 30_000);

  it("fails when G is not a multiple of d once split, in one line naming both fields", () => {
    const env = devWith(9, 3, (e) => (e.capacity.deploymentsPerQueue = 2));
    expect(shardGroupProblems(env, planEnvironment(env, "sg.yaml"), "sg.yaml")).toEqual([
      "sg.yaml: capacity.shardsPerGroup must be a multiple of capacity.deploymentsPerQueue (2) once the " +
        "environment is split into shard groups (9 shards > 3), got 3: a queue group lives in the stack of its " +
        "first deployment and must not span two stacks",
    ]);
    const unsplit = devWith(3, 3, (e) => (e.capacity.deploymentsPerQueue = 2));
    expect(shardGroupProblems(unsplit, planEnvironment(unsplit, "sg.yaml"), "sg.yaml")).toEqual([]);
  });

  it("reads each group's own OAuth client from sensitive variables that default to the environment's", () => {
    const group = synthStacks(devWith(3, 2)).stacks.get("gc-sg-shards-1")!;
    expect(group.variable).toEqual({
      oauthclient_id: expect.objectContaining({
        sensitive: true,
        nullable: true,
        default: null,
        type: "string",
      }),
      oauthclient_secret: expect.objectContaining({
        sensitive: true,
        nullable: true,
        default: null,
        type: "string",
      }),
    });
    expect(group.provider.genesyscloud[0]).toMatchObject({
      oauthclient_id: "${var.oauthclient_id}",
      oauthclient_secret: "${var.oauthclient_secret}",
    });
    expect(groupClientEnvironmentVariables(1)).toEqual({
      id: "GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_1",
      secret: "GENESYSCLOUD_OAUTHCLIENT_SECRET_SHARDS_1",
    });
  });

  it.each<[EnvironmentConfig["backend"], EnvironmentConfig["backend"]]>([
    [{ type: "local" }, { type: "local" }],
    [
      { type: "local", path: "state/dev.tfstate" },
      { type: "local", path: "state/dev-shards-2.tfstate" },
    ],
    [
      { type: "s3", bucket: "b", key: "genesys/prod.tfstate", region: "us-east-1", useLockfile: true },
      {
        type: "s3",
        bucket: "b",
        key: "genesys/prod-shards-2.tfstate",
        region: "us-east-1",
        useLockfile: true,
      },
    ],
    [
      { type: "cloud", organization: "o", workspace: "genesys-prod" },
      { type: "cloud", organization: "o", workspace: "genesys-prod-shards-2" },
    ],
  ])("gives group 2 its own state next to the base's: %j", (backend, expected) => {
    expect(shardGroupBackend(backend, 2)).toEqual(expected);
  });

  it.each([
    [
      { type: "s3", bucket: "b", key: "genesys/sg.tfstate", region: "us-east-1" },
      {
        backend: "s3",
        config: { bucket: "b", key: "genesys/sg.tfstate", region: "us-east-1", encrypt: true },
      },
    ],
    [
      { type: "cloud", organization: "o", workspace: "genesys-sg" },
      { backend: "remote", config: { organization: "o", workspaces: { name: "genesys-sg" } } },
    ],
  ] as const)("reads the base's outputs from its %j backend", (backend, expected) => {
    const env = devWith(3, 2, (e) => (e.backend = backend as EnvironmentConfig["backend"]));
    const group = synthStacks(env).stacks.get("gc-sg-shards-0")!;
    expect(group.data?.terraform_remote_state?.["cross-stack-reference-input-gc-sg"]).toMatchObject(expected);
  });
});

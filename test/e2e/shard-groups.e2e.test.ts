/**
 * Shard groups through the real Terraform CLI and genesyscloud 1.82.0 provider, into the emulator: an environment
 * of 5 shards at G = 2 (capacity.shardsPerGroup) deploys as a base stack and 3 shard-group stacks, the groups in
 * parallel after the base; re-plans with no changes; grows to 7 shards (group 2 fills, group 3 is added, nothing
 * else touched); shrinks to 3 (groups 3 and 2 destroyed, group 1 loses shard 003); destroys clean. Then the upgrade:
 * a single-stack environment of 2 shards is split (G = 2, 3 shards) by moving its shards' state, at the same
 * addresses, into gc-<env>-shards-0, with nothing replaced.
 */
import { join } from "node:path";
import { EnvironmentWorkspace, environmentYaml, type EnvironmentYaml } from "./environment";
import { Terraform, startEmulator, unexpectedAnswers, type E2eEmulator, type PlanJson } from "./harness";

const AGENTS = "Dev Messaging Agents";

/** dev with `shards` shards (u = 120 sessions each, 1 spare) in groups of `perGroup`. */
function withShards(shards: number, perGroup?: number): EnvironmentYaml {
  const env = environmentYaml("dev");
  env.capacity.targetConcurrentSessions = (shards - 1) * 120;
  env.capacity.peakArrivalsPerMinute = 60;
  if (perGroup !== undefined) env.capacity.shardsPerGroup = perGroup;
  env.agents.count = Math.max(env.agents.count, Math.ceil((shards * 120) / env.agents.messageCapacity));
  return env;
}

/** Every resource change that is not a no-op or a read, as "address: action,action". */
function changes(plan: PlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((change) => !["no-op", "read"].includes(change.change.actions.join(",")))
    .map((change) => `${change.address}: ${change.change.actions.join(",")}`);
}

function deploymentNames(emulator: E2eEmulator): string[] {
  return emulator
    .objects("webDeployments")
    .map((entity) => String(entity.name))
    .sort();
}

describe("shard groups deployed into the emulator through the real provider", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;
  const stacks = new Map<string, Terraform>();

  /** The Terraform working directory of one of the environment's stacks, initialized on first use. */
  async function stack(name: string): Promise<Terraform> {
    let tf = stacks.get(name);
    if (!tf) {
      tf = new Terraform(join(workspace.paths.outdir, "stacks", name), emulator);
      await tf.init();
      stacks.set(name, tf);
    }
    return tf;
  }

  /** Applies groups at once, answering when each started and ended (ms). */
  async function applyInParallel(names: string[]): Promise<{ start: number; end: number }[]> {
    const tfs = await Promise.all(names.map(stack));
    return Promise.all(
      tfs.map(async (tf) => {
        const start = Date.now();
        await tf.apply();
        return { start, end: Date.now() };
      }),
    );
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    emulator.seed({
      users: [{ name: "Ada Agent", email: "ada@dev.example.com" }],
      groups: [{ name: AGENTS, members: ["ada@dev.example.com"] }],
    });
    workspace = new EnvironmentWorkspace("sg", emulator);
  });

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  const groups = (n: number) => Array.from({ length: n }, (_, k) => `gc-sg-shards-${k}`);

  it("deploys 5 shards at G = 2 as a base stack, then 3 groups in parallel", async () => {
    const base = await workspace.synth(withShards(5, 2));
    await base.apply();
    expect(deploymentNames(emulator)).toEqual([]);
    const times = await applyInParallel(groups(3));
    // Parallel: every group started before any finished.
    expect(Math.max(...times.map((t) => t.start))).toBeLessThan(Math.min(...times.map((t) => t.end)));
    expect(deploymentNames(emulator)).toEqual([0, 1, 2, 3, 4].map((i) => `Dev Messenger 00${i}`));
    expect(unexpectedAnswers(emulator.stats())).toEqual([]);
  }, 300_000);

  it("re-plans every stack with no changes", async () => {
    for (const name of ["gc-sg", ...groups(3)])
      expect(await (await stack(name)).planDetailedExitCode()).toBe(0);
  }, 300_000);

  it("grows to 7 shards: group 2 gains shard 005, group 3 is added with 006, nothing else is touched", async () => {
    await workspace.synth(withShards(7, 2));
    // The base's capacity_plan output changes with N (an output change, exit code 2); none of its objects does.
    expect(changes(await (await stack("gc-sg")).planJson())).toEqual([]);
    // Each shard's share of sessions (shard_map output) changes with N; no object does.
    for (const name of ["gc-sg-shards-0", "gc-sg-shards-1"]) {
      expect(changes(await (await stack(name)).planJson())).toEqual([]);
    }
    const grown = changes(await (await stack("gc-sg-shards-2")).planJson());
    expect(grown.every((change) => change.endsWith(": create"))).toBe(true);
    expect(grown.some((change) => change.includes("Channel_Shard005_Deployment"))).toBe(true);
    await applyInParallel(["gc-sg-shards-2", "gc-sg-shards-3"]);
    expect(deploymentNames(emulator)).toHaveLength(7);
  }, 300_000);

  it("shrinks to 3 shards: groups 3 and 2 destroyed, group 1 loses shard 003, the rest untouched", async () => {
    // The emptied groups are destroyed with their current configuration, before the smaller synth drops them.
    for (const name of ["gc-sg-shards-3", "gc-sg-shards-2"]) await (await stack(name)).destroy();
    await workspace.synth(withShards(3, 2));
    const shrunk = changes(await (await stack("gc-sg-shards-1")).planJson());
    expect(shrunk.length).toBeGreaterThan(0);
    expect(shrunk.every((change) => change.endsWith(": delete") && change.includes("Shard003"))).toBe(true);
    await (await stack("gc-sg-shards-1")).apply();
    expect(changes(await (await stack("gc-sg")).planJson())).toEqual([]);
    expect(changes(await (await stack("gc-sg-shards-0")).planJson())).toEqual([]);
    expect(deploymentNames(emulator)).toEqual([
      "Dev Messenger 000",
      "Dev Messenger 001",
      "Dev Messenger 002",
    ]);
  }, 300_000);

  it("destroys clean: the groups, then the base", async () => {
    await Promise.all(groups(2).map(async (name) => (await stack(name)).destroy()));
    await (await stack("gc-sg")).destroy();
    expect(deploymentNames(emulator)).toEqual([]);
    expect(emulator.objects("queues")).toEqual([]);
    expect(emulator.objects("flows")).toEqual([]);
    expect(unexpectedAnswers(emulator.stats())).toEqual([]);
  }, 300_000);

  it("upgrades a single-stack environment into shard groups without replacing a shard", async () => {
    stacks.clear();
    const single = await workspace.synth(withShards(2));
    await single.apply();
    const before = new Map(emulator.objects("webDeployments").map((d) => [String(d.name), d.id]));
    const moved = (await single.stateList()).filter((address) => /\.Channel_Shard00[01]_/.test(address));
    expect(moved.length).toBe(6);
    // Split: 3 shards at G = 2. The shards' state moves, at the same addresses, into group 0's state first.
    await workspace.synth(withShards(3, 2));
    const groupState = join(workspace.root, "terraform.gc-sg-shards-0.tfstate");
    for (const address of moved) {
      await single.run([
        "state",
        "mv",
        `-state=${workspace.paths.stateFile}`,
        `-state-out=${groupState}`,
        address,
        address,
      ]);
    }
    const base = changes(await single.planJson());
    expect(base).toEqual([]); // the base only gains its cross-stack outputs
    await single.apply();
    // Group 0 only gains its shard_map output: no object changes, none is replaced.
    expect(changes(await (await stack("gc-sg-shards-0")).planJson())).toEqual([]);
    await (await stack("gc-sg-shards-0")).apply();
    await (await stack("gc-sg-shards-1")).apply();
    const after = new Map(emulator.objects("webDeployments").map((d) => [String(d.name), d.id]));
    for (const [name, id] of before) expect(after.get(name)).toBe(id);
    expect([...after.keys()].sort()).toEqual(["Dev Messenger 000", "Dev Messenger 001", "Dev Messenger 002"]);
    for (const name of ["gc-sg-shards-1", "gc-sg-shards-0"]) await (await stack(name)).destroy();
    await single.destroy();
    expect(deploymentNames(emulator)).toEqual([]);
  }, 400_000);
});

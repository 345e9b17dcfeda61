/**
 * The dev environment stack, synthesized by the real app and deployed with the real Terraform CLI and
 * genesyscloud 1.82.0 provider into the emulator: deploy, re-plan, scale up, scale down, deploy under faults,
 * destroy. Shards must be stable by index: a scale change only adds or removes the highest shards.
 */
import { EnvironmentWorkspace, environmentYaml, type EnvironmentYaml } from "./environment";
import {
  requestsByResourceType,
  startEmulator,
  type E2eEmulator,
  type PlanJson,
  type Terraform,
} from "./harness";

const AGENTS = "Dev Messaging Agents";

/** Every resource change that is not a no-op, as "address: action,action". */
function changes(plan: PlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((change) => !(change.change.actions.length === 1 && change.change.actions[0] === "no-op"))
    .filter((change) => !(change.change.actions.length === 1 && change.change.actions[0] === "read"))
    .map((change) => `${change.address}: ${change.change.actions.join(",")}`);
}

/** The shard number in a resource address (`Channel_Shard003_Queue_…` → 3), or undefined for shared objects. */
function shardOf(address: string): number | undefined {
  const match = /_Shard(\d{3})_/.exec(address);
  return match ? Number(match[1]) : undefined;
}

/** The names in an emulator collection, sorted. */
function names(emulator: E2eEmulator, collection: string): string[] {
  return emulator
    .objects(collection)
    .map((entity) => String(entity.name))
    .sort();
}

function withTarget(target: number): EnvironmentYaml {
  const env = environmentYaml("dev");
  env.capacity.targetConcurrentSessions = target;
  env.capacity.peakArrivalsPerMinute = 60;
  env.agents.count = Math.ceil(target / env.agents.messageCapacity / 0.8);
  return env;
}

function report(phase: string, emulator: E2eEmulator): void {
  const stats = emulator.stats();
  process.stdout.write(
    `${phase}: ${stats.totals.requests} requests (${stats.totals.faults} faulted) ${JSON.stringify(requestsByResourceType(stats))}\n`,
  );
}

describe("gc-dev deployed into the emulator through the real provider", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;
  let tf: Terraform;
  let agentGroupId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    const seeded = emulator.seed({
      users: [
        { name: "Ada Agent", email: "ada@dev.example.com" },
        { name: "Bo Agent", email: "bo@dev.example.com" },
      ],
      groups: [{ name: AGENTS, members: ["ada@dev.example.com", "bo@dev.example.com"] }],
    });
    agentGroupId = seeded.groups[AGENTS];
    workspace = new EnvironmentWorkspace("dev", emulator);
    tf = await workspace.synth(environmentYaml("dev"));
  });

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it("deploys every planned object once, with the relationships the stack declares", async () => {
    emulator.resetStats();
    await tf.apply();
    report("apply (3 shards)", emulator);

    expect(names(emulator, "queues")).toEqual([
      "Dev Messaging 000",
      "Dev Messaging 001",
      "Dev Messaging 002",
    ]);
    expect(names(emulator, "flows")).toEqual([
      "Dev Messaging Inbound 000",
      "Dev Messaging Inbound 001",
      "Dev Messaging Inbound 002",
    ]);
    expect(names(emulator, "webDeployments")).toEqual([
      "Dev Messenger 000",
      "Dev Messenger 001",
      "Dev Messenger 002",
    ]);
    expect(names(emulator, "webDeploymentConfigurations")).toEqual(["Dev Messenger"]);
    expect(names(emulator, "wrapupcodes")).toEqual(["Abandoned", "Escalated", "Resolved"]);
    expect(names(emulator, "integrationActions")).toEqual(["Dev CustomerLookup"]);

    const queues = new Map(emulator.objects("queues").map((q) => [q.id, q]));
    const flows = new Map(emulator.objects("flows").map((f) => [f.id, f]));
    const configuration = emulator.objects("webDeploymentConfigurations")[0];
    const codeIds = emulator
      .objects("wrapupcodes")
      .map((code) => code.id)
      .sort();
    const assignments = emulator.state().records.queueAssignments as Record<
      string,
      { wrapupCodeIds: string[] }
    >;
    const jobs = Object.values(emulator.state().records.flowJobs) as {
      flow?: { id: string };
      content?: string;
    }[];
    for (const deployment of emulator.objects("webDeployments")) {
      const shard = String(deployment.name).slice(-3);
      // deployment → configuration and flow
      expect(deployment.configuration).toMatchObject({ id: configuration.id });
      const flow = flows.get((deployment.flow as { id: string }).id);
      expect(flow?.name).toBe(`Dev Messaging Inbound ${shard}`);
      // flow → queue: the published YAML transfers to this shard's queue
      const published = jobs.filter((job) => job.flow?.id === flow?.id).pop();
      expect(published?.content).toContain(`name: "Dev Messaging ${shard}"`);
      // queue → wrap-up codes and the agents' group
      const queue = [...queues.values()].find((q) => q.name === `Dev Messaging ${shard}`)!;
      expect([...assignments[queue.id].wrapupCodeIds].sort()).toEqual(codeIds);
      expect(queue.memberGroups).toEqual([expect.objectContaining({ id: agentGroupId, type: "GROUP" })]);
    }
  });

  it("plans no changes right after the deploy", async () => {
    emulator.resetStats();
    expect(await tf.planDetailedExitCode()).toBe(0);
    report("no-change plan (3 shards)", emulator);
  });

  it("raising the target only adds the next shards, staffed like shard 0", async () => {
    await workspace.synth(withTarget(400)); // 400 sessions: 4 base + 1 spare = 5 shards
    const plan = await tf.planJson();
    const planned = changes(plan);
    expect(planned.length).toBeGreaterThan(0);
    for (const change of planned) {
      expect(change).toMatch(/: create$/);
      expect(shardOf(change)).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(planned.map(shardOf))).toEqual(new Set([3, 4]));

    await tf.apply();
    expect(names(emulator, "webDeployments")).toHaveLength(5);
    const queues = emulator.objects("queues");
    const shard0 = queues.find((q) => q.name === "Dev Messaging 000")!;
    for (const name of ["Dev Messaging 003", "Dev Messaging 004"]) {
      const queue = queues.find((q) => q.name === name)!;
      expect(queue.memberGroups).toEqual(shard0.memberGroups);
      const members = await emulator.api<{ entities: { id: string }[] }>(
        "GET",
        `/api/v2/routing/queues/${queue.id}/members?memberBy=group`,
      );
      expect(members.body.entities).toHaveLength(2);
    }
  });

  it("lowering the target destroys only the highest shards", async () => {
    await workspace.synth(withTarget(200));
    const planned = changes(await tf.planJson());
    expect(planned.length).toBeGreaterThan(0);
    for (const change of planned) {
      expect(change).toMatch(/: delete$/);
      expect(shardOf(change)).toBeGreaterThanOrEqual(3);
    }
    await tf.apply();
    expect(names(emulator, "webDeployments")).toEqual([
      "Dev Messenger 000",
      "Dev Messenger 001",
      "Dev Messenger 002",
    ]);
    expect(await tf.planDetailedExitCode()).toBe(0);
  });

  it("destroys everything it created, leaving the org's own groups", async () => {
    emulator.resetStats();
    await tf.destroy();
    report("destroy (3 shards)", emulator);
    for (const collection of [
      "queues",
      "flows",
      "webDeployments",
      "webDeploymentConfigurations",
      "wrapupcodes",
      "integrations",
      "integrationActions",
    ]) {
      expect([collection, emulator.objects(collection)]).toEqual([collection, []]);
    }
    expect(names(emulator, "groups")).toEqual([AGENTS]);
  });
});

describe("gc-dev deployed under 10% injected 429s and 503s", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;

  beforeAll(async () => {
    emulator = await startEmulator({
      faultRate: 0.1,
      faultKinds: [429, 503],
      retryAfterSeconds: 1,
      seed: 11,
    });
    emulator.seed({ groups: [{ name: AGENTS, members: [] }] });
    workspace = new EnvironmentWorkspace("dev", emulator);
  });

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it("converges with no duplicate objects, then plans no changes", async () => {
    const tf = await workspace.synth(environmentYaml("dev"));
    emulator.resetStats();
    // The provider's SDK retries 429 and 5xx; a fault it gives up on fails that resource only, and the next
    // apply finishes the rest without creating anything twice.
    let runs = 0;
    for (;;) {
      runs++;
      try {
        await tf.apply();
        break;
      } catch (error) {
        if (runs === 3) throw error;
      }
    }
    report(`apply under faults (${runs} run(s))`, emulator);
    expect(emulator.stats().totals.faults).toBeGreaterThan(0);
    for (const collection of [
      "queues",
      "flows",
      "webDeployments",
      "webDeploymentConfigurations",
      "wrapupcodes",
    ]) {
      const all = names(emulator, collection);
      expect([collection, all]).toEqual([collection, [...new Set(all)]]);
    }
    expect(names(emulator, "webDeployments")).toEqual([
      "Dev Messenger 000",
      "Dev Messenger 001",
      "Dev Messenger 002",
    ]);
    expect(await tf.planDetailedExitCode()).toBe(0);
  });
});

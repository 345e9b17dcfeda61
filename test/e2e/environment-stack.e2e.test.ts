/**
 * The dev environment stack, synthesized by the real app and deployed with the real Terraform CLI and
 * genesyscloud 1.82.0 provider into the emulator: deploy, re-plan, scale up, scale down, deploy under faults,
 * destroy. Shards must be stable by index: a scale change only adds or removes the highest shards.
 */
import { EnvironmentWorkspace, environmentYaml, type EnvironmentYaml } from "./environment";
import {
  requestsByResourceType,
  startEmulator,
  TerraformError,
  unexpectedAnswers,
  type E2eEmulator,
  type PlanJson,
  type Terraform,
  type TerraformResult,
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

/**
 * The relationships the stack declares, as the emulator holds them, for every shard: deployment → configuration
 * and flow, flow → queue (the published YAML transfers to the shard's queue), queue → every wrap-up code and the
 * agents' group.
 */
function expectRelationships(emulator: E2eEmulator, agentGroupId: string): void {
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

/** Applies the fault case may take: the first, and at most one re-run for what a given-up fault stopped. */
const MAX_APPLY_RUNS = 2;
/** One `terraform apply`: whether it finished, the resources it created, and its error lines. */
interface ApplyRun {
  readonly ok: boolean;
  readonly created: number;
  readonly errors: readonly string[];
}

function applyRun(result: TerraformResult): ApplyRun {
  const output = `${result.stdout}\n${result.stderr}`;
  return {
    ok: result.code === 0,
    created: (output.match(/: Creation complete after /g) ?? []).length,
    errors: output.split("\n").filter((line) => /^\s*Error: /.test(line)),
  };
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
    expect(unexpectedAnswers(emulator.stats())).toEqual([]);

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

    expectRelationships(emulator, agentGroupId);
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
  let agentGroupId: string;

  beforeAll(async () => {
    emulator = await startEmulator({
      faultRate: 0.1,
      faultKinds: [429, 503],
      retryAfterSeconds: 1,
      seed: 11,
    });
    agentGroupId = emulator.seed({ groups: [{ name: AGENTS, members: [] }] }).groups[AGENTS];
    workspace = new EnvironmentWorkspace("dev", emulator);
  });

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it("converges with no duplicate objects and intact relationships, answering nothing unexpected, then plans no changes", async () => {
    const tf = await workspace.synth(environmentYaml("dev"));
    emulator.resetStats();
    // The provider's SDK retries 429 and 5xx; a fault it gives up on fails that resource only, and the next
    // apply finishes the rest without creating anything twice. Every run is recorded, so that an apply that
    // always needs a re-run shows in the report and fails the checks below.
    const runs: ApplyRun[] = [];
    for (;;) {
      try {
        runs.push(applyRun(await tf.apply()));
        break;
      } catch (error) {
        if (!(error instanceof TerraformError)) throw error;
        runs.push(applyRun(error.result));
        if (runs.length === MAX_APPLY_RUNS) throw error;
      }
    }
    const stats = emulator.stats();
    report(`apply under faults (${runs.length} run(s): ${JSON.stringify(runs)})`, emulator);
    expect(stats.totals.faults).toBeGreaterThan(0);
    expect(unexpectedAnswers(stats)).toEqual([]);
    // A failed run gets somewhere, and fails only where the provider gave up on an injected fault.
    for (const run of runs.filter((r) => !r.ok)) {
      expect(run.created).toBeGreaterThan(0);
      for (const line of run.errors) expect(line).toMatch(/\b(429|503)\b/);
    }
    // Together the runs created each managed resource of the state once.
    const managed = (await tf.stateList()).filter((address) => !address.startsWith("data."));
    expect(runs.reduce((sum, run) => sum + run.created, 0)).toBe(managed.length);

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
    expectRelationships(emulator, agentGroupId);
    expect(await tf.planDetailedExitCode()).toBe(0);
  });
});

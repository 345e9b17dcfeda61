/**
 * Queue groups through the real Terraform CLI and genesyscloud 1.82.0 provider, into the emulator: an environment
 * of 6 Messenger deployments on 2 queue groups (deploymentsPerQueue 5: deployments 000–004 on group 000, 005 on
 * 001) is deployed, planned again (no change), grown to 9 deployments (the last group fills: only deployments are
 * created), then to 11 (a third queue group: its queue and flow and two deployments are created), planned with
 * deploymentsPerQueue 4 (a change of d re-points deployments: only their flow_id is updated, nothing destroyed;
 * not applied), and destroyed. Every phase prints the requests the emulator counted (GET /__emulator/stats), by
 * resource type; the README's cost table quotes them.
 *
 * CAPTURE_PLANS=1 also writes the plans of the growth to 3 queue groups and of the d change to
 * test/plan-review/fixtures/ (`queue-groups-grow`, `queue-groups-regroup`), as test/e2e/plan-summary.e2e.test.ts
 * does, so the plan review's unit tests run on real queue-group plans offline.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { main as planSummary } from "../../cli/plan-summary";
import { EnvironmentWorkspace, environmentYaml, type EnvironmentYaml } from "./environment";
import {
  REPO_ROOT,
  requestsByResourceType,
  startEmulator,
  unexpectedAnswers,
  type E2eEmulator,
  type PlanJson,
  type Terraform,
} from "./harness";

const AGENTS = "Dev Messaging Agents";
const PER_QUEUE = 5;
const FIXTURES = join(REPO_ROOT, "test", "plan-review", "fixtures");
const CAPTURE = process.env.CAPTURE_PLANS === "1";
const FIXED_TIMESTAMP = "2025-01-01T00:00:00Z";

/**
 * dev's parameters with `deployments` Messenger deployments (u = 120 sessions each, 1 spare) and
 * `perQueue` deployments per queue group.
 */
function withDeployments(deployments: number, perQueue = PER_QUEUE): EnvironmentYaml {
  const env = environmentYaml("dev");
  const target = (deployments - 1) * 120;
  env.capacity.targetConcurrentSessions = target;
  env.capacity.peakArrivalsPerMinute = 60;
  env.capacity.deploymentsPerQueue = perQueue;
  env.agents.count = Math.ceil(target / env.agents.messageCapacity / 0.8);
  return env;
}

/** Every resource change that is not a no-op or a read, as "address: action,action". */
function changes(plan: PlanJson): string[] {
  return (plan.resource_changes ?? [])
    .filter((change) => !["no-op", "read"].includes(change.change.actions.join(",")))
    .map((change) => `${change.address}: ${change.change.actions.join(",")}`);
}

/** "Channel_Shard006_Deployment" from "genesyscloud_…deployment.Channel_Shard006_Deployment_1A2B3C4D: create". */
function constructOf(change: string): string {
  return change.slice(change.indexOf(".") + 1, change.indexOf(":")).replace(/_[0-9A-F]{8}$/, "");
}

function names(emulator: E2eEmulator, collection: string): string[] {
  return emulator
    .objects(collection)
    .map((entity) => String(entity.name))
    .sort();
}

/** The requests of a phase: the total and per resource type, printed, and answered for checks. */
function report(phase: string, emulator: E2eEmulator): Record<string, number> {
  const stats = emulator.stats();
  const byType = requestsByResourceType(stats);
  process.stdout.write(`${phase}: ${stats.totals.requests} requests ${JSON.stringify(byType)}\n`);
  expect(unexpectedAnswers(stats)).toEqual([]);
  return { total: stats.totals.requests, ...byType };
}

/**
 * Every deployment starts its queue group's flow, every flow's published YAML transfers to its group's queue, and
 * every queue has the agents' group.
 */
function expectQueueGroups(
  emulator: E2eEmulator,
  agentGroupId: string,
  groupOf: (shard: number) => number,
): void {
  const flows = new Map(emulator.objects("flows").map((flow) => [flow.id, flow]));
  const jobs = Object.values(emulator.state().records.flowJobs) as {
    flow?: { id: string };
    content?: string;
  }[];
  for (const deployment of emulator.objects("webDeployments")) {
    const shard = Number(String(deployment.name).slice(-3));
    const group = String(groupOf(shard)).padStart(3, "0");
    const flow = flows.get((deployment.flow as { id: string }).id);
    expect([deployment.name, flow?.name]).toEqual([deployment.name, `Dev Messaging Group Inbound ${group}`]);
    const published = jobs.filter((job) => job.flow?.id === flow?.id).pop();
    expect(published?.content).toContain(`name: "Dev Messaging Group ${group}"`);
  }
  for (const queue of emulator.objects("queues")) {
    expect(queue.memberGroups).toEqual([expect.objectContaining({ id: agentGroupId, type: "GROUP" })]);
  }
}

describe("queue groups deployed into the emulator through the real provider", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;
  let tf: Terraform;
  let agentGroupId: string;

  /** Saves a plan of `env`, runs plan-summary on it (text), and writes it as a fixture when capturing. */
  async function summarize(
    name: string,
    env: EnvironmentYaml,
  ): Promise<{ code: number; text: string; plan: PlanJson }> {
    await workspace.synth(env);
    await tf.run(["plan", "-input=false", "-no-color", "-out=review.tfplan"]);
    const clean = (s: string) => s.split(workspace.root).join("<workspace>");
    const json = JSON.parse(clean((await tf.run(["show", "-json", "review.tfplan"])).stdout));
    if ("timestamp" in json) json.timestamp = FIXED_TIMESTAMP;
    const planText = clean((await tf.run(["show", "-no-color", "review.tfplan"])).stdout);
    const jsonFile = join(workspace.root, `${name}.plan.json`);
    writeFileSync(jsonFile, JSON.stringify(json));
    writeFileSync(join(workspace.root, `${name}.plan.txt`), planText);
    if (CAPTURE) {
      const fixture = join(FIXTURES, `${name}.plan.json`);
      writeFileSync(fixture, JSON.stringify(json));
      writeFileSync(join(FIXTURES, `${name}.plan.txt`), planText);
      const prettier = spawnSync(join(REPO_ROOT, "node_modules", ".bin", "prettier"), ["--write", fixture]);
      expect(prettier.status).toBe(0);
    }
    let text = "";
    const code = planSummary([jsonFile, "--format", "text"], {
      stdout: { write: (s: string) => (text += s) },
      stderr: { write: (s: string) => (text += s) },
    });
    return { code, text, plan: json as PlanJson };
  }

  beforeAll(async () => {
    emulator = await startEmulator();
    agentGroupId = emulator.seed({
      users: [
        { name: "Ada Agent", email: "ada@dev.example.com" },
        { name: "Bo Agent", email: "bo@dev.example.com" },
      ],
      groups: [{ name: AGENTS, members: ["ada@dev.example.com", "bo@dev.example.com"] }],
    }).groups[AGENTS];
    workspace = new EnvironmentWorkspace("dev", emulator);
    tf = await workspace.synth(withDeployments(6));
  });

  afterAll(async () => {
    workspace?.cleanup();
    await emulator?.close();
  });

  it("deploys 6 deployments on 2 queue groups: 2 queues, 2 flows, every deployment on its group's flow", async () => {
    emulator.resetStats();
    await tf.apply();
    const counts = report("apply (6 deployments, 2 queue groups)", emulator);
    expect(names(emulator, "queues")).toEqual(["Dev Messaging Group 000", "Dev Messaging Group 001"]);
    expect(names(emulator, "flows")).toEqual([
      "Dev Messaging Group Inbound 000",
      "Dev Messaging Group Inbound 001",
    ]);
    expect(names(emulator, "webDeployments")).toEqual([0, 1, 2, 3, 4, 5].map((i) => `Dev Messenger 00${i}`));
    expectQueueGroups(emulator, agentGroupId, (shard) => Math.floor(shard / PER_QUEUE));
    // The planner's per-resource costs: a queue 9, a flow 4, a deployment 3 to create.
    expect(counts.genesyscloud_routing_queue).toBe(2 * 9);
    expect(counts.genesyscloud_flow).toBe(2 * 4);
    expect(counts.genesyscloud_webdeployments_deployment).toBe(6 * 3);
  });

  it("plans no changes right after the deploy, refreshing 2 queues and flows and 6 deployments", async () => {
    emulator.resetStats();
    expect(await tf.planDetailedExitCode()).toBe(0);
    const counts = report("no-change plan (6 deployments, 2 queue groups)", emulator);
    expect(counts.genesyscloud_routing_queue).toBe(2 * 4);
    expect(counts.genesyscloud_flow).toBe(2 * 1);
    expect(counts.genesyscloud_webdeployments_deployment).toBe(6 * 1);
  });

  it("growing to 9 deployments fills the last queue group: only deployments 006–008 are created", async () => {
    await workspace.synth(withDeployments(9));
    const planned = changes(await tf.planJson());
    expect(planned.every((change) => change.endsWith(": create"))).toBe(true);
    expect(planned.map(constructOf).sort()).toEqual([
      "Channel_Shard006_Deployment",
      "Channel_Shard007_Deployment",
      "Channel_Shard008_Deployment",
    ]);
    emulator.resetStats();
    await tf.apply();
    report("apply (6 → 9 deployments, 2 queue groups)", emulator);
    expect(names(emulator, "webDeployments")).toHaveLength(9);
    expect(names(emulator, "queues")).toHaveLength(2);
    expectQueueGroups(emulator, agentGroupId, (shard) => Math.floor(shard / PER_QUEUE));
  });

  it("growing to 11 deployments adds queue group 002 and deployments 009–010, and nothing else", async () => {
    const { code, text, plan } = await summarize("queue-groups-grow", withDeployments(11));
    const planned = changes(plan);
    expect(planned.every((change) => change.endsWith(": create"))).toBe(true);
    expect(planned.map(constructOf).sort()).toEqual([
      "Channel_QueueGroup002_Flow",
      "Channel_QueueGroup002_Queue",
      "Channel_Shard009_Deployment",
      "Channel_Shard010_Deployment",
    ]);
    expect(code).toBe(0);
    expect(text.split("\n").slice(0, 5)).toEqual([
      "Terraform plan for gc-dev: 4 to create, 0 to update, 0 to replace, 0 to delete (20 unchanged)",
      "  shards: 9 → 11",
      "  shards 009–010 added",
      "  queue groups: 2 → 3",
      "  queue group 002 added",
    ]);
    emulator.resetStats();
    await tf.apply();
    report("apply (9 → 11 deployments, 2 → 3 queue groups)", emulator);
    expect(names(emulator, "queues")).toEqual([
      "Dev Messaging Group 000",
      "Dev Messaging Group 001",
      "Dev Messaging Group 002",
    ]);
    expectQueueGroups(emulator, agentGroupId, (shard) => Math.floor(shard / PER_QUEUE));
    emulator.resetStats();
    expect(await tf.planDetailedExitCode()).toBe(0);
    report("no-change plan (11 deployments, 3 queue groups)", emulator);
  });

  it("changing deploymentsPerQueue re-points deployments in place (flow_id), destroying nothing (planned, not applied)", async () => {
    // d 5 → 4 over 11 deployments: groups 000–003 | 004–007 | 008–010; deployments 004, 008 and 009 move.
    const { code, text, plan } = await summarize("queue-groups-regroup", withDeployments(11, 4));
    const planned = changes(plan);
    expect(
      planned.map((change) => `${constructOf(change)}: ${change.slice(change.indexOf(": ") + 2)}`).sort(),
    ).toEqual([
      "Channel_Shard004_Deployment: update",
      "Channel_Shard008_Deployment: update",
      "Channel_Shard009_Deployment: update",
    ]);
    expect(code).toBe(0);
    expect(text).toContain("  shards 004, 008–009 updated in place\n");
    await workspace.synth(withDeployments(11)); // back to what is deployed
    expect(await tf.planDetailedExitCode()).toBe(0);
  });

  it("destroys everything it created, leaving the org's own groups", async () => {
    emulator.resetStats();
    await tf.destroy();
    report("destroy (11 deployments, 3 queue groups)", emulator);
    for (const collection of [
      "queues",
      "flows",
      "webDeployments",
      "webDeploymentConfigurations",
      "wrapupcodes",
    ]) {
      expect([collection, emulator.objects(collection)]).toEqual([collection, []]);
    }
    expect(names(emulator, "groups")).toEqual([AGENTS]);
  });
});

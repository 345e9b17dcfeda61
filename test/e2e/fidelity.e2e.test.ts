/**
 * Fidelity of the emulator to the real provider: test/e2e/fixtures/fidelity (one of each resource the stacks
 * deploy, with queue membership through a seeded group, team and skill group) applied, planned again, applied
 * under random 429/503 faults and destroyed with the real genesyscloud 1.82.0 provider and Terraform CLI.
 * An emulator 400 or 501 for a provider request is an emulator bug, so every phase also checks that the
 * emulator saw no unknown endpoint and answered no 4xx other than the 404s the provider expects after deletes.
 * The request counts of each phase are printed (they feed the README's API cost table).
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { SeedResult } from "../../emulator/seed";
import type { EmulatorOptions } from "../../emulator/server";
import type { StatsSnapshot } from "../../emulator/stats";
import type { StoredEntity } from "../../emulator/store";
import {
  REPO_ROOT,
  requestCounts,
  requestsByResourceType,
  startEmulator,
  Terraform,
  unexpectedAnswers,
  type E2eEmulator,
} from "./harness";

const FIXTURE = "test/e2e/fixtures/fidelity";
const seed = JSON.parse(readFileSync(join(REPO_ROOT, FIXTURE, "seed.json"), "utf8"));
/** Collections the seed fills; Terraform never creates or deletes these. */
const SEEDED = ["users", "groups", "teams", "skillGroups"];
/** What the fixture creates, by emulator collection. */
const CREATED = {
  wrapupcodes: ["E2E Escalated", "E2E Resolved"],
  queues: ["E2E Support"],
  flows: ["E2E Inbound Message"],
  webDeploymentConfigurations: ["E2E Messenger"],
  webDeployments: ["E2E Web"],
  integrations: ["E2E REST"],
  integrationCredentials: ["E2E REST credential"],
  integrationActions: ["E2E Order lookup"],
};

function report(phase: string, stats: StatsSnapshot): void {
  const lines = [
    `${phase}: ${stats.totals.requests} requests (${stats.totals.faults} faulted)`,
    "  by resource type:",
    ...Object.entries(requestsByResourceType(stats)).map(([type, count]) => `    ${count}\t${type}`),
    "  by endpoint:",
    ...Object.entries(requestCounts(stats)).map(([endpoint, count]) => `    ${count}\t${endpoint}`),
  ];
  console.log(lines.join("\n"));
}

function names(emulator: E2eEmulator, collection: string): string[] {
  return emulator
    .objects(collection)
    .map((entity) => entity.name)
    .sort();
}

function only(emulator: E2eEmulator, collection: string): StoredEntity {
  const [entity, ...rest] = emulator.objects(collection);
  expect(rest).toEqual([]);
  return entity;
}

/** Before the enclosing describe: an emulator (seeded) and an initialised copy of the fixture; both go after it. */
function useFixture(options: EmulatorOptions = {}) {
  const context = {} as { emulator: E2eEmulator; tf: Terraform; seeded: SeedResult };
  beforeAll(async () => {
    context.emulator = await startEmulator(options);
    context.seeded = context.emulator.seed(seed);
    context.tf = Terraform.fromFixture(FIXTURE, context.emulator, {
      // The credential's password comes in as a sensitive variable, made up here: no literal in the fixture.
      TF_VAR_credential_password: randomBytes(12).toString("base64url"),
    });
    await context.tf.init();
  });
  afterAll(async () => {
    context.tf?.cleanup();
    await context.emulator?.close();
  });
  return context;
}

describe("the real provider against the emulator", () => {
  const context = useFixture();

  it("applies the fixture: every object exists once, with its relationships", async () => {
    const { emulator, tf, seeded } = context;
    emulator.resetStats();
    await tf.apply();
    const stats = emulator.stats();
    report("apply", stats);
    expect(unexpectedAnswers(stats)).toEqual([]);

    for (const [collection, expected] of Object.entries(CREATED)) {
      expect([collection, names(emulator, collection)]).toEqual([collection, expected]);
    }

    const codes = emulator.objects("wrapupcodes");
    const queue = only(emulator, "queues");
    const assignments = emulator.state().records.queueAssignments[queue.id] as { wrapupCodeIds: string[] };
    expect([...assignments.wrapupCodeIds].sort()).toEqual(codes.map((code) => code.id).sort());
    expect(queue.memberGroups).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: seeded.groups["E2E Agents"], type: "GROUP" }),
        expect.objectContaining({ id: seeded.teams["E2E Team"], type: "TEAM" }),
        expect.objectContaining({ id: seeded.skillGroups["E2E Skills"], type: "SKILLGROUP" }),
      ]),
    );
    expect(queue.memberGroups).toHaveLength(3);
    expect(queue.mediaSettings).toMatchObject({
      message: { alertingTimeoutSeconds: 30, serviceLevel: { percentage: 0.8, durationMs: 20000 } },
    });

    // the queue's members through its groups: Ada and Bo (group), Bo and Cy (team), Cy (skill group)
    const members = await emulator.api<{ entities: { id: string }[] }>(
      "GET",
      `/api/v2/routing/queues/${queue.id}/members?memberBy=group`,
    );
    expect(members.body.entities.map((member) => member.id).sort()).toEqual(
      Object.values(seeded.users).sort(),
    );

    // flow → queue: the uploaded YAML names the queue (the provider substituted {{queue_name}})
    const flow = only(emulator, "flows");
    expect(flow.type).toBe("INBOUNDSHORTMESSAGE");
    const jobs = Object.values(emulator.state().records.flowJobs) as {
      flow?: { id: string };
      content?: string;
    }[];
    const published = jobs.find((job) => job.flow?.id === flow.id);
    expect(published?.content).toContain('name: "E2E Support"');
    expect(published?.content).not.toContain("{{");

    // deployment → configuration (its published version) and flow
    const configuration = only(emulator, "webDeploymentConfigurations");
    const deployment = only(emulator, "webDeployments");
    expect(deployment.configuration).toMatchObject({ id: configuration.id, version: "1" });
    expect(deployment.flow).toMatchObject({ id: flow.id });
    expect(deployment.status).toBe("Active");

    // data action → integration; integration → credential
    const integration = only(emulator, "integrations");
    const action = only(emulator, "integrationActions");
    expect(action.integrationId).toBe(integration.id);
    expect(action.config).toMatchObject({ timeoutSeconds: 5 });
    const config = emulator.state().records.integrationConfigs[integration.id] as {
      credentials: Record<string, { id: string }>;
    };
    expect(config.credentials.basicAuth.id).toBe(only(emulator, "integrationCredentials").id);

    // Terraform's view matches: the data sources resolved the seeded ids
    const state = await tf.state();
    const resources = state.values?.root_module.resources ?? [];
    const dataId = (address: string) => resources.find((r) => r.address === address)?.values.id;
    expect(dataId("data.genesyscloud_group.agents")).toBe(seeded.groups["E2E Agents"]);
    expect(dataId("data.genesyscloud_team.team")).toBe(seeded.teams["E2E Team"]);
    expect(dataId("data.genesyscloud_routing_skill_group.skills")).toBe(seeded.skillGroups["E2E Skills"]);
  });

  it("plans no changes right after the apply", async () => {
    const { emulator, tf } = context;
    emulator.resetStats();
    expect(await tf.planDetailedExitCode()).toBe(0);
    const stats = emulator.stats();
    report("plan (no changes)", stats);
    expect(unexpectedAnswers(stats)).toEqual([]);

    const plan = await tf.planJson();
    const changed = (plan.resource_changes ?? []).filter(
      (change) => change.change.actions.join() !== "no-op",
    );
    expect(changed).toEqual([]);
  });

  it("destroys everything it created and leaves the seeded objects", async () => {
    const { emulator, tf } = context;
    emulator.resetStats();
    await tf.destroy();
    const stats = emulator.stats();
    report("destroy", stats);
    expect(unexpectedAnswers(stats)).toEqual([]);

    for (const collection of Object.keys(CREATED))
      expect([collection, names(emulator, collection)]).toEqual([collection, []]);
    for (const collection of SEEDED) expect(emulator.objects(collection).length).toBeGreaterThan(0);
    expect(await tf.stateList()).toEqual([]);
  });
});

describe("the real provider against an emulator that answers 10% of requests with 429 or 503", () => {
  const context = useFixture({ faultRate: 0.1, faultKinds: [429, 503], retryAfterSeconds: 1, seed: 7 });

  it("converges from scratch without duplicates, then plans no changes and destroys cleanly", async () => {
    const { emulator, tf } = context;
    // The SDK retries 429 and 5xx (RetryMax 20); one apply should do, a second may finish what a fault stopped.
    let applies = 0;
    let lastError: unknown;
    while (applies < 3) {
      applies += 1;
      try {
        await tf.apply();
        lastError = undefined;
        break;
      } catch (error) {
        lastError = error;
      }
    }
    if (lastError) throw lastError;
    const stats = emulator.stats();
    report(`apply under faults (${applies} apply run(s))`, stats);
    expect(stats.totals.faults).toBeGreaterThan(0);
    expect(unexpectedAnswers(stats)).toEqual([]);

    for (const [collection, expected] of Object.entries(CREATED)) {
      expect([collection, names(emulator, collection)]).toEqual([collection, expected]);
    }
    expect(await tf.planDetailedExitCode()).toBe(0);

    await tf.destroy();
    for (const collection of Object.keys(CREATED))
      expect([collection, names(emulator, collection)]).toEqual([collection, []]);
  });
});

/**
 * The voice entry through the real provider: dev's environment with test.yaml's `voice:` section (an IVR on two
 * numbers, the acknowledge-only ServiceNow action, 3 s), synthesized by the real app and deployed with the real
 * Terraform CLI and genesyscloud 1.82.0 into the emulator: every voice object created once and related as the
 * stack declares, a no-change plan, the deployed action driven by `rehearse --voice`, and a clean destroy.
 *
 * Not covered: telephony. The provider sends the IVR's numbers to the IVR API only (it calls no telephony
 * endpoint); the real API also requires each number to be in one of the org's DID pools, which the emulator does not
 * model (emulator/routes/ivr.ts).
 */
import { main as rehearse } from "../../cli/rehearse";
import { EnvironmentWorkspace, environmentYaml } from "./environment";
import {
  requestsByResourceType,
  startEmulator,
  unexpectedAnswers,
  type E2eEmulator,
  type Terraform,
} from "./harness";

const AGENTS = "Dev Messaging Agents";

function report(phase: string, emulator: E2eEmulator): void {
  const stats = emulator.stats();
  process.stdout.write(
    `${phase}: ${stats.totals.requests} requests ${JSON.stringify(requestsByResourceType(stats))}\n`,
  );
}

describe("a voice entry deployed into the emulator through the real provider", () => {
  let emulator: E2eEmulator;
  let workspace: EnvironmentWorkspace;
  let tf: Terraform;
  let groupId: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    groupId = emulator.seed({
      users: [{ name: "Ada Agent", email: "ada@dev.example.com" }],
      groups: [{ name: AGENTS, members: ["ada@dev.example.com"] }],
    }).groups[AGENTS];
    workspace = new EnvironmentWorkspace("dev", emulator);
    const env = environmentYaml("dev");
    env.voice = environmentYaml("test").voice;
    tf = await workspace.synth(env);
  });

  afterAll(async () => {
    workspace?.cleanup();
    emulator?.emulator.app.server.closeAllConnections();
    await emulator?.close();
  });

  it("deploys the IVR on its numbers, the call flow, the acknowledge action and the call queue, related", async () => {
    emulator.resetStats();
    await tf.apply();
    report("apply (3 shards + voice)", emulator);
    expect(unexpectedAnswers(emulator.stats())).toEqual([]);

    const [ivr] = emulator.objects("ivrs");
    expect(emulator.objects("ivrs")).toHaveLength(1);
    expect(ivr).toMatchObject({
      name: "Dev Voice IVR",
      dnis: ["+13175550100", "+13175550101"],
      state: "active",
    });

    const flow = emulator.objects("flows").find((f) => f.name === "Dev Voice Entry")!;
    expect(flow).toMatchObject({ type: "INBOUNDCALL" });
    expect(ivr.openHoursFlow).toMatchObject({ id: flow.id });

    const queue = emulator.objects("queues").find((q) => q.name === "Dev Voice")!;
    expect(queue.mediaSettings).toMatchObject({ call: { alertingTimeoutSeconds: 8 } });
    expect(queue.memberGroups).toEqual([expect.objectContaining({ id: groupId, type: "GROUP" })]);

    const action = emulator
      .objects("integrationActions")
      .find((a) => a.name === "Dev ServiceNow Call Ticket")!;
    expect(action.config).toMatchObject({ timeoutSeconds: 3, request: { requestType: "POST" } });

    // The published YAML calls that action and transfers to the voice queue on success, failure and timeout.
    const jobs = Object.values(emulator.state().records.flowJobs) as {
      flow?: { id: string };
      content?: string;
    }[];
    const yaml = jobs.filter((job) => job.flow?.id === flow.id).pop()!.content!;
    expect(yaml).toContain('"Dev ServiceNow Call Ticket":');
    expect(yaml.match(/name: "Dev Voice"/g)).toHaveLength(3);
  });

  it("plans no changes right after the deploy", async () => {
    emulator.resetStats();
    expect(await tf.planDetailedExitCode()).toBe(0);
    report("no-change plan (3 shards + voice)", emulator);
  });

  it("rehearses the deployed entry: a 45 s ServiceNow costs no call more than the 3 s timeout", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await rehearse(
      [
        "--voice",
        "test",
        "--url",
        emulator.url,
        "--token",
        emulator.token,
        "--calls",
        "60",
        "--time-scale",
        "10",
        "--downstream-latency-seconds",
        "45",
        "--action-id",
        emulator.objects("integrationActions").find((a) => a.name === "Dev ServiceNow Call Ticket")!.id,
      ],
      { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) } },
      {},
    );
    expect(err.join("")).toBe("");
    expect(code).toBe(0);
    expect(out.join("")).toContain("calls 60: 60 reached the queue");
    // Let the executions the rehearsal left running end (45 s model = 4.5 s) before the destroy.
    await new Promise((resolve) => setTimeout(resolve, 5000));
  });

  it("destroys the voice objects with the rest, leaving the org's group", async () => {
    emulator.resetStats();
    await tf.destroy();
    report("destroy (3 shards + voice)", emulator);
    expect(unexpectedAnswers(emulator.stats())).toEqual([]);
    for (const collection of ["ivrs", "flows", "queues", "integrations", "integrationActions"]) {
      expect([collection, emulator.objects(collection)]).toEqual([collection, []]);
    }
    expect(emulator.objects("groups").map((g) => g.name)).toEqual([AGENTS]);
  });
});

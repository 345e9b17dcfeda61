/** Architect flow deploys in the order `genesyscloud_flow` makes them: job → upload → poll → read → delete. */
import { inboundMessageFlow, useEmulator } from "./helpers";

describe("architect flows", () => {
  const env = useEmulator();
  const { call } = env;

  /** Registers a job, uploads `yaml` like the provider's S3 uploader and polls once; answers the job state. */
  async function deploy(yaml: string) {
    const job = await call("POST", "/api/v2/flows/jobs");
    expect(job.status).toBe(200);
    const upload = await fetch(job.body.presignedUrl, {
      method: "PUT",
      headers: job.body.headers,
      body: yaml,
    });
    expect(upload.status).toBe(200);
    return call("GET", `/api/v2/flows/jobs/${job.body.id}?expand=messages`);
  }

  it("publishes through a job, reads, lists and deletes the flow", async () => {
    const job = await call("POST", "/api/v2/flows/jobs");
    expect(job.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      presignedUrl: `${env.emulator.url}/__uploads/${job.body.id}`,
      headers: expect.any(Object),
    });
    const before = await call("GET", `/api/v2/flows/jobs/${job.body.id}?expand=messages`);
    expect(before.body.status).toBe("Started");
    expect(before.body.flow).toBeUndefined();

    // the provider sends no Authorization header and only the job's headers
    const upload = await fetch(job.body.presignedUrl, {
      method: "PUT",
      headers: job.body.headers,
      body: inboundMessageFlow(),
    });
    expect(upload.status).toBe(200);

    const done = await call("GET", `/api/v2/flows/jobs/${job.body.id}?expand=messages`);
    expect(done.body).toMatchObject({
      status: "Success",
      flow: { id: expect.any(String), name: "Web chat" },
    });
    const flowId = done.body.flow.id;

    const flow = await call("GET", `/api/v2/flows/${flowId}?deleted=false`);
    expect(flow.body).toMatchObject({
      id: flowId,
      name: "Web chat",
      type: "INBOUNDSHORTMESSAGE",
      version: 1,
      selfUri: `/api/v2/flows/${flowId}`,
      division: { name: "Home" },
    });

    // the data source lists twice, with virtualAgentEnabled false then true, and appends the results
    const query =
      "type=inboundshortmessage&pageNumber=1&pageSize=100&name=Web%20chat&deleted=false&includeSchemas=true";
    const plain = await call("GET", `/api/v2/flows?${query}&virtualAgentEnabled=false`);
    const virtual = await call("GET", `/api/v2/flows?${query}&virtualAgentEnabled=true`);
    expect(plain.body.entities.map((f: { id: string }) => f.id)).toEqual([flowId]);
    expect(virtual.body.entities).toEqual([]);
    const otherType = await call("GET", "/api/v2/flows?type=inboundcall&type=bot");
    expect(otherType.body.total).toBe(0);

    expect((await call("DELETE", `/api/v2/flows/${flowId}`)).status).toBe(204);
    expect((await call("GET", `/api/v2/flows/${flowId}`)).status).toBe(404);
  });

  it("publishes the same name again as a new version of the same flow", async () => {
    const first = await deploy(inboundMessageFlow());
    const second = await deploy(inboundMessageFlow());
    expect(second.body.flow.id).toBe(first.body.flow.id);
    const flow = await call("GET", `/api/v2/flows/${first.body.flow.id}`);
    expect(flow.body).toMatchObject({ version: 2, publishedVersion: { id: "2.0" } });
    expect((await call("GET", "/api/v2/flows")).body.total).toBe(1);
  });

  it("transfers to a queue that exists", async () => {
    await call("POST", "/api/v2/routing/queues", { name: "Support" });
    const job = await deploy(inboundMessageFlow({ queue: "Support" }));
    expect(job.body.status).toBe("Success");
  });

  it.each([
    ["is not YAML", "inboundShortMessage: [unclosed", "not valid YAML"],
    [
      "has an unknown flow type",
      inboundMessageFlow().replace("inboundShortMessage:", "inboundFax:"),
      "inboundFax",
    ],
    ["has no name", inboundMessageFlow({ name: "" }), "has no name"],
    ["names another division", inboundMessageFlow({ division: "{{home_division_name}}" }), "division"],
    [
      "has a startUpRef to no state",
      inboundMessageFlow().replace("state[Initial State_10]", "state[Missing_1]"),
      "startUpRef",
    ],
    ["has no states", inboundMessageFlow().replace(/ {2}states:[\s\S]*$/, ""), "no states"],
    ["transfers to a missing queue", inboundMessageFlow({ queue: "Nowhere" }), "queue named 'Nowhere'"],
  ])("fails the job when the YAML %s, with Archy-like messages", async (_label, yaml, expected) => {
    const job = await deploy(yaml);
    expect(job.body.status).toBe("Failure");
    expect(job.body.flow).toBeUndefined();
    expect(job.body.messages.map((m: { text: string }) => m.text).join("\n")).toContain(expected);
    expect((await call("GET", "/api/v2/flows")).body.total).toBe(0);
  });

  it("answers messages only with expand=messages", async () => {
    const job = await call("POST", "/api/v2/flows/jobs");
    await fetch(job.body.presignedUrl, { method: "PUT", body: "not: a flow" });
    const plain = await call("GET", `/api/v2/flows/jobs/${job.body.id}`);
    expect(plain.body.status).toBe("Failure");
    expect(plain.body.messages).toBeUndefined();
  });

  it("refuses a second upload to the same job and answers 404 for unknown jobs", async () => {
    const job = await call("POST", "/api/v2/flows/jobs");
    await fetch(job.body.presignedUrl, { method: "PUT", body: inboundMessageFlow() });
    const again = await fetch(job.body.presignedUrl, { method: "PUT", body: inboundMessageFlow() });
    expect(again.status).toBe(400);
    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(
      (await fetch(`${env.emulator.url}/__uploads/${unknown}`, { method: "PUT", body: "x" })).status,
    ).toBe(404);
    expect((await call("GET", `/api/v2/flows/jobs/${unknown}`)).status).toBe(404);
  });

  it("unlocks a flow by id, and fails for a missing or unknown one", async () => {
    const flowId = (await deploy(inboundMessageFlow())).body.flow.id;
    const unlocked = await call("POST", `/api/v2/flows/actions/unlock?flow=${flowId}`);
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.id).toBe(flowId);
    expect((await call("POST", "/api/v2/flows/actions/unlock")).status).toBe(400);
    expect((await call("POST", "/api/v2/flows/actions/unlock?flow=nope")).status).toBe(404);
  });

  it("counts the upload route in the stats", async () => {
    await deploy(inboundMessageFlow());
    const stats = await call("GET", "/__emulator/stats");
    expect(stats.body.endpoints["PUT /__uploads/:jobId"].statuses).toEqual({ "200": 1 });
    expect(stats.body.endpoints["GET /api/v2/flows/jobs/:jobId"].requests).toBe(1);
  });
});

/** Architect IVRs in the order `genesyscloud_architect_ivr` calls them: create → read → read + update → delete → read. */
import { inboundMessageFlow, useEmulator } from "./helpers";

const IVRS = "/api/v2/architect/ivrs";

describe("architect IVRs", () => {
  const env = useEmulator();
  const { call } = env;

  /** Publishes a flow through a deploy job and answers its id. */
  async function publish(yaml: string): Promise<string> {
    const job = await call("POST", "/api/v2/flows/jobs");
    await fetch(job.body.presignedUrl, { method: "PUT", headers: job.body.headers, body: yaml });
    const done = await call("GET", `/api/v2/flows/jobs/${job.body.id}?expand=messages`);
    expect(done.body.status).toBe("Success");
    return done.body.flow.id;
  }

  const callFlow = (name: string) =>
    [
      "inboundCall:",
      `  name: "${name}"`,
      "  defaultLanguage: en-us",
      '  startUpRef: "/inboundCall/tasks/task[Main_1]"',
      "  initialGreeting:",
      "    tts: Hello.",
      "  tasks:",
      "    - task:",
      "        name: Main",
      "        refId: Main_1",
      "        actions:",
      "          - disconnect:",
      "              name: Disconnect",
      "",
    ].join("\n");

  it("creates, reads, updates with the current version, deletes and then answers 404", async () => {
    const flowId = await publish(callFlow("Voice Entry"));
    const created = await call("POST", IVRS, {
      name: "Voice IVR",
      dnis: ["+13175550100"],
      openHoursFlow: { id: flowId },
    });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      name: "Voice IVR",
      dnis: ["+13175550100"],
      openHoursFlow: { id: flowId, name: "Voice Entry" },
      division: { id: expect.any(String), name: "Home" },
      state: "active",
      version: 1,
    });
    const path = `${IVRS}/${created.body.id}`;
    expect((await call("GET", path)).body).toEqual(created.body);

    const updated = await call("PUT", path, {
      ...created.body,
      dnis: ["+13175550100", "+13175550101"],
      version: 1,
    });
    expect(updated.body).toMatchObject({ dnis: ["+13175550100", "+13175550101"], version: 2 });
    expect((await call("PUT", path, { ...created.body, version: 1 })).status).toBe(409);
    expect((await call("GET", `${IVRS}?name=Voice%20IVR`)).body.entities).toHaveLength(1);

    expect((await call("DELETE", path)).status).toBe(204);
    expect((await call("GET", path)).status).toBe(404);
  });

  it.each([
    [
      "a number that is not E.164",
      { dnis: ["3175550100"] },
      "every dnis entry must be an E.164 phone number",
    ],
    ["no name", { name: "" }, "name is required"],
  ])("answers 400 for %s", async (_case, change, message) => {
    const answer = await call("POST", IVRS, { name: "Voice IVR", dnis: ["+13175550100"], ...change });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toContain(message);
  });

  it("answers 400 for a flow that is no inbound call flow, and for a number another IVR has", async () => {
    const messageFlow = await publish(inboundMessageFlow());
    const wrongFlow = await call("POST", IVRS, { name: "A", openHoursFlow: { id: messageFlow } });
    expect(wrongFlow.status).toBe(400);
    expect(wrongFlow.body.message).toBe(
      `openHoursFlow must be an inbound call flow; ${messageFlow} is not one.`,
    );

    expect((await call("POST", IVRS, { name: "A", dnis: ["+13175550100"] })).status).toBe(200);
    const taken = await call("POST", IVRS, { name: "B", dnis: ["+13175550100"] });
    expect(taken.status).toBe(400);
    expect(taken.body.message).toBe("The number(s) +13175550100 are already assigned to another IVR.");
  });
});

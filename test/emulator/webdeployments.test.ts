/**
 * Web deployment configurations and deployments, in the order `genesyscloud_webdeployments_configuration` and
 * `genesyscloud_webdeployments_deployment` call them.
 */
import { inboundMessageFlow, useEmulator } from "./helpers";

const CONFIGS = "/api/v2/webdeployments/configurations";
const DEPLOYMENTS = "/api/v2/webdeployments/deployments";

describe("web deployments", () => {
  const env = useEmulator();
  const { call } = env;

  const configuration = (body: Record<string, unknown> = {}) => ({
    name: "Messenger",
    languages: ["en-us"],
    defaultLanguage: "en-us",
    messenger: { enabled: true },
    ...body,
  });

  /** Creates and publishes a configuration like the provider; answers its id. */
  async function publishedConfiguration(name = "Messenger"): Promise<string> {
    const created = await call("POST", CONFIGS, configuration({ name }));
    await call("POST", `${CONFIGS}/${created.body.id}/versions/draft/publish`);
    return created.body.id;
  }

  async function inboundMessageFlowId(): Promise<string> {
    const job = await call("POST", "/api/v2/flows/jobs");
    await fetch(job.body.presignedUrl, {
      method: "PUT",
      headers: job.body.headers,
      body: inboundMessageFlow(),
    });
    return (await call("GET", `/api/v2/flows/jobs/${job.body.id}`)).body.flow.id;
  }

  describe("configurations", () => {
    it("creates a draft, publishes, updates and republishes with increasing versions", async () => {
      const created = await call("POST", CONFIGS, configuration());
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ name: "Messenger", version: "DRAFT", status: "Active" });
      const id = created.body.id;
      expect((await call("GET", `${CONFIGS}/${id}/versions/draft`)).body.status).toBe("Active");

      const first = await call("POST", `${CONFIGS}/${id}/versions/draft/publish`);
      expect(first.body).toMatchObject({ id, version: "1", status: "Active", messenger: { enabled: true } });

      const draft = await call(
        "PUT",
        `${CONFIGS}/${id}/versions/draft`,
        configuration({ description: "v2" }),
      );
      expect(draft.body).toMatchObject({ version: "DRAFT", description: "v2" });
      const second = await call("POST", `${CONFIGS}/${id}/versions/draft/publish`);
      expect(second.body.version).toBe("2");

      const versions = await call("GET", `${CONFIGS}/${id}/versions`);
      expect(versions.body.entities.map((v: { version: string }) => v.version)).toEqual(["DRAFT", "2", "1"]);
      const v1 = await call("GET", `${CONFIGS}/${id}/versions/1`);
      expect(v1.body.description).toBeUndefined();
      expect((await call("GET", `${CONFIGS}/${id}/versions/2`)).body.description).toBe("v2");
      expect((await call("GET", `${CONFIGS}/${id}/versions/3`)).status).toBe(404);

      const listed = await call("GET", `${CONFIGS}?showOnlyPublished=false`);
      expect(listed.body.entities).toEqual([expect.objectContaining({ id, version: "DRAFT" })]);

      expect((await call("DELETE", `${CONFIGS}/${id}`)).status).toBe(204);
      expect((await call("GET", `${CONFIGS}/${id}/versions/draft`)).status).toBe(404);
    });

    it("lists only configurations with a published version when asked", async () => {
      await call("POST", CONFIGS, configuration({ name: "Draft only" }));
      const id = await publishedConfiguration("Published");
      const listed = await call("GET", `${CONFIGS}?showOnlyPublished=true`);
      expect(listed.body.entities).toEqual([expect.objectContaining({ id, version: "1" })]);
    });

    it.each([
      ["no name", { name: undefined }],
      ["no languages", { languages: [] }],
      ["a default language outside languages", { defaultLanguage: "fr" }],
    ])("fails with 400 for %s", async (_label, body) => {
      expect((await call("POST", CONFIGS, configuration(body))).status).toBe(400);
    });

    it("fails with 404 for an unknown configuration", async () => {
      const unknown = `${CONFIGS}/00000000-0000-4000-8000-000000000000`;
      expect((await call("GET", `${unknown}/versions`)).status).toBe(404);
      expect((await call("POST", `${unknown}/versions/draft/publish`)).status).toBe(404);
      expect((await call("DELETE", unknown)).status).toBe(404);
    });
  });

  describe("deployments", () => {
    it("creates an Active deployment on a published version with a flow, updates and deletes it", async () => {
      const configId = await publishedConfiguration();
      const flowId = await inboundMessageFlowId();
      const created = await call("POST", DEPLOYMENTS, {
        name: "Website",
        configuration: { id: configId, version: "1" },
        allowAllDomains: false,
        allowedDomains: ["example.com"],
        flow: { id: flowId },
      });
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({
        name: "Website",
        status: "Active",
        configuration: { id: configId, version: "1", name: "Messenger" },
        flow: { id: flowId, name: "Web chat" },
        allowedDomains: ["example.com"],
        snippet: expect.stringContaining(created.body.id),
      });
      const deployment = created.body.selfUri;
      expect((await call("GET", deployment)).body.status).toBe("Active");

      await call("PUT", `${CONFIGS}/${configId}/versions/draft`, configuration({ description: "v2" }));
      await call("POST", `${CONFIGS}/${configId}/versions/draft/publish`);
      const updated = await call("PUT", deployment, {
        name: "Website",
        configuration: { id: configId, version: "2" },
        allowAllDomains: true,
        allowedDomains: [],
        status: "Active",
      });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({
        configuration: { version: "2" },
        allowAllDomains: true,
        status: "Active",
      });

      expect((await call("DELETE", deployment)).status).toBe(204);
      expect((await call("GET", deployment)).status).toBe(404);
    });

    it("fails with 400 when allowAllDomains and allowedDomains are both set", async () => {
      const configId = await publishedConfiguration();
      const answer = await call("POST", DEPLOYMENTS, {
        name: "Website",
        configuration: { id: configId, version: "1" },
        allowAllDomains: true,
        allowedDomains: ["example.com"],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toContain("allowedDomains");
    });

    it("fails with 400 for an unknown configuration, an unpublished version or DRAFT", async () => {
      const configId = await publishedConfiguration();
      const draftOnly = (await call("POST", CONFIGS, configuration({ name: "Draft" }))).body.id;
      for (const reference of [
        { id: "00000000-0000-4000-8000-000000000000", version: "1" },
        { id: configId, version: "2" },
        { id: draftOnly, version: "DRAFT" },
      ]) {
        const answer = await call("POST", DEPLOYMENTS, { name: "Website", configuration: reference });
        expect(answer.status).toBe(400);
      }
    });

    it("fails with 400 for a flow that does not exist", async () => {
      const configId = await publishedConfiguration();
      const answer = await call("POST", DEPLOYMENTS, {
        name: "Website",
        configuration: { id: configId, version: "1" },
        flow: { id: "00000000-0000-4000-8000-000000000000" },
      });
      expect(answer.status).toBe(400);
    });

    it("refuses to delete a configuration a deployment uses, with 409", async () => {
      const configId = await publishedConfiguration();
      const deployment = await call("POST", DEPLOYMENTS, {
        name: "Website",
        configuration: { id: configId, version: "1" },
      });
      const refused = await call("DELETE", `${CONFIGS}/${configId}`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({
        status: 409,
        messageParams: { deploymentId: deployment.body.id },
      });
      await call("DELETE", deployment.body.selfUri);
      expect((await call("DELETE", `${CONFIGS}/${configId}`)).status).toBe(204);
    });
  });
});

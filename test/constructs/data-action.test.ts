import { expectPropsError, propsErrorMessage } from "./helpers";
import "cdktf/lib/testing/adapters/jest";
import { randomBytes } from "node:crypto";
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { Integration } from "../../.gen/providers/genesyscloud/integration";
import { IntegrationAction } from "../../.gen/providers/genesyscloud/integration-action";
import { IntegrationCredential } from "../../.gen/providers/genesyscloud/integration-credential";
import { DataAction, type DataActionProps, dataActionSecretVariableName } from "../../constructs/data-action";

const CONTRACT_INPUT = {
  $schema: "http://json-schema.org/draft-04/schema#",
  type: "object",
  required: ["conversationId"],
  properties: { conversationId: { type: "string" } },
  additionalProperties: true,
};
const CONTRACT_OUTPUT = { type: "object", properties: { tier: { type: "string" } } };

const PROPS: DataActionProps = {
  name: "Customer Lookup",
  request: { method: "GET", urlTemplate: "https://crm.example.com/customers/${input.conversationId}" },
  contractInput: CONTRACT_INPUT,
  contractOutput: CONTRACT_OUTPUT,
};

function synth(props: Partial<DataActionProps> = {}): { json: string; action: DataAction } {
  const stack = new TerraformStack(Testing.app(), "test");
  const action = new DataAction(stack, "Lookup", { ...PROPS, ...props });
  return { json: Testing.synth(stack), action };
}

function errorOf(props: Partial<DataActionProps>): string {
  return propsErrorMessage(() => synth(props));
}

describe("DataAction", () => {
  it("creates an enabled custom REST integration and an action with a short timeout by default", () => {
    const { json } = synth();
    expect(json).toHaveResourceWithProperties(Integration, {
      integration_type: "custom-rest-actions",
      intended_state: "ENABLED",
      config: { name: "Customer Lookup" },
    });
    expect(json).toHaveResourceWithProperties(IntegrationAction, {
      name: "Customer Lookup",
      category: "Customer Lookup",
      // The literal, not the constant: a default raised past a few seconds must fail here (see DataAction).
      config_timeout_seconds: 5,
      contract_input: JSON.stringify(CONTRACT_INPUT),
      contract_output: JSON.stringify(CONTRACT_OUTPUT),
      config_request: {
        request_type: "GET",
        request_url_template: "https://crm.example.com/customers/$${input.conversationId}",
      },
    });
    expect(json).not.toHaveResource(IntegrationCredential);
    expect(JSON.parse(json).variable).toBeUndefined();
  });

  it("passes category, timeout, headers and response templates, escaping Velocity for Terraform", () => {
    const { json } = synth({
      category: "CRM",
      integrationName: "CRM actions",
      timeoutSeconds: 3,
      secure: true,
      request: {
        method: "POST",
        urlTemplate: "https://crm.example.com/lookup",
        headers: { "X-Conversation": "${input.conversationId}" },
        bodyTemplate: '{"id": "${input.conversationId}"}',
      },
      response: {
        translationMap: { tier: "$.customer.tier" },
        translationMapDefaults: { tier: '"standard"' },
        successTemplate: '{"tier": ${tier}}',
      },
    });
    expect(json).toHaveResourceWithProperties(Integration, { config: { name: "CRM actions" } });
    expect(json).toHaveResourceWithProperties(IntegrationAction, {
      category: "CRM",
      config_timeout_seconds: 3,
      secure: true,
      config_request: {
        request_type: "POST",
        request_url_template: "https://crm.example.com/lookup",
        headers: { "X-Conversation": "$${input.conversationId}" },
        request_template: '{"id": "$${input.conversationId}"}',
      },
      config_response: {
        translation_map: { tier: "$.customer.tier" },
        translation_map_defaults: { tier: '"standard"' },
        success_template: '{"tier": $${tier}}',
      },
    });
  });

  it("exposes the action and integration as references", () => {
    const { action } = synth();
    expect(action.actionId).toMatch(/TfToken/);
    expect(action.actionName).toMatch(/TfToken/);
    expect(action.integrationId).toMatch(/TfToken/);
    expect(action.contractInput).toBe(CONTRACT_INPUT);
  });

  it("declares a sensitive variable per secret field, with a stable name, and files the credential under basicAuth", () => {
    const { json, action } = synth({
      credential: { type: "basicAuth", fields: { userName: "svc-genesys" } },
    });
    const name = dataActionSecretVariableName("Customer Lookup", "password");
    expect(name).toBe("data_action_customer_lookup_password");
    expect(JSON.parse(json).variable[name]).toMatchObject({
      type: "string",
      sensitive: true,
      nullable: false,
    });
    expect(action.secretVariables.password).toBeInstanceOf(TerraformVariable);
    expect(json).toHaveResourceWithProperties(IntegrationCredential, {
      credential_type_name: "basicAuth",
      fields: { userName: "svc-genesys", password: `\${var.${name}}` },
    });
    const integration = Object.values(JSON.parse(json).resource.genesyscloud_integration)[0] as {
      config: { credentials: Record<string, string> };
    };
    expect(Object.keys(integration.config.credentials)).toEqual(["basicAuth"]);
  });

  it("uses a TerraformVariable passed in for a secret instead of declaring one", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const shared = new TerraformVariable(stack, "crm_client_secret", { type: "string", sensitive: true });
    new DataAction(stack, "Lookup", {
      ...PROPS,
      credential: {
        type: "userDefinedOAuth",
        fields: { clientId: "genesys" },
        secrets: { clientSecret: shared },
      },
    });
    const json = Testing.synth(stack);
    expect(Object.keys(JSON.parse(json).variable)).toEqual(["crm_client_secret"]);
    expect(json).toHaveResourceWithProperties(IntegrationCredential, {
      fields: { clientId: "genesys", clientSecret: "${var.crm_client_secret}" },
    });
  });

  it("never writes a secret from the environment into the synthesized JSON", () => {
    const name = dataActionSecretVariableName("Customer Lookup", "password");
    const canary = "canary-6f1c2a9e-data-action-password";
    process.env[`TF_VAR_${name}`] = canary;
    try {
      const { json } = synth({ credential: { type: "basicAuth", fields: { userName: "svc-genesys" } } });
      expect(json).toContain(`var.${name}`);
      expect(json).not.toContain(canary);
    } finally {
      delete process.env[`TF_VAR_${name}`];
    }
  });

  it.each([1, 60])("accepts a timeout of %i s, an end of the range Genesys accepts", (seconds) => {
    expect(synth({ timeoutSeconds: seconds }).json).toHaveResourceWithProperties(IntegrationAction, {
      config_timeout_seconds: seconds,
    });
  });

  it.each([0, 61, 2.5, 90])(
    "fails when the timeout is %p seconds: outside 1-60 or not an integer",
    (seconds) => {
      expectPropsError(() => synth({ timeoutSeconds: seconds }), "test/Lookup", [
        `timeoutSeconds must be an integer from 1 to 60, got ${seconds} (keep it to a few seconds: a slow ` +
          "backend holds every session at that flow step)",
      ]);
    },
  );

  describe("protectFromDestroy", () => {
    const lifecycles = (json: string) =>
      [
        "genesyscloud_integration",
        "genesyscloud_integration_credential",
        "genesyscloud_integration_action",
      ].map((type) => {
        const resources = Object.values(JSON.parse(json).resource[type]) as { lifecycle?: object }[];
        expect([type, resources.length]).toEqual([type, 1]);
        return [type, resources[0].lifecycle];
      });
    const credential = { type: "basicAuth" as const, fields: { userName: "svc-genesys" } };

    it("puts prevent_destroy on the action, its integration and its credential: flows calling it depend on all three", () => {
      expect(lifecycles(synth({ credential, protectFromDestroy: true }).json)).toEqual([
        ["genesyscloud_integration", { prevent_destroy: true }],
        ["genesyscloud_integration_credential", { prevent_destroy: true }],
        ["genesyscloud_integration_action", { prevent_destroy: true }],
      ]);
    });

    it("leaves all three destroyable by default", () => {
      expect(lifecycles(synth({ credential }).json)).toEqual([
        ["genesyscloud_integration", undefined],
        ["genesyscloud_integration_credential", undefined],
        ["genesyscloud_integration_action", undefined],
      ]);
    });
  });

  it("fails when the name is blank or the method unknown", () => {
    const message = errorOf({
      name: " ",
      request: { method: "HEAD" as "GET", urlTemplate: "https://x.example" },
    });
    expect(message).toContain('name must be a non-empty string of at most 256 characters, got " "');
    expect(message).toContain('request.method must be one of GET, PUT, POST, PATCH, DELETE, got "HEAD"');
  });

  it("fails when the URL template is not an http(s) URL", () => {
    expect(errorOf({ request: { method: "GET", urlTemplate: "crm.example.com/x" } })).toContain(
      'request.urlTemplate must be an http(s) URL template without spaces, got "crm.example.com/x"',
    );
  });

  it("fails when a template is already escaped for Terraform", () => {
    expect(errorOf({ request: { method: "GET", urlTemplate: "https://x.example/$${input.id}" } })).toContain(
      "request.urlTemplate must be Velocity written as Genesys shows it",
    );
  });

  it("fails when the category makes it a function data action", () => {
    expect(errorOf({ category: "My Function Data Action" })).toContain(
      'category must be a category without "function data action"',
    );
  });

  it("fails when a translation default has no translation", () => {
    expect(errorOf({ response: { translationMapDefaults: { tier: "x" } } })).toContain(
      'response.translationMapDefaults.tier must be a key of response.translationMap (empty), got "tier"',
    );
  });

  it("fails when a contract is not a valid JSON Schema, naming the path and ajv's reason", () => {
    const message = errorOf({
      contractInput: { type: "object", properties: { id: { type: "strng" } } },
      contractOutput: { type: "array", propertees: {} },
    });
    expect(message).toMatch(/^test\/Lookup: invalid props/);
    expect(message).toContain(
      'contractInput.properties.id.type must be valid JSON Schema, got "strng" (ajv: must be',
    );
    expect(message).toContain('contractOutput.type must be "object", got "array"');
    expect(message).toContain(
      'contractOutput must be a JSON Schema ajv can compile, got "(schema)" (ajv: strict mode: unknown keyword: "propertees")',
    );
  });

  it("fails when a secret is literal text, without echoing it", () => {
    // Made up at run time: no credential-shaped literal lives in the repository.
    const [password, apiKey, token] = ["pw", "key", "tok"].map(
      (p) => `${p}-${randomBytes(9).toString("base64url")}`,
    );
    const message = errorOf({
      credential: {
        type: "basicAuth",
        fields: { userName: "svc", password, apiKey },
        secrets: { token },
      },
    });
    expect(message).toContain("credential.fields.password must be left out: it is a secret field");
    expect(message).toContain(
      'credential.fields.apiKey looks secret and must not be literal text (value not shown): list "apiKey" in credential.secretFields',
    );
    expect(message).toContain(
      "credential.secrets.token must be a TerraformVariable or a token, got literal text (value not shown): leave it out and set TF_VAR_data_action_customer_lookup_token",
    );
    for (const secret of [password, apiKey, token]) expect(message).not.toContain(secret);
  });

  it("fails when a credential misses a required field", () => {
    expect(errorOf({ credential: { type: "basicAuth" } })).toContain(
      "credential.fields.userName must be set for a basicAuth credential, got nothing",
    );
  });
});

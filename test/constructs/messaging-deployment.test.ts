import { FLOW_TEMPLATES, propsErrorMessage } from "./helpers";
import "cdktf/lib/testing/adapters/jest";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { RoutingQueue } from "../../.gen/providers/genesyscloud/routing-queue";
import { WebdeploymentsConfiguration } from "../../.gen/providers/genesyscloud/webdeployments-configuration";
import { WebdeploymentsDeployment } from "../../.gen/providers/genesyscloud/webdeployments-deployment";
import { InboundMessageFlow } from "../../constructs/inbound-message-flow";
import {
  DEFAULT_MAX_FILE_SIZE_KB,
  MessagingDeployment,
  type MessagingDeploymentProps,
  MessengerConfiguration,
} from "../../constructs/messaging-deployment";

class TestQueue extends Construct {
  readonly queueName: string;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queueName = new RoutingQueue(this, "Resource", { name: "Support" }).name;
  }
}

function newFlow(stack: TerraformStack, id = "Flow"): InboundMessageFlow {
  return new InboundMessageFlow(stack, id, {
    name: `Messaging ${id}`,
    queue: new TestQueue(stack, `${id}Queue`),
    templates: FLOW_TEMPLATES,
  });
}

function synth(props: Partial<MessagingDeploymentProps> = {}): {
  json: string;
  deployment: MessagingDeployment;
} {
  const stack = new TerraformStack(Testing.app(), "test");
  const deployment = new MessagingDeployment(stack, "Deployment", {
    name: "Prod Messaging 000",
    flow: newFlow(stack),
    allowedDomains: ["www.example.com"],
    ...props,
  });
  return { json: Testing.synth(stack), deployment };
}

function errorOf(props: Partial<MessagingDeploymentProps>): string {
  return propsErrorMessage(() => synth(props));
}

describe("MessagingDeployment", () => {
  it("creates its own configuration with Messenger and conversations on, English, attachments off", () => {
    const { json, deployment } = synth();
    expect(json).toHaveResourceWithProperties(WebdeploymentsConfiguration, {
      name: "Prod Messaging 000",
      languages: ["en-us"],
      default_language: "en-us",
      messenger: {
        enabled: true,
        apps: { conversations: { enabled: true } },
        file_upload: { enable_attachments: false },
      },
    });
    expect(json).toHaveResourceWithProperties(WebdeploymentsDeployment, {
      name: "Prod Messaging 000",
      flow_id: expect.stringMatching(/^\$\{genesyscloud_flow\.[\w-]+\.id\}$/),
      configuration: {
        id: expect.stringMatching(/^\$\{genesyscloud_webdeployments_configuration\.[\w-]+\.id\}$/),
        version: expect.stringMatching(/^\$\{genesyscloud_webdeployments_configuration\.[\w-]+\.version\}$/),
      },
      allowed_domains: ["www.example.com"],
    });
    expect(deployment.configuration.node.id).toBe("Configuration");
    expect(deployment.deploymentId).toMatch(/TfToken/);
    expect(deployment.configurationId).toMatch(/TfToken/);
  });

  it("passes languages, session duration and file upload to its own configuration", () => {
    const { json } = synth({
      messenger: {
        languages: ["en-us", "fr"],
        defaultLanguage: "fr",
        sessionDurationSeconds: 86400,
        fileUpload: { fileTypes: ["image/png", "image/jpeg"] },
      },
    });
    expect(json).toHaveResourceWithProperties(WebdeploymentsConfiguration, {
      languages: ["en-us", "fr"],
      default_language: "fr",
      messenger: {
        enabled: true,
        apps: { conversations: { enabled: true, session_duration_seconds: 86400 } },
        file_upload: {
          enable_attachments: true,
          mode: [{ file_types: ["image/png", "image/jpeg"], max_file_size_kb: DEFAULT_MAX_FILE_SIZE_KB }],
        },
      },
    });
  });

  it("lets any domain embed Messenger only when allowAllDomains is set", () => {
    const { json } = synth({ allowedDomains: undefined, allowAllDomains: true });
    const deployment = Object.values(JSON.parse(json).resource.genesyscloud_webdeployments_deployment)[0];
    expect(deployment).toMatchObject({ allow_all_domains: true });
    expect(deployment).not.toHaveProperty("allowed_domains");
  });

  it("shares one configuration across deployments", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const shared = new MessengerConfiguration(stack, "Messenger", { name: "Prod Messenger" });
    for (const id of ["Shard000", "Shard001"]) {
      new MessagingDeployment(stack, id, {
        name: `Prod Messaging ${id}`,
        flow: newFlow(stack, `${id}Flow`),
        configuration: shared,
        allowedDomains: ["www.example.com"],
      });
    }
    const resources = JSON.parse(Testing.synth(stack)).resource;
    expect(Object.keys(resources.genesyscloud_webdeployments_configuration)).toHaveLength(1);
    const deployments = Object.values(resources.genesyscloud_webdeployments_deployment) as {
      configuration: { id: string };
    }[];
    expect(deployments).toHaveLength(2);
    expect(new Set(deployments.map((d) => d.configuration.id)).size).toBe(1);
  });

  it("fails when no domain is allowed and allowAllDomains is not set", () => {
    expect(errorOf({ allowedDomains: [] })).toContain(
      "allowedDomains must be at least one domain, got [] (or set allowAllDomains: true to let any web site embed Messenger)",
    );
    expect(errorOf({ allowedDomains: undefined })).toContain(
      "allowedDomains must be at least one domain, got nothing",
    );
  });

  it("fails when both allowedDomains and allowAllDomains are set", () => {
    expect(errorOf({ allowAllDomains: true })).toContain(
      'allowedDomains must be left out when allowAllDomains is true, got ["www.example.com"] (choose one of the two)',
    );
  });

  it("fails when a domain is blank, a wildcard or listed twice", () => {
    const message = errorOf({ allowedDomains: ["a.example.com", "*", "a.example.com", "bad domain"] });
    expect(message).toContain('allowedDomains[1] must be a domain name such as www.example.com, got "*"');
    expect(message).toContain('allowedDomains[2] must be listed once, got "a.example.com"');
    expect(message).toContain(
      'allowedDomains[3] must be a domain name such as www.example.com, got "bad domain"',
    );
  });

  it("fails when a shared configuration and messenger settings are both given", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const configuration = new MessengerConfiguration(stack, "Messenger", { name: "Shared" });
    expect(
      () =>
        new MessagingDeployment(stack, "Deployment", {
          name: "D",
          flow: newFlow(stack),
          configuration,
          messenger: { languages: ["fr"] },
          allowedDomains: ["www.example.com"],
        }),
    ).toThrow("messenger must be left out when configuration is given");
  });

  it("fails on bad messenger settings, reporting them all at once", () => {
    const message = errorOf({
      name: "x".repeat(101),
      messenger: {
        languages: ["en-us", "English"],
        defaultLanguage: "de",
        sessionDurationSeconds: 0,
        fileUpload: { fileTypes: ["image/bmp" as "image/png"], maxFileSizeKb: 20000 },
      },
    });
    expect(message).toMatch(/^test\/Deployment: invalid props/);
    expect(message).toContain("name must be a non-empty string of at most 100 characters");
    expect(message).toContain(
      'messenger.languages[1] must be a language code such as en-us or fr, got "English"',
    );
    expect(message).toContain(
      'messenger.defaultLanguage must be one of languages (en-us, English), got "de"',
    );
    expect(message).toContain(
      "messenger.sessionDurationSeconds must be a whole number of seconds > 0, got 0",
    );
    expect(message).toContain(
      'messenger.fileUpload.fileTypes[0] must be one of image/jpeg, image/gif, image/png, got "image/bmp"',
    );
    expect(message).toContain(
      "messenger.fileUpload.maxFileSizeKb must be an integer from 0 to 10240, got 20000",
    );
  });

  it("fails when no language is given", () => {
    expect(errorOf({ messenger: { languages: [] } })).toContain(
      "messenger.languages must be at least one language, got []",
    );
  });

  it("fails when the name is blank, also with a shared configuration", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    const configuration = new MessengerConfiguration(stack, "Messenger", { name: "Shared" });
    expect(
      propsErrorMessage(
        () =>
          new MessagingDeployment(stack, "Deployment", {
            name: " ",
            flow: newFlow(stack),
            configuration,
            allowedDomains: ["www.example.com"],
          }),
      ),
    ).toContain('name must be a non-empty deployment name, got " "');
  });

  it("fails when a file upload allows no file type", () => {
    const stack = new TerraformStack(Testing.app(), "test");
    expect(
      () => new MessengerConfiguration(stack, "Messenger", { name: "M", fileUpload: { fileTypes: [] } }),
    ).toThrow(
      "fileUpload.fileTypes must be at least one file type, got [] (or leave out fileUpload to turn attachments off)",
    );
  });
});

import { FLOW_TEMPLATES, propsErrorMessage } from "./helpers";
import "cdktf/lib/testing/adapters/jest";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { DataGenesyscloudAuthDivisionHome } from "../../.gen/providers/genesyscloud/data-genesyscloud-auth-division-home";
import { Flow } from "../../.gen/providers/genesyscloud/flow";
import { RoutingQueue } from "../../.gen/providers/genesyscloud/routing-queue";
import { DataAction, type DataActionProps } from "../../constructs/data-action";
import {
  INBOUND_MESSAGE_DATA_ACTION_TEMPLATE,
  INBOUND_MESSAGE_TEMPLATE,
  InboundMessageFlow,
  type InboundMessageFlowProps,
  placeholdersOf,
  substitutionProblems,
} from "../../constructs/inbound-message-flow";

/** The shape the Queue construct has: a construct with the queue's name and its resource as `Resource`. */
class TestQueue extends Construct {
  readonly queueName: string;
  constructor(scope: Construct, id: string, name: string) {
    super(scope, id);
    this.queueName = new RoutingQueue(this, "Resource", { name }).name;
  }
}

const LOOKUP: DataActionProps = {
  name: "Customer Lookup",
  category: "CRM",
  request: { method: "GET", urlTemplate: "https://crm.example.com/customers/${input.conversationId}" },
  contractInput: {
    type: "object",
    required: ["conversationId"],
    properties: { conversationId: { type: "string" } },
  },
  contractOutput: { type: "object", properties: {} },
};

type FlowOptions = Omit<InboundMessageFlowProps, "queue" | "dataAction" | "templates"> & {
  templates?: InboundMessageFlowProps["templates"];
  dataAction?: Partial<DataActionProps>;
};

function synth(options: Partial<FlowOptions> = {}): { json: string; flow: InboundMessageFlow } {
  const stack = new TerraformStack(Testing.app(), "test");
  const queue = new TestQueue(stack, "Queue", "Prod Support 000");
  const { dataAction, ...rest } = options;
  const action = dataAction && new DataAction(stack, "Lookup", { ...LOOKUP, ...dataAction });
  const flow = new InboundMessageFlow(stack, "Flow", {
    name: "Prod Messaging 000",
    queue,
    templates: FLOW_TEMPLATES,
    dataAction: action,
    ...rest,
  });
  return { json: Testing.synth(stack), flow };
}

function errorOf(options: Partial<FlowOptions>): string {
  return propsErrorMessage(() => synth(options));
}

describe("InboundMessageFlow", () => {
  it("publishes the transfer template as a stack asset (a path relative to the stack, with the content hash), after the queue, in the Home division", () => {
    const { json, flow } = synth();
    const resource = Object.values(JSON.parse(json).resource.genesyscloud_flow)[0] as Record<string, unknown>;
    const hash = createHash("md5").update(readFileSync(INBOUND_MESSAGE_TEMPLATE)).digest("hex").toUpperCase();
    expect(resource.filepath).toBe(`assets/FlowTemplate-inbound-message/${hash}/inbound-message.yaml`);
    expect(isAbsolute(INBOUND_MESSAGE_TEMPLATE)).toBe(true);
    expect(existsSync(INBOUND_MESSAGE_TEMPLATE)).toBe(true);
    expect(resource.depends_on).toEqual([expect.stringMatching(/^genesyscloud_routing_queue\./)]);
    expect(resource).not.toHaveProperty("file_content_hash");
    expect(resource).not.toHaveProperty("update_trigger_hash");
    expect(resource.substitutions).toEqual({
      flow_name: "Prod Messaging 000",
      division: expect.stringMatching(/^\$\{data\.genesyscloud_auth_division_home\.[\w-]+\.name\}$/),
      queue_name: expect.stringMatching(/^\$\{genesyscloud_routing_queue\.[\w-]+\.name\}$/),
    });
    expect(json).toHaveDataSource(DataGenesyscloudAuthDivisionHome);
    expect(flow.flowName).toBe("Prod Messaging 000");
    expect(flow.flowId).toMatch(/TfToken/);
  });

  it("uses a given division name and reads no Home division", () => {
    const { json } = synth({ divisionName: "Digital" });
    expect(json).toHaveResourceWithProperties(Flow, {
      substitutions: expect.objectContaining({ division: "Digital" }),
    });
    expect(json).not.toHaveDataSource(DataGenesyscloudAuthDivisionHome);
  });

  it("calls a Data Action first with the Data Action template, naming the action by reference", () => {
    const { json, flow } = synth({ dataAction: {} });
    expect(flow.templatePath).toBe(INBOUND_MESSAGE_DATA_ACTION_TEMPLATE);
    expect(existsSync(INBOUND_MESSAGE_DATA_ACTION_TEMPLATE)).toBe(true);
    expect(json).toHaveResourceWithProperties(Flow, {
      filepath: expect.stringMatching(
        /^assets\/FlowTemplate-inbound-message-data-action\/[0-9A-F]{32}\/inbound-message-data-action\.yaml$/,
      ),
      substitutions: expect.objectContaining({
        data_action_category: expect.stringMatching(
          /^\$\{genesyscloud_integration_action\.[\w-]+\.category\}$/,
        ),
        data_action_name: expect.stringMatching(/^\$\{genesyscloud_integration_action\.[\w-]+\.name\}$/),
        data_action_input: "conversationId",
      }),
    });
  });

  it("has a Data Action template whose failure and timeout paths both transfer to the queue", () => {
    const template = readFileSync(INBOUND_MESSAGE_DATA_ACTION_TEMPLATE, "utf8");
    const outputs = template.slice(template.indexOf("outputs:"), template.lastIndexOf("- transferToAcd:"));
    for (const path of ["failure:", "timeout:"]) {
      const section = outputs.slice(outputs.indexOf(path));
      expect(section).toMatch(/^\S+\s+actions:\s+- transferToAcd:[\s\S]*?name: "\{\{queue_name\}\}"/);
    }
    expect(placeholdersOf(template)).toEqual([
      "flow_name",
      "division",
      "data_action_category",
      "data_action_name",
      "data_action_input",
      "queue_name",
    ]);
  });

  it("fails when a placeholder has no value or a value has no placeholder, naming both", () => {
    expect(
      substitutionProblems(INBOUND_MESSAGE_TEMPLATE, 'name: "{{flow_name}}" q: "{{queue}}"', [
        "flow_name",
        "queue_name",
      ]),
    ).toEqual([
      "placeholder {{queue}} in flows/inbound-message.yaml has no substitution value (substitutions: flow_name, queue_name)",
      'substitution "queue_name" has no {{queue_name}} placeholder in flows/inbound-message.yaml (placeholders: flow_name, queue)',
    ]);
  });

  it("fails when the template it is given lacks the placeholders it fills, naming the template", () => {
    const message = errorOf({
      dataAction: {},
      templates: {
        ...FLOW_TEMPLATES,
        dataAction: { ...FLOW_TEMPLATES.dataAction, text: FLOW_TEMPLATES.transfer.text },
      },
    });
    expect(message).toContain(
      'substitution "data_action_name" has no {{data_action_name}} placeholder in flows/inbound-message-data-action.yaml',
    );
  });

  it("fails when a name would break the template's quoted strings", () => {
    const message = errorOf({ name: 'Say "hi"', divisionName: "a\nb" });
    expect(message).toMatch(/^test\/Flow: invalid props/);
    expect(message).toContain('name must be text without ", \\, line breaks, {{ or }}, got "Say \\"hi\\""');
    expect(message).toContain("divisionName must be text without");
  });

  it("fails when the name is blank", () => {
    expect(errorOf({ name: "  " })).toContain('name must be a non-empty flow name, got "  "');
  });

  it("fails when dataActionInput is given without a Data Action", () => {
    expect(errorOf({ dataActionInput: "id" })).toContain(
      'dataActionInput must be left out without a dataAction, got "id" (nothing would call it)',
    );
  });

  it("fails when the Data Action's contract does not take the conversation id alone", () => {
    const message = errorOf({
      dataActionInput: "id",
      dataAction: {
        contractInput: { type: "object", required: ["email"], properties: { email: { type: "string" } } },
      },
    });
    expect(message).toContain(
      `dataActionInput must be a property of the Data Action's input contract (email), got "id"`,
    );
    expect(message).toContain(
      'dataAction.contractInput.required must be at most ["id"], got ["email"] (the flow fills only id; make email optional)',
    );
  });
});

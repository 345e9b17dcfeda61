import { expectPropsError, propsErrorMessage } from "./helpers";
import "cdktf/lib/testing/adapters/jest";
import { TerraformStack, Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import { ArchitectIvr } from "../../.gen/providers/genesyscloud/architect-ivr";
import { Flow } from "../../.gen/providers/genesyscloud/flow";
import { IntegrationAction } from "../../.gen/providers/genesyscloud/integration-action";
import { RoutingQueue } from "../../.gen/providers/genesyscloud/routing-queue";
import {
  acknowledgeDataActionProps,
  DataAction,
  DEFAULT_CALL_GREETING,
  InboundCallFlow,
  Ivr,
  Queue,
  VoiceEntry,
  type DataActionProps,
  type InboundCallFlowProps,
  type VoiceEntryProps,
} from "../../constructs";
import { placeholdersOf } from "../../constructs/inbound-message-flow";
import { readInboundCallTemplates } from "../../stacks/voice";

const CALL_TEMPLATES = readInboundCallTemplates();

const TICKET = acknowledgeDataActionProps({
  name: "Prod ServiceNow Call Ticket",
  endpoint: "https://example.service-now.com/api/x_ack/calls",
});

const LOOKUP: DataActionProps = {
  name: "Caller Lookup",
  request: { method: "GET", urlTemplate: "https://crm.example.com/calls/${input.conversationId}" },
  contractInput: { type: "object", properties: { conversationId: { type: "string" } } },
  contractOutput: { type: "object", properties: {} },
};

function stack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}

type CallFlowOptions = Partial<Omit<InboundCallFlowProps, "queue" | "templates" | "dataAction">> & {
  dataAction?: DataActionProps;
};

function callFlow(options: CallFlowOptions = {}) {
  const scope = stack();
  const queue = new Queue(scope, "Queue", { name: "Prod Voice", call: {} });
  const { dataAction, ...rest } = options;
  const action = dataAction && new DataAction(scope, "Action", dataAction);
  const flow = new InboundCallFlow(scope, "Flow", {
    name: "Prod Voice Entry",
    queue,
    templates: CALL_TEMPLATES,
    divisionName: "Home",
    dataAction: action,
    ...rest,
  });
  return { scope, flow, json: Testing.synth(scope) };
}

describe("the inbound call flow templates", () => {
  it.each([
    ["transfer", CALL_TEMPLATES.transfer, 0],
    ["dataAction", CALL_TEMPLATES.dataAction, 2],
  ] as const)(
    "%s is an inboundCall flow in which every path ends in a transfer to {{queue_name}}",
    (_name, template, paths) => {
      const yaml = parseYaml(template.text) as { inboundCall: Record<string, unknown> };
      const flow = yaml.inboundCall;
      expect(flow.startUpRef).toBe("/inboundCall/tasks/task[Main_1]");
      const actions = (flow.tasks as { task: { actions: Record<string, unknown>[] } }[])[0].task.actions;
      const transfers = JSON.stringify(actions).match(/"transferToAcd"/g) ?? [];
      expect(transfers).toHaveLength(1 + paths);
      expect(JSON.stringify(actions).match(/"name":"\{\{queue_name\}\}"/g)).toHaveLength(1 + paths);
      if (paths > 0) {
        const call = actions[0].callData as { outputs: Record<string, unknown>; timeout?: unknown };
        expect(Object.keys(call.outputs).sort()).toEqual(["failure", "timeout"]);
        expect(call.timeout).toBeUndefined(); // the action's own timeout bounds the wait
      }
      expect(Object.keys(actions[actions.length - 1])).toEqual(["disconnect"]);
    },
  );

  it("fills Call.ConversationId into the action's input, and nothing personal", () => {
    expect(CALL_TEMPLATES.dataAction.text).toContain("exp: Call.ConversationId");
    expect(CALL_TEMPLATES.dataAction.text).not.toMatch(/Call\.Ani|Call\.CallingAddress/);
    expect(placeholdersOf(CALL_TEMPLATES.dataAction.text).sort()).toEqual(
      [
        "data_action_category",
        "data_action_input",
        "data_action_name",
        "division",
        "flow_name",
        "greeting",
        "queue_name",
      ].sort(),
    );
  });
});

describe("InboundCallFlow", () => {
  it("publishes the transfer template with the greeting, after the queue", () => {
    const { json, flow } = callFlow();
    expect(json).toHaveResourceWithProperties(Flow, {
      substitutions: {
        flow_name: "Prod Voice Entry",
        division: "Home",
        queue_name: "${genesyscloud_routing_queue.Queue_4A7E3555.name}",
        greeting: DEFAULT_CALL_GREETING,
      },
      depends_on: ["genesyscloud_routing_queue.Queue_4A7E3555"],
    });
    expect(flow.templatePath).toBe(CALL_TEMPLATES.transfer.path);
    expect(flow.dataActionWaitSeconds).toBe(0);
    expect(flow.maxCallerWaitSeconds).toBe(30);
  });

  it("with an acknowledge-only action: the Data Action template, the action's category and name, 3 s wait", () => {
    const { json, flow } = callFlow({ dataAction: TICKET });
    expect(flow.templatePath).toBe(CALL_TEMPLATES.dataAction.path);
    expect(json).toHaveResourceWithProperties(Flow, {
      substitutions: expect.objectContaining({
        data_action_category: "${genesyscloud_integration_action.Action_62AD07C0.category}",
        data_action_name: "${genesyscloud_integration_action.Action_62AD07C0.name}",
        data_action_input: "conversationId",
      }),
    });
    expect(flow.dataActionWaitSeconds).toBe(3);
  });

  it("fails when the Data Action's timeout is not shorter than the caller's wait (the 408 wall)", () => {
    expect(propsErrorMessage(() => callFlow({ dataAction: { ...LOOKUP, timeoutSeconds: 30 } }))).toContain(
      "dataAction.timeoutSeconds must be shorter than maxCallerWaitSeconds (30), got 30 (a call waits at the " +
        "Call Data Action step until the action returns or times out; at 30 s the load-test report's calls " +
        "dropped with 408 requestTimedOut.",
    );
    expect(() =>
      callFlow({ dataAction: { ...LOOKUP, timeoutSeconds: 8 }, maxCallerWaitSeconds: 10 }),
    ).not.toThrow();
    expect(propsErrorMessage(() => callFlow({ dataAction: LOOKUP, maxCallerWaitSeconds: 5 }))).toContain(
      "dataAction.timeoutSeconds must be shorter than maxCallerWaitSeconds (5), got 5",
    );
  });

  it("fails when a greeting or name would break the template, or the action's input is not in its contract", () => {
    const message = propsErrorMessage(() =>
      callFlow({ greeting: 'Say "hi"', dataAction: LOOKUP, dataActionInput: "callId" }),
    );
    expect(message).toContain(
      'greeting must be text without ", \\, line breaks, {{ or }}, got "Say \\"hi\\""',
    );
    expect(message).toContain(
      'dataActionInput must be a property of the Data Action\'s input contract (conversationId), got "callId" ' +
        "(the flow passes Call.ConversationId to it)",
    );
  });
});

describe("acknowledgeDataActionProps", () => {
  it("posts only the conversation id, reads nothing back and times out after 3 s", () => {
    const scope = stack();
    const action = new DataAction(scope, "Ticket", TICKET);
    expect(action.pattern).toBe("acknowledge");
    expect(action.timeoutSeconds).toBe(3);
    const json = Testing.synth(scope);
    expect(json).toHaveResourceWithProperties(IntegrationAction, {
      config_timeout_seconds: 3,
      contract_output: JSON.stringify({ type: "object", properties: {}, additionalProperties: false }),
      config_request: {
        request_type: "POST",
        request_url_template: "https://example.service-now.com/api/x_ack/calls",
        request_template: '{"conversationId": "$${input.conversationId}"}',
        headers: { "Content-Type": "application/json" },
      },
      config_response: { success_template: "{}" },
    });
  });

  it("fails when an acknowledge action reads outputs, uses GET or waits longer than 10 s", () => {
    expectPropsError(
      () =>
        new DataAction(stack(), "Ticket", {
          ...TICKET,
          timeoutSeconds: 20,
          request: { ...TICKET.request, method: "GET" },
          contractOutput: { type: "object", properties: { ticket: { type: "string" } } },
        }),
      "test/Ticket",
      [
        "timeoutSeconds must be an integer from 1 to 10, got 20 (an acknowledge-only endpoint answers 202 at " +
          "once; one that needs longer does the work in the call's path)",
        'request.method must be one of POST, PUT, PATCH for an acknowledge-only action, got "GET" (it sends ' +
          "correlation ids for work done in the background)",
        'contractOutput.properties must be empty for an acknowledge-only action, got ["ticket"] (the flow reads ' +
          "nothing from an acknowledgement; a lookup is a separate action)",
      ],
    );
  });
});

describe("Queue call settings", () => {
  it("sets media_settings_call only when asked, every field with its default", () => {
    const scope = stack();
    new Queue(scope, "Voice", { name: "Prod Voice", call: { alertingTimeoutSeconds: 8 } });
    new Queue(scope, "Messaging", { name: "Prod Messaging" });
    const json = Testing.synth(scope);
    expect(json).toHaveResourceWithProperties(RoutingQueue, {
      name: "Prod Voice",
      media_settings_call: {
        alerting_timeout_sec: 8,
        service_level_percentage: 0.8,
        service_level_duration_ms: 20000,
        enable_auto_answer: false,
      },
    });
    const queues = JSON.parse(json).resource.genesyscloud_routing_queue as Record<string, object>;
    const messaging = Object.values(queues).find((q) => (q as { name: string }).name === "Prod Messaging");
    expect(messaging).not.toHaveProperty("media_settings_call");
  });

  it("fails when a call setting is out of Genesys's range", () => {
    expectPropsError(
      () =>
        new Queue(stack(), "Voice", {
          name: "Prod Voice",
          call: { alertingTimeoutSeconds: 3, serviceLevelPercentage: 2 },
        }),
      "test/Voice",
      [
        "call.alertingTimeoutSeconds must be an integer of at least 7, got 3",
        "call.serviceLevelPercentage must be a number from 0 to 1, got 2",
      ],
    );
  });
});

describe("Ivr", () => {
  const flow = { flowId: "flow-1" };

  it("routes its numbers to the open-hours flow", () => {
    const scope = stack();
    const ivr = new Ivr(scope, "Ivr", {
      name: "Prod Voice IVR",
      dnis: ["+13175550100"],
      openHoursFlow: flow,
    });
    expect(Testing.synth(scope)).toHaveResourceWithProperties(ArchitectIvr, {
      name: "Prod Voice IVR",
      dnis: ["+13175550100"],
      open_hours_flow_id: "flow-1",
    });
    expect(ivr.dnis).toEqual(["+13175550100"]);
  });

  it("fails when numbers are missing, not E.164 or listed twice, and when closed-hours flows have no schedule", () => {
    expectPropsError(
      () =>
        new Ivr(stack(), "Ivr", {
          name: "Prod Voice IVR",
          dnis: ["3175550100", "+13175550101", "+13175550101"],
          openHoursFlow: flow,
          closedHoursFlow: flow,
        }),
      "test/Ivr",
      [
        'dnis[0] must be a phone number in E.164 form, e.g. +13175550100, got "3175550100"',
        'dnis[2] must be listed once, got "+13175550101"',
        'closedHoursFlow must be left out without scheduleGroupId, got "(a flow)" (without a schedule group the IVR is always open)',
      ],
    );
    expect(
      propsErrorMessage(() => new Ivr(stack(), "Ivr", { name: "x", dnis: [], openHoursFlow: flow })),
    ).toContain("dnis must be at least one phone number, got []");
  });
});

describe("VoiceEntry", () => {
  const props: VoiceEntryProps = {
    namePrefix: "Test",
    dnis: ["+13175550100", "+13175550101"],
    templates: CALL_TEMPLATES,
    dataAction: TICKET,
  };

  it("builds the queue with call settings, the acknowledge action, the call flow and the IVR on its numbers", () => {
    const scope = stack();
    const entry = new VoiceEntry(scope, "Voice", props);
    const json = Testing.synth(scope);
    expect(json).toHaveResourceWithProperties(RoutingQueue, {
      name: "Test Voice",
      media_settings_call: expect.objectContaining({ alerting_timeout_sec: 30 }),
    });
    expect(json).toHaveResourceWithProperties(Flow, {
      substitutions: expect.objectContaining({
        flow_name: "Test Voice Entry",
        queue_name: expect.any(String),
      }),
    });
    expect(json).toHaveResourceWithProperties(ArchitectIvr, {
      name: "Test Voice IVR",
      dnis: ["+13175550100", "+13175550101"],
      open_hours_flow_id: "${genesyscloud_flow.Voice_Flow_6552C72A.id}",
    });
    expect(entry.dataAction?.timeoutSeconds).toBe(3);
    expect(entry.node.tryFindChild("Resource")).toBeUndefined();
  });

  it("fails before building anything when the action would hold callers past their wait", () => {
    const scope = stack();
    expectPropsError(
      () =>
        new VoiceEntry(scope, "Voice", {
          ...props,
          dnis: ["+1"],
          dataAction: { ...LOOKUP, timeoutSeconds: 45 },
        }),
      "test/Voice",
      [
        'dnis[0] must be a phone number in E.164 form, e.g. +13175550100, got "+1"',
        "dataAction.timeoutSeconds must be shorter than maxCallerWaitSeconds (30), got 45 (a call waits at the " +
          "Call Data Action step until the action returns or times out; at 30 s the load-test report's calls " +
          "dropped with 408 requestTimedOut. Keep the timeout to a few seconds, or make the action " +
          "acknowledge-only (acknowledgeDataActionProps, 60 s is Genesys's default when none is set))",
      ],
    );
    expect(scope.node.findChild("Voice").node.children).toEqual([]);
  });
});

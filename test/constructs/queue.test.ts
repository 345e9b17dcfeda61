import { propsErrorMessage } from "./helpers";
import { Fn, Testing, TerraformResource, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { RoutingQueue } from "../../.gen/providers/genesyscloud/routing-queue";
import { Queue, type QueueProps } from "../../constructs/queue";
import { WrapupCodes } from "../../constructs/wrapup-codes";

function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}

/** The Terraform name of a construct's `Resource` child. */
function resourceId(scope: Construct): string {
  return (scope.node.findChild("Resource") as TerraformResource).friendlyUniqueId;
}

/** The synthesized queue resource, as JSON. */
function queueJson(props: QueueProps) {
  const stack = newStack();
  new Queue(stack, "Queue", props);
  const resources = JSON.parse(Testing.synth(stack)).resource.genesyscloud_routing_queue;
  return Object.values(resources)[0] as Record<string, unknown>;
}

/** The error message of creating the queue, or fails the test when it is created. */
function errorOf(props: QueueProps): string {
  return propsErrorMessage(() => new Queue(newStack(), "Queue", props));
}

describe("Queue", () => {
  it("makes a queue with id Resource, the named defaults and nothing unmanaged", () => {
    const stack = newStack();
    const queue = new Queue(stack, "Queue", { name: "Support" });
    expect(queue.node.findChild("Resource")).toBeInstanceOf(RoutingQueue);
    expect(queueJson({ name: "Support" })).toEqual({
      name: "Support",
      acw_wrapup_prompt: "MANDATORY_TIMEOUT",
      skill_evaluation_method: "ALL",
      media_settings_message: {
        alerting_timeout_sec: 30,
        service_level_percentage: 0.8,
        service_level_duration_ms: 20000,
        enable_auto_answer: false,
      },
    });
  });

  it("sets every option", () => {
    const stack = newStack();
    const codes = new WrapupCodes(stack, "Codes", { codes: ["Resolved", "Escalated"] });
    new Queue(stack, "Queue", {
      name: "Prod Support",
      description: "Messenger guests",
      divisionId: "div-1",
      alertingTimeoutSeconds: 15,
      serviceLevelPercentage: 0.9,
      serviceLevelDurationMs: 60000,
      autoAnswer: true,
      inactivityTimeout: { timeoutSeconds: 3600, action: "SEND_TO_ARCHITECT_FLOW", flowId: "flow-1" },
      acwMode: "AGENT_REQUESTED",
      acwTimeoutMs: 120000,
      skillEvaluationMethod: "BEST",
      wrapupCodes: codes,
      groupIds: ["group-1"],
      skillGroupIds: ["skill-group-1"],
      teamIds: ["team-1", "team-2"],
      protectFromDestroy: true,
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(RoutingQueue, {
      name: "Prod Support",
      description: "Messenger guests",
      division_id: "div-1",
      acw_wrapup_prompt: "AGENT_REQUESTED",
      acw_timeout_ms: 120000,
      skill_evaluation_method: "BEST",
      media_settings_message: {
        alerting_timeout_sec: 15,
        service_level_percentage: 0.9,
        service_level_duration_ms: 60000,
        enable_auto_answer: true,
        inactivity_timeout_settings: {
          timeout_seconds: 3600,
          action_type: "SEND_TO_ARCHITECT_FLOW",
          flow_id: "flow-1",
        },
        sub_type_settings: [
          { media_type: "webmessaging", enable_auto_answer: true, enable_inactivity_timeout: true },
        ],
      },
      wrapup_codes: codes.codes.map((code) => `\${genesyscloud_routing_wrapupcode.${resourceId(code)}.id}`),
      groups: ["group-1"],
      skill_groups: ["skill-group-1"],
      teams: ["team-1", "team-2"],
      lifecycle: { prevent_destroy: true },
    });
  });

  it("takes single wrap-up codes picked from a set", () => {
    const stack = newStack();
    const codes = new WrapupCodes(stack, "Codes", { codes: ["Resolved", "Escalated"] });
    const queue = new Queue(stack, "Queue", { name: "Support", wrapupCodes: [codes.code("Escalated")] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(RoutingQueue, {
      wrapup_codes: [`\${genesyscloud_routing_wrapupcode.${resourceId(codes.code("Escalated"))}.id}`],
    });
    expect(queue.queueId).toMatch(/\$\{TfToken\[/);
    expect(queue.queueName).toMatch(/\$\{TfToken\[/);
  });

  it("disconnects idle web messaging conversations by default, and switches the timeout on per channel", () => {
    expect(queueJson({ name: "Support", inactivityTimeout: { timeoutSeconds: 600 } })).toMatchObject({
      media_settings_message: {
        inactivity_timeout_settings: { timeout_seconds: 600, action_type: "DISCONNECT" },
        sub_type_settings: [
          { media_type: "webmessaging", enable_auto_answer: false, enable_inactivity_timeout: true },
        ],
      },
    });
    const sorted = queueJson({
      name: "Support",
      inactivityTimeout: { timeoutSeconds: 600, subtypes: ["whatsapp", "open", "webmessaging"] },
    });
    // Sorted by channel, as the provider reads them back, so that a plan after apply shows no change.
    expect(sorted).toMatchObject({
      media_settings_message: {
        sub_type_settings: [
          { media_type: "open" },
          { media_type: "webmessaging" },
          { media_type: "whatsapp" },
        ],
      },
    });
  });

  it("lists members with their ring number, ring 1 by default", () => {
    expect(
      queueJson({ name: "Support", members: [{ userId: "user-1" }, { userId: "user-2", ringNumber: 3 }] }),
    ).toMatchObject({
      members: [
        { user_id: "user-1", ring_num: 1 },
        { user_id: "user-2", ring_num: 3 },
      ],
    });
  });

  it("manages no wrap-up codes unless given, and leaves members out (the provider then keeps no direct members)", () => {
    const json = queueJson({ name: "Support" });
    expect(json).not.toHaveProperty("wrapup_codes");
    expect(json).not.toHaveProperty("members");
    expect(json).not.toHaveProperty("lifecycle");
    expect(queueJson({ name: "Support", wrapupCodes: [], members: [] })).toMatchObject({ wrapup_codes: [] });
  });

  it("accepts members with empty group lists, and ids that are tokens", () => {
    const stack = newStack();
    const ids = Fn.tolist(["a"]) as unknown as string[];
    expect(() => new Queue(stack, "Tokens", { name: "Support", groupIds: ids })).not.toThrow();
    expect(
      () => new Queue(stack, "Empty", { name: "Support", groupIds: [], members: [{ userId: "user-1" }] }),
    ).not.toThrow();
  });

  it("fails when the name is blank or too long", () => {
    expect(errorOf({ name: " " })).toContain(
      'name must be a non-empty string of at most 255 characters, got " "',
    );
    expect(errorOf({ name: "q".repeat(256) })).toContain("name must be a non-empty string of at most 255");
  });

  it("fails when the division id is blank", () => {
    expect(errorOf({ name: "Support", divisionId: " " })).toContain(
      'divisionId must be a non-empty string of at most 255 characters, got " "',
    );
  });

  it("fails when the message media settings are out of range", () => {
    const message = errorOf({
      name: "Support",
      alertingTimeoutSeconds: 6,
      serviceLevelPercentage: 80,
      serviceLevelDurationMs: 999.5,
    });
    expect(message).toContain("alertingTimeoutSeconds must be an integer of at least 7, got 6");
    expect(message).toContain(
      "serviceLevelPercentage must be a number from 0 to 1, got 80 (0.8 means 80% answered in time)",
    );
    expect(message).toContain("serviceLevelDurationMs must be an integer of at least 1000, got 999.5");
  });

  it("fails when acwMode or skillEvaluationMethod is not one of the set", () => {
    const message = errorOf({
      name: "Support",
      acwMode: "SOMETIMES" as never,
      skillEvaluationMethod: "SOME" as never,
    });
    expect(message).toContain(
      'acwMode must be one of MANDATORY, OPTIONAL, MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT, AGENT_REQUESTED, got "SOMETIMES"',
    );
    expect(message).toContain('skillEvaluationMethod must be one of NONE, BEST, ALL, got "SOME"');
  });

  it("fails when acwTimeoutMs is outside 1 s to 1 day", () => {
    expect(errorOf({ name: "Support", acwTimeoutMs: 0 })).toContain(
      "acwTimeoutMs must be an integer from 1000 to 86400000, got 0 (1 s to 1 day)",
    );
    expect(errorOf({ name: "Support", acwTimeoutMs: 86_400_001 })).toContain("got 86400001 (1 s to 1 day)");
  });

  it("fails when acwTimeoutMs is given with an ACW mode that has no timeout", () => {
    expect(errorOf({ name: "Support", acwMode: "MANDATORY", acwTimeoutMs: 60000 })).toContain(
      "acwTimeoutMs must be left out with acwMode MANDATORY, got 60000 (a timeout applies only to MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT, AGENT_REQUESTED)",
    );
    expect(errorOf({ name: "Support", acwMode: "OPTIONAL", acwTimeoutMs: 60000 })).toContain(
      "acwTimeoutMs must be left out with acwMode OPTIONAL",
    );
  });

  it("fails when the inactivity timeout is not a positive integer or names an unknown action", () => {
    const message = errorOf({
      name: "Support",
      inactivityTimeout: { timeoutSeconds: 0, action: "ARCHIVE" as never },
    });
    expect(message).toContain("inactivityTimeout.timeoutSeconds must be an integer of at least 1, got 0");
    expect(message).toContain(
      'inactivityTimeout.action must be one of DISCONNECT, SEND_TO_ARCHITECT_FLOW, got "ARCHIVE"',
    );
  });

  it("fails when the inactivity flow is missing for SEND_TO_ARCHITECT_FLOW, or given for DISCONNECT", () => {
    expect(
      errorOf({
        name: "Support",
        inactivityTimeout: { timeoutSeconds: 60, action: "SEND_TO_ARCHITECT_FLOW" },
      }),
    ).toContain("inactivityTimeout.flowId must be a non-empty string of at most 255 characters, got nothing");
    expect(
      errorOf({ name: "Support", inactivityTimeout: { timeoutSeconds: 60, flowId: "flow-1" } }),
    ).toContain('inactivityTimeout.flowId must be left out with action DISCONNECT, got "flow-1"');
  });

  it("fails when the inactivity timeout's channels are empty, unknown or repeated", () => {
    expect(errorOf({ name: "Support", inactivityTimeout: { timeoutSeconds: 60, subtypes: [] } })).toContain(
      "inactivityTimeout.subtypes must be at least one channel, got []",
    );
    const message = errorOf({
      name: "Support",
      inactivityTimeout: {
        timeoutSeconds: 60,
        subtypes: ["webmessaging", "telegram" as never, "webmessaging"],
      },
    });
    expect(message).toContain(
      "inactivityTimeout.subtypes[1] must be one of webmessaging, open, sms, whatsapp",
    );
    expect(message).toContain('inactivityTimeout.subtypes[2] must be listed once, got "webmessaging"');
  });

  it("fails when members are combined with groups, skill groups or teams", () => {
    expect(errorOf({ name: "Support", groupIds: ["group-1"], members: [{ userId: "user-1" }] })).toContain(
      'members must be left out when groupIds is set, got ["user-1"] (add the users to one of the groups, or list every member in members)',
    );
    expect(
      errorOf({
        name: "Support",
        skillGroupIds: ["sg-1"],
        teamIds: ["t-1"],
        members: [{ userId: "user-1" }],
      }),
    ).toContain("members must be left out when skillGroupIds, teamIds are set");
  });

  it("fails when a member's ring number is outside 1 to 6 or a user is listed twice", () => {
    const message = errorOf({
      name: "Support",
      members: [
        { userId: "user-1", ringNumber: 7 },
        { userId: "user-2", ringNumber: 0 },
        { userId: "user-1" },
      ],
    });
    expect(message).toContain("members[0].ringNumber must be an integer from 1 to 6, got 7");
    expect(message).toContain("members[1].ringNumber must be an integer from 1 to 6, got 0");
    expect(message).toContain('members[2].userId must be listed once, got "user-1"');
  });

  it("fails when a group, skill group or team id is blank or repeated", () => {
    const message = errorOf({
      name: "Support",
      groupIds: ["", "g"],
      skillGroupIds: ["s", "s"],
      teamIds: [" "],
    });
    expect(message).toContain('groupIds[0] must be a non-empty string of at most 255 characters, got ""');
    expect(message).toContain('skillGroupIds[1] must be listed once, got "s"');
    expect(message).toContain('teamIds[0] must be a non-empty string of at most 255 characters, got " "');
  });

  it("fails with every problem at once, starting with the construct path", () => {
    const message = errorOf({
      name: "",
      alertingTimeoutSeconds: 5,
      acwMode: "OPTIONAL",
      acwTimeoutMs: 5000,
      groupIds: ["g"],
      members: [{ userId: "u", ringNumber: 9 }],
    });
    expect(message.split("\n")).toEqual([
      "test/Queue: invalid props",
      '  - name must be a non-empty string of at most 255 characters, got ""',
      "  - alertingTimeoutSeconds must be an integer of at least 7, got 5",
      "  - acwTimeoutMs must be left out with acwMode OPTIONAL, got 5000 (a timeout applies only to MANDATORY_TIMEOUT, MANDATORY_FORCED_TIMEOUT, AGENT_REQUESTED)",
      "  - members[0].ringNumber must be an integer from 1 to 6, got 9",
      '  - members must be left out when groupIds is set, got ["u"] (add the users to one of the groups, or list every member in members)',
    ]);
  });
});

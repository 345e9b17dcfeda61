import { propsErrorMessage } from "./helpers";
import { Testing, TerraformStack } from "cdktf";
import { RoutingUtilization } from "../../.gen/providers/genesyscloud/routing-utilization";
import { AgentUtilization, type AgentUtilizationProps } from "../../constructs/agent-utilization";

function newStack(): TerraformStack {
  return new TerraformStack(Testing.app(), "test");
}

function synthUtilization(props: AgentUtilizationProps) {
  const stack = newStack();
  const utilization = new AgentUtilization(stack, "Utilization", props);
  const synth = Testing.synth(stack);
  const resource = Object.values(JSON.parse(synth).resource.genesyscloud_routing_utilization)[0];
  return { utilization, synth, resource };
}

/** The error message of creating the utilization, or fails the test when it is created. */
function errorOf(props: AgentUtilizationProps): string {
  return propsErrorMessage(() => new AgentUtilization(newStack(), "Utilization", props));
}

describe("AgentUtilization", () => {
  it("sets only the media types given, with include_non_acd false by default", () => {
    const { utilization, resource } = synthUtilization({ message: { maximumCapacity: 10 } });
    expect(utilization.node.defaultChild).toBe(utilization.resource);
    expect(utilization.resource).toBeInstanceOf(RoutingUtilization);
    expect(resource).toEqual({ message: { maximum_capacity: 10, include_non_acd: false } });
  });

  it("sets every media type with its interrupters and non-ACD blocking", () => {
    const { synth } = synthUtilization({
      call: { maximumCapacity: 1, includeNonAcd: true },
      callback: { maximumCapacity: 1, interruptibleBy: ["call"] },
      chat: { maximumCapacity: 3 },
      email: { maximumCapacity: 2, interruptibleBy: ["call", "callback", "message"] },
      message: { maximumCapacity: 25, interruptibleBy: ["call"] },
    });
    expect(synth).toHaveResourceWithProperties(RoutingUtilization, {
      call: { maximum_capacity: 1, include_non_acd: true },
      callback: { maximum_capacity: 1, include_non_acd: false, interruptible_media_types: ["call"] },
      chat: { maximum_capacity: 3, include_non_acd: false },
      email: {
        maximum_capacity: 2,
        include_non_acd: false,
        interruptible_media_types: ["call", "callback", "message"],
      },
      message: { maximum_capacity: 25, include_non_acd: false, interruptible_media_types: ["call"] },
    });
  });

  it("is protected from destroy exactly when protectFromDestroy is true, like every construct", () => {
    expect(
      synthUtilization({ message: { maximumCapacity: 4 }, protectFromDestroy: true }).resource,
    ).toMatchObject({ lifecycle: { prevent_destroy: true } });
    for (const protectFromDestroy of [false, undefined]) {
      expect(
        synthUtilization({ message: { maximumCapacity: 4 }, protectFromDestroy }).resource,
      ).not.toHaveProperty("lifecycle");
    }
  });

  it("accepts a capacity of 0, which keeps agents from getting that media type", () => {
    expect(synthUtilization({ email: { maximumCapacity: 0 } }).resource).toMatchObject({
      email: { maximum_capacity: 0 },
    });
  });

  it("exposes the utilization's id", () => {
    expect(synthUtilization({ message: { maximumCapacity: 4 } }).utilization.utilizationId).toMatch(
      /\$\{TfToken\[/,
    );
  });

  it("fails when no media type is set", () => {
    expect(errorOf({})).toContain(
      "at least one of call, callback, chat, email, message must be set, got none",
    );
  });

  it("fails when a capacity is outside 0 to 25, not an integer or missing", () => {
    const message = errorOf({
      call: { maximumCapacity: 26 },
      chat: { maximumCapacity: -1 },
      email: { maximumCapacity: 1.5 },
      message: {} as never,
    });
    expect(message).toContain("call.maximumCapacity must be an integer from 0 to 25, got 26");
    expect(message).toContain("chat.maximumCapacity must be an integer from 0 to 25, got -1");
    expect(message).toContain("email.maximumCapacity must be an integer from 0 to 25, got 1.5");
    expect(message).toContain("message.maximumCapacity must be an integer from 0 to 25, got nothing");
  });

  it("fails when a media type is interruptible by itself", () => {
    expect(errorOf({ message: { maximumCapacity: 4, interruptibleBy: ["message"] } })).toContain(
      'message.interruptibleBy[0] must be one of call, callback, chat, email, got "message" (a media type cannot interrupt itself)',
    );
  });

  it("fails when an interrupter is unknown or listed twice", () => {
    const message = errorOf({
      chat: { maximumCapacity: 2, interruptibleBy: ["video" as never, "call", "call"] },
    });
    expect(message).toContain(
      'chat.interruptibleBy[0] must be one of call, callback, email, message, got "video"',
    );
    expect(message).not.toContain("cannot interrupt itself");
    expect(message).toContain('chat.interruptibleBy[2] must be listed once, got "call"');
  });

  it("fails when a second utilization is added to the same stack", () => {
    const stack = newStack();
    new AgentUtilization(stack, "First", { message: { maximumCapacity: 4 } });
    expect(() => new AgentUtilization(stack, "Second", { message: { maximumCapacity: 5 } })).toThrow(
      "test/Second: invalid props\n  - only one AgentUtilization may exist per stack (it is the org's single setting), found test/First",
    );
  });

  it("fails with every problem at once, starting with the construct path", () => {
    expect(
      errorOf({
        call: { maximumCapacity: 30, interruptibleBy: ["call"] },
        message: { maximumCapacity: 100 },
      }).split("\n"),
    ).toEqual([
      "test/Utilization: invalid props",
      "  - call.maximumCapacity must be an integer from 0 to 25, got 30",
      '  - call.interruptibleBy[0] must be one of callback, chat, email, message, got "call" (a media type cannot interrupt itself)',
      "  - message.maximumCapacity must be an integer from 0 to 25, got 100",
    ]);
  });
});

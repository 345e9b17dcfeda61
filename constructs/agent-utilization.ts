/**
 * The org-wide agent utilization (`genesyscloud_routing_utilization`): how many conversations of each media type
 * an agent handles at once, and which media types may interrupt which. One per org, so one per stack.
 */
import { TerraformStack } from "cdktf";
import { Construct } from "constructs";
import {
  RoutingUtilization,
  type RoutingUtilizationMessage,
} from "../.gen/providers/genesyscloud/routing-utilization";
import { UTILIZATION_MAXIMUM_CAPACITY, UTILIZATION_MEDIA_TYPES, type UtilizationMediaType } from "../genesys";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** Whether non-ACD conversations block a media type, when not given: the provider's default. */
export const DEFAULT_INCLUDE_NON_ACD = false;

/** The settings of one media type. */
export interface MediaUtilization {
  /**
   * Conversations of this media type an agent handles at once, 0 (none) to 25.
   */
  readonly maximumCapacity: number;
  /**
   * Other media types whose offers may interrupt one of this type (`interruptible_media_types`).
   * @default - none may
   */
  readonly interruptibleBy?: readonly UtilizationMediaType[];
  /**
   * Block this media type while the agent is on a non-ACD conversation.
   * @default DEFAULT_INCLUDE_NON_ACD (false)
   */
  readonly includeNonAcd?: boolean;
}

/**
 * Props of the `AgentUtilization`: a media type left out reverts to Genesys's default for it. Protect it in any
 * org people work in (`protectFromDestroy`): deleting it does not remove one object, it resets the whole org's
 * utilization to Genesys's defaults, for every agent, at once.
 */
export interface AgentUtilizationProps extends DestroyProtectionProps {
  /**
   * Voice calls.
   * @default - reverts to Genesys's default for calls
   */
  readonly call?: MediaUtilization;
  /**
   * Callbacks.
   * @default - reverts to Genesys's default for callbacks
   */
  readonly callback?: MediaUtilization;
  /**
   * Legacy web chats.
   * @default - reverts to Genesys's default for chats
   */
  readonly chat?: MediaUtilization;
  /**
   * Emails.
   * @default - reverts to Genesys's default for emails
   */
  readonly email?: MediaUtilization;
  /**
   * Messages of every channel (web messaging, SMS, WhatsApp, ...), which share one capacity.
   * @default - reverts to Genesys's default for messages
   */
  readonly message?: MediaUtilization;
}

/**
 * One `genesyscloud_routing_utilization` (child id `Resource`). Media types left out revert to Genesys's
 * defaults on every apply (the provider sends the whole org setting). Destroying it resets every agent's
 * utilization, so the environment stack protects it whenever the environment asks for protection.
 */
export class AgentUtilization extends Construct {
  /** The utilization's id (always "routing_utilization": the setting is the org's). */
  public readonly utilizationId: string;
  /** The generated utilization resource (also `node.defaultChild`). */
  public readonly resource: RoutingUtilization;

  constructor(scope: Construct, id: string, props: AgentUtilizationProps) {
    super(scope, id);
    validateProps(this, props, checkAgentUtilizationProps);

    const block = (media: UtilizationMediaType): RoutingUtilizationMessage | undefined => {
      const settings = props[media];
      return (
        settings && {
          maximumCapacity: settings.maximumCapacity,
          interruptibleMediaTypes: settings.interruptibleBy && [...settings.interruptibleBy],
          includeNonAcd: settings.includeNonAcd ?? DEFAULT_INCLUDE_NON_ACD,
        }
      );
    };
    this.resource = new RoutingUtilization(this, "Resource", {
      call: block("call"),
      callback: block("callback"),
      chat: block("chat"),
      email: block("email"),
      message: block("message"),
      lifecycle: destroyLifecycle(props),
    });
    this.utilizationId = this.resource.id;
  }
}

/** Records every problem with the utilization's props, and a second utilization in the same stack. */
function checkAgentUtilizationProps(checker: PropsChecker, props: AgentUtilizationProps): void {
  const configured = UTILIZATION_MEDIA_TYPES.filter((media) => props[media] !== undefined);
  if (configured.length === 0) {
    checker.note(`at least one of ${UTILIZATION_MEDIA_TYPES.join(", ")} must be set, got none`);
  }
  for (const media of configured) {
    const settings = props[media] as MediaUtilization;
    const capacity = UTILIZATION_MAXIMUM_CAPACITY;
    checker.within(`${media}.maximumCapacity`, settings.maximumCapacity, capacity);
    if (settings.maximumCapacity === undefined) {
      checker.problem(
        `${media}.maximumCapacity`,
        undefined,
        `an integer from ${capacity.min} to ${capacity.max}`,
      );
    }
    const interrupters = settings.interruptibleBy;
    if (interrupters === undefined || isUnresolved(interrupters)) continue;
    const others = UTILIZATION_MEDIA_TYPES.filter((other) => other !== media);
    interrupters.forEach((other, index) => {
      const prop = `${media}.interruptibleBy[${index}]`;
      if (isUnresolved(other)) return;
      if (!others.includes(other)) {
        const hint = other === media ? "a media type cannot interrupt itself" : undefined;
        checker.problem(prop, other, `one of ${others.join(", ")}`, hint);
      } else if (interrupters.indexOf(other) < index) {
        checker.problem(prop, other, "listed once");
      }
    });
  }

  const stack = TerraformStack.of(checker.scope);
  const others = stack.node.findAll().filter((c) => c instanceof AgentUtilization && c !== checker.scope);
  if (others.length > 0) {
    checker.note(
      `only one AgentUtilization may exist per stack (it is the org's single setting), found ${others
        .map((c) => c.node.path)
        .join(", ")}`,
    );
  }
}

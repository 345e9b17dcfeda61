/**
 * The voice channel's entry, composed: the phone numbers' IVR, the inbound call flow it starts, the Data Action
 * the flow may call first, and the queue every call ends in.
 */
import { Construct } from "constructs";
import { DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS, displayName } from "../genesys";
import { DataAction, DEFAULT_DATA_ACTION_TIMEOUT_SECONDS, type DataActionProps } from "./data-action";
import {
  checkCallerWait,
  DEFAULT_MAX_CALLER_WAIT_SECONDS,
  InboundCallFlow,
  type InboundCallTemplates,
} from "./inbound-call-flow";
import { checkDnis, Ivr } from "./ivr";
import type { DestroyProtectionProps } from "./protection";
import { Queue, type CallMediaSettings, type QueueProps } from "./queue";
import type { ShardMembership } from "./sharded-web-messaging-channel";
import { PropsChecker, validateProps } from "./validation";
import type { WrapupCode, WrapupCodes } from "./wrapup-codes";

/** The name of the voice entry's objects after the environment prefix: "Prod Voice", "Prod Voice Entry", …. */
export const VOICE_NAME = "Voice";

/** The voice queue's settings beyond its call media settings (the message settings do not apply to calls). */
export type VoiceQueueSettings = Pick<QueueProps, "acwMode" | "acwTimeoutMs" | "skillEvaluationMethod">;

/** Props of {@link VoiceEntry}. */
export interface VoiceEntryProps extends DestroyProtectionProps {
  /**
   * Prefix of every display name (the environment's, e.g. "Prod"): "Prod Voice" (queue), "Prod Voice Entry"
   * (flow), "Prod Voice IVR".
   */
  readonly namePrefix: string;
  /**
   * The phone numbers of the IVR, in E.164 form.
   */
  readonly dnis: readonly string[];
  /**
   * The call flow templates, read by the stack.
   */
  readonly templates: InboundCallTemplates;
  /**
   * How the queue offers calls.
   * @default - every call setting at the Queue's defaults
   */
  readonly call?: CallMediaSettings;
  /**
   * The queue's after-call work and skill settings.
   * @default - the Queue's defaults
   */
  readonly queue?: VoiceQueueSettings;
  /**
   * The wrap-up codes agents pick from after a call.
   * @default - not managed
   */
  readonly wrapupCodes?: WrapupCodes | readonly WrapupCode[];
  /**
   * Who answers the queue.
   * @default - no members (calls wait unanswered)
   */
  readonly membership?: ShardMembership;
  /**
   * The Data Action the flow calls first (built here, child id `DataAction`); an acknowledge-only action
   * (`acknowledgeDataActionProps`) for anything that writes to a ticketing system.
   * @default - no Data Action: the flow greets and transfers
   */
  readonly dataAction?: DataActionProps;
  /**
   * The Data Action's input-contract property that receives `Call.ConversationId`.
   * @default DEFAULT_DATA_ACTION_INPUT ("conversationId")
   */
  readonly dataActionInput?: string;
  /**
   * What the caller hears before the transfer.
   * @default DEFAULT_CALL_GREETING
   */
  readonly greeting?: string;
  /**
   * How long a caller may wait at the entry: the Data Action's timeout must be shorter.
   * @default DEFAULT_MAX_CALLER_WAIT_SECONDS (30)
   */
  readonly maxCallerWaitSeconds?: number;
  /**
   * Name (not id) of the division of the flow.
   * @default - the org's Home division
   */
  readonly divisionName?: string;
}

/**
 * A voice entry that does not hang: an IVR (`Ivr`) whose numbers start one inbound call flow (`Flow`), which calls
 * an optional Data Action (`DataAction`) whose success, failure and timeout all end in a transfer to one queue
 * (`Queue`, with call settings). Every call reaches the queue within the Data Action's timeout, which the flow
 * checks against `maxCallerWaitSeconds`.
 *
 * A composite: its objects are `queue`, `flow`, `ivr` and `dataAction` (each with its own `resource`).
 */
export class VoiceEntry extends Construct {
  /** The queue every call ends in. */
  public readonly queue: Queue;
  /** The Data Action the flow calls first; undefined without one. */
  public readonly dataAction: DataAction | undefined;
  /** The inbound call flow. */
  public readonly flow: InboundCallFlow;
  /** The IVR whose numbers start the flow. */
  public readonly ivr: Ivr;

  constructor(scope: Construct, id: string, props: VoiceEntryProps) {
    super(scope, id);
    validateProps(this, props, checkVoiceEntryProps);
    const protectFromDestroy = props.protectFromDestroy;
    const membership = props.membership ?? {};
    this.queue = new Queue(this, "Queue", {
      name: displayName(props.namePrefix, VOICE_NAME),
      ...props.queue,
      call: props.call ?? {},
      wrapupCodes: props.wrapupCodes,
      groupIds: membership.groupIds,
      skillGroupIds: membership.skillGroupIds,
      teamIds: membership.teamIds,
      protectFromDestroy,
    });
    this.dataAction =
      props.dataAction && new DataAction(this, "DataAction", { ...props.dataAction, protectFromDestroy });
    this.flow = new InboundCallFlow(this, "Flow", {
      name: displayName(props.namePrefix, `${VOICE_NAME} Entry`),
      queue: this.queue,
      templates: props.templates,
      divisionName: props.divisionName,
      greeting: props.greeting,
      dataAction: this.dataAction,
      dataActionInput: props.dataActionInput,
      maxCallerWaitSeconds: props.maxCallerWaitSeconds,
      protectFromDestroy,
    });
    this.ivr = new Ivr(this, "Ivr", {
      name: displayName(props.namePrefix, `${VOICE_NAME} IVR`),
      dnis: props.dnis,
      openHoursFlow: this.flow,
      protectFromDestroy,
    });
  }
}

/**
 * What must hold before any part is built: the numbers and the Data Action's timeout against the caller's wait
 * (each part checks the rest of its own props when it is built).
 */
function checkVoiceEntryProps(check: PropsChecker, props: VoiceEntryProps): void {
  check.text("namePrefix", props.namePrefix, 40);
  checkDnis(check, props.dnis);
  check.within("maxCallerWaitSeconds", props.maxCallerWaitSeconds, { min: 2, integer: true });
  const action = props.dataAction;
  if (action) {
    const timeout =
      action.timeoutSeconds ??
      (action.pattern === "acknowledge"
        ? DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS
        : DEFAULT_DATA_ACTION_TIMEOUT_SECONDS);
    checkCallerWait(check, timeout, props.maxCallerWaitSeconds ?? DEFAULT_MAX_CALLER_WAIT_SECONDS);
  }
}

/**
 * An Architect inbound call flow, published from one of the repository's YAML templates under `flows/`. The
 * construct reads no file: the stack reads the templates and passes their text in (`templates`).
 */
import { join } from "node:path";
import { Construct } from "constructs";
import { Flow } from "../.gen/providers/genesyscloud/flow";
import {
  CALL_GREETING_MAX_LENGTH,
  DATA_ACTION_PLATFORM_DEFAULT_TIMEOUT_SECONDS,
  REPORTED_CALLER_WAIT_SECONDS,
} from "../genesys";
import type { DataAction } from "./data-action";
import {
  DEFAULT_DATA_ACTION_INPUT,
  FLOWS_DIR,
  checkDataActionInput,
  checkQuotedValues,
  publishFlow,
  substitutionProblems,
  type FlowQueue,
  type FlowTemplate,
} from "./inbound-message-flow";
import type { DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** The template of a call flow that greets the caller and transfers to one queue. */
export const INBOUND_CALL_TEMPLATE = join(FLOWS_DIR, "inbound-call.yaml");

/** The template of a call flow that calls a Data Action first; its failure and timeout paths still transfer. */
export const INBOUND_CALL_DATA_ACTION_TEMPLATE = join(FLOWS_DIR, "inbound-call-data-action.yaml");

/** What the caller hears before the transfer when no greeting is given. */
export const DEFAULT_CALL_GREETING = "Thank you for calling. Please hold for the next available agent.";

/**
 * How long a caller may wait at the flow's entry when nothing else is said: the wall of the load-test report
 * (genesys/voice.ts, {@link REPORTED_CALLER_WAIT_SECONDS}: observed, no Genesys source).
 */
export const DEFAULT_MAX_CALLER_WAIT_SECONDS = REPORTED_CALLER_WAIT_SECONDS;

/** The substitution keys every call flow fills. */
const SUBSTITUTION_KEYS = ["flow_name", "division", "queue_name", "greeting"] as const;

/** The substitution keys a call flow with a Data Action fills as well. */
const DATA_ACTION_SUBSTITUTION_KEYS = [
  "data_action_category",
  "data_action_name",
  "data_action_input",
] as const;

/** The templates an inbound call flow is published from; the flow picks one. */
export interface InboundCallTemplates {
  /**
   * The flow that greets and transfers ({@link INBOUND_CALL_TEMPLATE}).
   */
  readonly transfer: FlowTemplate;
  /**
   * The flow that calls a Data Action first ({@link INBOUND_CALL_DATA_ACTION_TEMPLATE}).
   */
  readonly dataAction: FlowTemplate;
}

/** Props of {@link InboundCallFlow}. */
export interface InboundCallFlowProps extends DestroyProtectionProps {
  /**
   * Flow name in Architect; it is the flow's identity (a new name publishes a new flow, the old one stays).
   */
  readonly name: string;
  /**
   * The queue every call is transferred to (give its `Queue` call settings).
   */
  readonly queue: FlowQueue;
  /**
   * The templates, read by the stack: `transfer`, or `dataAction` when the flow calls one.
   */
  readonly templates: InboundCallTemplates;
  /**
   * Name (not id) of the division the flow belongs to.
   * @default - the org's Home division, read with the `genesyscloud_auth_division_home` data source
   */
  readonly divisionName?: string;
  /**
   * What the caller hears (text to speech) before the Data Action and the transfer.
   * @default DEFAULT_CALL_GREETING
   */
  readonly greeting?: string;
  /**
   * A Data Action called before the transfer; its failure and timeout paths transfer to the same queue. Its
   * `timeoutSeconds` must be shorter than `maxCallerWaitSeconds`.
   * @default - no Data Action: the flow transfers after the greeting
   */
  readonly dataAction?: DataAction;
  /**
   * The Data Action's input-contract property that receives `Call.ConversationId`.
   * @default DEFAULT_DATA_ACTION_INPUT ("conversationId")
   */
  readonly dataActionInput?: string;
  /**
   * How long a caller may wait at the Call Data Action step, in seconds: the Data Action's timeout must be
   * shorter, so that every call reaches the queue before the caller (or the carrier, or a load driver) gives up.
   * @default DEFAULT_MAX_CALLER_WAIT_SECONDS (30, the report's observed wall)
   */
  readonly maxCallerWaitSeconds?: number;
}

/**
 * An inbound call flow (`genesyscloud_flow`, type `inboundCall`) that greets each caller and transfers the call to
 * one queue, optionally after a Data Action whose failure and timeout paths still transfer: a voice entry that does
 * not hang.
 *
 * **Why the timeout is checked.** A Call Data Action holds the call until the action returns or times out. Under
 * load, a slow backend holds every call at the entry, the org's concurrent Data Action executions fill up, and
 * calls wait until they drop (the load-test report: 30 s, then `408 requestTimedOut`). So at synth the Data
 * Action's own timeout must be shorter than `maxCallerWaitSeconds` (default 30 s, the report's wall) and, as
 * always, at most Genesys's 60 s; an action whose backend writes to a ticketing system should be an acknowledge-only
 * action (`acknowledgeDataActionProps`, 3 s by default). The flow's step sets no timeout of its own: the action's
 * timeout is the one that also frees its slot of the org's concurrent executions.
 *
 * Templates and substitutions work as in {@link InboundMessageFlow}: `{{flow_name}}`, `{{division}}`,
 * `{{queue_name}}`, `{{greeting}}` and, with a Data Action, `{{data_action_category}}`, `{{data_action_name}}`,
 * `{{data_action_input}}`, checked against the template's placeholders at synth; the template is copied into the
 * stack's output as a cdktf asset.
 */
export class InboundCallFlow extends Construct {
  /** Id of the published flow. */
  public readonly flowId: string;
  /** Name of the flow in Architect. */
  public readonly flowName: string;
  /** The absolute path of the template the flow is published from. */
  public readonly templatePath: string;
  /** The longest a call waits at the flow's Data Action, in seconds (0 without one): its timeout. */
  public readonly dataActionWaitSeconds: number;
  /** How long a caller may wait at the entry, in seconds. */
  public readonly maxCallerWaitSeconds: number;
  /** The generated flow resource (also `node.defaultChild`). */
  public readonly resource: Flow;

  constructor(scope: Construct, id: string, props: InboundCallFlowProps) {
    super(scope, id);
    validateProps(this, props, checkInboundCallFlowProps);
    const templatePath = templateOf(props).path;

    this.resource = publishFlow(this, {
      ...props,
      templatePath,
      substitutions: {
        greeting: props.greeting ?? DEFAULT_CALL_GREETING,
        ...(props.dataAction && {
          data_action_category: props.dataAction.category,
          data_action_name: props.dataAction.actionName,
          data_action_input: props.dataActionInput ?? DEFAULT_DATA_ACTION_INPUT,
        }),
      },
    });
    this.flowId = this.resource.id;
    this.flowName = props.name;
    this.templatePath = templatePath;
    this.dataActionWaitSeconds = props.dataAction?.timeoutSeconds ?? 0;
    this.maxCallerWaitSeconds = props.maxCallerWaitSeconds ?? DEFAULT_MAX_CALLER_WAIT_SECONDS;
  }
}

/** The template a call flow is published from: the Data Action one when it calls one. */
function templateOf(props: InboundCallFlowProps): FlowTemplate {
  return props.dataAction ? props.templates.dataAction : props.templates.transfer;
}

/** Records every problem with the call flow's props, its template's placeholders and its Data Action's timeout. */
function checkInboundCallFlowProps(check: PropsChecker, props: InboundCallFlowProps): void {
  const dataActionInput = props.dataActionInput ?? DEFAULT_DATA_ACTION_INPUT;
  const { path: templatePath, text: template } = templateOf(props);
  if (!isUnresolved(props.name) && (props.name ?? "").trim() === "") {
    check.problem("name", props.name, "a non-empty flow name");
  }
  check.text("greeting", props.greeting, CALL_GREETING_MAX_LENGTH);
  check.within("maxCallerWaitSeconds", props.maxCallerWaitSeconds, { min: 2, integer: true });
  checkQuotedValues(check, templatePath, [
    ["name", props.name],
    ["queue.queueName", props.queue?.queueName],
    ["divisionName", props.divisionName],
    ["greeting", props.greeting],
    ["dataActionInput", props.dataAction ? dataActionInput : undefined],
  ]);
  if (props.dataActionInput !== undefined && !props.dataAction) {
    check.problem(
      "dataActionInput",
      props.dataActionInput,
      "left out without a dataAction",
      "nothing would call it",
    );
  }
  if (props.dataAction) {
    checkDataActionInput(check, props.dataAction, dataActionInput, "Call.ConversationId");
    checkCallerWait(
      check,
      props.dataAction.timeoutSeconds,
      props.maxCallerWaitSeconds ?? DEFAULT_MAX_CALLER_WAIT_SECONDS,
    );
  }
  const keys = [...SUBSTITUTION_KEYS, ...(props.dataAction ? DATA_ACTION_SUBSTITUTION_KEYS : [])];
  for (const problem of substitutionProblems(templatePath, template, keys)) check.note(problem);
}

/**
 * Records a Data Action timeout (`dataAction.timeoutSeconds`) that is not shorter than the caller's wait: a call waits at the step for up to the action's timeout,
 * so a timeout as long as the caller's patience (or Genesys's default 60 s) lets calls hang and drop.
 */
export function checkCallerWait(check: PropsChecker, timeout: number, maxCallerWaitSeconds: number): void {
  if (isUnresolved(timeout) || isUnresolved(maxCallerWaitSeconds)) return;
  if (timeout >= maxCallerWaitSeconds) {
    check.problem(
      "dataAction.timeoutSeconds",
      timeout,
      `shorter than maxCallerWaitSeconds (${maxCallerWaitSeconds})`,
      `a call waits at the Call Data Action step until the action returns or times out; at ` +
        `${maxCallerWaitSeconds} s the load-test report's calls dropped with 408 requestTimedOut. Keep the ` +
        `timeout to a few seconds, or make the action acknowledge-only (acknowledgeDataActionProps, ` +
        `${DATA_ACTION_PLATFORM_DEFAULT_TIMEOUT_SECONDS} s is Genesys's default when none is set)`,
    );
  }
}

/**
 * An Architect inbound message flow, published from one of the repository's YAML templates under `flows/`. The
 * construct reads no file: the stack reads the templates and passes their text in (`templates`).
 */
import { basename, join, relative } from "node:path";
import { AssetType, TerraformAsset, TerraformResource, TerraformStack } from "cdktf";
import { Construct, type IConstruct } from "constructs";
import { DataGenesyscloudAuthDivisionHome } from "../.gen/providers/genesyscloud/data-genesyscloud-auth-division-home";
import { Flow } from "../.gen/providers/genesyscloud/flow";
import type { DataAction } from "./data-action";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** The folder of the Architect YAML templates, absolute, so the stack's asset finds them from any working folder. */
export const FLOWS_DIR = join(__dirname, "..", "flows");

/** The template of a flow that transfers every conversation to one queue. */
export const INBOUND_MESSAGE_TEMPLATE = join(FLOWS_DIR, "inbound-message.yaml");

/** The template of a flow that calls a Data Action first; its failure and timeout paths still transfer. */
export const INBOUND_MESSAGE_DATA_ACTION_TEMPLATE = join(FLOWS_DIR, "inbound-message-data-action.yaml");

/** The input-contract property that receives the conversation id when none is named. */
export const DEFAULT_DATA_ACTION_INPUT = "conversationId";

/** The substitution keys every flow fills. */
const SUBSTITUTION_KEYS = ["flow_name", "division", "queue_name"] as const;

/** The substitution keys a flow with a Data Action fills as well. */
const DATA_ACTION_SUBSTITUTION_KEYS = [
  "data_action_category",
  "data_action_name",
  "data_action_input",
] as const;

/** A `{{key}}` placeholder, as the provider's `substitutions` replaces it (double braces, no spaces). */
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/**
 * The queue a flow transfers to: any construct with the queue's name, such as the `Queue` construct. When it is a
 * Terraform resource or has one as its `node.defaultChild` (child id `Resource`), the flow depends on it; a `queueName` that refers to the
 * resource's `name` orders the two as well. Either way the queue exists before the flow is published, which
 * Architect needs (a flow naming a missing queue fails to publish).
 */
export interface FlowQueue extends IConstruct {
  /**
   * The queue's display name, as the flow's transfer names it.
   */
  readonly queueName: string;
}

/** One Architect YAML template: where it is and what it says. */
export interface FlowTemplate {
  /**
   * Absolute path of the file, which the stack's asset copies into its output for Terraform.
   */
  readonly path: string;
  /**
   * The file's text, read by the caller: its `{{key}}` placeholders are checked against the substitutions.
   */
  readonly text: string;
}

/** The templates an inbound message flow is published from; the flow picks one. */
export interface InboundMessageTemplates {
  /**
   * The flow that transfers at once ({@link INBOUND_MESSAGE_TEMPLATE}).
   */
  readonly transfer: FlowTemplate;
  /**
   * The flow that calls a Data Action first ({@link INBOUND_MESSAGE_DATA_ACTION_TEMPLATE}).
   */
  readonly dataAction: FlowTemplate;
}

/** Props of {@link InboundMessageFlow}. */
export interface InboundMessageFlowProps extends DestroyProtectionProps {
  /**
   * Flow name in Architect; it is the flow's identity (a new name publishes a new flow, the old one stays).
   */
  readonly name: string;
  /**
   * The queue every conversation is transferred to.
   */
  readonly queue: FlowQueue;
  /**
   * The templates, read by the stack: `transfer`, or `dataAction` when the flow calls one.
   */
  readonly templates: InboundMessageTemplates;
  /**
   * Name (not id) of the division the flow belongs to.
   * @default - the org's Home division, read with the `genesyscloud_auth_division_home` data source
   */
  readonly divisionName?: string;
  /**
   * A Data Action called before the transfer; its failure and timeout paths transfer to the same queue.
   * @default - no Data Action: the flow transfers at once
   */
  readonly dataAction?: DataAction;
  /**
   * The Data Action's input-contract property that receives `Message.ConversationId`.
   * @default DEFAULT_DATA_ACTION_INPUT ("conversationId")
   */
  readonly dataActionInput?: string;
}

/**
 * An inbound message flow (`genesyscloud_flow`, type `inboundShortMessage`) that transfers each conversation to
 * one queue, optionally after a Data Action whose failure and timeout paths still transfer (fail fast).
 *
 * The construct picks the template from `templates` (`flows/inbound-message.yaml`, or
 * `flows/inbound-message-data-action.yaml` with a Data Action), which the stack read, and fills it through
 * `substitutions`: `{{flow_name}}`, `{{division}}`, `{{queue_name}}` and, with a Data Action,
 * `{{data_action_category}}`, `{{data_action_name}}`, `{{data_action_input}}`. At synth it checks that these keys
 * and the template's placeholders are the same set. The `filepath` is the template copied into the
 * stack's output as a cdktf asset (`assets/<id>/<content hash>/<file>`, relative to `cdktf.out/stacks/<stack>`,
 * where Terraform runs): one copy per template per stack, found wherever the stack is planned, and the same path on
 * every machine, so a plan made in CI and one made on a workstation do not differ by a checkout's location.
 *
 * Redeploys: the provider hashes the template itself (`file_content_hash` is computed in 1.82.0 and cannot be set),
 * so editing a template plans an update of every flow made from it; a changed substitution value is a diff on
 * `substitutions`. No `update_trigger_hash` is set.
 */
export class InboundMessageFlow extends Construct {
  /** Id of the published flow. */
  public readonly flowId: string;
  /** Name of the flow in Architect. */
  public readonly flowName: string;
  /** The absolute path of the template the flow is published from. */
  public readonly templatePath: string;
  /** The generated flow resource (also `node.defaultChild`). */
  public readonly resource: Flow;

  constructor(scope: Construct, id: string, props: InboundMessageFlowProps) {
    super(scope, id);
    validateProps(this, props, checkInboundMessageFlowProps);
    const dataActionInput = props.dataActionInput ?? DEFAULT_DATA_ACTION_INPUT;
    const templatePath = templateOf(props).path;

    this.resource = publishFlow(this, {
      ...props,
      templatePath,
      substitutions: props.dataAction && {
        data_action_category: props.dataAction.category,
        data_action_name: props.dataAction.actionName,
        data_action_input: dataActionInput,
      },
    });
    this.flowId = this.resource.id;
    this.flowName = props.name;
    this.templatePath = templatePath;
  }
}

/** What {@link publishFlow} publishes. */
export interface PublishedFlow extends DestroyProtectionProps {
  /**
   * The flow's name in Architect (`{{flow_name}}`).
   */
  readonly name: string;
  /**
   * The queue it transfers to (`{{queue_name}}`); the flow depends on its resource.
   */
  readonly queue: FlowQueue;
  /**
   * The division's name (`{{division}}`).
   * @default - the org's Home division, read with the `genesyscloud_auth_division_home` data source
   */
  readonly divisionName?: string;
  /**
   * The template's absolute path.
   */
  readonly templatePath: string;
  /**
   * The template's other substitutions, after flow_name, division and queue_name.
   * @default - none
   */
  readonly substitutions?: Readonly<Record<string, string>>;
}

/**
 * A flow construct's `genesyscloud_flow` (child id `Resource`): its template as the stack's asset, filled with
 * `{{flow_name}}`, `{{division}}` (a `genesyscloud_auth_division_home` look-up, child `HomeDivision`, when no name is
 * given), `{{queue_name}}` and the rest, and published after its queue. One way for every flow type.
 */
export function publishFlow(scope: Construct, flow: PublishedFlow): Flow {
  const division = flow.divisionName ?? new DataGenesyscloudAuthDivisionHome(scope, "HomeDivision", {}).name;
  const queueResource = resourceOf(flow.queue);
  return new Flow(scope, "Resource", {
    filepath: templateAsset(scope, flow.templatePath).path,
    substitutions: {
      flow_name: flow.name,
      division,
      queue_name: flow.queue.queueName,
      ...flow.substitutions,
    },
    dependsOn: queueResource ? [queueResource] : undefined,
    lifecycle: destroyLifecycle(flow),
  });
}

/** The `{{key}}` placeholders of a template, each once, in order of appearance. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]))];
}

/**
 * One line per mismatch between a template's placeholders and the substitution keys: a placeholder without a
 * value would reach Architect as literal `{{key}}` (the publish fails), a value without a placeholder is a typo.
 */
export function substitutionProblems(
  templatePath: string,
  template: string,
  keys: readonly string[],
): string[] {
  const file = templateName(templatePath);
  const placeholders = placeholdersOf(template);
  return [
    ...placeholders
      .filter((key) => !keys.includes(key))
      .map(
        (key) =>
          `placeholder {{${key}}} in ${file} has no substitution value (substitutions: ${keys.join(", ")})`,
      ),
    ...keys
      .filter((key) => !placeholders.includes(key))
      .map(
        (key) =>
          `substitution "${key}" has no {{${key}}} placeholder in ${file} (placeholders: ${placeholders.join(", ")})`,
      ),
  ];
}

/** The template a flow is published from: the Data Action one when it calls one. */
function templateOf(props: InboundMessageFlowProps): FlowTemplate {
  return props.dataAction ? props.templates.dataAction : props.templates.transfer;
}

/** Records every problem with the flow's props, its template's placeholders included. */
function checkInboundMessageFlowProps(check: PropsChecker, props: InboundMessageFlowProps): void {
  const dataActionInput = props.dataActionInput ?? DEFAULT_DATA_ACTION_INPUT;
  const { path: templatePath, text: template } = templateOf(props);
  if (!isUnresolved(props.name) && (props.name ?? "").trim() === "") {
    check.problem("name", props.name, "a non-empty flow name");
  }
  const values: [string, string | undefined][] = [
    ["name", props.name],
    ["queue.queueName", props.queue?.queueName],
    ["divisionName", props.divisionName],
    ["dataActionInput", props.dataAction ? dataActionInput : undefined],
  ];
  checkQuotedValues(check, templatePath, values);
  if (props.dataActionInput !== undefined && !props.dataAction) {
    check.problem(
      "dataActionInput",
      props.dataActionInput,
      "left out without a dataAction",
      "nothing would call it",
    );
  }
  if (props.dataAction) checkDataActionInput(check, props.dataAction, dataActionInput);
  const keys = [...SUBSTITUTION_KEYS, ...(props.dataAction ? DATA_ACTION_SUBSTITUTION_KEYS : [])];
  for (const problem of substitutionProblems(templatePath, template, keys)) check.note(problem);
}

/**
 * Records every substitution value that cannot go unescaped into a quoted string of a template (the provider
 * inserts values as they are): quotes, backslashes, line breaks and placeholder braces.
 */
export function checkQuotedValues(
  check: PropsChecker,
  templatePath: string,
  values: readonly (readonly [string, string | undefined])[],
): void {
  for (const [prop, value] of values) {
    if (value === undefined || isUnresolved(value)) continue;
    if (/["\\\r\n]|\{\{|\}\}/.test(value)) {
      check.problem(
        prop,
        value,
        'text without ", \\, line breaks, {{ or }}',
        `it is inserted unescaped into a quoted string of ${templateName(templatePath)}`,
      );
    }
  }
}

/**
 * The flow passes the conversation id (`source`) as the Data Action's only input: the contract must declare that
 * property and require nothing else, or Architect could not publish the call.
 */
export function checkDataActionInput(
  check: PropsChecker,
  action: DataAction,
  input: string,
  source = "Message.ConversationId",
): void {
  const contract = action.contractInput;
  const properties = Object.keys((contract.properties as Record<string, unknown> | undefined) ?? {});
  if (!properties.includes(input)) {
    check.problem(
      "dataActionInput",
      input,
      `a property of the Data Action's input contract (${properties.join(", ") || "none"})`,
      `the flow passes ${source} to it`,
    );
  }
  const required = Array.isArray(contract.required) ? (contract.required as string[]) : [];
  const unfilled = required.filter((property) => property !== input);
  if (unfilled.length > 0) {
    check.problem(
      "dataAction.contractInput.required",
      required,
      `at most ["${input}"]`,
      `the flow fills only ${input}; make ${unfilled.join(", ")} optional`,
    );
  }
}

/** A template's path as people read it in messages: `flows/inbound-message.yaml`. */
export function templateName(templatePath: string): string {
  return relative(join(FLOWS_DIR, ".."), templatePath);
}

/** The Terraform resource behind a queue construct, when it can be found. */
export function resourceOf(queue: FlowQueue): TerraformResource | undefined {
  if (queue instanceof TerraformResource) return queue;
  const child = queue.node.defaultChild;
  return child instanceof TerraformResource ? child : undefined;
}

/**
 * The stack's one asset for a template, shared by every flow made from it. Its path carries the content hash, so an
 * edited template is a new `filepath` (and a new `file_content_hash`): every flow from it is updated.
 */
export function templateAsset(scope: Construct, templatePath: string): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const id = `FlowTemplate-${basename(templatePath, ".yaml")}`;
  return (
    (stack.node.tryFindChild(id) as TerraformAsset | undefined) ??
    new TerraformAsset(stack, id, { path: templatePath, type: AssetType.FILE })
  );
}

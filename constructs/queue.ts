/**
 * A routing queue for message conversations (`genesyscloud_routing_queue`): its message media settings, after
 * conversation work, wrap-up codes and who answers it (groups, teams, skill groups or individual users).
 */
import { Construct } from "constructs";
import {
  RoutingQueue,
  type RoutingQueueMediaSettingsCall,
  type RoutingQueueMediaSettingsMessage,
  type RoutingQueueMediaSettingsMessageSubTypeSettings,
} from "../.gen/providers/genesyscloud/routing-queue";
import {
  ACW_MODES,
  DEFAULT_ACW_MODE,
  ID_MAX_LENGTH,
  INACTIVITY_TIMEOUT_ACTIONS,
  MESSAGE_SUBTYPES,
  QUEUE_NAME_MAX_LENGTH,
  QUEUE_RANGES,
  SKILL_EVALUATION_METHODS,
  TIMED_ACW_MODES,
  type AcwMode,
  type InactivityTimeoutAction,
  type MessageSubtype,
  type SkillEvaluationMethod,
} from "../genesys";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";
import { WrapupCodes, type WrapupCode } from "./wrapup-codes";

/** The skill evaluation method when none is given: the provider's and Genesys's own default. */
export const DEFAULT_SKILL_EVALUATION_METHOD: SkillEvaluationMethod = "ALL";
/** Seconds a message offer rings an agent before it goes to the next one. */
export const DEFAULT_ALERTING_TIMEOUT_SECONDS = 30;
/** The service level target: this fraction of conversations answered within `DEFAULT_SERVICE_LEVEL_DURATION_MS`. */
export const DEFAULT_SERVICE_LEVEL_PERCENTAGE = 0.8;
/** The service level target's answer time, in milliseconds. */
export const DEFAULT_SERVICE_LEVEL_DURATION_MS = 20_000;
/** Whether message offers connect without the agent accepting them: the provider's default. */
export const DEFAULT_AUTO_ANSWER = false;
/** What an inactivity timeout does when none is given. */
export const DEFAULT_INACTIVITY_TIMEOUT_ACTION: InactivityTimeoutAction = "DISCONNECT";
/** The channels an inactivity timeout applies to when none are given: Messenger (web messaging) only. */
export const DEFAULT_INACTIVITY_TIMEOUT_SUBTYPES: readonly MessageSubtype[] = ["webmessaging"];
/** A member's bullseye ring when none is given: the provider's default, the innermost ring. */
export const DEFAULT_RING_NUMBER = 1;

/** A user who is a member of the queue directly, not through a group. */
export interface QueueMember {
  /**
   * The user's id (usually from a `genesyscloud_user` data source).
   */
  readonly userId: string;
  /**
   * The bullseye ring the user answers in, 1 (first) to 6.
   * @default DEFAULT_RING_NUMBER (1)
   */
  readonly ringNumber?: number;
}

/** What happens to a message conversation in which nobody writes for a while. */
export interface InactivityTimeout {
  /**
   * Seconds without a message after which `action` runs.
   */
  readonly timeoutSeconds: number;
  /**
   * Disconnect the conversation or hand it to an Architect flow.
   * @default DEFAULT_INACTIVITY_TIMEOUT_ACTION ("DISCONNECT")
   */
  readonly action?: InactivityTimeoutAction;
  /**
   * The Architect flow that takes the conversation; required with, and only with, SEND_TO_ARCHITECT_FLOW.
   * @default - no flow: the only other action, DISCONNECT, takes none
   */
  readonly flowId?: string;
  /**
   * The channels the timeout is switched on for.
   * @default DEFAULT_INACTIVITY_TIMEOUT_SUBTYPES (["webmessaging"])
   */
  readonly subtypes?: readonly MessageSubtype[];
}

/**
 * How the queue offers calls (`media_settings_call`). Every field left out takes the same default as the message
 * settings, so a voice queue reads like a messaging one.
 */
export interface CallMediaSettings {
  /**
   * Seconds a call alerts an agent before it moves on, at least 7.
   * @default DEFAULT_ALERTING_TIMEOUT_SECONDS (30)
   */
  readonly alertingTimeoutSeconds?: number;
  /**
   * Service level target for calls: the fraction answered in time, 0 to 1.
   * @default DEFAULT_SERVICE_LEVEL_PERCENTAGE (0.8)
   */
  readonly serviceLevelPercentage?: number;
  /**
   * Service level target for calls: the answer time in milliseconds, at least 1000.
   * @default DEFAULT_SERVICE_LEVEL_DURATION_MS (20000)
   */
  readonly serviceLevelDurationMs?: number;
  /**
   * Connect calls without the agent answering.
   * @default DEFAULT_AUTO_ANSWER (false)
   */
  readonly autoAnswer?: boolean;
}

/** Props of a `Queue`: the message media settings apply to every messaging channel the queue serves. */
export interface QueueProps extends DestroyProtectionProps {
  /**
   * The queue's name, unique in the org (compose it with `displayName`).
   */
  readonly name: string;
  /**
   * What the queue is for, for administrators.
   * @default - no description
   */
  readonly description?: string;
  /**
   * The division the queue belongs to.
   * @default - Genesys puts the queue in the home division
   */
  readonly divisionId?: string;
  /**
   * Seconds a message offer alerts an agent before it moves on, at least 7.
   * @default DEFAULT_ALERTING_TIMEOUT_SECONDS (30)
   */
  readonly alertingTimeoutSeconds?: number;
  /**
   * Service level target for messages: the fraction answered in time, 0 to 1.
   * @default DEFAULT_SERVICE_LEVEL_PERCENTAGE (0.8)
   */
  readonly serviceLevelPercentage?: number;
  /**
   * Service level target for messages: the answer time in milliseconds, at least 1000.
   * @default DEFAULT_SERVICE_LEVEL_DURATION_MS (20000)
   */
  readonly serviceLevelDurationMs?: number;
  /**
   * Connect message offers without the agent accepting them.
   * @default DEFAULT_AUTO_ANSWER (false)
   */
  readonly autoAnswer?: boolean;
  /**
   * How the queue offers calls; give it for a queue a call flow transfers to.
   * @default - not managed: Genesys keeps its own call settings (a messaging queue needs none)
   */
  readonly call?: CallMediaSettings;
  /**
   * Ends or hands off message conversations that go quiet.
   * @default - no inactivity timeout: idle conversations stay open
   */
  readonly inactivityTimeout?: InactivityTimeout;
  /**
   * How the agent is asked for a wrap-up code.
   * @default DEFAULT_ACW_MODE ("MANDATORY_TIMEOUT")
   */
  readonly acwMode?: AcwMode;
  /**
   * How long after-conversation work may last, 1 s to 1 day; only with a timed `acwMode`.
   * @default - Genesys keeps its own ACW timeout
   */
  readonly acwTimeoutMs?: number;
  /**
   * How agents' skills are matched.
   * @default DEFAULT_SKILL_EVALUATION_METHOD ("ALL")
   */
  readonly skillEvaluationMethod?: SkillEvaluationMethod;
  /**
   * The wrap-up codes agents pick from.
   * @default - not managed: the queue keeps whatever codes Genesys has on it
   */
  readonly wrapupCodes?: WrapupCodes | readonly WrapupCode[];
  /**
   * Groups whose users are members.
   * @default - no groups
   */
  readonly groupIds?: readonly string[];
  /**
   * Skill groups whose users are members.
   * @default - no skill groups
   */
  readonly skillGroupIds?: readonly string[];
  /**
   * Teams whose users are members.
   * @default - no teams
   */
  readonly teamIds?: readonly string[];
  /**
   * Users who are members directly; not with groups, skill groups or teams.
   * @default - no direct members: provider 1.82.0 removes every user added to the queue directly (not through a
   * group, skill group or team) on create and on every update, and a later plan shows one added by hand as drift
   */
  readonly members?: readonly QueueMember[];
}

/** One `genesyscloud_routing_queue` (child id `Resource`) for message conversations, and calls with `call`. */
export class Queue extends Construct {
  /** The queue's id in Genesys Cloud (resolves at apply time). */
  public readonly queueId: string;
  /**
   * The queue's name as a reference to the created queue: a flow that names the queue by it (Architect looks
   * queues up by name) is published only after the queue exists.
   */
  public readonly queueName: string;
  /** The generated queue resource (also `node.defaultChild`). */
  public readonly resource: RoutingQueue;

  constructor(scope: Construct, id: string, props: QueueProps) {
    super(scope, id);
    validateProps(this, props, checkQueueProps);

    const wrapupCodes =
      props.wrapupCodes instanceof WrapupCodes ? props.wrapupCodes.codes : props.wrapupCodes;
    this.resource = new RoutingQueue(this, "Resource", {
      name: props.name,
      description: props.description,
      divisionId: props.divisionId,
      acwWrapupPrompt: props.acwMode ?? DEFAULT_ACW_MODE,
      acwTimeoutMs: props.acwTimeoutMs,
      skillEvaluationMethod: props.skillEvaluationMethod ?? DEFAULT_SKILL_EVALUATION_METHOD,
      mediaSettingsMessage: messageSettings(props),
      mediaSettingsCall: props.call && callSettings(props.call),
      wrapupCodes: wrapupCodes?.map((code) => code.codeId),
      groups: props.groupIds && [...props.groupIds],
      skillGroups: props.skillGroupIds && [...props.skillGroupIds],
      teams: props.teamIds && [...props.teamIds],
      members: props.members?.map((member) => ({
        userId: member.userId,
        ringNum: member.ringNumber ?? DEFAULT_RING_NUMBER,
      })),
      lifecycle: destroyLifecycle(props),
    });
    this.queueId = this.resource.id;
    this.queueName = this.resource.name;
  }
}

/**
 * The `media_settings_message` block, every field set so that Genesys's values never show as drift. The
 * inactivity timeout is switched on per channel (`sub_type_settings`), sorted by channel as the provider reads
 * them back; the block-wide `enable_inactivity_timeout` is a no-op in the API (provider docs) and is left out.
 */
function messageSettings(props: QueueProps): RoutingQueueMediaSettingsMessage {
  const autoAnswer = props.autoAnswer ?? DEFAULT_AUTO_ANSWER;
  const timeout = props.inactivityTimeout;
  const subtypes = [...(timeout?.subtypes ?? DEFAULT_INACTIVITY_TIMEOUT_SUBTYPES)].sort();
  const subTypeSettings: RoutingQueueMediaSettingsMessageSubTypeSettings[] | undefined =
    timeout &&
    subtypes.map((mediaType) => ({ mediaType, enableAutoAnswer: autoAnswer, enableInactivityTimeout: true }));
  return {
    alertingTimeoutSec: props.alertingTimeoutSeconds ?? DEFAULT_ALERTING_TIMEOUT_SECONDS,
    serviceLevelPercentage: props.serviceLevelPercentage ?? DEFAULT_SERVICE_LEVEL_PERCENTAGE,
    serviceLevelDurationMs: props.serviceLevelDurationMs ?? DEFAULT_SERVICE_LEVEL_DURATION_MS,
    enableAutoAnswer: autoAnswer,
    inactivityTimeoutSettings: timeout && {
      timeoutSeconds: timeout.timeoutSeconds,
      actionType: timeout.action ?? DEFAULT_INACTIVITY_TIMEOUT_ACTION,
      flowId: timeout.flowId,
    },
    subTypeSettings,
  };
}

/** The `media_settings_call` block, every field set so that Genesys's values never show as drift. */
function callSettings(call: CallMediaSettings): RoutingQueueMediaSettingsCall {
  return {
    alertingTimeoutSec: call.alertingTimeoutSeconds ?? DEFAULT_ALERTING_TIMEOUT_SECONDS,
    serviceLevelPercentage: call.serviceLevelPercentage ?? DEFAULT_SERVICE_LEVEL_PERCENTAGE,
    serviceLevelDurationMs: call.serviceLevelDurationMs ?? DEFAULT_SERVICE_LEVEL_DURATION_MS,
    enableAutoAnswer: call.autoAnswer ?? DEFAULT_AUTO_ANSWER,
  };
}

/** Records blank ids and ids listed twice; `propAt` names the prop of the id at an index. */
function checkIds(
  checker: PropsChecker,
  ids: readonly string[] | undefined,
  propAt: (index: number) => string,
): void {
  if (ids === undefined || isUnresolved(ids)) return;
  ids.forEach((id, index) => {
    checker.text(propAt(index), id, ID_MAX_LENGTH, true);
    if (!isUnresolved(id) && ids.indexOf(id) < index) checker.problem(propAt(index), id, "listed once");
  });
}

/** Records every problem with a queue's props. */
function checkQueueProps(checker: PropsChecker, props: QueueProps): void {
  checker
    .text("name", props.name, QUEUE_NAME_MAX_LENGTH, true)
    .text("divisionId", props.divisionId, ID_MAX_LENGTH)
    .within(
      "serviceLevelPercentage",
      props.serviceLevelPercentage,
      QUEUE_RANGES.serviceLevelPercentage,
      "0.8 means 80% answered in time",
    )
    .oneOf("acwMode", props.acwMode, ACW_MODES)
    .oneOf("skillEvaluationMethod", props.skillEvaluationMethod, SKILL_EVALUATION_METHODS)
    .within("alertingTimeoutSeconds", props.alertingTimeoutSeconds, QUEUE_RANGES.alertingTimeoutSeconds)
    .within("serviceLevelDurationMs", props.serviceLevelDurationMs, QUEUE_RANGES.serviceLevelDurationMs);
  checkAcw(checker, props);
  if (props.call) {
    const { call } = props;
    checker
      .within("call.alertingTimeoutSeconds", call.alertingTimeoutSeconds, QUEUE_RANGES.alertingTimeoutSeconds)
      .within("call.serviceLevelPercentage", call.serviceLevelPercentage, QUEUE_RANGES.serviceLevelPercentage)
      .within(
        "call.serviceLevelDurationMs",
        call.serviceLevelDurationMs,
        QUEUE_RANGES.serviceLevelDurationMs,
      );
  }
  if (props.inactivityTimeout) checkInactivityTimeout(checker, props.inactivityTimeout);
  checkMembership(checker, props);
}

function checkAcw(checker: PropsChecker, props: QueueProps): void {
  checker.within("acwTimeoutMs", props.acwTimeoutMs, QUEUE_RANGES.acwTimeoutMs, "1 s to 1 day");
  const mode = props.acwMode ?? DEFAULT_ACW_MODE;
  if (props.acwTimeoutMs !== undefined && !isUnresolved(mode) && !TIMED_ACW_MODES.includes(mode)) {
    checker.problem(
      "acwTimeoutMs",
      props.acwTimeoutMs,
      `left out with acwMode ${mode}`,
      `a timeout applies only to ${TIMED_ACW_MODES.join(", ")}`,
    );
  }
}

function checkInactivityTimeout(checker: PropsChecker, timeout: InactivityTimeout): void {
  const action = timeout.action ?? DEFAULT_INACTIVITY_TIMEOUT_ACTION;
  checker.within("inactivityTimeout.timeoutSeconds", timeout.timeoutSeconds, { min: 1, integer: true });
  checker.oneOf("inactivityTimeout.action", timeout.action, INACTIVITY_TIMEOUT_ACTIONS);
  if (action === "SEND_TO_ARCHITECT_FLOW") {
    checker.text("inactivityTimeout.flowId", timeout.flowId, ID_MAX_LENGTH, true);
  } else if (timeout.flowId !== undefined && !isUnresolved(action)) {
    checker.problem("inactivityTimeout.flowId", timeout.flowId, `left out with action ${action}`);
  }
  const subtypes = timeout.subtypes;
  if (subtypes === undefined || isUnresolved(subtypes)) return;
  if (subtypes.length === 0) checker.problem("inactivityTimeout.subtypes", [], "at least one channel");
  subtypes.forEach((subtype, index) => {
    checker.oneOf(`inactivityTimeout.subtypes[${index}]`, subtype, MESSAGE_SUBTYPES);
    if (subtypes.indexOf(subtype) < index) {
      checker.problem(`inactivityTimeout.subtypes[${index}]`, subtype, "listed once");
    }
  });
}

function checkMembership(checker: PropsChecker, props: QueueProps): void {
  const groupProps = ["groupIds", "skillGroupIds", "teamIds"] as const;
  for (const prop of groupProps) checkIds(checker, props[prop], (index) => `${prop}[${index}]`);
  const members = props.members ?? [];
  checkIds(
    checker,
    members.map((member) => member.userId),
    (index) => `members[${index}].userId`,
  );
  members.forEach((member, index) =>
    checker.within(`members[${index}].ringNumber`, member.ringNumber, QUEUE_RANGES.ringNumber),
  );

  // The provider fails the apply when a listed user is also a member through any member group (it reads the
  // queue's members with memberBy=group); whether one is cannot be known at synth, so the two are exclusive.
  const viaGroups = groupProps.filter((prop) => {
    const ids = props[prop];
    return ids !== undefined && (isUnresolved(ids) || ids.length > 0);
  });
  if (members.length > 0 && viaGroups.length > 0) {
    checker.problem(
      "members",
      members.map((member) => member.userId),
      `left out when ${viaGroups.join(", ")} ${viaGroups.length > 1 ? "are" : "is"} set`,
      "add the users to one of the groups, or list every member in members",
    );
  }
}

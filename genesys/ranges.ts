/**
 * What Genesys Cloud accepts: the ranges, enumerations and name lengths of the objects this project manages, each
 * with its source. The environment schema (config/), the constructs, the planner (capacity/) and the plan review
 * read them from here; nothing else writes these numbers again.
 *
 * Sources, in order of precedence: the validation of the pinned Terraform provider, mypurecloud/genesyscloud
 * 1.82.0 (file and check named; a value the provider refuses never reaches Genesys), then the Platform API's
 * documentation. Where the two disagree the provider wins, and the comment says so. A bound that neither states
 * is this project's own and says that too.
 */

/** A range of numbers Genesys accepts, both ends included. */
export interface Range {
  /** The smallest value accepted. */
  readonly min: number;
  /**
   * The largest value accepted.
   * @default - no upper bound
   */
  readonly max?: number;
  /** Whether only whole numbers are accepted. */
  readonly integer: boolean;
}

// --- Routing queue (genesyscloud_routing_queue) -------------------------------------------------------------------

// "Queue schema" below: provider 1.82.0, genesyscloud/routing_queue/resource_genesyscloud_routing_queue_schema.go.

/** Ranges of a queue's settings. */
export const QUEUE_RANGES = {
  /** Seconds a message offer alerts an agent. Source: queue schema `alerting_timeout_sec`: IntAtLeast(7). */
  alertingTimeoutSeconds: { min: 7, integer: true },
  /** Service level target as a fraction. Source: queue schema `service_level_percentage`: FloatBetween(0, 1). */
  serviceLevelPercentage: { min: 0, max: 1, integer: false },
  /** Service level answer time, ms. Source: queue schema `service_level_duration_ms`: IntAtLeast(1000). */
  serviceLevelDurationMs: { min: 1000, integer: true },
  /**
   * After-conversation work timeout, ms: 1 s to 1 day.
   *
   * Upper bound: queue schema `acw_timeout_ms`: IntBetween(0, 86400000), one day. The attribute's description
   * says "Min: 1 sec, Max: 60 min" (3,600,000), older API wording; the check wins, so nothing the pinned provider
   * sends to Genesys is refused here.
   *
   * Lower bound: the check lets 0 through, but 0 never reaches Genesys: `buildSdkAcwSettings`
   * (routing_queue/resource_genesyscloud_routing_queue_utils.go) reads the value with `d.GetOk`, which treats 0
   * as unset, so Genesys keeps its own timeout and, the attribute being Computed, every plan shows a change. Any
   * value from 1 reaches the API, whose minimum the description gives as 1 s (1,000).
   */
  acwTimeoutMs: { min: 1000, max: 86_400_000, integer: true },
  /** A member's bullseye ring. Source: queue schema `members.ring_num`: IntBetween(1, 6). */
  ringNumber: { min: 1, max: 6, integer: true },
} as const satisfies Record<string, Range>;

/** How the agent desktop asks for a wrap-up code. Source: queue schema `acw_wrapup_prompt`: StringInSlice. */
export const ACW_MODES = [
  "MANDATORY",
  "OPTIONAL",
  "MANDATORY_TIMEOUT",
  "MANDATORY_FORCED_TIMEOUT",
  "AGENT_REQUESTED",
] as const;

/** How the agent desktop asks for a wrap-up code after a conversation (after-conversation work, ACW). */
export type AcwMode = (typeof ACW_MODES)[number];

/** The ACW mode when none is given. Source: queue schema `acw_wrapup_prompt`: Default "MANDATORY_TIMEOUT". */
export const DEFAULT_ACW_MODE: AcwMode = "MANDATORY_TIMEOUT";

/**
 * The ACW modes that end after-conversation work on a timer, the only ones an ACW timeout applies to. Source:
 * provider 1.82.0 `buildSdkAcwSettings` (routing_queue/resource_genesyscloud_routing_queue_utils.go) sends
 * `acw_timeout_ms` only with these; the attribute's description names the same three.
 */
export const TIMED_ACW_MODES: readonly AcwMode[] = [
  "MANDATORY_TIMEOUT",
  "MANDATORY_FORCED_TIMEOUT",
  "AGENT_REQUESTED",
];

/** How agents' skills are matched. Source: queue schema `skill_evaluation_method`: StringInSlice. */
export const SKILL_EVALUATION_METHODS = ["NONE", "BEST", "ALL"] as const;

/** How an agent's skills are matched against a conversation's required skills. */
export type SkillEvaluationMethod = (typeof SKILL_EVALUATION_METHODS)[number];

/**
 * What Genesys does with a message conversation idle past its inactivity timeout. Source: queue schema
 * `inactivity_timeout_settings.action_type`: StringInSlice.
 */
export const INACTIVITY_TIMEOUT_ACTIONS = ["DISCONNECT", "SEND_TO_ARCHITECT_FLOW"] as const;

/** What Genesys does with a message conversation that stays idle past the inactivity timeout. */
export type InactivityTimeoutAction = (typeof INACTIVITY_TIMEOUT_ACTIONS)[number];

/**
 * Messaging channels (message subtypes) with their own queue settings. The provider does not check
 * `sub_type_settings.media_type` (its description gives webmessaging, instagram and whatsapp as examples); the
 * list is the message subtypes of the Platform API's queue media settings.
 */
export const MESSAGE_SUBTYPES = [
  "webmessaging",
  "open",
  "sms",
  "whatsapp",
  "facebook",
  "instagram",
  "twitter",
  "line",
] as const;

/** A messaging channel (message subtype) that has its own queue settings. */
export type MessageSubtype = (typeof MESSAGE_SUBTYPES)[number];

// --- Agent utilization (genesyscloud_routing_utilization) ---------------------------------------------------------

/**
 * Media types with their own utilization settings (the provider's block names). Source: provider 1.82.0
 * routing_utilization/resource_genesyscloud_routing_utilization_schema.go, blocks call, callback, chat, email,
 * message.
 */
export const UTILIZATION_MEDIA_TYPES = ["call", "callback", "chat", "email", "message"] as const;

/** A media type with its own utilization settings (the provider's block names). */
export type UtilizationMediaType = (typeof UTILIZATION_MEDIA_TYPES)[number];

/**
 * Conversations of one media type an agent can be given at once: 0 to 25. Source: provider 1.82.0
 * routing_utilization schema `maximum_capacity`: IntBetween(0, 25); Genesys help "Configure utilization at the org
 * level" (at most 25 per interaction type). Every messaging channel shares the one `message` capacity.
 */
export const UTILIZATION_MAXIMUM_CAPACITY = { min: 0, max: 25, integer: true } as const satisfies Range;

// --- Messenger (genesyscloud_webdeployments_configuration) --------------------------------------------------------

// "Messenger schema" below: provider 1.82.0,
// genesyscloud/webdeployments_configuration/resource_genesyscloud_webdeployments_configuration_schema.go.

/**
 * File types guests may attach. Source: Messenger schema `file_upload.mode.file_types` ("Valid values:
 * image/jpeg, image/gif, image/png"); its StringInSlice is commented out in 1.82.0, so the provider itself
 * checks nothing and this list is the only check before the API.
 */
export const MESSENGER_FILE_TYPES = ["image/jpeg", "image/gif", "image/png"] as const;

/** A file type guests may attach. */
export type MessengerFileType = (typeof MESSENGER_FILE_TYPES)[number];

/**
 * Largest attachment, in kilobytes: 0 to 10240 (10 MB). Source: Messenger schema `file_upload.mode.max_file_size_kb`:
 * IntBetween(0, 10240), "Default is 10240 (10 MB)".
 */
export const MESSENGER_MAX_FILE_SIZE_KB = { min: 0, max: 10_240, integer: true } as const satisfies Range;

/**
 * A language code as Messenger lists them: `en-us`, `fr`, `zh-cn`. The provider checks only that `languages` has
 * one entry (MinItems 1); the format is the one Messenger's configurations use.
 */
export const MESSENGER_LANGUAGE = /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/i;

/**
 * Longest Messenger configuration name. Source: Messenger schema `name`: StringLenBetween(1, 100).
 */
export const MESSENGER_CONFIGURATION_NAME_MAX_LENGTH = 100;

// --- Data Actions (genesyscloud_integration_action) ----------------------------------------------------------------

/**
 * An action's execution timeout, seconds: 1 to 60. Source: provider 1.82.0
 * integration_action/resource_genesyscloud_integration_action_schema.go `config_timeout_seconds`: IntBetween(1,
 * 60) ("Optional 1-60 second timeout"), the API's `ActionConfig.timeoutSeconds`. The planner takes the longest
 * as the longest a slow backend can hold a flow.
 */
export const DATA_ACTION_TIMEOUT_SECONDS = { min: 1, max: 60, integer: true } as const satisfies Range;

/**
 * HTTP methods an action can call its backend with. Source: integration_action schema
 * `config_request.request_type`: StringInSlice(GET, PUT, POST, PATCH, DELETE).
 */
export const DATA_ACTION_METHODS = ["GET", "PUT", "POST", "PATCH", "DELETE"] as const;

/** An HTTP method a Data Action can call its backend with. */
export type DataActionMethod = (typeof DATA_ACTION_METHODS)[number];

/**
 * Longest action name or category. Source: integration_action schema `name` and `category`:
 * StringLenBetween(1, 256). The integration's own `name` is not checked by the provider; the same bound applies.
 */
export const DATA_ACTION_NAME_MAX_LENGTH = 256;

// --- Names and ids ------------------------------------------------------------------------------------------------

/**
 * Longest queue name. The provider does not check `name` and the API reference states no limit: 255 is this
 * project's bound (the emulator enforces the same).
 */
export const QUEUE_NAME_MAX_LENGTH = 255;

/**
 * Longest wrap-up code name, prefix included. Neither the provider nor the API reference states a limit: 255 is
 * this project's bound, and a longer name would not be readable in the agent's picker anyway.
 */
export const WRAPUP_CODE_NAME_MAX_LENGTH = 255;

/** Longest accepted object id: ids are GUIDs (36 characters), so this bound only catches pasted garbage. */
export const ID_MAX_LENGTH = 255;

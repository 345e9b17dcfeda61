/** The capacity planner's public API. Pure: nothing here imports cdktf, constructs, the file system or the network. */
export { LIMITS_CATALOG, LIMIT_KEYS, isLimitKey, resolveLimitValues, resolveLimits } from "./catalog";
export { EVIDENCE_TEXT, ceilingBasis, describeBasis, observedCeilingNote, raiseAdvice } from "./evidence";
export {
  ACCEPTABLE_INFEASIBLE_CODES,
  DEFAULT_DEPLOYMENTS_PER_QUEUE,
  DEFAULT_HEADROOM,
  DEFAULT_OAUTH_CLIENTS,
  DEFAULT_SPARE_SHARDS,
  DEPLOY_API_REQUESTS_PER_DEPLOYMENT,
  DEPLOY_API_REQUESTS_PER_QUEUE_GROUP,
  DEPLOY_API_REQUESTS_PER_SHARD,
  DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE,
  DEPLOY_MINUTES_WARNING_THRESHOLD,
  INFEASIBLE_CODES,
  MAX_DATA_ACTION_LATENCY_SECONDS,
  MAX_OAUTH_CLIENTS,
  MAX_PLANNED_SHARDS,
  PLAN_API_REQUESTS_BY_RESOURCE,
  PlanInputError,
  limitLabel,
  planShards,
  type PlanOptions,
} from "./plan";
export type { FieldNamer, PlanField } from "./errors";
export {
  checkRamp,
  formatMinutes,
  planRamp,
  rampRates,
  type Ramp,
  type RampLimits,
  type RampWarning,
  type RampWarningCode,
} from "./ramp";
export { formatNumber, formatTable, formatValue, type ColumnAlign } from "./format";
export {
  DEFAULT_VOICE_HEADROOM,
  VOICE_INFEASIBLE_CODES,
  VoicePlanInputError,
  planVoice,
  type VoicePlan,
  type VoicePlanInput,
  type VoiceWarning,
  type VoiceWarningCode,
} from "./voice";
export type * from "./types";

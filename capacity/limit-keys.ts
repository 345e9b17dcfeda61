import type { LimitKey } from "./types";

/** Every key of the limits catalog, for validating overrides (e.g. in environment files). */
export const LIMIT_KEYS = [
  "webMessagingSessionsPerDeployment",
  "webMessagingSessionsPerOrg",
  "webMessagingConnectionsPerDeploymentPerMinute",
  "webMessagingMessagesPerSessionPerSecond",
  "webDeploymentsPerOrg",
  "queuesPerOrg",
  "queueMembersPerQueue",
  "queueConversationsPerQueue",
  "dataActionConcurrentExecutions",
  "dataActionExecutionsPerMinute",
  "oauthClientRequestsPerMinute",
  "platformApiRequestsPerOrgPerMinute",
  "agentMaxMessageCapacity",
] as const satisfies readonly LimitKey[];

// Fails to compile when a LimitKey is added to types.ts but not listed here.
type Missing = Exclude<LimitKey, (typeof LIMIT_KEYS)[number]>;
const _complete: [Missing] extends [never] ? true : Missing = true;
void _complete;

/**
 * The limits catalog: fallback values of the Genesys Cloud limits that shape a shard plan, each citing its
 * source (collected in the research notes genesys-limits.md). Defaults change and many are configurable per
 * org, so read the org's real values with `GET /api/v2/organizations/limits/namespaces/{namespace}` and pass
 * them as overrides; these numbers are only fallbacks.
 */
import { UTILIZATION_MAXIMUM_CAPACITY } from "../genesys";
import { PlanInputError, formatValue } from "./errors";
import { LIMIT_KEYS } from "./limit-keys";
import type { CeilingOrigin, LimitDefinition, LimitKey, LimitOverrides } from "./types";

export { LIMIT_KEYS };

const BLUEPRINT =
  "GenesysCloudBlueprints/design-architect-flow-data-actions-for-resiliency blueprint/index.md";

/** Every limit the planner knows, by key. */
export const LIMITS_CATALOG: Readonly<Record<LimitKey, LimitDefinition>> = {
  webMessagingSessionsPerDeployment: {
    key: "webMessagingSessionsPerDeployment",
    title: "Concurrent web messaging sessions per deployment",
    defaultValue: 150,
    unit: "sessions",
    scope: "deployment",
    raisable: "unknown",
    evidence: "observed",
    source:
      'Load tests: HTTP 503 "Max concurrent connections exceeded" at about 150 concurrent connections per ' +
      "Messenger deployment. Not published by Genesys; no Limits API key is known.",
    reference: "load-test reports of HTTP 503 at about 150 per deployment, not published by Genesys",
  },
  webMessagingSessionsPerOrg: {
    key: "webMessagingSessionsPerOrg",
    title: "Concurrent web messaging sessions per org (tenant-wide)",
    defaultValue: undefined,
    unit: "sessions",
    scope: "org",
    raisable: "unknown",
    evidence: "observed",
    source:
      'The load-test reports behind the ~150 ceiling quote "Max concurrent connections exceeded for tenant": ' +
      "the wall may be org-wide, which no number of deployments lifts. No Genesys source documents a " +
      "concurrent connections or sessions limit per deployment or per org, and no Limits API key for one is " +
      "known; give the org's value when Genesys states it.",
    reference:
      'load-test reports ("Max concurrent connections exceeded for tenant"), not published by Genesys',
    // No key is known. A key of web.messaging named like one of these would be the org-wide ceiling.
    genesysCandidates: {
      namespace: "web.messaging",
      keys: /^(concurrent\.)?(connections|sessions)(\.concurrent)?\.max$/,
    },
  },
  webMessagingConnectionsPerDeploymentPerMinute: {
    key: "webMessagingConnectionsPerDeploymentPerMinute",
    title: "New web messaging WebSocket connections per deployment per minute",
    defaultValue: 1000,
    unit: "connections/min",
    scope: "deployment",
    raisable: true,
    evidence: "secondary",
    source:
      "github.com/MyPureCloud/genesys-messenger-transport-mobile-sdk/issues/347 (maintainer reply: " +
      "connections.rate.per.minute is configurable per org); the value 1000 comes from unattributed " +
      "third-party notes. Reconnects after network loss or page reloads count too.",
    reference: "a Genesys maintainer (configurable, issue #347) and third-party notes (the value)",
    genesys: { namespace: "web.messaging", key: "connections.rate.per.minute" },
  },
  webMessagingMessagesPerSessionPerSecond: {
    key: "webMessagingMessagesPerSessionPerSecond",
    title: "Web messaging messages per session per second",
    defaultValue: 2,
    unit: "messages/s",
    scope: "session",
    raisable: "unknown",
    evidence: "confirmed",
    source:
      "developer.genesys.cloud/forum/t/web-messaging-messages-per-session-rate-limit-change/23587 (Genesys " +
      "announcement, 2023-12-11): messages.per.session.rate.per.second is 2, replacing " +
      "messages.per.session.rate.per.minute = 60; it applies to onMessage. Unattributed third-party notes " +
      "(2026-10) claim 5 per second. Over it the guest API answers TooManyRequestsErrorMessage 429 with " +
      "retryAfter in seconds (MobileSDK test fixtures). A load driver paces each session's messages within it.",
    reference: "a Genesys forum announcement (2 per second, 2023-12)",
    genesys: { namespace: "web.messaging", key: "messages.per.session.rate.per.second" },
  },
  webDeploymentsPerOrg: {
    key: "webDeploymentsPerOrg",
    title: "Messenger deployments per org",
    defaultValue: undefined,
    unit: "deployments",
    scope: "org",
    raisable: "unknown",
    evidence: "secondary",
    source:
      "Key name web.deployments/deployments.max from unattributed third-party org-monitor code; no source " +
      "publishes a value. Read it with GET /api/v2/organizations/limits/namespaces/web.deployments.",
    reference: "third-party org-monitor code (the key name only); no published value",
    genesys: { namespace: "web.deployments", key: "deployments.max" },
  },
  queuesPerOrg: {
    key: "queuesPerOrg",
    title: "Queues per org",
    defaultValue: 5000,
    unit: "queues",
    scope: "org",
    raisable: "unknown",
    evidence: "secondary",
    source:
      "wiki.tinod.net (third-party study notes): 5,000 queues per org; key name routing/queues.max from " +
      "unattributed third-party code.",
    reference: "third-party study notes (wiki.tinod.net)",
    genesys: { namespace: "routing", key: "queues.max" },
  },
  queueMembersPerQueue: {
    key: "queueMembersPerQueue",
    title: "Members per queue",
    defaultValue: 5000,
    unit: "members",
    scope: "queue",
    raisable: "unknown",
    evidence: "secondary",
    source:
      "wiki.tinod.net (third-party study notes): 5,000 members per queue. No Genesys source found; no Limits API " +
      "key is known (the preflight looks for routing/members.max-like keys). Every queue group gets every agent " +
      "(the same groups, skill groups and teams), so it bounds the agents, not the number of queue groups.",
    reference: "third-party study notes (wiki.tinod.net)",
    genesysCandidates: { namespace: "routing", keys: /^(queue\.)?members(\.per\.queue)?\.max$/ },
  },
  queueConversationsPerQueue: {
    key: "queueConversationsPerQueue",
    title: "Concurrent conversations per queue",
    defaultValue: undefined,
    unit: "conversations",
    scope: "queue",
    raisable: "unknown",
    evidence: "none",
    source:
      "No Genesys source, SDK model, provider check or load-test report found states a ceiling on the " +
      "conversations one queue holds (waiting or answered); the Platform API documents only per-request bounds " +
      "(100 members or wrap-up codes per call). Record a value here when Genesys states one or a test finds it: it " +
      "then bounds how many deployments may share a queue.",
    reference: "no source found",
  },
  dataActionConcurrentExecutions: {
    key: "dataActionConcurrentExecutions",
    title: "Concurrent Data Action executions per org",
    defaultValue: 50,
    unit: "executions",
    scope: "org",
    raisable: "unknown",
    evidence: "confirmed",
    source:
      `${BLUEPRINT}: "50 concurrent data action executions" (commit 5eeabd2, 2023-03-29; 15 before). ` +
      "help.mypurecloud.com/articles/data-actions-integration-performance-analysis/ names the key and uses 50.",
    reference: "the Genesys blueprint design-architect-flow-data-actions-for-resiliency",
    genesys: { namespace: "dataactions", key: "actions.concurrent.executions.max" },
  },
  dataActionExecutionsPerMinute: {
    key: "dataActionExecutionsPerMinute",
    title: "Data Action executions per minute per org",
    defaultValue: 2500,
    unit: "executions/min",
    scope: "org",
    raisable: "unknown",
    evidence: "confirmed",
    source:
      `${BLUEPRINT}: "2500 data action executions per minute" (900 in 2021). The link to the key ` +
      "requests.volume.max (help.mypurecloud.com/articles/data-actions-integration-performance-analysis/) " +
      "is an inference.",
    reference: "the Genesys blueprint design-architect-flow-data-actions-for-resiliency",
    genesys: { namespace: "dataactions", key: "requests.volume.max" },
  },
  oauthClientRequestsPerMinute: {
    key: "oauthClientRequestsPerMinute",
    title: "Platform API requests per OAuth client-credentials token per minute",
    defaultValue: 300,
    unit: "requests/min",
    scope: "oauth-client",
    raisable: true,
    evidence: "confirmed",
    source:
      `${BLUEPRINT}: "300 platform API requests per OAuth2 token per minute". Key name and "configurable" ` +
      "(support case with a reason): community.genesys.com/discussion/api-limits (secondary).",
    reference: "the Genesys blueprint design-architect-flow-data-actions-for-resiliency",
    genesys: { namespace: "platform.api", key: "client.credentials.token.rate.per.minute" },
  },
  platformApiRequestsPerOrgPerMinute: {
    key: "platformApiRequestsPerOrgPerMinute",
    title: "Platform API requests per minute per org, all OAuth clients together",
    defaultValue: undefined,
    unit: "requests/min",
    scope: "org",
    raisable: "unknown",
    evidence: "none",
    source:
      "No Genesys source states an org-wide cap on Platform API requests across OAuth clients. The Limits page's " +
      "platform.api keys (as users and third-party code quote it) are per client or per user: " +
      "client.credentials.token.rate.per.minute 300 (per client-credentials token), token.rate.per.minute 300 " +
      "(per token), and org.app.user.rate.per.minute 3000, described as per organization per OAuth client per " +
      "user, which counts a user's Authorization Code or Implicit grant requests, not a client-credentials " +
      "deploy. A Genesys developer on community.genesys.com/discussion/rate-limits-for-data-actions-within-the-" +
      "architect-flows (2025-04): the limits page lists 3000 per minute for a user and no organization-wide " +
      "limit; community.genesys.com/discussion/api-limits (2025-10, community replies): the limit applies per " +
      "client credential, not per organization. The resiliency blueprint says services rate-limit at an " +
      "organization level, per service, without numbers. Record the org's value when Genesys states one: the " +
      "planner then caps the clients' combined rate at it.",
    reference:
      "no source found (Genesys's limits list per-client and per-user rates only; community threads api-limits " +
      "and rate-limits-for-data-actions-within-the-architect-flows)",
  },
  agentMaxMessageCapacity: {
    key: "agentMaxMessageCapacity",
    title: "Message conversations one agent can take at once (utilization capacity)",
    defaultValue: UTILIZATION_MAXIMUM_CAPACITY.max,
    unit: "conversations",
    scope: "agent",
    raisable: false,
    evidence: "confirmed",
    source:
      "help.genesys.cloud/articles/configure-utilization-at-the-org-level (maximum 25 per interaction type); " +
      "terraform-provider-genesyscloud routing_utilization schema: maximum_capacity IntBetween(0, 25). All " +
      "messaging channels share the one `message` capacity.",
    reference: "Genesys help (utilization, at most 25) and the provider's schema",
  },
};

/** Whether `key` names a catalog limit. */
export function isLimitKey(key: string): key is LimitKey {
  return Object.prototype.hasOwnProperty.call(LIMITS_CATALOG, key);
}

/**
 * Every limit's value: the override where one is given, else the catalog default (undefined where the
 * catalog has none).
 * @throws PlanInputError when an override names an unknown key or is not an integer >= 1.
 */
export function resolveLimits(overrides: LimitOverrides = {}): Record<LimitKey, number | undefined> {
  return resolveLimitValues(overrides).values;
}

/** Every limit's value and where it came from. */
export interface ResolvedLimits {
  readonly values: Record<LimitKey, number | undefined>;
  readonly origins: Record<LimitKey, Exclude<CeilingOrigin, "input">>;
}

/**
 * Every limit's value: the org's where it reported one, else the override, else the catalog default
 * (undefined where the catalog has none), with where each came from.
 * @throws PlanInputError when an override or org value names an unknown key or is not an integer >= 1.
 */
export function resolveLimitValues(overrides: LimitOverrides = {}, org: LimitOverrides = {}): ResolvedLimits {
  checkOverrides(overrides);
  checkOverrides(org);
  const values = {} as Record<LimitKey, number | undefined>;
  const origins = {} as Record<LimitKey, Exclude<CeilingOrigin, "input">>;
  for (const key of LIMIT_KEYS) {
    if (org[key] !== undefined) {
      values[key] = org[key];
      origins[key] = "org";
    } else if (overrides[key] !== undefined) {
      values[key] = overrides[key];
      origins[key] = "limits";
    } else {
      values[key] = LIMITS_CATALOG[key].defaultValue;
      origins[key] = "catalog";
    }
  }
  return { values, origins };
}

function checkOverrides(overrides: LimitOverrides): void {
  for (const [key, value] of Object.entries(overrides)) {
    if (!isLimitKey(key)) {
      throw new PlanInputError(
        `limits.${key}`,
        value,
        `one of the catalog keys (${LIMIT_KEYS.join(", ")})`,
        () =>
          `limits.${key} is not a catalog limit (got ${formatValue(value)}); allowed keys: ${LIMIT_KEYS.join(", ")}`,
      );
    }
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
      throw new PlanInputError(`limits.${key}`, value, `an integer >= 1 (${LIMITS_CATALOG[key].unit})`);
    }
  }
}

/**
 * Types of the capacity planner. This module is pure: it imports nothing from cdktf, constructs, the file
 * system or the network, so the stacks, the CLI and the preflight can all share it.
 */
import type { PlanField } from "./errors";
import type { Ramp } from "./ramp";

/** Who a limit applies to. */
export type LimitScope = "org" | "deployment" | "queue" | "session" | "agent" | "oauth-client";

/**
 * How much a catalog value can be trusted.
 * - `confirmed`: a Genesys help/developer page, SDK/API definition or Genesys-owned repository states it.
 * - `secondary`: a community reply or third-party notes; confirm it through the org's Limits API.
 * - `observed`: seen in load tests or forum reports of errors, not published by Genesys.
 * - `none`: no source found that states a value or says the limit exists; only a value the team records (or the
 *   org reports) makes it checked.
 */
export type LimitEvidence = "confirmed" | "secondary" | "observed" | "none";

/** Keys of the limits catalog. Environments override values by these keys. */
export type LimitKey =
  | "webMessagingSessionsPerDeployment"
  | "webMessagingSessionsPerOrg"
  | "webMessagingConnectionsPerDeploymentPerMinute"
  | "webMessagingMessagesPerSessionPerSecond"
  | "webDeploymentsPerOrg"
  | "queuesPerOrg"
  | "queueMembersPerQueue"
  | "queueConversationsPerQueue"
  | "dataActionConcurrentExecutions"
  | "dataActionExecutionsPerMinute"
  | "oauthClientRequestsPerMinute"
  | "platformApiRequestsPerOrgPerMinute"
  | "agentMaxMessageCapacity";

/** One entry of the limits catalog. */
export interface LimitDefinition {
  readonly key: LimitKey;
  /** Human title, e.g. "Concurrent web messaging sessions per deployment". */
  readonly title: string;
  /** The default value, or undefined when no source publishes one (the org's Limits API must tell). */
  readonly defaultValue: number | undefined;
  /** Unit of the value, e.g. "sessions", "connections/min", "executions/min". */
  readonly unit: string;
  readonly scope: LimitScope;
  /** Whether Genesys lets an org raise it on request ("unknown" where no source says). */
  readonly raisable: boolean | "unknown";
  readonly evidence: LimitEvidence;
  /** Where the default comes from: a URL or repository path, with a short quote or note. */
  readonly source: string;
  /** The source in a few words, for messages, e.g. "load-test reports, not published by Genesys". */
  readonly reference: string;
  /** The Limits API namespace and key that carry the org's effective value, when Genesys exposes one. */
  readonly genesys?: { readonly namespace: string; readonly key: string };
  /**
   * For a limit whose Limits API key no source names: the namespace to look in and the key names that would
   * carry it. The preflight takes a key of that namespace matching `keys` and names it in its report.
   */
  readonly genesysCandidates?: { readonly namespace: string; readonly keys: RegExp };
}

/** Per-environment (or per-org) overrides of catalog values. */
export type LimitOverrides = Partial<Record<LimitKey, number>>;

/** The org's own limits, as read from its Limits API (the capacity preflight). */
export interface OrgLimitValues {
  /** The org's effective values; they take precedence over `PlanInput.limits` and the catalog. */
  readonly values: LimitOverrides;
  /**
   * Whether Genesys documents each limit as configurable for the org (`configurable` in
   * GET /api/v2/organizations/limits/docs); it replaces the catalog's `raisable` in messages.
   * @default - the catalog's `raisable`
   */
  readonly configurable?: Partial<Record<LimitKey, boolean>>;
}

/**
 * Where the value of a ceiling came from.
 * - `catalog`: the limits catalog's default (its `evidence` says what that rests on);
 * - `limits`: an override in `PlanInput.limits` (the environment file's `limits:`, or a flag such as
 *   `--sessions-per-org`): a value the team recorded, e.g. after Genesys raised it;
 * - `org`: the org's Limits API (`PlanInput.orgLimits`, read by the preflight);
 * - `input`: a plan field set it (e.g. `sessionsPerShard`, `maxShards`, agents × capacity per agent).
 */
export type CeilingOrigin = "catalog" | "limits" | "org" | "input";

/** What a ceiling the plan was checked against rests on. */
export interface CeilingBasis {
  readonly origin: CeilingOrigin;
  /** The plan field that set the value (`input` and `limits` origins), e.g. "sessionsPerShard". */
  readonly field?: PlanField;
  /** What the catalog's source says about the limit itself; absent for ceilings that are no Genesys limit. */
  readonly evidence?: LimitEvidence;
  /** Whether the org can have the limit changed: the org's Limits docs when read, else the catalog. */
  readonly configurable: boolean | "unknown";
  readonly configurableFrom: "org" | "catalog";
  /** False when no value is known (the catalog has none and none was given): the ceiling was not checked. */
  readonly known: boolean;
  /**
   * True when no Genesys source documents the limit and the value is the catalog's or a plan field's, not one
   * the team recorded under `limits` or read from the org: only load tests show it.
   */
  readonly onlyObserved: boolean;
}

/**
 * The catalog limits that can stand for the org's ceiling on shards: every shard is one deployment, and every
 * queue group (one or more shards) one queue.
 */
export type ShardCeilingLimit = "webDeploymentsPerOrg" | "queuesPerOrg";

/**
 * The org's maximum number of shards (M), with where it came from.
 * - `{ value, source }`: an explicit number, e.g. `{ value: 40, source: "--max-shards" }`.
 * - `{ limit }`: a catalog limit; its value comes from `PlanInput.limits` or the catalog default.
 */
export type ShardCeiling =
  | { readonly value: number; readonly source: string; readonly limit?: ShardCeilingLimit }
  | { readonly limit: ShardCeilingLimit };

/** On-queue agents who take web messaging conversations. */
export interface AgentStaffing {
  /** Number of on-queue agents at peak. An integer >= 1. */
  readonly count: number;
  /** The `message` utilization capacity of each agent. An integer from 1 to the agentMaxMessageCapacity limit (25). */
  readonly capacityPerAgent: number;
}

/** The Data Actions that each new session runs (for example in its inbound message flow). */
export interface DataActionLoad {
  /** Data Action executions per new session, on average. A number > 0. */
  readonly perSession: number;
  /** The p99 latency of one execution, in seconds. A number > 0 and <= 60 (the longest Data Action timeout). */
  readonly p99LatencySeconds: number;
}

/** What the capacity planner is asked to plan. */
export interface PlanInput {
  /** Peak concurrent web messaging sessions to carry (T). An integer >= 1. */
  readonly targetSessions: number;
  /**
   * Ceiling of concurrent sessions per shard (C). An integer >= 1.
   * @default - the `webMessagingSessionsPerDeployment` limit: its override in `limits`, else the catalog's 150
   */
  readonly sessionsPerShard?: number;
  /**
   * Peak new sessions per minute across all shards (R). An integer >= 0.
   * @default - no arrivals term: shards are sized for concurrent sessions only and carry no arrival shares
   */
  readonly arrivalsPerMinute?: number;
  /**
   * Ceiling of new connections per shard per minute (Rd). An integer >= 1. Used only with `arrivalsPerMinute`.
   * @default - the `webMessagingConnectionsPerDeploymentPerMinute` limit: its override, else the catalog's 1000
   */
  readonly arrivalsPerShardPerMinute?: number;
  /**
   * Fraction of each per-shard ceiling the plan may use (h). A number > 0 and <= 1.
   * @default DEFAULT_HEADROOM (0.8)
   */
  readonly headroom?: number;
  /**
   * Shards added on top of the base shards so that losing that many still fits (s). An integer >= 0.
   * @default DEFAULT_SPARE_SHARDS (1)
   */
  readonly spares?: number;
  /**
   * Messenger deployments per queue group (d). Each queue group is one queue and one inbound message flow that
   * transfers to it; deployment i starts the flow of queue group floor(i / d), a contiguous block, so growing N only
   * fills the last group or opens new ones and never moves a live deployment. Changing d moves every deployment
   * from min(old d, new d) on. An integer from 1 to MAX_SHARDS_PER_STACK.
   * @default DEFAULT_DEPLOYMENTS_PER_QUEUE (1): every deployment has its own queue and flow
   */
  readonly deploymentsPerQueue?: number;
  /**
   * Shards per shard group (G): an environment of more than G shards is a base stack and ceil(N / G) shard-group
   * stacks, group k holding shards k×G … k×G+G−1. A stack holds at most MAX_SHARDS_PER_STACK shards, so a G above
   * that with N above it is infeasible (`shards-exceed-stack`).
   * @default DEFAULT_SHARDS_PER_GROUP (100)
   */
  readonly shardsPerGroup?: number;
  /**
   * OAuth clients the deploy's stacks use between them (the environment's client and the shard groups' own).
   * One Terraform run uses one client, so at most one per stack carrying shards is useful: a single stack uses
   * one whatever this says; a split environment's groups share them. An integer from 1 to MAX_OAUTH_CLIENTS.
   * @default DEFAULT_OAUTH_CLIENTS (1): every stack on the environment's client
   */
  readonly oauthClients?: number;
  /**
   * The org's maximum number of shards (M). A bare number is described as "maxShards".
   * @default - no ceiling is checked
   */
  readonly maxShards?: number | ShardCeiling;
  /**
   * Agents, to check that they can take `targetSessions` conversations at once.
   * @default - agent capacity is not checked
   */
  readonly agents?: AgentStaffing;
  /**
   * Data Actions per session, to check the org's Data Action concurrency and rate. Needs `arrivalsPerMinute`.
   * @default - Data Action limits are not checked
   */
  readonly dataActions?: DataActionLoad;
  /**
   * Values of catalog limits the team knows for its org (e.g. raised by Genesys), replacing the catalog's.
   * @default - the catalog defaults
   */
  readonly limits?: LimitOverrides;
  /**
   * The org's values read from its Limits API; they take precedence over `limits`.
   * @default - no values read from the org
   */
  readonly orgLimits?: OrgLimitValues;
}

/** Which term of the formula sets the number of base shards. On a tie it is "sessions". */
export type BindingConstraint = "sessions" | "arrivals";

/** The load one shard carries. Shards are addressed by a stable 0-based index. */
export interface ShardShare {
  /** 0-based shard index. */
  readonly index: number;
  /**
   * The queue group whose flow and queue the shard's deployment uses: floor(index / deploymentsPerQueue). With one
   * deployment per queue group it is the shard's own index.
   */
  readonly queueGroup: number;
  /** Concurrent sessions on this shard. */
  readonly sessions: number;
  /** New sessions per minute on this shard, or undefined when no arrival rate was given. */
  readonly arrivalsPerMinute: number | undefined;
}

/** One queue group: one queue and one inbound message flow, used by a contiguous block of deployments. */
export interface QueueGroupShare {
  /** 0-based, stable queue group index. */
  readonly index: number;
  /** The shards (deployments) whose flow is this group's, in index order: a contiguous block. */
  readonly shards: readonly number[];
  /** Concurrent sessions the plan puts on its deployments together: conversations its queue carries at peak. */
  readonly sessions: number;
}

/** The second dimension of a plan: how the N deployments share queues. */
export interface QueueGroupPlan {
  /** d: deployments per queue group. */
  readonly deploymentsPerQueue: number;
  /** Q = ceil(N / d). */
  readonly count: number;
  /** One entry per queue group, in index order. */
  readonly perGroup: readonly QueueGroupShare[];
  /**
   * The largest d the known queue-level limits allow (conversations per queue at the headroom, over the largest
   * deployment share); undefined when no queue-level limit bounds d.
   */
  readonly maxDeploymentsPerQueue: number | undefined;
}

/** How serious a plan warning is. "error" makes the plan infeasible. */
export type WarningSeverity = "info" | "warning" | "error";

/** The warnings that make a plan infeasible (severity "error"). */
export type InfeasibleCode =
  | "shards-exceed-max"
  | "shards-exceed-stack"
  | "tenant-sessions-exceeded"
  | "agent-capacity-short"
  | "data-action-concurrency"
  | "data-action-rate"
  | "queue-conversations-exceeded";

/**
 * What a warning is about. The `InfeasibleCode`s are errors: the plan does not fit.
 * - `shards-exceed-max`: the plan needs more shards than the org allows.
 * - `shards-exceed-stack`: the plan needs more shards than one stack can name (genesys/ `MAX_SHARDS_PER_STACK`);
 *   nothing can accept it, since synth cannot build such a stack.
 * - `tenant-sessions-exceeded`: the target exceeds an org-wide (tenant) concurrent-sessions ceiling, which
 *   no number of shards lifts.
 * - `agent-capacity-short`: agents × message capacity per agent is below the target sessions.
 * - `data-action-concurrency`: in-flight Data Actions exceed the org's concurrent-execution limit.
 * - `data-action-rate`: Data Action executions per minute exceed the org's limit.
 * - `queue-conversations-exceeded`: a queue group's planned sessions exceed the conversations one queue holds
 *   (a known queue-level limit) at the headroom: lower deploymentsPerQueue.
 * - `queue-members-exceeded`: the agents are more than one queue can have as members; every queue group has every
 *   agent, so no number of queue groups helps (warned once deployments share queues; with one queue group per
 *   deployment only the usage shows it, so such a stack synthesizes as it did before queue groups).
 * - `queue-conversations-unchecked`: deployments share queues but no queue-level conversation limit is known (info).
 * - `shard-ceiling-unknown`: a shard ceiling limit has no known value, so it was not checked (info).
 * - `ceiling-above-catalog`: a per-shard ceiling given as a plan field is above the limit's known value.
 * - `agent-capacity-no-headroom`: agents cover the target, but above the headroom kept on every ceiling.
 * - `tenant-sessions-no-headroom`: the target fits the tenant-wide ceiling, but above the headroom.
 * - `deploy-api-rate`: how long the deploy takes at the OAuth client's request rate (info, or warning when
 *   it needs more than the rate to finish within DEPLOY_MINUTES_WARNING_THRESHOLD minutes).
 */
export type WarningCode =
  | InfeasibleCode
  | "shard-ceiling-unknown"
  | "ceiling-above-catalog"
  | "agent-capacity-no-headroom"
  | "tenant-sessions-no-headroom"
  | "queue-members-exceeded"
  | "queue-conversations-unchecked"
  | "deploy-api-rate";

/** A limit that the plan hits or that sharding cannot fix, with the numbers. */
export interface PlanWarning {
  readonly code: WarningCode;
  readonly severity: WarningSeverity;
  /**
   * The catalog limit concerned; absent for a bare `maxShards` number that names no limit, and for
   * `shards-exceed-stack` (a bound of this project's shard names, not of the org).
   */
  readonly limit?: LimitKey;
  /** The plan fields to change (or to record a value in) to clear it, most direct first. */
  readonly fields: readonly PlanField[];
  /** What the plan needs, in `unit`. */
  readonly required: number;
  /** What the limit allows, in `unit`, or undefined when its value is unknown. */
  readonly available: number | undefined;
  /** The unit of `required` and `available`, e.g. "shards" or "requests/min". */
  readonly unit: string;
  /** Whether the org can ask Genesys to raise the limit (from the catalog). */
  readonly raisable: boolean | "unknown";
  /** One or two sentences a person can act on. */
  readonly message: string;
}

/**
 * What a usage entry measures.
 * - `sessions-per-shard`: the largest session share vs the per-shard ceiling C.
 * - `sessions-per-shard-after-losing-spares`: the largest share once `spares` shards are lost and their
 *   sessions spread evenly over the rest, vs C.
 * - `arrivals-per-shard`: the largest arrival share vs the per-shard ceiling Rd.
 * - `sessions-per-org`: target sessions vs the org-wide (tenant) concurrent-sessions ceiling.
 * - `shards`: the number of shards vs the org's ceiling M.
 * - `queue-groups`: the number of queue groups (queues) vs the org's queue limit.
 * - `conversations-per-queue`: the largest queue group's planned sessions vs the conversations one queue holds.
 * - `members-per-queue`: the agents (every queue group's members) vs the members one queue can have.
 * - `data-action-concurrency`, `data-action-rate`: the Data Action load vs the org's limits.
 * - `agent-capacity`: target sessions vs agents × message capacity per agent.
 * - `deploy-api-rate`: the request rate that deploys every shard within DEPLOY_MINUTES_WARNING_THRESHOLD
 *   minutes vs the OAuth client's limit.
 */
export type UsageMeasure =
  | "sessions-per-shard"
  | "sessions-per-shard-after-losing-spares"
  | "arrivals-per-shard"
  | "sessions-per-org"
  | "shards"
  | "queue-groups"
  | "conversations-per-queue"
  | "members-per-queue"
  | "data-action-concurrency"
  | "data-action-rate"
  | "agent-capacity"
  | "deploy-api-rate";

/** How much of one limit the plan uses. */
export interface LimitUsage {
  readonly measure: UsageMeasure;
  /** The catalog limit measured; absent only for a bare `maxShards` number that names no limit. */
  readonly limit?: LimitKey;
  /** The unit of `used` and `available`, e.g. "sessions". */
  readonly unit: string;
  readonly used: number;
  /** The limit's value, or undefined when it is unknown. */
  readonly available: number | undefined;
  /** `used / available`, or undefined when `available` is unknown. */
  readonly fraction: number | undefined;
  /** For a shard ceiling, where it came from, e.g. "--max-shards" or "Queues per org (routing/queues.max)". */
  readonly source?: string;
  /** What the ceiling (`available`) rests on. */
  readonly basis: CeilingBasis;
}

/** The org's shard ceiling as the planner applied it. */
export interface ResolvedShardCeiling {
  /** M, or undefined when the named limit has no known value. */
  readonly value: number | undefined;
  /** Where M came from, e.g. "--max-shards" or "Queues per org (routing/queues.max)". */
  readonly source: string;
  readonly limit?: ShardCeilingLimit;
}

/** The inputs as the planner used them, after defaults and catalog values were applied. */
export interface PlanParameters {
  readonly targetSessions: number;
  readonly sessionsPerShard: number;
  readonly arrivalsPerMinute: number | undefined;
  readonly arrivalsPerShardPerMinute: number;
  readonly headroom: number;
  readonly spares: number;
  /** d: deployments per queue group. */
  readonly deploymentsPerQueue: number;
  /** Usable sessions per shard, u = floor(C × h). */
  readonly usableSessionsPerShard: number;
  /** Usable arrivals per shard per minute, ua = floor(Rd × h), or undefined without an arrival rate. */
  readonly usableArrivalsPerShardPerMinute: number | undefined;
  /** Every limit's value after overrides (undefined where no value is known). */
  readonly limits: Readonly<Record<LimitKey, number | undefined>>;
  /** Where each limit's value came from: the org, an override, else the catalog. */
  readonly limitOrigins: Readonly<Record<LimitKey, Exclude<CeilingOrigin, "input">>>;
}

/**
 * An estimate of the Platform API requests a full deploy of the channel makes (N deployments and Q queue groups,
 * each a queue and a flow: N × deployment + Q × (queue + flow), from measured per-resource costs), the time the
 * OAuth rate limit imposes, and what a plan with no changes reads. Shared objects (the Messenger configuration,
 * wrap-up codes, Data Actions, utilization, data sources, provider start-up) are not counted.
 */
export interface DeployEstimate {
  readonly apiRequests: number;
  /** Requests a `terraform plan` with no changes makes to refresh the same objects. */
  readonly planRequests: number;
  /** One OAuth client's request limit per minute. */
  readonly requestsPerMinute: number;
  /** Shard-group stacks: ceil(N / G) past G shards, else 0 (one stack holds everything). */
  readonly shardGroups: number;
  /** The channel's requests of each stack that carries shards, in order: one entry, or one per shard group. */
  readonly perStack: readonly { readonly apiRequests: number; readonly planRequests: number }[];
  /** OAuth clients given (`oauthClients`). */
  readonly oauthClients: number;
  /** Clients that can work at once: min(oauthClients, stacks carrying shards). */
  readonly usefulClients: number;
  /** The org-wide Platform API rate, where one is known (`platformApiRequestsPerOrgPerMinute`). */
  readonly orgRequestsPerMinute: number | undefined;
  /** The rate the stacks reach together: usefulClients × requestsPerMinute, capped by the org-wide rate. */
  readonly effectiveRequestsPerMinute: number;
  /**
   * The least time the deploy can take: the base stack's channel requests (none: it holds shared objects only),
   * then the groups in parallel: max(apiRequests / effective rate, the largest stack's requests / one client's
   * rate capped by the org's). One stack and one client: apiRequests / requestsPerMinute.
   */
  readonly minimumMinutes: number;
  /** The same for a no-change plan of every stack. */
  readonly planMinimumMinutes: number;
}

/** The result of `planShards`. */
export interface CapacityPlan {
  /** N = baseShards + spares. */
  readonly shards: number;
  /** n = max(ceil(T / u), ceil(R / ua)). */
  readonly baseShards: number;
  /** s. */
  readonly spares: number;
  /** ceil(T / u). */
  readonly shardsForSessions: number;
  /** ceil(R / ua), or undefined without an arrival rate. */
  readonly shardsForArrivals: number | undefined;
  readonly binding: BindingConstraint;
  /** The per-shard ceiling of the binding term, and what it rests on. */
  readonly bindingCeiling: {
    readonly limit: LimitKey;
    readonly value: number;
    readonly basis: CeilingBasis;
  };
  /** False when an error-level warning (an `InfeasibleCode`) says the plan does not fit. */
  readonly feasible: boolean;
  /** One entry per shard, in index order; shares differ by at most 1, larger shares first. */
  readonly perShard: readonly ShardShare[];
  /** How the shards' deployments share queues: d, Q and each queue group. */
  readonly queueGroups: QueueGroupPlan;
  /**
   * The ramp to the target at the arrival rate: T / R minutes. Each shard ramps at `rampRates` of its sessions
   * (R in proportion to its sessions, a fraction per minute where needed), not at its whole-number arrivals share.
   * Undefined without an arrival rate, or with a rate of 0.
   */
  readonly ramp: Ramp | undefined;
  readonly maxShards: ResolvedShardCeiling | undefined;
  readonly usage: readonly LimitUsage[];
  readonly warnings: readonly PlanWarning[];
  readonly deploy: DeployEstimate;
  readonly parameters: PlanParameters;
}

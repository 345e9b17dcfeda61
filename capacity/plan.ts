/**
 * The shard planner: how many web messaging shards (Messenger deployments) carry a target load, how the load
 * spreads over them, how they share queues (queue groups: one queue and one inbound message flow each, used by a
 * contiguous block of deployments), and which limits the plan uses up.
 *
 * The model, with T target sessions, C sessions per shard, R arrivals per minute, Rd arrivals per shard per
 * minute, h headroom and s spares:
 * - usable per shard: u = floor(C × h) sessions and ua = floor(Rd × h) arrivals per minute, each >= 1;
 * - base shards n = max(ceil(T / u), ceil(R / ua)), the second term only when R is given;
 * - shards N = n + s, with sessions and arrivals spread evenly over all N (shares differ by at most 1, larger
 *   shares first), so with s shards lost and their load spread over the rest, every shard still fits within u;
 * - queue groups Q = ceil(N / d) with d deployments per queue; deployment i uses queue group floor(i / d). Only the
 *   deployment has a known per-shard ceiling; the queue-level limits (members and conversations per queue, queues
 *   per org) are checked against the groups.
 */
import {
  DATA_ACTION_TIMEOUT_SECONDS,
  DEFAULT_SHARDS_PER_GROUP,
  MAX_SHARDS_PER_STACK,
  queueGroupNumber,
  queueGroupOf,
  shardNumber,
} from "../genesys";
import { formatNumber } from "./format";
import { LIMITS_CATALOG, resolveLimitValues } from "./catalog";
import { PlanInputError, type FieldNamer, type PlanField } from "./errors";
import { planRamp } from "./ramp";
import { ceilingBasis, lowerFirst, raiseAdvice } from "./evidence";
import type {
  AgentStaffing,
  BindingConstraint,
  CapacityPlan,
  CeilingBasis,
  InfeasibleCode,
  DataActionLoad,
  DeployEstimate,
  LimitKey,
  LimitUsage,
  PlanInput,
  PlanParameters,
  PlanWarning,
  QueueGroupPlan,
  QueueGroupShare,
  ResolvedShardCeiling,
  ShardCeilingLimit,
  ShardShare,
} from "./types";

export { PlanInputError } from "./errors";
export type { FieldNamer, PlanField } from "./errors";

/** Fraction of each per-shard ceiling a plan uses when `headroom` is not given. */
export const DEFAULT_HEADROOM = 0.8;

/** Spare shards a plan adds when `spares` is not given. */
export const DEFAULT_SPARE_SHARDS = 1;

/**
 * Deployments per queue group when `deploymentsPerQueue` is not given: 1, every deployment with its own queue and
 * flow. It is the layout every stack had before queue groups, so an environment that does not choose keeps its
 * addresses; README "Queue groups" weighs it against sharing queues.
 */
export const DEFAULT_DEPLOYMENTS_PER_QUEUE = 1;

/** The most shards the planner lists one by one; a plan needing more is refused as bad input. */
export const MAX_PLANNED_SHARDS = 1_000_000;

/** The longest a Data Action can hold a flow: its longest timeout (genesys/ `DATA_ACTION_TIMEOUT_SECONDS`). */
export const MAX_DATA_ACTION_LATENCY_SECONDS = DATA_ACTION_TIMEOUT_SECONDS.max;

/**
 * Platform API requests to create one shard on a first deploy, by resource, measured: the emulator's
 * per-endpoint counts of an apply of gc-dev (3 shards) by the real genesyscloud provider 1.82.0
 * (test/e2e/environment-stack.e2e.test.ts; README, "What an apply costs in API requests"). The Messenger
 * configuration is shared by every shard, so it is not counted here.
 */
export const DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE = {
  /** Queue: POST, POST its wrap-up codes, three GETs, two member reads, two wrap-up code reads. */
  queue: 9,
  /** Inbound message flow: POST /flows/jobs, the upload, the job poll, GET the flow. */
  inboundMessageFlow: 4,
  /** Messenger deployment: POST, then GET until Active (after the provider's fixed 10 s wait). */
  messengerDeployment: 3,
} as const;

/** Platform API requests to create one shard: the sum of `DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE` (16). */
export const DEPLOY_API_REQUESTS_PER_SHARD = Object.values(DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE).reduce(
  (sum, requests) => sum + requests,
  0,
);

/**
 * Platform API requests to refresh one existing object of a shard or queue group in a `terraform plan`, measured
 * like the create costs (gc-dev no-change plan). Why a queue reads 4 times (provider 1.82.0,
 * genesyscloud/routing_queue): `readRoutingQueue` GETs the queue, its wrap-up codes
 * (`flattenQueueWrapupCodes`), and for its direct members (`flattenQueueMembers` → `getRoutingQueueMembers`) the
 * queue again (for `memberCount`) and one page of `members?memberBy=user`. A create adds the POST, the same two
 * member reads before it removes direct members that are not configured (`updateQueueMembers`), and the wrap-up
 * code GET and POST (`updateQueueWrapupCodes`): 9.
 */
export const PLAN_API_REQUESTS_BY_RESOURCE = {
  /** Queue: GET, GET its wrap-up codes, GET again (member count), GET its direct members. */
  queue: 4,
  /** Inbound message flow: GET the flow. */
  inboundMessageFlow: 1,
  /** Messenger deployment: GET. */
  messengerDeployment: 1,
} as const;

/** Platform API requests to create one Messenger deployment (3). */
export const DEPLOY_API_REQUESTS_PER_DEPLOYMENT =
  DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE.messengerDeployment;

/** Platform API requests to create one queue group: its queue and its inbound message flow (13). */
export const DEPLOY_API_REQUESTS_PER_QUEUE_GROUP =
  DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE.queue +
  DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE.inboundMessageFlow;

/**
 * OAuth clients when `oauthClients` is not given: 1, every stack on the environment's client (README "Shard
 * groups": a group without its own client falls back to it).
 */
export const DEFAULT_OAUTH_CLIENTS = 1;

/** The most OAuth clients `oauthClients` accepts: a sanity bound (one per stack of 1,000 groups), not a Genesys limit. */
export const MAX_OAUTH_CLIENTS = 1000;

/** A full deploy that takes longer than this at the OAuth client's request rate is reported as a warning. */
export const DEPLOY_MINUTES_WARNING_THRESHOLD = 10;

const SHARD_CEILING_LIMITS: readonly ShardCeilingLimit[] = ["webDeploymentsPerOrg", "queuesPerOrg"];

/** The warnings that make a plan infeasible, for front ends that list or accept them by code. */
export const INFEASIBLE_CODES = [
  "shards-exceed-max",
  "shards-exceed-stack",
  "tenant-sessions-exceeded",
  "agent-capacity-short",
  "data-action-concurrency",
  "data-action-rate",
  "queue-conversations-exceeded",
] as const satisfies readonly InfeasibleCode[];

// Fails to compile when an InfeasibleCode is added to types.ts but not listed here.
type MissingCode = Exclude<InfeasibleCode, (typeof INFEASIBLE_CODES)[number]>;
const _allCodes: [MissingCode] extends [never] ? true : MissingCode = true;
void _allCodes;

/**
 * The infeasibility codes a front end may accept and build anyway (an environment's
 * `capacity.acceptInfeasible`): every code but `shards-exceed-stack`, since no stack can name more shards than
 * MAX_SHARDS_PER_STACK, whatever the reason.
 */
export const ACCEPTABLE_INFEASIBLE_CODES = [
  "shards-exceed-max",
  "tenant-sessions-exceeded",
  "agent-capacity-short",
  "data-action-concurrency",
  "data-action-rate",
  "queue-conversations-exceeded",
] as const satisfies readonly Exclude<InfeasibleCode, "shards-exceed-stack">[];

// Fails to compile when an InfeasibleCode is neither acceptable nor `shards-exceed-stack`.
type Unsorted = Exclude<InfeasibleCode, (typeof ACCEPTABLE_INFEASIBLE_CODES)[number] | "shards-exceed-stack">;
const _sorted: [Unsorted] extends [never] ? true : Unsorted = true;
void _sorted;

/** How a front end wants the plan's messages worded. */
export interface PlanOptions {
  /**
   * Names plan fields in warning messages, e.g. `--sessions-per-shard` or `capacity.sessionsPerShard`.
   * @default - as spelled in PlanInput
   */
  readonly fieldName?: FieldNamer;
}

/**
 * Plans the shards for `input`.
 * @throws PlanInputError when a value is out of range, a needed value is missing, or the plan would exceed
 *   MAX_PLANNED_SHARDS. An infeasible plan (an `InfeasibleCode` warning) is returned with `feasible: false`
 *   and error-level warnings, not thrown.
 */
export function planShards(input: PlanInput, options: PlanOptions = {}): CapacityPlan {
  const resolved = resolveInput(input);
  const { parameters, ceilings, agents, dataActions } = resolved;
  const { targetSessions: target, arrivalsPerMinute: arrivals, spares, deploymentsPerQueue } = parameters;
  const context: Context = { ...resolved, name: options.fieldName ?? ((field) => field) };

  const shardsForSessions = ceilDiv(target, parameters.usableSessionsPerShard);
  const usableArrivals = parameters.usableArrivalsPerShardPerMinute;
  const shardsForArrivals =
    arrivals === undefined || usableArrivals === undefined ? undefined : ceilDiv(arrivals, usableArrivals);
  const binding: BindingConstraint =
    shardsForArrivals !== undefined && shardsForArrivals > shardsForSessions ? "arrivals" : "sessions";
  const baseShards = Math.max(shardsForSessions, shardsForArrivals ?? 0);
  const shards = baseShards + spares;
  if (shards > MAX_PLANNED_SHARDS)
    throw tooManyShards(binding, binding === "arrivals" ? arrivals : target, shards);

  const sessionShares = spreadEvenly(target, shards);
  const arrivalShares = arrivals === undefined ? undefined : spreadEvenly(arrivals, shards);
  const perShard: ShardShare[] = [];
  for (let index = 0; index < shards; index++) {
    perShard.push({
      index,
      queueGroup: queueGroupOf(index, deploymentsPerQueue),
      sessions: sessionShares.at(index),
      arrivalsPerMinute: arrivalShares?.at(index),
    });
  }
  const queueGroups = planQueueGroups(perShard, deploymentsPerQueue, sessionShares.largest, context);

  const sessionsKey = "webMessagingSessionsPerDeployment";
  const usage: LimitUsage[] = [
    measure(
      "sessions-per-shard",
      sessionsKey,
      sessionShares.largest,
      parameters.sessionsPerShard,
      resolved.sessionsBasis,
    ),
  ];
  const warnings: PlanWarning[] = [];
  if (spares > 0) {
    // The lost shards' sessions spread evenly over the n survivors.
    const afterLosingSpares = ceilDiv(target, baseShards);
    usage.push(
      measure(
        "sessions-per-shard-after-losing-spares",
        sessionsKey,
        afterLosingSpares,
        parameters.sessionsPerShard,
        resolved.sessionsBasis,
      ),
    );
  }
  warnings.push(...checkAboveKnown("sessionsPerShard", sessionsKey, input.sessionsPerShard, context));
  if (arrivalShares !== undefined) {
    usage.push(
      measure(
        "arrivals-per-shard",
        "webMessagingConnectionsPerDeploymentPerMinute",
        arrivalShares.largest,
        parameters.arrivalsPerShardPerMinute,
        resolved.arrivalsBasis,
      ),
    );
    warnings.push(
      ...checkAboveKnown(
        "arrivalsPerShardPerMinute",
        "webMessagingConnectionsPerDeploymentPerMinute",
        input.arrivalsPerShardPerMinute,
        context,
      ),
    );
  }
  const tenant = checkTenantSessions(target, context);
  usage.push(tenant.usage);
  warnings.push(...tenant.warnings);
  for (const ceiling of ceilings) {
    if (countsQueueGroups(ceiling, deploymentsPerQueue)) {
      usage.push({
        ...measure("queue-groups", ceiling.limit, queueGroups.count, ceiling.value, ceiling.basis),
        source: ceiling.source,
      });
      warnings.push(...checkQueueCeiling(ceiling, queueGroups, context));
      continue;
    }
    usage.push({
      ...measure("shards", ceiling.limit, shards, ceiling.value, ceiling.basis),
      unit: "shards",
      source: ceiling.source,
    });
    warnings.push(...checkShardCeiling(ceiling, shards, baseShards, spares, context));
  }
  const queueChecked = checkQueueConversations(queueGroups, context);
  // Measured when deployments share queues or a ceiling is known; otherwise a queue carries one deployment's share.
  if (deploymentsPerQueue > 1 || queueChecked.usage.available !== undefined) usage.push(queueChecked.usage);
  warnings.push(...queueChecked.warnings);
  warnings.push(...checkStackSize(shards, baseShards, resolved.shardsPerGroup, context));
  if (dataActions !== undefined && arrivals !== undefined) {
    const checked = checkDataActions(dataActions, arrivals, context);
    usage.push(...checked.usage);
    warnings.push(...checked.warnings);
  }
  if (agents !== undefined) {
    const checked = checkAgents(agents, target, context);
    usage.push(checked.usage);
    warnings.push(...checked.warnings);
    const members = checkQueueMembers(agents, context);
    usage.push(members.usage);
    warnings.push(...members.warnings);
  }
  const deploy = estimateDeploy(
    shards,
    deploymentsPerQueue,
    resolved.shardsPerGroup,
    resolved.oauthClients,
    catalogValue(parameters.limits, "oauthClientRequestsPerMinute"),
    parameters.limits.platformApiRequestsPerOrgPerMinute,
  );
  const deployChecked = checkDeploy(deploy, shards, queueGroups, context);
  usage.push(deployChecked.usage);
  warnings.push(deployChecked.warning);

  const bindingKey: LimitKey =
    binding === "arrivals" ? "webMessagingConnectionsPerDeploymentPerMinute" : sessionsKey;
  return {
    shards,
    baseShards,
    spares,
    shardsForSessions,
    shardsForArrivals,
    binding,
    bindingCeiling: {
      limit: bindingKey,
      value: binding === "arrivals" ? parameters.arrivalsPerShardPerMinute : parameters.sessionsPerShard,
      basis: binding === "arrivals" ? resolved.arrivalsBasis : resolved.sessionsBasis,
    },
    feasible: !warnings.some((warning) => warning.severity === "error"),
    perShard,
    queueGroups,
    ramp: planRamp(target, arrivals),
    maxShards: tightestCeiling(
      ceilings.filter((ceiling) => !countsQueueGroups(ceiling, deploymentsPerQueue)),
    ),
    usage,
    warnings,
    deploy,
    parameters,
  };
}

/** A shard ceiling as the planner checks it, with what its value rests on. */
interface CheckedShardCeiling extends ResolvedShardCeiling {
  readonly basis: CeilingBasis;
}

/** The input checked, with defaults and catalog values applied. */
interface ResolvedInput {
  readonly parameters: PlanParameters;
  /** Every shard ceiling that applies: the caller's, then the org limits each shard counts against. */
  readonly ceilings: readonly CheckedShardCeiling[];
  readonly agents: AgentStaffing | undefined;
  readonly dataActions: DataActionLoad | undefined;
  /** Shards per shard group (G). */
  readonly shardsPerGroup: number;
  /** OAuth clients the stacks use between them. */
  readonly oauthClients: number;
  /** What the per-shard session ceiling C rests on. */
  readonly sessionsBasis: CeilingBasis;
  /** What the per-shard arrivals ceiling Rd rests on. */
  readonly arrivalsBasis: CeilingBasis;
  /** What each limit's value rests on, by key. */
  readonly basisOf: (key: LimitKey) => CeilingBasis;
}

/** What the checks share: the resolved input and how messages name fields. */
interface Context extends ResolvedInput {
  readonly name: FieldNamer;
}

/** Checks every input field (first failure wins) and applies the defaults. */
function resolveInput(input: PlanInput): ResolvedInput {
  const { values: limits, origins: limitOrigins } = resolveLimitValues(input.limits, input.orgLimits?.values);
  const basisOf = (key: LimitKey): CeilingBasis =>
    ceilingBasis(key, limitOrigins[key], {
      field: limitOrigins[key] === "limits" ? `limits.${key}` : undefined,
      orgConfigurable: input.orgLimits?.configurable?.[key],
    });
  /** A per-shard ceiling given as a plan field rests on that field; else on the limit's value. */
  const fieldBasis = (field: PlanField, given: number | undefined, key: LimitKey): CeilingBasis =>
    given === undefined
      ? basisOf(key)
      : ceilingBasis(key, "input", {
          field,
          orgConfigurable: input.orgLimits?.configurable?.[key],
          recorded: limitOrigins[key] !== "catalog",
        });
  const target = requireInteger("targetSessions", input.targetSessions, 1);
  const sessionsPerShard = requireInteger(
    "sessionsPerShard",
    input.sessionsPerShard ?? catalogValue(limits, "webMessagingSessionsPerDeployment"),
    1,
  );
  const arrivals =
    input.arrivalsPerMinute === undefined
      ? undefined
      : requireInteger("arrivalsPerMinute", input.arrivalsPerMinute, 0);
  const arrivalsPerShard = requireInteger(
    "arrivalsPerShardPerMinute",
    input.arrivalsPerShardPerMinute ?? catalogValue(limits, "webMessagingConnectionsPerDeploymentPerMinute"),
    1,
  );
  const headroom = input.headroom ?? DEFAULT_HEADROOM;
  if (!(headroom > 0 && headroom <= 1)) throw new PlanInputError("headroom", input.headroom, "> 0 and <= 1");
  const spares = requireInteger("spares", input.spares ?? DEFAULT_SPARE_SHARDS, 0, MAX_PLANNED_SHARDS - 1);
  const deploymentsPerQueue = requireInteger(
    "deploymentsPerQueue",
    input.deploymentsPerQueue ?? DEFAULT_DEPLOYMENTS_PER_QUEUE,
    1,
    MAX_SHARDS_PER_STACK,
  );
  const shardsPerGroup = requireInteger(
    "shardsPerGroup",
    input.shardsPerGroup ?? DEFAULT_SHARDS_PER_GROUP,
    1,
    MAX_PLANNED_SHARDS,
  );
  const oauthClients = requireInteger(
    "oauthClients",
    input.oauthClients ?? DEFAULT_OAUTH_CLIENTS,
    1,
    MAX_OAUTH_CLIENTS,
  );

  // A ceiling that came from the catalog was not chosen by the caller, so a zero u blames the headroom.
  const usableSessions = usablePerShard(
    input.sessionsPerShard === undefined ? "headroom" : "sessionsPerShard",
    "sessionsPerShard",
    sessionsPerShard,
    headroom,
    "usable session per shard",
  );
  const usableArrivals =
    arrivals === undefined
      ? undefined
      : usablePerShard(
          input.arrivalsPerShardPerMinute === undefined ? "headroom" : "arrivalsPerShardPerMinute",
          "arrivalsPerShardPerMinute",
          arrivalsPerShard,
          headroom,
          "usable arrival per shard per minute",
        );
  const ceilings = resolveShardCeilings(input.maxShards, limits, basisOf);
  const agents = input.agents === undefined ? undefined : validateAgents(input.agents, limits);
  const dataActions = input.dataActions === undefined ? undefined : validateDataActions(input.dataActions);
  if (dataActions !== undefined && arrivals === undefined) {
    throw new PlanInputError(
      "arrivalsPerMinute",
      undefined,
      "given",
      (name) =>
        `${name("arrivalsPerMinute")} is needed with ${name("dataActions.perSession")}: Data Action ` +
        "executions per minute = arrivals per minute × data actions per session",
    );
  }
  return {
    parameters: {
      targetSessions: target,
      sessionsPerShard,
      arrivalsPerMinute: arrivals,
      arrivalsPerShardPerMinute: arrivalsPerShard,
      headroom,
      spares,
      deploymentsPerQueue,
      usableSessionsPerShard: usableSessions,
      usableArrivalsPerShardPerMinute: usableArrivals,
      limits,
      limitOrigins,
    },
    ceilings,
    agents,
    dataActions,
    shardsPerGroup,
    oauthClients,
    sessionsBasis: fieldBasis(
      "sessionsPerShard",
      input.sessionsPerShard,
      "webMessagingSessionsPerDeployment",
    ),
    arrivalsBasis: fieldBasis(
      "arrivalsPerShardPerMinute",
      input.arrivalsPerShardPerMinute,
      "webMessagingConnectionsPerDeploymentPerMinute",
    ),
    basisOf,
  };
}

function tooManyShards(
  binding: BindingConstraint,
  value: number | undefined,
  shards: number,
): PlanInputError {
  const field: PlanField = binding === "arrivals" ? "arrivalsPerMinute" : "targetSessions";
  return new PlanInputError(
    field,
    value,
    `small enough to need at most ${MAX_PLANNED_SHARDS} shards`,
    (name) =>
      `${name(field)} ${value} needs ${shards} shards, more than the planner lists ` +
      `(at most ${MAX_PLANNED_SHARDS}); check ${name(field)} and the per-shard ceilings`,
  );
}

/** `total` spread over `parts`: the first `remainder` parts carry one more than the rest. */
interface EvenSpread {
  readonly largest: number;
  at(index: number): number;
}

function spreadEvenly(total: number, parts: number): EvenSpread {
  const quotient = floorDiv(total, parts);
  const remainder = total - quotient * parts;
  return {
    largest: remainder > 0 ? quotient + 1 : quotient,
    at: (index) => (index < remainder ? quotient + 1 : quotient),
  };
}

/** u = floor(ceiling × headroom), which must be at least 1. */
function usablePerShard(
  blamed: PlanField,
  ceilingField: PlanField,
  ceiling: number,
  headroom: number,
  what: string,
): number {
  const usable = floorOfProduct(ceiling, headroom);
  if (usable < 1) {
    throw new PlanInputError(
      blamed,
      blamed === "headroom" ? headroom : ceiling,
      `large enough that floor(${ceilingField} × headroom) >= 1`,
      (name) =>
        `floor(${name(ceilingField)} × ${name("headroom")}) must be >= 1 ${what}, ` +
        `got floor(${ceiling} × ${headroom}) = ${usable}`,
    );
  }
  return usable;
}

/**
 * Every shard ceiling to check: the caller's `maxShards` (if any), then each org limit that every shard counts
 * against (one Messenger deployment and one queue per shard), so an explicit ceiling can never hide a lower
 * org limit.
 */
function resolveShardCeilings(
  maxShards: PlanInput["maxShards"],
  limits: Record<LimitKey, number | undefined>,
  basisOf: (key: LimitKey) => CeilingBasis,
): CheckedShardCeiling[] {
  const explicit = resolveShardCeiling(maxShards, limits);
  const ceilings: CheckedShardCeiling[] = [];
  if (explicit !== undefined) {
    // `{ limit }` rests on the limit's value; a number or `{ value }` on the field that gave it.
    const fromLimit = typeof maxShards === "object" && !("value" in maxShards);
    const basis = fromLimit
      ? basisOf(explicit.limit!)
      : ceilingBasis(explicit.limit, "input", { field: "maxShards" });
    ceilings.push({ ...explicit, basis });
  }
  // `{ limit }` names a catalog limit, already in the list; `{ value, limit }` is a value of its own.
  const namedLimit = typeof maxShards === "object" && !("value" in maxShards) ? maxShards.limit : undefined;
  for (const limit of SHARD_CEILING_LIMITS) {
    if (limit !== namedLimit)
      ceilings.push({ ...resolveShardCeiling({ limit }, limits)!, basis: basisOf(limit) });
  }
  return ceilings;
}

/** The ceiling with the lowest known value (the one that binds), else the first one. */
function tightestCeiling(ceilings: readonly CheckedShardCeiling[]): ResolvedShardCeiling | undefined {
  const tightest = ceilings.reduce<CheckedShardCeiling | undefined>((best, ceiling) => {
    if (best === undefined) return ceiling;
    if (ceiling.value === undefined) return best;
    return best.value === undefined || ceiling.value < best.value ? ceiling : best;
  }, undefined);
  if (tightest === undefined) return undefined;
  const { value, source, limit } = tightest;
  return { value, source, limit };
}

function resolveShardCeiling(
  maxShards: PlanInput["maxShards"],
  limits: Record<LimitKey, number | undefined>,
): ResolvedShardCeiling | undefined {
  if (maxShards === undefined) return undefined;
  if (typeof maxShards === "number") {
    return { value: requireInteger("maxShards", maxShards, 1), source: "maxShards" };
  }
  if (maxShards.limit !== undefined && !SHARD_CEILING_LIMITS.includes(maxShards.limit)) {
    throw new PlanInputError(
      "maxShards",
      maxShards.limit,
      `a limit among ${SHARD_CEILING_LIMITS.join(", ")}`,
    );
  }
  if ("value" in maxShards) {
    return {
      value: requireInteger("maxShards", maxShards.value, 1),
      source: maxShards.source,
      limit: maxShards.limit,
    };
  }
  return { value: limits[maxShards.limit], source: limitLabel(maxShards.limit), limit: maxShards.limit };
}

/** A limit as messages and tables name it: its title, and its Limits API key when Genesys exposes one. */
export function limitLabel(key: LimitKey): string {
  const definition = LIMITS_CATALOG[key];
  const where = definition.genesys ? ` (${definition.genesys.namespace}/${definition.genesys.key})` : "";
  return `${definition.title}${where}`;
}

/**
 * Where a limit's value came from, for a message: "read from the org's Limits API", "recorded in
 * limits.queuesPerOrg", "the catalog's default, from <reference>".
 */
function valueSource(key: LimitKey, context: Context): string {
  const basis = context.basisOf(key);
  const definition = LIMITS_CATALOG[key];
  switch (basis.origin) {
    case "org": {
      const value = context.parameters.limits[key];
      const catalog = definition.defaultValue;
      const differs = catalog !== undefined && catalog !== value ? `; the catalog assumes ${catalog}` : "";
      return `read from the org's Limits API${differs}`;
    }
    case "limits":
      return `recorded in ${context.name(`limits.${key}`)}`;
    default:
      return `the catalog's default, from ${definition.reference}`;
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function percent(fraction: number): string {
  return `${formatNumber(fraction * 100)}%`;
}

function checkShardCeiling(
  ceiling: CheckedShardCeiling,
  shards: number,
  baseShards: number,
  spares: number,
  context: Context,
): PlanWarning[] {
  const { basis } = ceiling;
  const raisable = basis.configurable;
  const explicit = basis.origin === "input";
  const fields: PlanField[] =
    explicit || ceiling.limit === undefined ? ["maxShards"] : [`limits.${ceiling.limit}`];
  if (ceiling.value === undefined) {
    const genesys = ceiling.limit === undefined ? undefined : LIMITS_CATALOG[ceiling.limit].genesys;
    const readIt = genesys
      ? `read it with GET /api/v2/organizations/limits/namespaces/${genesys.namespace} (key ${genesys.key}), ` +
        `as the preflight does, or record it as ${context.name(fields[0])}`
      : `record it as ${context.name(fields[0])}`;
    return [
      {
        code: "shard-ceiling-unknown",
        severity: "info",
        limit: ceiling.limit,
        fields,
        required: shards,
        available: undefined,
        unit: "shards",
        raisable,
        message: `${ceiling.source} has no known value, so ${shards} shards were not checked against it; ${readIt}.`,
      },
    ];
  }
  if (shards <= ceiling.value) return [];
  const over = shards - ceiling.value;
  const withoutSpares =
    spares > 0 && baseShards <= ceiling.value
      ? ` Without spares the ${plural(baseShards, "base shard")} would fit.`
      : "";
  const allows =
    explicit || ceiling.limit === undefined
      ? `${ceiling.source} allows ${ceiling.value}`
      : `${ceiling.source} is ${ceiling.value} (${valueSource(ceiling.limit, context)})`;
  const advice =
    explicit || ceiling.limit === undefined
      ? `Lower the target or the spares, or raise ${ceiling.source} if the org allows more shards.`
      : raiseAdvice(raisable, basis.configurableFrom);
  return [
    {
      code: "shards-exceed-max",
      severity: "error",
      limit: ceiling.limit,
      fields,
      required: shards,
      available: ceiling.value,
      unit: "shards",
      raisable,
      message:
        `Infeasible: the plan needs ${shards} shards (${baseShards} base + ${plural(spares, "spare")}) but ` +
        `${allows}: ${over} over.${withoutSpares} ${advice}`,
    },
  ];
}

/**
 * The queue groups: Q = ceil(N / d) contiguous blocks of d deployments (the last may hold fewer), each with the
 * sum of its deployments' sessions, and the largest d the known conversations-per-queue ceiling allows.
 */
function planQueueGroups(
  perShard: readonly ShardShare[],
  deploymentsPerQueue: number,
  largestShare: number,
  context: Context,
): QueueGroupPlan {
  const perGroup: { index: number; shards: number[]; sessions: number }[] = [];
  for (const share of perShard) {
    const group = (perGroup[share.queueGroup] ??= { index: share.queueGroup, shards: [], sessions: 0 });
    group.shards.push(share.index);
    group.sessions += share.sessions;
  }
  const usable = usableConversationsPerQueue(context);
  return {
    deploymentsPerQueue,
    count: perGroup.length,
    perGroup: perGroup as QueueGroupShare[],
    maxDeploymentsPerQueue:
      usable === undefined || largestShare === 0
        ? undefined
        : Math.min(MAX_SHARDS_PER_STACK, Math.max(0, floorDiv(usable, largestShare))),
  };
}

/** floor(conversations per queue × h), or undefined when no value is known. */
function usableConversationsPerQueue(context: Context): number | undefined {
  const ceiling = context.parameters.limits.queueConversationsPerQueue;
  return ceiling === undefined ? undefined : floorOfProduct(ceiling, context.parameters.headroom);
}

/**
 * Whether a shard ceiling counts queue groups rather than shards: the org's queue limit once deployments share
 * queues. With one deployment per queue group the two counts are equal, and it is checked as a shard ceiling, with
 * the wording it has always had.
 */
function countsQueueGroups(ceiling: CheckedShardCeiling, deploymentsPerQueue: number): boolean {
  return deploymentsPerQueue > 1 && ceiling.limit === "queuesPerOrg" && ceiling.basis.origin !== "input";
}

function groupsText(groups: QueueGroupPlan): string {
  return (
    `${plural(groups.count, "queue group")} (${plural(groups.deploymentsPerQueue, "deployment")} per queue ` +
    "group, one queue each)"
  );
}

/** The org's queue limit against the queue groups (Q queues), once deployments share queues. */
function checkQueueCeiling(
  ceiling: CheckedShardCeiling,
  groups: QueueGroupPlan,
  context: Context,
): PlanWarning[] {
  const { basis } = ceiling;
  const fields: PlanField[] = [`limits.${ceiling.limit!}`, "deploymentsPerQueue"];
  if (ceiling.value === undefined || groups.count <= ceiling.value) return [];
  // The smallest d with ceil(N / d) <= the queue limit.
  const shards = groups.perGroup.reduce((sum, group) => sum + group.shards.length, 0);
  const fits = ceilDiv(shards, ceiling.value);
  return [
    {
      code: "shards-exceed-max",
      severity: "error",
      limit: ceiling.limit,
      fields,
      required: groups.count,
      available: ceiling.value,
      unit: "queues",
      raisable: basis.configurable,
      message:
        `Infeasible: the plan needs ${groupsText(groups)} but ${ceiling.source} is ${ceiling.value} ` +
        `(${valueSource(ceiling.limit!, context)}): ${groups.count - ceiling.value} over. Raise ` +
        `${context.name("deploymentsPerQueue")} to ${fits} (it moves deployments to other queue groups: README ` +
        `"Queue groups"). ${raiseAdvice(basis.configurable, basis.configurableFrom)}`,
    },
  ];
}

/**
 * The largest queue group's planned sessions against the conversations one queue holds, when that ceiling is known
 * (no source states one: only a value recorded under `limits` or read from the org is checked). Deployments sharing
 * a queue with no known ceiling are reported once, as information.
 */
function checkQueueConversations(
  groups: QueueGroupPlan,
  context: Context,
): { usage: LimitUsage; warnings: PlanWarning[] } {
  const key = "queueConversationsPerQueue";
  const ceiling = context.parameters.limits[key];
  const basis = context.basisOf(key);
  const largest = groups.perGroup.reduce<QueueGroupShare | undefined>(
    (best, group) => (best === undefined || group.sessions > best.sessions ? group : best),
    undefined,
  )!;
  const usage = measure("conversations-per-queue", key, largest.sessions, ceiling, basis);
  const d = groups.deploymentsPerQueue;
  const field = context.name("deploymentsPerQueue");
  if (ceiling === undefined) {
    if (d === 1) return { usage, warnings: [] };
    return {
      usage,
      warnings: [
        {
          code: "queue-conversations-unchecked",
          severity: "info",
          limit: key,
          fields: [`limits.${key}`, "deploymentsPerQueue"],
          required: largest.sessions,
          available: undefined,
          unit: "conversations",
          raisable: basis.configurable,
          message:
            `${groupsText(groups)}: the largest, queue group ${queueGroupNumber(largest.index)}, carries ` +
            `${largest.sessions} planned sessions in one queue. No source states how many conversations one queue ` +
            `holds, so that was not checked; record it as ${context.name(`limits.${key}`)} once Genesys states it ` +
            `or a test finds it.`,
        },
      ],
    };
  }
  const usable = floorOfProduct(ceiling, context.parameters.headroom);
  if (largest.sessions <= usable) return { usage, warnings: [] };
  const max = groups.maxDeploymentsPerQueue ?? 0;
  const advice =
    max >= 1
      ? `Lower ${field} to ${max} or less (it moves deployments to other queue groups: README "Queue groups").`
      : "Even one deployment's share is more than a queue holds: lower the per-shard ceiling " +
        `${context.name("sessionsPerShard")} so that more deployments carry the target.`;
  return {
    usage,
    warnings: [
      {
        code: "queue-conversations-exceeded",
        severity: "error",
        limit: key,
        fields: ["deploymentsPerQueue", `limits.${key}`],
        required: largest.sessions,
        available: usable,
        unit: "conversations",
        raisable: basis.configurable,
        message:
          `Infeasible: queue group ${queueGroupNumber(largest.index)} (shards ` +
          `${shardNumber(largest.shards[0])}–${shardNumber(largest.shards[largest.shards.length - 1])}) carries ` +
          `${largest.sessions} planned sessions in one queue, above ${usable}: the ${ceiling} concurrent ` +
          `conversations per queue (${valueSource(key, context)}) at ${percent(context.parameters.headroom)} ` +
          `headroom. ${advice}`,
      },
    ],
  };
}

/**
 * Every queue group has every agent as a member (the same groups, skill groups and teams), so the agents must fit
 * one queue's members, whatever the number of queue groups. A warning, not an error: the value is third-party.
 */
function checkQueueMembers(
  agents: AgentStaffing,
  context: Context,
): { usage: LimitUsage; warnings: PlanWarning[] } {
  const key = "queueMembersPerQueue";
  const ceiling = context.parameters.limits[key];
  const basis = context.basisOf(key);
  const usage = measure("members-per-queue", key, agents.count, ceiling, basis);
  // With one deployment per queue group the check shows in the usage only: a stack that keeps the layout it had
  // before queue groups synthesizes exactly as before, warnings (its capacity_plan output) included.
  if (ceiling === undefined || agents.count <= ceiling || context.parameters.deploymentsPerQueue === 1)
    return { usage, warnings: [] };
  return {
    usage,
    warnings: [
      {
        code: "queue-members-exceeded",
        severity: "warning",
        limit: key,
        fields: ["agents.count", `limits.${key}`],
        required: agents.count,
        available: ceiling,
        unit: "members",
        raisable: basis.configurable,
        message:
          `${agents.count} agents are more than the ${ceiling} members one queue can have ` +
          `(${LIMITS_CATALOG[key].title}, ${valueSource(key, context)}). Every queue group gets every agent, so ` +
          "sharing or splitting queues does not help: split the agents over environments, or record the org's " +
          `value as ${context.name(`limits.${key}`)} if Genesys states a higher one.`,
      },
    ],
  };
}

/**
 * One stack holds at most MAX_SHARDS_PER_STACK shards; past G shards an environment is split into shard groups of
 * G, so only a G above that (with N above it) cannot be synthesized: infeasible with a code no environment may
 * accept, naming the field to lower.
 */
function checkStackSize(
  shards: number,
  baseShards: number,
  shardsPerGroup: number,
  context: Context,
): PlanWarning[] {
  // Past G shards the environment is split into shard groups of G: the largest stack holds min(N, G).
  if (Math.min(shards, shardsPerGroup) <= MAX_SHARDS_PER_STACK) return [];
  const { parameters, name } = context;
  const { spares } = parameters;
  const needs =
    `Infeasible: the plan needs ${shards} shards (${baseShards} base + ${plural(spares, "spare")}) in shard ` +
    `groups of ${name("shardsPerGroup")} ${shardsPerGroup}, but one stack holds at most ${MAX_SHARDS_PER_STACK} ` +
    "shards, so synth cannot build it, even with capacity.acceptInfeasible. Lower " +
    `${name("shardsPerGroup")} to at most ${MAX_SHARDS_PER_STACK} (default ${DEFAULT_SHARDS_PER_GROUP}).`;
  return [
    {
      code: "shards-exceed-stack",
      severity: "error",
      fields: ["shardsPerGroup"],
      required: Math.min(shards, shardsPerGroup),
      available: MAX_SHARDS_PER_STACK,
      unit: "shards",
      raisable: false,
      message: needs,
    },
  ];
}

/**
 * A per-shard ceiling given as a plan field above the limit's known value: the plan leans on a ceiling that
 * nothing recorded says the org has.
 */
function checkAboveKnown(
  field: "sessionsPerShard" | "arrivalsPerShardPerMinute",
  key: LimitKey,
  given: number | undefined,
  context: Context,
): PlanWarning[] {
  const known = context.parameters.limits[key];
  if (given === undefined || known === undefined || given <= known) return [];
  const definition = LIMITS_CATALOG[key];
  const record = definition.genesys
    ? ` (or let the preflight read it from the org: ${definition.genesys.namespace}/${definition.genesys.key})`
    : " (Genesys exposes no Limits API key for it, so the preflight cannot read it)";
  const basis = context.basisOf(key);
  return [
    {
      code: "ceiling-above-catalog",
      severity: "warning",
      limit: key,
      fields: [field, `limits.${key}`],
      required: given,
      available: known,
      unit: definition.unit,
      raisable: basis.configurable,
      message:
        `${context.name(field)} ${given} is above the known ${lowerFirst(definition.title)}: ${known} ` +
        `${definition.unit} (${valueSource(key, context)}). Plan with it only if Genesys raised the limit for ` +
        `your org, and record the raised value as limits.${key} in the environment file${record}.`,
    },
  ];
}

/**
 * The org-wide (tenant) concurrent-sessions ceiling: every deployment counts against it, so the target must
 * fit it whatever the number of shards.
 */
function checkTenantSessions(
  target: number,
  context: Context,
): { usage: LimitUsage; warnings: PlanWarning[] } {
  const key = "webMessagingSessionsPerOrg";
  const ceiling = context.parameters.limits[key];
  const basis = context.basisOf(key);
  const usage = measure("sessions-per-org", key, target, ceiling, basis);
  if (ceiling === undefined) return { usage, warnings: [] };
  const { headroom } = context.parameters;
  const usable = floorOfProduct(ceiling, headroom);
  if (target <= usable) return { usage, warnings: [] };
  const needed = smallestWithUsable(target, headroom, 1);
  const where = `${LIMITS_CATALOG[key].title}, ${valueSource(key, context)}`;
  const ask =
    "Sharding cannot lift it: every deployment counts against the same tenant-wide ceiling. Ask Genesys " +
    "Customer Care to raise the org's concurrent web messaging sessions (the limit behind \"Max concurrent " +
    `connections exceeded for tenant") to at least ${needed} (${target} at ${percent(headroom)} headroom), ` +
    "or lower the target.";
  const fields: PlanField[] = ["targetSessions", `limits.${key}`];
  if (target > ceiling) {
    return {
      usage,
      warnings: [
        {
          code: "tenant-sessions-exceeded",
          severity: "error",
          limit: key,
          fields,
          required: target,
          available: ceiling,
          unit: "sessions",
          raisable: basis.configurable,
          message:
            `Infeasible whatever the shard count: ${target} target sessions exceed the org-wide ceiling of ` +
            `${ceiling} concurrent sessions (${where}). ${ask}`,
        },
      ],
    };
  }
  return {
    usage,
    warnings: [
      {
        code: "tenant-sessions-no-headroom",
        severity: "warning",
        limit: key,
        fields,
        required: target,
        available: usable,
        unit: "sessions",
        raisable: basis.configurable,
        message:
          `${target} target sessions use ${percent(target / ceiling)} of the org-wide ceiling of ${ceiling} ` +
          `concurrent sessions (${where}), above the ${percent(headroom)} headroom the plan keeps on every ` +
          `ceiling. ${ask}`,
      },
    ],
  };
}

function checkDataActions(
  load: DataActionLoad,
  arrivalsPerMinute: number,
  context: Context,
): { usage: LimitUsage[]; warnings: PlanWarning[] } {
  const { limits } = context.parameters;
  const executionsPerMinute = arrivalsPerMinute * load.perSession;
  const inFlight = (executionsPerMinute / 60) * load.p99LatencySeconds;
  const concurrencyKey = "dataActionConcurrentExecutions";
  const rateKey = "dataActionExecutionsPerMinute";
  const concurrencyLimit = catalogValue(limits, concurrencyKey);
  const rateLimit = catalogValue(limits, rateKey);
  const usage = [
    measure(
      "data-action-concurrency",
      concurrencyKey,
      inFlight,
      concurrencyLimit,
      context.basisOf(concurrencyKey),
    ),
    measure("data-action-rate", rateKey, executionsPerMinute, rateLimit, context.basisOf(rateKey)),
  ];
  const warnings: PlanWarning[] = [];
  const loadText =
    `${arrivalsPerMinute} new sessions/min × ${formatNumber(load.perSession)} ` +
    `Data Action${load.perSession === 1 ? "" : "s"} each`;
  const loadFields: PlanField[] = ["dataActions.perSession", "dataActions.p99LatencySeconds"];
  const advice = (key: LimitKey) => {
    const basis = context.basisOf(key);
    return raiseAdvice(basis.configurable, basis.configurableFrom);
  };
  if (inFlight > concurrencyLimit) {
    warnings.push({
      code: "data-action-concurrency",
      severity: "error",
      limit: concurrencyKey,
      fields: [`limits.${concurrencyKey}`, ...loadFields],
      required: inFlight,
      available: concurrencyLimit,
      unit: LIMITS_CATALOG[concurrencyKey].unit,
      raisable: context.basisOf(concurrencyKey).configurable,
      message:
        `${loadText} = ${formatNumber(executionsPerMinute / 60)}/s; at ${formatNumber(load.p99LatencySeconds)} s ` +
        `p99 latency about ${formatNumber(inFlight)} run at once, over the org's ${concurrencyLimit} concurrent ` +
        `Data Action executions (${valueSource(concurrencyKey, context)}). Sharding does not help: this limit ` +
        `is per org. ${advice(concurrencyKey)}`,
    });
  }
  if (executionsPerMinute > rateLimit) {
    warnings.push({
      code: "data-action-rate",
      severity: "error",
      limit: rateKey,
      fields: [`limits.${rateKey}`, "dataActions.perSession", "arrivalsPerMinute"],
      required: executionsPerMinute,
      available: rateLimit,
      unit: LIMITS_CATALOG[rateKey].unit,
      raisable: context.basisOf(rateKey).configurable,
      message:
        `${loadText} = ${formatNumber(executionsPerMinute)} executions/min, over the org's ${rateLimit} Data ` +
        `Action executions per minute (${valueSource(rateKey, context)}). Sharding does not help: this limit ` +
        `is per org. ${advice(rateKey)}`,
    });
  }
  return { usage, warnings };
}

/**
 * Agents × capacity per agent against the target: short of it is infeasible (the sessions would not be
 * answered); above the headroom kept on every ceiling is a warning.
 */
function checkAgents(
  agents: AgentStaffing,
  target: number,
  context: Context,
): { usage: LimitUsage; warnings: PlanWarning[] } {
  const capacity = agents.count * agents.capacityPerAgent;
  const basis = ceilingBasis(undefined, "input", { field: "agents.count" });
  const usage = measure("agent-capacity", "agentMaxMessageCapacity", target, capacity, basis);
  const { headroom, limits } = context.parameters;
  const usable = floorOfProduct(capacity, headroom);
  if (target <= usable) return { usage, warnings: [] };
  const maxCapacity = catalogValue(limits, "agentMaxMessageCapacity");
  const orRaise =
    agents.capacityPerAgent < maxCapacity
      ? ` or raise message capacity per agent (at most ${maxCapacity})`
      : "";
  const needed = smallestWithUsable(target, headroom, agents.capacityPerAgent);
  const keep = `${needed} agents at ${agents.capacityPerAgent} each keep the ${percent(headroom)} headroom`;
  const each = `${agents.count} agents × ${agents.capacityPerAgent} message conversations each = ${capacity} at once`;
  const warning = (
    code: "agent-capacity-short" | "agent-capacity-no-headroom",
    available: number,
    message: string,
  ): PlanWarning => ({
    code,
    severity: code === "agent-capacity-short" ? "error" : "warning",
    limit: "agentMaxMessageCapacity",
    fields: ["agents.count", "agents.capacityPerAgent"],
    required: target,
    available,
    unit: "sessions",
    raisable: LIMITS_CATALOG.agentMaxMessageCapacity.raisable,
    message,
  });
  if (capacity < target) {
    return {
      usage,
      warnings: [
        warning(
          "agent-capacity-short",
          capacity,
          `${each}, ${target - capacity} short of the ${target} target sessions. Sharding does not help: ` +
            `add agents (${keep})${orRaise}.`,
        ),
      ],
    };
  }
  return {
    usage,
    warnings: [
      warning(
        "agent-capacity-no-headroom",
        usable,
        `${each} for ${target} target sessions: ${percent(target / capacity)} of agent capacity, above the ` +
          `${percent(headroom)} headroom the plan keeps on every ceiling. Add agents (${keep})${orRaise}.`,
      ),
    ],
  };
}

/** The smallest count c with floor(c × step × headroom) >= target: agents, or an org-wide ceiling (step 1). */
function smallestWithUsable(target: number, headroom: number, step: number): number {
  let count = Math.max(1, Math.ceil(target / (step * headroom)) - 1);
  while (floorOfProduct(count * step, headroom) < target) count++;
  return count;
}

/**
 * The channel's deploy and plan cost: N deployments and Q queue groups (a queue and a flow each), at the measured
 * per-resource costs. With one deployment per queue group (Q = N) that is N × 16 to deploy and N × 6 to plan.
 *
 * The time, as a least bound: past G shards the base stack goes first (it holds only shared objects, which the
 * estimate does not count), then the shard groups run in parallel, sharing the clients: at most one client per
 * stack works at once (one Terraform run, one client), the clients together at most the org-wide rate where one is
 * known, and no stack faster than one client. One stack and one client: requests / the client's rate.
 */
function estimateDeploy(
  shards: number,
  deploymentsPerQueue: number,
  shardsPerGroup: number,
  oauthClients: number,
  requestsPerMinute: number,
  orgRequestsPerMinute: number | undefined,
): DeployEstimate {
  const refresh = PLAN_API_REQUESTS_BY_RESOURCE;
  const cost = (deployments: number) => {
    // Split environments put a queue group in its first deployment's group and G is a multiple of d there.
    const groups = Math.ceil(deployments / deploymentsPerQueue);
    return {
      apiRequests:
        deployments * DEPLOY_API_REQUESTS_PER_DEPLOYMENT + groups * DEPLOY_API_REQUESTS_PER_QUEUE_GROUP,
      planRequests:
        deployments * refresh.messengerDeployment + groups * (refresh.queue + refresh.inboundMessageFlow),
    };
  };
  const shardGroups = shards > shardsPerGroup ? Math.ceil(shards / shardsPerGroup) : 0;
  const perStack =
    shardGroups === 0
      ? [cost(shards)]
      : Array.from({ length: shardGroups }, (_, k) =>
          cost(Math.min(shardsPerGroup, shards - k * shardsPerGroup)),
        );
  // The whole channel: Q = ceil(N / d) queue groups, as the plan has them (the same sum over the groups once G is
  // a multiple of d, which synth requires of a split environment).
  const whole = cost(shards);
  const apiRequests = whole.apiRequests;
  const planRequests = whole.planRequests;
  const usefulClients = Math.min(oauthClients, perStack.length);
  const cap = (rate: number) =>
    orgRequestsPerMinute === undefined ? rate : Math.min(rate, orgRequestsPerMinute);
  const effectiveRequestsPerMinute = cap(usefulClients * requestsPerMinute);
  const oneStack = cap(requestsPerMinute);
  const minutes = (total: number, largest: number) =>
    Math.max(total / effectiveRequestsPerMinute, largest / oneStack);
  const largest = (pick: (c: { apiRequests: number; planRequests: number }) => number) =>
    perStack.reduce((most, c) => Math.max(most, pick(c)), 0);
  return {
    apiRequests,
    planRequests,
    requestsPerMinute,
    shardGroups,
    perStack,
    oauthClients,
    usefulClients,
    orgRequestsPerMinute,
    effectiveRequestsPerMinute,
    minimumMinutes: minutes(
      apiRequests,
      largest((c) => c.apiRequests),
    ),
    planMinimumMinutes: minutes(
      planRequests,
      largest((c) => c.planRequests),
    ),
  };
}

/**
 * The deploy's own use of the OAuth client's request rate: the rate that deploys every shard within
 * DEPLOY_MINUTES_WARNING_THRESHOLD minutes, against the client's limit. Over it the deploy is slow (a warning),
 * not infeasible.
 */
function checkDeploy(
  deploy: DeployEstimate,
  shards: number,
  queueGroups: QueueGroupPlan,
  context: Context,
): { usage: LimitUsage; warning: PlanWarning } {
  const key = "oauthClientRequestsPerMinute";
  const basis = context.basisOf(key);
  const neededRate = deploy.apiRequests / DEPLOY_MINUTES_WARNING_THRESHOLD;
  const usage = measure("deploy-api-rate", key, neededRate, deploy.effectiveRequestsPerMinute, basis);
  const slow = deploy.minimumMinutes > DEPLOY_MINUTES_WARNING_THRESHOLD;
  // One queue group per deployment keeps the wording every stack's capacity_plan output has always had.
  const shared = queueGroups.deploymentsPerQueue > 1;
  const onGroups = shared ? ` on ${plural(queueGroups.count, "queue group")}` : "";
  const perWhat = shared
    ? `${DEPLOY_API_REQUESTS_PER_DEPLOYMENT} per deployment, ${DEPLOY_API_REQUESTS_PER_QUEUE_GROUP} per queue ` +
      "group's queue and flow"
    : `${DEPLOY_API_REQUESTS_PER_SHARD} per shard`;
  const advice = slow
    ? ` That is over ${DEPLOY_MINUTES_WARNING_THRESHOLD} minutes: deploy in batches or with several OAuth ` +
      `clients. ${raiseAdvice(basis.configurable, basis.configurableFrom)}`
    : "";
  // One stack on one client (every environment before shard groups) keeps the message its output always had.
  const single =
    deploy.shardGroups === 0 && deploy.oauthClients === 1 && deploy.orgRequestsPerMinute === undefined;
  const rate = single ? `${deploy.requestsPerMinute} requests/min per OAuth client` : rateWording(deploy);
  const stacks =
    deploy.shardGroups === 0 ? "" : ` in ${plural(deploy.shardGroups, "shard group")} after the base stack`;
  return {
    usage,
    warning: {
      code: "deploy-api-rate",
      severity: slow ? "warning" : "info",
      limit: key,
      fields: [`limits.${key}`],
      required: neededRate,
      available: deploy.requestsPerMinute,
      unit: LIMITS_CATALOG[key].unit,
      raisable: basis.configurable,
      message:
        `Deploying ${plural(shards, "shard")}${onGroups}${stacks} ` +
        `takes about ${deploy.apiRequests} Platform API requests ` +
        `(${perWhat}): at least ${formatNumber(deploy.minimumMinutes)} min at ${rate}; ` +
        (single
          ? ""
          : `a no-change plan ${deploy.planRequests}, at least ${formatNumber(deploy.planMinimumMinutes)} min; `) +
        `finishing within ${DEPLOY_MINUTES_WARNING_THRESHOLD} min takes ${formatNumber(neededRate)} ` +
        `requests/min.${advice}`,
    },
  };
}

/** How fast the stacks of a split or multi-client deploy go together, for the deploy-api-rate message. */
function rateWording(deploy: DeployEstimate): string {
  const perClient = `${deploy.requestsPerMinute} requests/min per OAuth client`;
  const stacks = deploy.perStack.length;
  if (deploy.oauthClients === 1 && deploy.orgRequestsPerMinute === undefined) {
    return `${perClient}, one client for all ${stacks} stacks`;
  }
  const clients =
    `${plural(deploy.oauthClients, "OAuth client")}` +
    (deploy.usefulClients < deploy.oauthClients
      ? ` (${deploy.usefulClients} useful: one per stack carrying shards, ${stacks})`
      : "");
  const org =
    deploy.orgRequestsPerMinute !== undefined &&
    deploy.usefulClients * deploy.requestsPerMinute > deploy.orgRequestsPerMinute
      ? `, capped by the org-wide ${deploy.orgRequestsPerMinute} requests/min`
      : "";
  return `${perClient} with ${clients}: ${formatNumber(deploy.effectiveRequestsPerMinute)} requests/min together${org}, no stack faster than one client`;
}

function measure(
  what: LimitUsage["measure"],
  limit: LimitKey | undefined,
  used: number,
  available: number | undefined,
  basis: CeilingBasis,
): LimitUsage {
  return {
    measure: what,
    limit,
    unit: limit === undefined ? "shards" : LIMITS_CATALOG[limit].unit,
    used,
    available,
    fraction: available === undefined ? undefined : used / available,
    basis,
  };
}

function validateAgents(agents: AgentStaffing, limits: Record<LimitKey, number | undefined>): AgentStaffing {
  const maxCapacity = catalogValue(limits, "agentMaxMessageCapacity");
  return {
    count: requireInteger("agents.count", agents.count, 1),
    capacityPerAgent: requireInteger("agents.capacityPerAgent", agents.capacityPerAgent, 1, maxCapacity),
  };
}

function validateDataActions(load: DataActionLoad): DataActionLoad {
  if (!(Number.isFinite(load.perSession) && load.perSession > 0)) {
    throw new PlanInputError("dataActions.perSession", load.perSession, "a number > 0");
  }
  const latency = load.p99LatencySeconds;
  if (!(latency > 0 && latency <= MAX_DATA_ACTION_LATENCY_SECONDS)) {
    throw new PlanInputError(
      "dataActions.p99LatencySeconds",
      latency,
      `> 0 and <= ${MAX_DATA_ACTION_LATENCY_SECONDS} (the longest Data Action timeout)`,
    );
  }
  return load;
}

/** `value` as an integer in [min, max], or a PlanInputError naming `field`. */
function requireInteger(field: PlanField, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
  const allowed =
    max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  throw new PlanInputError(field, value, allowed);
}

/** A limit that always has a catalog default; overrides cannot remove one. */
function catalogValue(limits: Record<LimitKey, number | undefined>, key: LimitKey): number {
  const value = limits[key];
  if (value === undefined) throw new Error(`capacity catalog: ${key} has no default value`);
  return value;
}

/**
 * floor(a × b) for a decimal fraction b, forgiving binary rounding: 100 × 0.29 is 28.999999999999996 in
 * floating point but 29 to the person who typed 0.29.
 */
function floorOfProduct(a: number, b: number): number {
  // 15 significant digits drop the binary noise (about 1e-16 relative) but keep every digit a person types.
  return Math.floor(Number((a * b).toPrecision(15)));
}

/** floor(a / b) for non-negative safe integers, exact even where the float quotient rounds up. */
function floorDiv(a: number, b: number): number {
  let quotient = Math.floor(a / b);
  while (quotient * b > a) quotient--;
  while ((quotient + 1) * b <= a) quotient++;
  return quotient;
}

/** ceil(a / b) for non-negative safe integers. */
function ceilDiv(a: number, b: number): number {
  const quotient = floorDiv(a, b);
  return quotient * b === a ? quotient : quotient + 1;
}

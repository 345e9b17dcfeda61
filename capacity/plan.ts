/**
 * The shard planner: how many web messaging shards (one queue, one inbound message flow and one Messenger
 * deployment each) carry a target load, how the load spreads over them, and which limits the plan uses up.
 *
 * The model, with T target sessions, C sessions per shard, R arrivals per minute, Rd arrivals per shard per
 * minute, h headroom and s spares:
 * - usable per shard: u = floor(C × h) sessions and ua = floor(Rd × h) arrivals per minute, each >= 1;
 * - base shards n = max(ceil(T / u), ceil(R / ua)), the second term only when R is given;
 * - shards N = n + s, with sessions and arrivals spread evenly over all N (shares differ by at most 1, larger
 *   shares first), so with s shards lost and their load spread over the rest, every shard still fits within u.
 */
import { formatNumber } from "./format";
import { LIMITS_CATALOG, resolveLimits } from "./catalog";
import { PlanInputError, type PlanField } from "./errors";
import type {
  AgentStaffing,
  BindingConstraint,
  CapacityPlan,
  DataActionLoad,
  DeployEstimate,
  LimitKey,
  LimitUsage,
  PlanInput,
  PlanParameters,
  PlanWarning,
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

/** The most shards the planner lists one by one; a plan needing more is refused as bad input. */
export const MAX_PLANNED_SHARDS = 1_000_000;

/** The longest Data Action timeout Genesys allows (`ActionConfig.timeoutSeconds` is 1-60 s). */
export const MAX_DATA_ACTION_LATENCY_SECONDS = 60;

/**
 * Platform API requests to create one shard on a first deploy, by resource: an estimate, not a measurement.
 * It counts one create and one read-back per resource, plus the calls each resource needs on top.
 */
export const DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE = {
  /** Queue: POST /api/v2/routing/queues, then GET to read it back. */
  queue: 2,
  /** Inbound message flow: create, request an upload URL, start the publish job, poll the job, read back. */
  inboundMessageFlow: 5,
  /** Messenger configuration: create, publish a version, read back. */
  messengerConfiguration: 3,
  /** Messenger deployment: create, read back its status. */
  messengerDeployment: 2,
} as const;

/** Platform API requests to create one shard: the sum of `DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE` (12). */
export const DEPLOY_API_REQUESTS_PER_SHARD = Object.values(DEPLOY_API_REQUESTS_PER_SHARD_BY_RESOURCE).reduce(
  (sum, requests) => sum + requests,
  0,
);

/** A full deploy that takes longer than this at the OAuth client's request rate is reported as a warning. */
export const DEPLOY_MINUTES_WARNING_THRESHOLD = 10;

const SHARD_CEILING_LIMITS: readonly ShardCeilingLimit[] = ["webDeploymentsPerOrg", "queuesPerOrg"];

/**
 * Plans the shards for `input`.
 * @throws PlanInputError when a value is out of range, a needed value is missing, or the plan would exceed
 *   MAX_PLANNED_SHARDS. An infeasible plan (more shards than the org allows) is returned, with
 *   `feasible: false` and an error-level warning, not thrown.
 */
export function planShards(input: PlanInput): CapacityPlan {
  const { parameters, ceilings, agents, dataActions } = resolveInput(input);
  const { targetSessions: target, arrivalsPerMinute: arrivals, spares } = parameters;

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
    perShard.push({ index, sessions: sessionShares.at(index), arrivalsPerMinute: arrivalShares?.at(index) });
  }

  const usage: LimitUsage[] = [
    measure(
      "sessions-per-shard",
      "webMessagingSessionsPerDeployment",
      sessionShares.largest,
      parameters.sessionsPerShard,
    ),
  ];
  const warnings: PlanWarning[] = [];
  if (spares > 0) {
    // The lost shards' sessions spread evenly over the n survivors.
    const afterLosingSpares = ceilDiv(target, baseShards);
    usage.push(
      measure(
        "sessions-per-shard-after-losing-spares",
        "webMessagingSessionsPerDeployment",
        afterLosingSpares,
        parameters.sessionsPerShard,
      ),
    );
  }
  if (arrivalShares !== undefined) {
    usage.push(
      measure(
        "arrivals-per-shard",
        "webMessagingConnectionsPerDeploymentPerMinute",
        arrivalShares.largest,
        parameters.arrivalsPerShardPerMinute,
      ),
    );
  }
  for (const ceiling of ceilings) {
    usage.push({
      ...measure("shards", ceiling.limit, shards, ceiling.value),
      unit: "shards",
      source: ceiling.source,
    });
    warnings.push(...checkShardCeiling(ceiling, shards, baseShards, spares));
  }
  if (dataActions !== undefined && arrivals !== undefined) {
    const checked = checkDataActions(dataActions, arrivals, parameters.limits);
    usage.push(...checked.usage);
    warnings.push(...checked.warnings);
  }
  if (agents !== undefined) {
    const capacity = agents.count * agents.capacityPerAgent;
    usage.push(measure("agent-capacity", "agentMaxMessageCapacity", target, capacity));
    if (capacity < target) warnings.push(agentCapacityWarning(agents, capacity, target, parameters.limits));
  }
  const deploy = estimateDeploy(shards, catalogValue(parameters.limits, "oauthClientRequestsPerMinute"));
  warnings.push(deployWarning(deploy, shards));

  return {
    shards,
    baseShards,
    spares,
    shardsForSessions,
    shardsForArrivals,
    binding,
    feasible: !warnings.some((warning) => warning.severity === "error"),
    perShard,
    maxShards: tightestCeiling(ceilings),
    usage,
    warnings,
    deploy,
    parameters,
  };
}

/** The input checked, with defaults and catalog values applied. */
interface ResolvedInput {
  readonly parameters: PlanParameters;
  /** Every shard ceiling that applies: the caller's, then the org limits each shard counts against. */
  readonly ceilings: readonly ResolvedShardCeiling[];
  readonly agents: AgentStaffing | undefined;
  readonly dataActions: DataActionLoad | undefined;
}

/** Checks every input field (first failure wins) and applies the defaults. */
function resolveInput(input: PlanInput): ResolvedInput {
  const limits = resolveLimits(input.limits);
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
  const ceilings = resolveShardCeilings(input.maxShards, limits);
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
      usableSessionsPerShard: usableSessions,
      usableArrivalsPerShardPerMinute: usableArrivals,
      limits,
    },
    ceilings,
    agents,
    dataActions,
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
): ResolvedShardCeiling[] {
  const explicit = resolveShardCeiling(maxShards, limits);
  const ceilings = explicit === undefined ? [] : [explicit];
  // `{ limit }` names a catalog limit, already in the list; `{ value, limit }` is a value of its own.
  const namedLimit = typeof maxShards === "object" && !("value" in maxShards) ? maxShards.limit : undefined;
  for (const limit of SHARD_CEILING_LIMITS) {
    if (limit !== namedLimit) ceilings.push(resolveShardCeiling({ limit }, limits)!);
  }
  return ceilings;
}

/** The ceiling with the lowest known value (the one that binds), else the first one. */
function tightestCeiling(ceilings: readonly ResolvedShardCeiling[]): ResolvedShardCeiling | undefined {
  return ceilings.reduce<ResolvedShardCeiling | undefined>((tightest, ceiling) => {
    if (tightest === undefined) return ceiling;
    if (ceiling.value === undefined) return tightest;
    return tightest.value === undefined || ceiling.value < tightest.value ? ceiling : tightest;
  }, undefined);
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
  const definition = LIMITS_CATALOG[maxShards.limit];
  const where = definition.genesys ? ` (${definition.genesys.namespace}/${definition.genesys.key})` : "";
  return { value: limits[maxShards.limit], source: `${maxShards.limit}${where}`, limit: maxShards.limit };
}

function checkShardCeiling(
  ceiling: ResolvedShardCeiling,
  shards: number,
  baseShards: number,
  spares: number,
): PlanWarning[] {
  const raisable = ceiling.limit === undefined ? "unknown" : LIMITS_CATALOG[ceiling.limit].raisable;
  if (ceiling.value === undefined) {
    const genesys = ceiling.limit === undefined ? undefined : LIMITS_CATALOG[ceiling.limit].genesys;
    const readIt = genesys
      ? `read it with GET /api/v2/organizations/limits/namespaces/${genesys.namespace} (key ${genesys.key})`
      : "read it from the org's Limits API";
    return [
      {
        code: "shard-ceiling-unknown",
        severity: "info",
        limit: ceiling.limit,
        required: shards,
        available: undefined,
        raisable,
        message: `${ceiling.source} has no known value, so ${shards} shards were not checked against it; ${readIt}.`,
      },
    ];
  }
  if (shards <= ceiling.value) return [];
  const over = shards - ceiling.value;
  const withoutSpares =
    spares > 0 && baseShards <= ceiling.value
      ? ` Without spares the ${baseShards} base shards would fit.`
      : "";
  return [
    {
      code: "shards-exceed-max",
      severity: "error",
      limit: ceiling.limit,
      required: shards,
      available: ceiling.value,
      raisable,
      message:
        `Infeasible: the plan needs ${shards} shards (${baseShards} base + ${spares} spare) but the org ` +
        `allows ${ceiling.value} (${ceiling.source}): ${over} over.${withoutSpares} ${raiseAdvice(raisable)}`,
    },
  ];
}

function checkDataActions(
  load: DataActionLoad,
  arrivalsPerMinute: number,
  limits: Record<LimitKey, number | undefined>,
): { usage: LimitUsage[]; warnings: PlanWarning[] } {
  const executionsPerMinute = arrivalsPerMinute * load.perSession;
  const inFlight = (executionsPerMinute / 60) * load.p99LatencySeconds;
  const concurrencyLimit = catalogValue(limits, "dataActionConcurrentExecutions");
  const rateLimit = catalogValue(limits, "dataActionExecutionsPerMinute");
  const usage = [
    measure("data-action-concurrency", "dataActionConcurrentExecutions", inFlight, concurrencyLimit),
    measure("data-action-rate", "dataActionExecutionsPerMinute", executionsPerMinute, rateLimit),
  ];
  const warnings: PlanWarning[] = [];
  const loadText = `${arrivalsPerMinute} new sessions/min × ${formatNumber(load.perSession)} Data Actions each`;
  if (inFlight > concurrencyLimit) {
    warnings.push({
      code: "data-action-concurrency",
      severity: "warning",
      limit: "dataActionConcurrentExecutions",
      required: inFlight,
      available: concurrencyLimit,
      raisable: LIMITS_CATALOG.dataActionConcurrentExecutions.raisable,
      message:
        `${loadText} = ${formatNumber(executionsPerMinute / 60)}/s; at ${formatNumber(load.p99LatencySeconds)} s ` +
        `p99 latency about ${formatNumber(inFlight)} run at once, over the org's ${concurrencyLimit} concurrent ` +
        `Data Action executions. Sharding does not help: this limit is per org. ` +
        raiseAdvice(LIMITS_CATALOG.dataActionConcurrentExecutions.raisable),
    });
  }
  if (executionsPerMinute > rateLimit) {
    warnings.push({
      code: "data-action-rate",
      severity: "warning",
      limit: "dataActionExecutionsPerMinute",
      required: executionsPerMinute,
      available: rateLimit,
      raisable: LIMITS_CATALOG.dataActionExecutionsPerMinute.raisable,
      message:
        `${loadText} = ${formatNumber(executionsPerMinute)} executions/min, over the org's ${rateLimit} Data Action ` +
        `executions per minute. Sharding does not help: this limit is per org. ` +
        raiseAdvice(LIMITS_CATALOG.dataActionExecutionsPerMinute.raisable),
    });
  }
  return { usage, warnings };
}

function agentCapacityWarning(
  agents: AgentStaffing,
  capacity: number,
  target: number,
  limits: Record<LimitKey, number | undefined>,
): PlanWarning {
  const maxCapacity = catalogValue(limits, "agentMaxMessageCapacity");
  const orRaise =
    agents.capacityPerAgent < maxCapacity
      ? ` or raise message capacity per agent (at most ${maxCapacity})`
      : "";
  return {
    code: "agent-capacity-short",
    severity: "warning",
    limit: "agentMaxMessageCapacity",
    required: target,
    available: capacity,
    raisable: LIMITS_CATALOG.agentMaxMessageCapacity.raisable,
    message:
      `${agents.count} agents × ${agents.capacityPerAgent} message conversations each = ${capacity} at once, ` +
      `${target - capacity} short of the ${target} target sessions. Sharding does not help: add agents${orRaise}.`,
  };
}

function estimateDeploy(shards: number, requestsPerMinute: number): DeployEstimate {
  const apiRequests = shards * DEPLOY_API_REQUESTS_PER_SHARD;
  return { apiRequests, requestsPerMinute, minimumMinutes: apiRequests / requestsPerMinute };
}

function deployWarning(deploy: DeployEstimate, shards: number): PlanWarning {
  const budget = deploy.requestsPerMinute * DEPLOY_MINUTES_WARNING_THRESHOLD;
  const slow = deploy.apiRequests > budget;
  const advice = slow
    ? ` That is over ${DEPLOY_MINUTES_WARNING_THRESHOLD} minutes: deploy in batches or with several OAuth ` +
      `clients. ${raiseAdvice(LIMITS_CATALOG.oauthClientRequestsPerMinute.raisable)}`
    : "";
  return {
    code: "deploy-api-rate",
    severity: slow ? "warning" : "info",
    limit: "oauthClientRequestsPerMinute",
    required: deploy.apiRequests,
    available: budget,
    raisable: LIMITS_CATALOG.oauthClientRequestsPerMinute.raisable,
    message:
      `Deploying ${shards} shards takes about ${deploy.apiRequests} Platform API requests ` +
      `(${DEPLOY_API_REQUESTS_PER_SHARD} per shard), at least ${formatNumber(deploy.minimumMinutes)} min at ` +
      `${deploy.requestsPerMinute} requests/min per OAuth client.${advice}`,
  };
}

function raiseAdvice(raisable: boolean | "unknown"): string {
  if (raisable === true) return "Genesys raises this limit on request (a Customer Care case with a reason).";
  if (raisable === false) return "Genesys does not raise this limit.";
  return (
    "Genesys may raise it on request through Customer Care; no source says whether it is configurable " +
    "(see `configurable` in GET /api/v2/organizations/limits/docs)."
  );
}

function measure(
  what: LimitUsage["measure"],
  limit: LimitKey | undefined,
  used: number,
  available: number | undefined,
): LimitUsage {
  return {
    measure: what,
    limit,
    unit: limit === undefined ? "shards" : LIMITS_CATALOG[limit].unit,
    used,
    available,
    fraction: available === undefined ? undefined : used / available,
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

/** A number for a message: integers as they are, fractions to at most 2 decimals. */

/**
 * Turns a validated environment into the capacity planner's input, and plans it. Planner errors are reported
 * against the environment file's own field names, e.g.
 * `environments/prod.yaml: capacity.sessionsPerShard × capacity.headroom must leave >= 1 ...`.
 */
import {
  planShards,
  PlanInputError,
  type CapacityPlan,
  type FieldNamer,
  type LimitOverrides,
  type PlanField,
  type PlanInput,
} from "../capacity";
import { EnvironmentError, type EnvironmentConfig } from "./environment";

/** Where each planner field lives in an environment file. */
const ENVIRONMENT_FIELD: Record<Exclude<PlanField, `limits.${string}`>, string> = {
  targetSessions: "capacity.targetConcurrentSessions",
  sessionsPerShard: "capacity.sessionsPerShard",
  arrivalsPerMinute: "capacity.peakArrivalsPerMinute",
  arrivalsPerShardPerMinute: "capacity.arrivalsPerShardPerMinute",
  headroom: "capacity.headroom",
  spares: "capacity.spareShards",
  maxShards: "capacity.maxShards",
  "agents.count": "agents.count",
  "agents.capacityPerAgent": "agents.messageCapacity",
  "dataActions.perSession": "dataActions[*].perSession",
  "dataActions.p99LatencySeconds": "dataActions[*].p99LatencySeconds",
};

/** Names planner fields as the environment file spells them. */
export const environmentFieldName: FieldNamer = (field) =>
  field.startsWith("limits.") ? field : ENVIRONMENT_FIELD[field as keyof typeof ENVIRONMENT_FIELD];

/**
 * The planner input for an environment. `orgLimits` (e.g. read from the org's Limits API) take precedence
 * over the environment's `limits` overrides, which take precedence over the catalog.
 *
 * Several Data Actions fold into one load: executions per session add up, and the latency is the
 * execution-weighted mean of their p99s, so executions/s × latency is exactly the sum of each action's
 * in-flight executions (Little's law). An action without a measured p99 counts at its timeout: a slow backend
 * holds the flow that long.
 */
export function planInputFor(env: EnvironmentConfig, orgLimits: LimitOverrides = {}): PlanInput {
  const { capacity } = env;
  const perSession = env.dataActions.reduce((sum, a) => sum + a.perSession, 0);
  const weightedLatency = env.dataActions.reduce(
    (sum, a) => sum + a.perSession * (a.p99LatencySeconds ?? a.timeoutSeconds),
    0,
  );
  return {
    targetSessions: capacity.targetConcurrentSessions,
    sessionsPerShard: capacity.sessionsPerShard,
    arrivalsPerMinute: capacity.peakArrivalsPerMinute,
    arrivalsPerShardPerMinute: capacity.arrivalsPerShardPerMinute,
    headroom: capacity.headroom,
    spares: capacity.spareShards,
    maxShards:
      capacity.maxShards !== undefined
        ? { value: capacity.maxShards, source: "capacity.maxShards" }
        : { limit: "webDeploymentsPerOrg" },
    agents: env.agents
      ? { count: env.agents.count, capacityPerAgent: env.agents.messageCapacity }
      : undefined,
    dataActions: perSession > 0 ? { perSession, p99LatencySeconds: weightedLatency / perSession } : undefined,
    limits: { ...env.limits, ...orgLimits },
  };
}

/**
 * Plans an environment's shards.
 * @param label prefixes error messages, usually the environment file's path.
 * @throws EnvironmentError when the planner rejects the parameters.
 */
export function planEnvironment(
  env: EnvironmentConfig,
  label: string,
  orgLimits?: LimitOverrides,
): CapacityPlan {
  try {
    return planShards(planInputFor(env, orgLimits));
  } catch (e) {
    if (e instanceof PlanInputError)
      throw new EnvironmentError([`${label}: ${e.render(environmentFieldName)}`]);
    throw e;
  }
}

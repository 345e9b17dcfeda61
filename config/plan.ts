/**
 * Turns a validated environment into the capacity planner's input, plans it, and decides what synth does
 * with the plan. Planner errors and warnings are reported against the environment file's own field names, e.g.
 * `environments/prod.yaml: capacity.sessionsPerShard × capacity.headroom must leave >= 1 ...`.
 */
import {
  ACCEPTABLE_INFEASIBLE_CODES,
  planShards,
  PlanInputError,
  type CapacityPlan,
  type FieldNamer,
  type InfeasibleCode,
  type OrgLimitValues,
  type PlanField,
  type PlanInput,
  type PlanWarning,
} from "../capacity";
import {
  EnvironmentError,
  environmentFile,
  environmentLabel,
  environmentsDirFrom,
  loadEnvironment,
  requireEnvironments,
  type EnvironmentConfig,
} from "./environment";
import { voiceVerdict } from "./voice";

/** Where each planner field lives in an environment file. */
const ENVIRONMENT_FIELD: Record<Exclude<PlanField, `limits.${string}`>, string> = {
  targetSessions: "capacity.targetConcurrentSessions",
  sessionsPerShard: "capacity.sessionsPerShard",
  arrivalsPerMinute: "capacity.peakArrivalsPerMinute",
  arrivalsPerShardPerMinute: "capacity.arrivalsPerShardPerMinute",
  headroom: "capacity.headroom",
  spares: "capacity.spareShards",
  maxShards: "capacity.maxShards",
  deploymentsPerQueue: "capacity.deploymentsPerQueue",
  shardsPerGroup: "capacity.shardsPerGroup",
  oauthClients: "capacity.oauthClients",
  "agents.count": "agents.count",
  "agents.capacityPerAgent": "agents.messageCapacity",
  "dataActions.perSession": "dataActions[*].perSession",
  "dataActions.p99LatencySeconds": "dataActions[*].p99LatencySeconds",
};

/** Names planner fields as the environment file spells them. */
export const environmentFieldName: FieldNamer = (field) =>
  field.startsWith("limits.") ? field : ENVIRONMENT_FIELD[field as keyof typeof ENVIRONMENT_FIELD];

/** The environment file's field that accepts an infeasible plan. */
const ACCEPT_FIELD = "capacity.acceptInfeasible";

/**
 * The planner input for an environment. `org` (the org's values, read from its Limits API) take precedence
 * over the environment's `limits` overrides, which take precedence over the catalog.
 *
 * Several Data Actions fold into one load: executions per session add up, and the latency is the
 * execution-weighted mean of their p99s, so executions/s × latency is exactly the sum of each action's
 * in-flight executions (Little's law). An action without a measured p99 counts at its timeout: a slow backend
 * holds the flow that long.
 */
export function planInputFor(env: EnvironmentConfig, org?: OrgLimitValues): PlanInput {
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
    deploymentsPerQueue: capacity.deploymentsPerQueue,
    shardsPerGroup: capacity.shardsPerGroup,
    oauthClients: capacity.oauthClients,
    maxShards:
      capacity.maxShards !== undefined
        ? { value: capacity.maxShards, source: environmentFieldName("maxShards") }
        : { limit: "webDeploymentsPerOrg" },
    agents: env.agents
      ? { count: env.agents.count, capacityPerAgent: env.agents.messageCapacity }
      : undefined,
    dataActions: perSession > 0 ? { perSession, p99LatencySeconds: weightedLatency / perSession } : undefined,
    limits: { ...env.limits },
    ...(org === undefined ? {} : { orgLimits: org }),
  };
}

/**
 * Plans an environment's shards; warning messages name the file's fields.
 * @param label prefixes error messages, usually the environment file's path.
 * @throws EnvironmentError when the planner rejects the parameters.
 */
export function planEnvironment(env: EnvironmentConfig, label: string, org?: OrgLimitValues): CapacityPlan {
  try {
    return planShards(planInputFor(env, org), { fieldName: environmentFieldName });
  } catch (e) {
    if (e instanceof PlanInputError)
      throw new EnvironmentError([`${label}: ${e.render(environmentFieldName)}`]);
    throw e;
  }
}

/** What synth does with an environment's plan. */
export interface PlanVerdict {
  /** One line per reason the plan may not be synthesized (empty when it may). */
  readonly problems: readonly string[];
  /**
   * Lines synth prints and goes on: warnings, each infeasibility `capacity.acceptInfeasible` accepts (with its
   * reason), and accepted codes the plan no longer needs.
   */
  readonly notices: readonly string[];
}

/** Whether `capacity.acceptInfeasible` may list a code: not `shards-exceed-stack`, which no stack can hold. */
function acceptable(code: string): boolean {
  return (ACCEPTABLE_INFEASIBLE_CODES as readonly string[]).includes(code);
}

/**
 * Whether synth may write an environment's plan: not when a warning makes it infeasible, unless the file's
 * `capacity.acceptInfeasible` names that warning's code (and the code is one a stack can be built for). Every
 * line starts with `label` and the fields to look at, e.g.
 * `environments/prod.yaml: limits.webDeploymentsPerOrg: Infeasible: the plan needs 85 shards ...`. The closing
 * line that suggests `capacity.acceptInfeasible` is left out when a refused code cannot be accepted.
 */
export function planVerdict(env: EnvironmentConfig, plan: CapacityPlan, label: string): PlanVerdict {
  const accept = env.capacity.acceptInfeasible;
  const accepted = new Set<string>((accept?.codes ?? []).filter(acceptable));
  const at = (warning: PlanWarning) =>
    `${label}: ${warning.fields.map((field) => environmentFieldName(field)).join(", ")}`;
  const problems: string[] = [];
  const notices: string[] = [];
  const refused: InfeasibleCode[] = [];
  for (const warning of plan.warnings) {
    if (warning.severity === "error") {
      const code = warning.code as InfeasibleCode;
      if (accepted.has(code)) {
        notices.push(
          `${at(warning)}: accepted by ${ACCEPT_FIELD} (${JSON.stringify(accept!.reason)}), synthesized anyway: ` +
            warning.message,
        );
      } else {
        problems.push(`${at(warning)}: ${warning.message}`);
        if (!refused.includes(code)) refused.push(code);
      }
    } else if (warning.severity === "warning") {
      notices.push(`${at(warning)}: warning: ${warning.message}`);
    }
  }
  if (refused.length > 0 && refused.every(acceptable)) {
    problems.push(
      `${label}: the capacity plan is infeasible, so synth writes nothing; fix the fields above, or deploy it ` +
        `anyway with ${ACCEPT_FIELD}: { reason: "<why>", codes: [${refused.join(", ")}] }`,
    );
  }
  const failing = new Set(plan.warnings.filter((w) => w.severity === "error").map((w) => w.code as string));
  const stale = [...accepted].filter((code) => !failing.has(code));
  if (stale.length > 0) {
    notices.push(
      `${label}: ${ACCEPT_FIELD}.codes lists ${stale.join(", ")}, which the plan no longer exceeds; remove ` +
        `${stale.length === 1 ? "it" : "them"} so a new infeasibility is not accepted unseen`,
    );
  }
  return { problems, notices };
}

/** One environment, validated and planned, ready for its stack. */
export interface PlannedEnvironment {
  readonly environment: EnvironmentConfig;
  readonly plan: CapacityPlan;
  /** How messages name the environment's file, e.g. `environments/prod.yaml`. */
  readonly label: string;
}

/** Every environment of a folder, planned, with what synth must print and whether it may go on. */
export interface SynthPlans {
  readonly environments: readonly PlannedEnvironment[];
  /** Lines that stop synth (bad parameters, infeasible plans, a missing or empty folder). */
  readonly problems: readonly string[];
  /** Lines synth prints and goes on (warnings, accepted infeasibilities). */
  readonly notices: readonly string[];
}

/**
 * Loads, validates and plans every environment file for synth: from GENESYS_ENVIRONMENTS_DIR in `variables`
 * when set, else `environments/`. Never throws for bad input: every problem becomes a line.
 */
export function planEnvironmentsForSynth(
  variables: Readonly<Record<string, string | undefined>>,
): SynthPlans {
  const folder = environmentsDirFrom(variables);
  const problems: string[] = [];
  const notices: string[] = [];
  const environments: PlannedEnvironment[] = [];
  let names: string[];
  try {
    names = requireEnvironments(folder);
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    return { environments, problems: [...e.problems], notices };
  }
  for (const name of names) {
    const label = environmentLabel(environmentFile(name, folder.dir));
    try {
      const environment = loadEnvironment(name, folder.dir);
      const plan = planEnvironment(environment, label);
      const verdict = planVerdict(environment, plan, label);
      problems.push(...verdict.problems);
      notices.push(...verdict.notices);
      const staffing = membershipNotice(environment, plan, label);
      if (staffing) notices.push(staffing);
      const voice = voiceVerdict(environment, plan, label);
      problems.push(...voice.problems);
      notices.push(...voice.notices);
      environments.push({ environment, plan, label });
    } catch (e) {
      if (!(e instanceof EnvironmentError)) throw e;
      problems.push(...e.problems);
    }
  }
  return { environments, problems, notices };
}

/**
 * The warning for an environment that names no agents (no groups, skill groups or teams): valid for a dry
 * environment, but every shard queue will have no members and conversations would wait forever.
 */
export function membershipNotice(
  env: EnvironmentConfig,
  plan: CapacityPlan,
  label: string,
): string | undefined {
  const agents = env.agents;
  if (agents && agents.groups.length + agents.skillGroups.length + agents.teams.length > 0) return undefined;
  const groups = plan.queueGroups;
  const queues =
    groups.deploymentsPerQueue > 1 ? `${groups.count} queue group queues` : `${plan.shards} shard queues`;
  return (
    `${label}: agents.groups: warning: no groups, skill groups or teams are named, so the ${queues} ` +
    `will have no members and their conversations wait unanswered (agents added by hand are removed by ` +
    `the next deploy); name the org's ` +
    `groups under agents.groups (or agents.skillGroups, agents.teams)`
  );
}

/**
 * The value of a stack's `capacity_plan` output: how many shards, what binds and what that ceiling rests on,
 * whether the plan is feasible (and, if not, why synth went on), every warning, and each shard's share; with
 * deployments sharing queues, deploymentsPerQueue, the number of queue groups and each shard's queue group.
 */
export function capacityPlanOutput(env: EnvironmentConfig, plan: CapacityPlan): Record<string, unknown> {
  const accept = env.capacity.acceptInfeasible;
  const groups = plan.queueGroups;
  const shared = groups.deploymentsPerQueue > 1;
  return {
    environment: env.name,
    shards: plan.shards,
    base_shards: plan.baseShards,
    spares: plan.spares,
    binding: plan.binding,
    binding_ceiling: {
      limit: plan.bindingCeiling.limit,
      value: plan.bindingCeiling.value,
      origin: plan.bindingCeiling.basis.origin,
      only_observed: plan.bindingCeiling.basis.onlyObserved,
    },
    feasible: plan.feasible,
    ...(accept === undefined
      ? {}
      : { accepted_infeasible: { reason: accept.reason, codes: [...accept.codes] } }),
    warnings: plan.warnings.map((warning) => ({
      code: warning.code,
      severity: warning.severity,
      ...(warning.limit === undefined ? {} : { limit: warning.limit }),
      fields: warning.fields.map((field) => environmentFieldName(field)),
      required: warning.required,
      ...(warning.available === undefined ? {} : { available: warning.available }),
      unit: warning.unit,
      message: warning.message,
    })),
    // Only a stack whose deployments share queues says so: one queue group per deployment is the layout every
    // stack had before queue groups, and its output stays as it was (queue group = shard index).
    ...(shared ? { deployments_per_queue: groups.deploymentsPerQueue, queue_groups: groups.count } : {}),
    per_shard: plan.perShard.map((s) => ({
      index: s.index,
      ...(shared ? { queue_group: s.queueGroup } : {}),
      sessions: s.sessions,
      arrivals_per_minute: s.arrivalsPerMinute,
    })),
  };
}

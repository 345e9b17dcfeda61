import type { Construct } from "constructs";
import type { CapacityPlan } from "../capacity";
import type { EnvironmentConfig } from "../config/environment";
import { DEFAULT_SHARDS_PER_GROUP, shardGroupStackName, shardGroups, stackName } from "../genesys";
import { GenesysEnvironmentStack } from "./genesys-environment-stack";
import { ShardGroupStack } from "./shard-group-stack";

/** What an environment synthesizes to: one stack, or a base stack and its shard groups. */
export interface EnvironmentStacks {
  /** `gc-<env>`: the whole environment, or (split) the base stack. */
  readonly base: GenesysEnvironmentStack;
  /** `gc-<env>-shards-<k>` by k; empty when the environment fits in one stack (N <= G). */
  readonly groups: readonly ShardGroupStack[];
}

/** An environment's shards per group: `capacity.shardsPerGroup`, else DEFAULT_SHARDS_PER_GROUP. */
export function shardsPerGroupOf(env: EnvironmentConfig): number {
  return env.capacity.shardsPerGroup ?? DEFAULT_SHARDS_PER_GROUP;
}

/** The stack names of an environment with this plan: `gc-<env>`, then `gc-<env>-shards-<k>` for each group. */
export function environmentStackNames(env: EnvironmentConfig, plan: Pick<CapacityPlan, "shards">): string[] {
  return [
    stackName(env.name),
    ...shardGroups(plan.shards, shardsPerGroupOf(env)).map((group) =>
      shardGroupStackName(env.name, group.index),
    ),
  ];
}

/**
 * Why an environment cannot be split as asked, one line per problem (empty when it can): once split (N > G), a
 * queue group lives in the shard group of its first deployment, so G must be a multiple of d.
 */
export function shardGroupProblems(env: EnvironmentConfig, plan: CapacityPlan, label: string): string[] {
  const perGroup = shardsPerGroupOf(env);
  const perQueue = plan.queueGroups.deploymentsPerQueue;
  if (plan.shards <= perGroup || perGroup % perQueue === 0) return [];
  return [
    `${label}: capacity.shardsPerGroup must be a multiple of capacity.deploymentsPerQueue (${perQueue}) once the ` +
      `environment is split into shard groups (${plan.shards} shards > ${perGroup}), got ${perGroup}: a queue ` +
      "group lives in the stack of its first deployment and must not span two stacks",
  ];
}

/**
 * Adds an environment's stacks to the app. N <= G: one stack `gc-<env>`, exactly as before shard groups. N > G: the
 * base stack `gc-<env>` (what every shard shares, no shard) and ceil(N / G) shard-group stacks, group k holding
 * shards k×G … k×G+G−1 (README "Shard groups").
 */
export function addEnvironmentStacks(
  scope: Construct,
  props: { environment: EnvironmentConfig; plan: CapacityPlan; localGateway?: boolean },
): EnvironmentStacks {
  const { environment, plan, localGateway } = props;
  const groups = shardGroups(plan.shards, shardsPerGroupOf(environment));
  const base = new GenesysEnvironmentStack(scope, stackName(environment.name), {
    environment,
    plan,
    localGateway,
    ...(groups.length > 0 ? { splitIntoShardGroups: true } : {}),
  });
  return {
    base,
    groups: groups.map(
      (group) =>
        new ShardGroupStack(scope, shardGroupStackName(environment.name, group.index), {
          environment,
          plan,
          group,
          base,
          localGateway,
        }),
    ),
  };
}

import { TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import type { CapacityPlan } from "../capacity";
import type { EnvironmentConfig } from "../config/environment";
import { ShardedWebMessagingChannel } from "../constructs";
import { shardGroupStackName } from "../genesys";
import { configureBackend } from "./backend";
import type { GenesysEnvironmentStack } from "./genesys-environment-stack";
import { shardMapOutput } from "./genesys-environment-stack";
import { configureGenesysProvider } from "./provider";

/** One shard group of a split environment: its index and the shards it holds. */
export interface ShardGroup {
  /** k: the group holds shards k×G … k×G+G−1, forever. */
  readonly index: number;
  /** The first shard's index, k×G. */
  readonly first: number;
  /** How many shards it holds now (G, or fewer in the last group). */
  readonly count: number;
}

/** Props of {@link ShardGroupStack}. */
export interface ShardGroupStackProps {
  /** The validated environment file. */
  readonly environment: EnvironmentConfig;
  /** The environment's capacity plan (all its shards; the stack takes its group's). */
  readonly plan: CapacityPlan;
  /** The group this stack holds. */
  readonly group: ShardGroup;
  /** The environment's base stack: the Messenger configuration, wrap-up codes, Data Actions and look-ups. */
  readonly base: GenesysEnvironmentStack;
  /**
   * Deploy into a local Platform API (the emulator) through the provider's `gateway` block.
   * @default false - the org's region API
   */
  readonly localGateway?: boolean;
}

/**
 * The Terraform variables of a group's own OAuth client (`oauthclient_id`, `oauthclient_secret`): sensitive,
 * default null, so a group without its own client uses the environment's (the provider reads
 * `GENESYSCLOUD_OAUTHCLIENT_ID` / `_SECRET` when its attribute is null). `scripts/shard-groups/stack-env.mjs` sets
 * them from `GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_<k>` / `_SECRET_SHARDS_<k>` as `TF_VAR_oauthclient_id` / `_secret`.
 */
export const GROUP_CLIENT_VARIABLES = { id: "oauthclient_id", secret: "oauthclient_secret" } as const;

/** The environment variables a group's own OAuth client is read from: `GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_<k>`. */
export function groupClientEnvironmentVariables(group: number): { id: string; secret: string } {
  return {
    id: `GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_${group}`,
    secret: `GENESYSCLOUD_OAUTHCLIENT_SECRET_SHARDS_${group}`,
  };
}

/**
 * A shard-group stack, `gc-<env>-shards-<k>`: shards k×G … of the environment's sharded channel, at the construct
 * paths a single stack gives them (`Channel/Shard<i>/Deployment`, `/Queue`, `/Flow`, and `Channel/QueueGroup<j>`
 * for shared queues), so a shard's Terraform address is the same in either layout. Everything they share comes
 * from the base stack through cdktf's cross-stack references (an output there, a `terraform_remote_state` here, and
 * a stack dependency, so `cdktf deploy` applies the base first). A queue group lives with its first deployment;
 * G is a multiple of d, so no queue group spans two stacks.
 *
 * Its own state (the base's backend with `-shards-<k>` in the key, path or workspace) and, optionally, its own
 * OAuth client ({@link GROUP_CLIENT_VARIABLES}).
 */
export class ShardGroupStack extends TerraformStack {
  /** The group this stack holds. */
  public readonly group: ShardGroup;
  /** The group's channel: its shards and queue groups. */
  public readonly channel: ShardedWebMessagingChannel;

  constructor(scope: Construct, id: string, props: ShardGroupStackProps) {
    super(scope, id);
    const { environment: env, plan, group, base } = props;
    this.group = group;
    configureBackend(this, shardGroupBackend(env.backend, group.index));
    const clientId = new TerraformVariable(this, GROUP_CLIENT_VARIABLES.id, {
      type: "string",
      sensitive: true,
      nullable: true,
      description: `The OAuth client id of shard group ${group.index} (null: the environment's client)`,
    });
    const clientSecret = new TerraformVariable(this, GROUP_CLIENT_VARIABLES.secret, {
      type: "string",
      sensitive: true,
      nullable: true,
      description: `The OAuth client secret of shard group ${group.index} (null: the environment's client)`,
    });
    // Default null (cdktf cannot write a null default itself): a group without its own client uses the
    // environment's.
    for (const variable of [clientId, clientSecret]) variable.addOverride("default", null);
    configureGenesysProvider(this, {
      region: env.region,
      localGateway: props.localGateway,
      client: { id: clientId.stringValue, secret: clientSecret.stringValue },
    });
    this.channel = new ShardedWebMessagingChannel(this, "Channel", {
      ...base.channelProps,
      plan: {
        perShard: plan.perShard.slice(group.first, group.first + group.count),
        queueGroups: plan.queueGroups,
      },
    });
    shardMapOutput(this, this.channel, plan);
  }
}

/**
 * A group's state backend: the environment's, with `-shards-<k>` before a `.tfstate` suffix of the S3 key or local
 * path (else appended), or after the HCP Terraform workspace name. The default local path is the group stack's own.
 */
export function shardGroupBackend(
  backend: EnvironmentConfig["backend"],
  group: number,
): EnvironmentConfig["backend"] {
  const suffix = `-shards-${group}`;
  const withSuffix = (path: string) =>
    path.endsWith(".tfstate") ? `${path.slice(0, -".tfstate".length)}${suffix}.tfstate` : `${path}${suffix}`;
  switch (backend.type) {
    case "local":
      return backend.path === undefined ? backend : { ...backend, path: withSuffix(backend.path) };
    case "s3":
      return { ...backend, key: withSuffix(backend.key) };
    case "cloud":
      return { ...backend, workspace: `${backend.workspace}${suffix}` };
  }
}

/** The stack name of group k of an environment (re-exported for the app). */
export { shardGroupStackName };

import { readFileSync } from "node:fs";
import { TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DataGenesyscloudGroup } from "../.gen/providers/genesyscloud/data-genesyscloud-group";
import { DataGenesyscloudRoutingSkillGroup } from "../.gen/providers/genesyscloud/data-genesyscloud-routing-skill-group";
import { DataGenesyscloudTeam } from "../.gen/providers/genesyscloud/data-genesyscloud-team";
import type { CapacityPlan } from "../capacity";
import type { EnvironmentConfig } from "../config/environment";
import { capacityPlanOutput } from "../config/plan";
import { endpointInputs } from "../config/schema";
import {
  AgentUtilization,
  DEFAULT_DATA_ACTION_INPUT,
  DataAction,
  INBOUND_MESSAGE_DATA_ACTION_TEMPLATE,
  INBOUND_MESSAGE_TEMPLATE,
  ShardedWebMessagingChannel,
  type ShardedWebMessagingChannelProps,
  VoiceEntry,
  WrapupCodes,
  type FlowTemplate,
  type InboundMessageTemplates,
  type JsonSchema,
  type ShardMembership,
} from "../constructs";
import { displayName, idFromName } from "../genesys";
import { SHARD_MAP_OUTPUT, type ShardMapOutputEntry } from "../shard-map";
import { configureBackend } from "./backend";
import { configureGenesysProvider } from "./provider";
import { addVoiceEntry } from "./voice";

/** Props of {@link GenesysEnvironmentStack}. */
export interface GenesysEnvironmentStackProps {
  /** The validated environment file. */
  readonly environment: EnvironmentConfig;
  /** The capacity plan computed from it (how many shards, each shard's share). */
  readonly plan: CapacityPlan;
  /**
   * Deploy into a local Platform API (the emulator) through the provider's `gateway` block.
   * @default false - the org's region API
   */
  readonly localGateway?: boolean;
  /**
   * The stack is the base stack of an environment split into shard groups: it holds what every shard shares (the
   * Messenger configuration, wrap-up codes, utilization, Data Actions, the look-ups) and no shard; each
   * `ShardGroupStack` builds its shards on them (README "Shard groups").
   * @default false - one stack holds the whole environment
   */
  readonly splitIntoShardGroups?: boolean;
}

/**
 * Everything one Genesys Cloud environment's Terraform state holds: the provider and state backend, the shared
 * wrap-up codes, Data Actions and agent utilization, and the sharded web messaging channel sized by the capacity
 * plan (N deployments on Q queue groups), with the environment's agents on every queue. Outputs: the capacity plan
 * and the shard map.
 *
 * The environment's `protectFromDestroy` goes to every construct's prop of the same name, explicitly, so every
 * resource the stack manages carries lifecycle `prevent_destroy` exactly when the environment asks: each is
 * something a live session depends on (README, "Environments"). Data sources need none.
 *
 * The stack reads the flow templates under `flows/` and hands their text to the channel: no construct reads a file.
 */
export class GenesysEnvironmentStack extends TerraformStack {
  /** The environment this stack deploys. */
  public readonly environment: EnvironmentConfig;
  /** The capacity plan it was sized with. */
  public readonly plan: CapacityPlan;
  /** The sharded web messaging channel (in a base stack: no shards, only the parts they share). */
  public readonly channel: ShardedWebMessagingChannel;
  /** What every shard's channel is built from apart from the plan; a shard group's channel uses `shared`. */
  public readonly channelProps: Omit<ShardedWebMessagingChannelProps, "plan">;
  /** The voice entry (IVR, call flow, Data Action, queue); undefined when the environment has no `voice:`. */
  public readonly voice: VoiceEntry | undefined;

  constructor(scope: Construct, id: string, props: GenesysEnvironmentStackProps) {
    super(scope, id);
    const { environment: env, plan } = props;
    this.environment = env;
    this.plan = plan;
    configureBackend(this, env.backend);
    configureGenesysProvider(this, { region: env.region, localGateway: props.localGateway });
    const protect = env.protectFromDestroy;

    const wrapupCodes =
      env.wrapupCodes.length > 0
        ? new WrapupCodes(this, "WrapupCodes", { codes: env.wrapupCodes, protectFromDestroy: protect })
        : undefined;

    if (env.agents) {
      // Org-wide: destroying it resets every agent's utilization, so only an unprotected environment allows it.
      new AgentUtilization(this, "Utilization", {
        message: { maximumCapacity: env.agents.messageCapacity },
        protectFromDestroy: protect,
      });
    }

    const dataActions = new Map(
      env.dataActions.map((action) => [
        action.name,
        new DataAction(this, `DataAction${idFromName(action.name)}`, {
          name: displayName(env.namePrefix, action.name),
          request: { method: action.method, urlTemplate: action.endpoint },
          contractInput: inputContract(action.endpoint),
          contractOutput: { type: "object", properties: {}, additionalProperties: true },
          timeoutSeconds: action.timeoutSeconds,
          // The flows call it at entry: while it is gone, every session takes the failure path.
          protectFromDestroy: protect,
        }),
      ]),
    );
    // The flow passes the conversation id into the action's one input (config/ allows no more than one).
    const flowActionConfig = env.dataActions.find((action) => action.name === env.messaging.flowDataAction);
    const flowAction = flowActionConfig && dataActions.get(flowActionConfig.name);

    const membership = this.membership(env);
    const channelProps: Omit<ShardedWebMessagingChannelProps, "plan"> = {
      namePrefix: env.namePrefix,
      flowTemplates: readInboundMessageTemplates(),
      wrapupCodes,
      queue: {
        alertingTimeoutSeconds: env.queue.alertingTimeoutSeconds,
        serviceLevelPercentage: env.queue.serviceLevelPercentage,
        serviceLevelDurationMs: env.queue.serviceLevelDurationMs,
        autoAnswer: env.queue.autoAnswer,
        inactivityTimeout:
          env.queue.inactivityTimeoutSeconds !== undefined
            ? { timeoutSeconds: env.queue.inactivityTimeoutSeconds }
            : undefined,
        acwMode: env.queue.acwMode,
        acwTimeoutMs: env.queue.acwTimeoutMs,
        skillEvaluationMethod: env.queue.skillEvaluationMethod,
      },
      membership,
      messenger: {
        sessionDurationSeconds: env.messaging.sessionDurationSeconds,
        fileUpload: env.messaging.fileUploadTypes
          ? { fileTypes: env.messaging.fileUploadTypes, maxFileSizeKb: env.messaging.maxFileSizeKb }
          : undefined,
      },
      allowedDomains: env.messaging.allowAllDomains ? undefined : env.messaging.allowedDomains,
      allowAllDomains: env.messaging.allowAllDomains,
      dataAction: flowAction,
      dataActionInput: flowActionConfig && inputFields(flowActionConfig.endpoint)[0],
      divisionName: env.division,
      protectFromDestroy: protect,
    };
    const split = props.splitIntoShardGroups ?? false;
    this.channel = new ShardedWebMessagingChannel(this, "Channel", {
      ...channelProps,
      plan: split ? { perShard: [], queueGroups: plan.queueGroups, baseOnly: true } : plan,
    });
    this.channelProps = {
      ...channelProps,
      shared: {
        messengerConfiguration: this.channel.messengerConfiguration,
        divisionName: this.channel.divisionName,
      },
    };

    new TerraformOutput(this, "capacity_plan", {
      description:
        "How many messaging shards the target needs, what binds and what it rests on, whether the plan is feasible, its warnings, and each shard's share",
      value: capacityPlanOutput(env, plan),
    });
    // A base stack has no shards: each shard group's stack has the shard map of its own shards.
    if (!split) shardMapOutput(this, this.channel, plan);
    // Last, so a stack without voice is byte for byte what it was, and one with it only gains objects.
    this.voice = addVoiceEntry(this, env, { membership, wrapupCodes });
  }

  /**
   * The environment's agents as member groups, looked up by name in the org when Terraform plans (data sources),
   * so no id is ever pasted into a file. Construct ids derive from the names: stable across scale changes.
   */
  private membership(env: EnvironmentConfig): ShardMembership {
    const agents = env.agents;
    if (!agents) return {};
    return {
      groupIds: agents.groups.map(
        (name) => new DataGenesyscloudGroup(this, `AgentGroup${idFromName(name)}`, { name }).id,
      ),
      skillGroupIds: agents.skillGroups.map(
        (name) =>
          new DataGenesyscloudRoutingSkillGroup(this, `AgentSkillGroup${idFromName(name)}`, { name }).id,
      ),
      teamIds: agents.teams.map(
        (name) => new DataGenesyscloudTeam(this, `AgentTeam${idFromName(name)}`, { name }).id,
      ),
    };
  }
}

/**
 * A stack's `shard_map` output: its shards. With one deployment per queue group, the output stays as it has always
 * been: a shard's queue group is its own index (shard-map/ reads an absent queue_group so). Shared queues name each
 * shard's group.
 */
export function shardMapOutput(
  stack: TerraformStack,
  channel: ShardedWebMessagingChannel,
  plan: CapacityPlan,
): TerraformOutput {
  const shared = plan.queueGroups.deploymentsPerQueue > 1;
  const shardMap: ShardMapOutputEntry[] = channel.shards.map((shard) => ({
    index: shard.index,
    ...(shared ? { queue_group: shard.queueGroup } : {}),
    deployment_id: shard.deployment.deploymentId,
    queue_id: shard.queue.queueId,
    flow_id: shard.flow.flowId,
    sessions: shard.sessions,
    arrivals_per_minute: shard.arrivalsPerMinute ?? null,
  }));
  return new TerraformOutput(stack, SHARD_MAP_OUTPUT, {
    description: shared
      ? "Per shard: index, queue group, Messenger deployment id, its queue group's queue id and flow id, and share of sessions and arrivals (npm run shard-map)"
      : "Per shard: index, Messenger deployment id, queue id, flow id and share of sessions and arrivals (npm run shard-map)",
    value: shardMap,
  });
}

/** The inbound message flow templates, read from `flows/` for the channel's flows. */
export function readInboundMessageTemplates(): InboundMessageTemplates {
  const read = (path: string): FlowTemplate => ({ path, text: readFileSync(path, "utf8") });
  return { transfer: read(INBOUND_MESSAGE_TEMPLATE), dataAction: read(INBOUND_MESSAGE_DATA_ACTION_TEMPLATE) };
}

/** The input-contract fields of an environment's Data Action: its endpoint's `${input.*}`, or the conversation id. */
function inputFields(urlTemplate: string): string[] {
  const fields = endpointInputs(urlTemplate);
  return fields.length > 0 ? fields : [DEFAULT_DATA_ACTION_INPUT];
}

/** The input contract of an environment's Data Action: one required string per input field. */
function inputContract(urlTemplate: string): JsonSchema {
  const names = inputFields(urlTemplate);
  return {
    type: "object",
    properties: Object.fromEntries(names.map((name) => [name, { type: "string" }])),
    required: names,
    additionalProperties: false,
  };
}

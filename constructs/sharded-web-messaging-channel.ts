/**
 * The sharded web messaging channel: N shards, each a queue, an inbound message flow that routes to it and a
 * Messenger deployment that starts that flow. Guests are spread across the deployments, so no deployment carries
 * more than its share of the per-deployment connection ceiling (~150 concurrent sessions observed).
 */
import { Construct } from "constructs";
import { DataGenesyscloudAuthDivisionHome } from "../.gen/providers/genesyscloud/data-genesyscloud-auth-division-home";
import type { CapacityPlan, ShardShare } from "../capacity";
import { MAX_SHARDS_PER_STACK, displayName, shardId, shardNumber } from "../genesys";
import type { DataAction } from "./data-action";
import { InboundMessageFlow, type InboundMessageTemplates } from "./inbound-message-flow";
import { MessagingDeployment, MessengerConfiguration, type MessengerSettings } from "./messaging-deployment";
import { Queue, type QueueProps } from "./queue";
import type { DestroyProtectionProps } from "./protection";
import { type PropsChecker, validateProps } from "./validation";
import type { WrapupCodes } from "./wrapup-codes";

/** Queue settings every shard's queue shares; name, wrap-up codes, membership and protection come from the channel. */
export type ShardQueueSettings = Omit<
  QueueProps,
  "name" | "wrapupCodes" | "groupIds" | "skillGroupIds" | "teamIds" | "members" | "protectFromDestroy"
>;

/** Who answers the channel: the same member groups on every shard queue. */
export interface ShardMembership {
  /**
   * Ids of groups whose members answer (typically `genesyscloud_group` data-source ids).
   * @default - no groups
   */
  readonly groupIds?: readonly string[];
  /**
   * Ids of skill groups whose members answer.
   * @default - no skill groups
   */
  readonly skillGroupIds?: readonly string[];
  /**
   * Ids of work teams whose members answer.
   * @default - no teams
   */
  readonly teamIds?: readonly string[];
}

/**
 * Props of {@link ShardedWebMessagingChannel}. `protectFromDestroy` covers every shard's queue, flow and deployment
 * and the Messenger configuration they share (deleting it breaks every deployment at once). Removing a shard from
 * the plan still destroys it (Terraform drops the lifecycle with the resource), so scaling down works and the plan
 * review flags it.
 */
export interface ShardedWebMessagingChannelProps extends DestroyProtectionProps {
  /**
   * The capacity plan: one shard per entry of `perShard`, by its stable index.
   */
  readonly plan: Pick<CapacityPlan, "perShard">;
  /**
   * Prefix of every display name, e.g. the environment's "Prod".
   */
  readonly namePrefix: string;
  /**
   * The Architect templates every shard's flow is published from, read by the stack.
   */
  readonly flowTemplates: InboundMessageTemplates;
  /**
   * Wrap-up codes every shard queue offers.
   * @default - the queues' wrap-up codes are not managed
   */
  readonly wrapupCodes?: WrapupCodes;
  /**
   * Settings every shard queue shares.
   * @default - the Queue construct's defaults
   */
  readonly queue?: ShardQueueSettings;
  /**
   * The agents on every shard queue, including shards a scale-up adds.
   * @default - no members: conversations wait in the queues; agents added to a queue by hand are removed by the next
   * apply that updates it (the queues manage direct members as none), so name groups, skill groups or teams here
   */
  readonly membership?: ShardMembership;
  /**
   * Messenger settings, in one configuration every shard's deployment shares (the connection ceiling is per
   * deployment, so one configuration serves all and saves its API requests per shard).
   * @default - Messenger with the MessengerConfiguration construct's defaults
   */
  readonly messenger?: MessengerSettings;
  /**
   * Domains allowed to embed Messenger. Required unless `allowAllDomains` is set.
   * @default - none
   */
  readonly allowedDomains?: readonly string[];
  /**
   * Allow Messenger on any domain (an explicit opt-in; never together with `allowedDomains`).
   * @default false
   */
  readonly allowAllDomains?: boolean;
  /**
   * A Data Action every shard's flow calls first; its failure and timeout paths still transfer to the queue.
   * @default - the flows transfer at once
   */
  readonly dataAction?: DataAction;
  /**
   * The Data Action's input-contract property that receives the conversation id.
   * @default - the InboundMessageFlow construct's default
   */
  readonly dataActionInput?: string;
  /**
   * Name of the division the flows belong to.
   * @default - the org's Home division, looked up once for every shard
   */
  readonly divisionName?: string;
}

/** One shard: its queue, flow and deployment (each with its generated `resource`), and its share of the load. */
export interface MessagingShard {
  /**
   * Stable, zero-based index.
   */
  readonly index: number;
  /**
   * The shard's queue (construct id `Queue`).
   */
  readonly queue: Queue;
  /**
   * The shard's inbound message flow, which transfers to the queue (construct id `Flow`).
   */
  readonly flow: InboundMessageFlow;
  /**
   * The shard's Messenger deployment, which starts the flow (construct id `Deployment`).
   */
  readonly deployment: MessagingDeployment;
  /**
   * Concurrent sessions the plan puts on it.
   */
  readonly sessions: number;
  /**
   * New sessions per minute the plan puts on it; undefined when the plan has no arrival rate.
   */
  readonly arrivalsPerMinute: number | undefined;
}

/**
 * `plan.perShard.length` shards under construct ids `Shard000`, `Shard001`, …, each with a `Queue`, `Flow` and
 * `Deployment`, and display names such as "Prod Messaging 007". Ids and names depend only on the shard's index
 * (fixed width, see `genesys/naming.ts`): raising the target adds shards and renames none; lowering it removes only the
 * highest.
 *
 * A composite: it has no `Resource` of its own; its parts are `shards` (each shard's `queue`, `flow` and
 * `deployment`, each exposing its generated `resource`) and `messengerConfiguration`.
 */
export class ShardedWebMessagingChannel extends Construct {
  /** The shards, by index. */
  public readonly shards: readonly MessagingShard[];
  /** The Messenger configuration every deployment uses (construct id `Messenger`). */
  public readonly messengerConfiguration: MessengerConfiguration;

  constructor(scope: Construct, id: string, props: ShardedWebMessagingChannelProps) {
    super(scope, id);
    validateProps(this, props, checkShardedWebMessagingChannelProps);

    this.messengerConfiguration = new MessengerConfiguration(this, "Messenger", {
      ...props.messenger,
      name: displayName(props.namePrefix, "Messenger"),
      protectFromDestroy: props.protectFromDestroy,
    });
    const membership = props.membership ?? {};
    // One look-up of the Home division for all flows, not one per shard (each is an API call on every plan).
    const divisionName =
      props.divisionName ?? new DataGenesyscloudAuthDivisionHome(this, "HomeDivision", {}).name;
    this.shards = props.plan.perShard.map((share) => {
      const shard = new Construct(this, shardId(share.index));
      const queue = new Queue(shard, "Queue", {
        ...props.queue,
        name: displayName(props.namePrefix, "Messaging", share.index),
        wrapupCodes: props.wrapupCodes,
        groupIds: membership.groupIds,
        skillGroupIds: membership.skillGroupIds,
        teamIds: membership.teamIds,
        protectFromDestroy: props.protectFromDestroy,
      });
      const flow = new InboundMessageFlow(shard, "Flow", {
        name: displayName(props.namePrefix, "Messaging Inbound", share.index),
        queue,
        templates: props.flowTemplates,
        divisionName,
        dataAction: props.dataAction,
        dataActionInput: props.dataActionInput,
        protectFromDestroy: props.protectFromDestroy,
      });
      const deployment = new MessagingDeployment(shard, "Deployment", {
        name: displayName(props.namePrefix, "Messenger", share.index),
        // Nothing that depends on N or the shares: a scale change must not update live shards.
        description: `Shard ${shardNumber(share.index)} of the ${props.namePrefix} web messaging channel`,
        flow,
        configuration: this.messengerConfiguration,
        allowedDomains: props.allowedDomains,
        allowAllDomains: props.allowAllDomains,
        protectFromDestroy: props.protectFromDestroy,
      });
      return {
        index: share.index,
        queue,
        flow,
        deployment,
        sessions: share.sessions,
        arrivalsPerMinute: share.arrivalsPerMinute,
      };
    });
  }
}

/**
 * Records every problem with the channel's own props (each shard's parts check theirs): shards must be 1 to
 * MAX_SHARDS_PER_STACK, indexed 0..N-1 without gaps, so ids stay stable.
 */
function checkShardedWebMessagingChannelProps(
  check: PropsChecker,
  props: ShardedWebMessagingChannelProps,
): void {
  const shares: readonly ShardShare[] = props.plan.perShard;
  if (shares.length < 1 || shares.length > MAX_SHARDS_PER_STACK) {
    check.problem(
      "plan.perShard.length",
      shares.length,
      `from 1 to ${MAX_SHARDS_PER_STACK}`,
      "shard names have a fixed width",
    );
  }
  const misplaced = shares.findIndex((share, position) => share.index !== position);
  if (misplaced >= 0) {
    check.problem(
      `plan.perShard[${misplaced}].index`,
      shares[misplaced].index,
      String(misplaced),
      "shards are indexed 0..N-1 in order, so each keeps its id",
    );
  }
}

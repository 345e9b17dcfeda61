/**
 * The sharded web messaging channel: N shards, each a Messenger deployment, and Q queue groups, each a queue and an
 * inbound message flow that routes to it; deployment i starts the flow of queue group floor(i / d), d deployments
 * per queue group. Guests are spread across the deployments, so no deployment carries more than its share of the
 * per-deployment connection ceiling (~150 concurrent sessions observed); nothing known limits a queue at that scale,
 * so the queues need not multiply with the deployments.
 */
import { Construct } from "constructs";
import { DataGenesyscloudAuthDivisionHome } from "../.gen/providers/genesyscloud/data-genesyscloud-auth-division-home";
import type { QueueGroupPlan, ShardShare } from "../capacity";
import {
  MAX_SHARDS_PER_STACK,
  displayName,
  queueGroupId,
  queueGroupOf,
  shardId,
  shardNumber,
} from "../genesys";
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

/** One shard's share of the plan as the channel reads it; `queueGroup`, when given, must be the channel's own. */
export type ChannelShardShare = Omit<ShardShare, "queueGroup"> & {
  /**
   * The queue group the planner gave the shard: checked against floor(index / deploymentsPerQueue).
   * @default - floor(index / deploymentsPerQueue)
   */
  readonly queueGroup?: number;
};

/** The part of a capacity plan the channel builds from (a `CapacityPlan` is one). */
export interface ChannelPlan {
  /**
   * One shard per entry, by its stable index.
   */
  readonly perShard: readonly ChannelShardShare[];
  /**
   * How many deployments share a queue group.
   * @default - one deployment per queue group (deploymentsPerQueue 1)
   */
  readonly queueGroups?: Pick<QueueGroupPlan, "deploymentsPerQueue">;
  /**
   * The channel of a split environment's base stack: no shards, only the parts every shard shares.
   * @default false
   */
  readonly baseOnly?: boolean;
}

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
   * The capacity plan: one shard (Messenger deployment) per entry of `perShard`, by its stable index, on
   * ceil(N / deploymentsPerQueue) queue groups.
   */
  readonly plan: ChannelPlan;
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
   * @default - the org's Home division, looked up once for every shard (the `shared` one when given)
   */
  readonly divisionName?: string;
  /**
   * The parts another channel made, for a shard group in its own stack: the base stack's channel has no shards and
   * makes the Messenger configuration and the Home division look-up; each shard-group stack's channel builds its
   * shards on them (cdktf turns the references into outputs and remote-state reads).
   * @default - the channel makes its own Messenger configuration (id `Messenger`) and division look-up
   */
  readonly shared?: SharedChannelParts;
}

/** What a shard group's channel takes from the base stack's channel. */
export interface SharedChannelParts {
  /**
   * The Messenger configuration every deployment uses.
   */
  readonly messengerConfiguration: MessengerConfiguration;
  /**
   * The division the flows belong to, when the base channel looked it up.
   * @default - the channel's `divisionName`
   */
  readonly divisionName?: string;
}

/**
 * One queue group: a queue and the inbound message flow that transfers to it, shared by a contiguous block of
 * deployments. With one deployment per group, group k's parts are shard k's `Queue` and `Flow` (`Shard<k>/Queue`,
 * the addresses every stack had before queue groups); with more, they live under `QueueGroup<k>`.
 */
export interface MessagingQueueGroup {
  /**
   * Stable, zero-based index.
   */
  readonly index: number;
  /**
   * The group's queue (construct id `Queue`).
   */
  readonly queue: Queue;
  /**
   * The group's inbound message flow, which transfers to the queue (construct id `Flow`).
   */
  readonly flow: InboundMessageFlow;
  /**
   * The shards whose deployments start the flow, in index order.
   */
  readonly shards: readonly number[];
}

/** One shard: its deployment, the queue and flow of its queue group, and its share of the load. */
export interface MessagingShard {
  /**
   * Stable, zero-based index.
   */
  readonly index: number;
  /**
   * The index of the shard's queue group.
   */
  readonly queueGroup: number;
  /**
   * The queue of the shard's queue group (its own with one deployment per queue group).
   */
  readonly queue: Queue;
  /**
   * The inbound message flow of the shard's queue group, which transfers to the queue.
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
 * `plan.perShard.length` shards under construct ids `Shard000`, `Shard001`, …, each with a `Deployment` ("Prod
 * Messenger 007"), and ceil(N / d) queue groups of d deployments each, each a `Queue` and a `Flow`:
 *
 * - d = 1 (the default): queue group k is shard k's `Queue` and `Flow` ("Prod Messaging 007", "Prod Messaging
 *   Inbound 007"), exactly the layout before queue groups;
 * - d > 1: queue group k is `QueueGroup<kkk>/Queue` and `/Flow` ("Prod Messaging Group 001", "Prod Messaging Group
 *   Inbound 001"), and shard i's deployment starts the flow of group floor(i / d).
 *
 * Ids and names depend only on indexes (fixed width, see `genesys/naming.ts`): raising the target adds shards (and
 * queue groups once the last is full) and renames none; lowering it removes only the highest. Changing d moves
 * deployments to other groups (their `flow_id` changes in place) and, between d = 1 and d > 1, replaces every queue
 * and flow.
 *
 * A composite: it has no `Resource` of its own; its parts are `shards` (each shard's `deployment`, and its queue
 * group's `queue` and `flow`), `queueGroups` (each `queue` and `flow`), each exposing its generated `resource`, and
 * `messengerConfiguration`.
 */
export class ShardedWebMessagingChannel extends Construct {
  /** The shards, by index. */
  public readonly shards: readonly MessagingShard[];
  /** The queue groups, by index. */
  public readonly queueGroups: readonly MessagingQueueGroup[];
  /** The Messenger configuration every deployment uses (construct id `Messenger`, or the `shared` one). */
  public readonly messengerConfiguration: MessengerConfiguration;
  /** The name of the division the flows belong to (a token when looked up). */
  public readonly divisionName: string;

  constructor(scope: Construct, id: string, props: ShardedWebMessagingChannelProps) {
    super(scope, id);
    validateProps(this, props, checkShardedWebMessagingChannelProps);

    this.messengerConfiguration =
      props.shared?.messengerConfiguration ??
      new MessengerConfiguration(this, "Messenger", {
        ...props.messenger,
        name: displayName(props.namePrefix, "Messenger"),
        protectFromDestroy: props.protectFromDestroy,
      });
    const membership = props.membership ?? {};
    // One look-up of the Home division for all flows, not one per shard (each is an API call on every plan).
    const divisionName =
      props.divisionName ??
      props.shared?.divisionName ??
      new DataGenesyscloudAuthDivisionHome(this, "HomeDivision", {}).name;
    this.divisionName = divisionName;
    const perQueue = props.plan.queueGroups?.deploymentsPerQueue ?? 1;
    const queueGroups: { index: number; queue: Queue; flow: InboundMessageFlow; shards: number[] }[] = [];
    /** Queue group `index`'s queue and flow, made under `scope` with display names of `name` and `number`. */
    const makeQueueGroup = (scope: Construct, index: number, name: string, number: number) => {
      const queue = new Queue(scope, "Queue", {
        ...props.queue,
        name: displayName(props.namePrefix, name, number),
        wrapupCodes: props.wrapupCodes,
        groupIds: membership.groupIds,
        skillGroupIds: membership.skillGroupIds,
        teamIds: membership.teamIds,
        protectFromDestroy: props.protectFromDestroy,
      });
      const flow = new InboundMessageFlow(scope, "Flow", {
        name: displayName(props.namePrefix, `${name} Inbound`, number),
        queue,
        templates: props.flowTemplates,
        divisionName,
        dataAction: props.dataAction,
        dataActionInput: props.dataActionInput,
        protectFromDestroy: props.protectFromDestroy,
      });
      const group = { index, queue, flow, shards: [] as number[] };
      queueGroups[index] = group;
      return group;
    };
    this.shards = props.plan.perShard.map((share) => {
      const shard = new Construct(this, shardId(share.index));
      const groupIndex = queueGroupOf(share.index, perQueue);
      // One deployment per group: the group's parts are the shard's, at the addresses they always had.
      const group =
        queueGroups[groupIndex] ??
        (perQueue === 1
          ? makeQueueGroup(shard, groupIndex, "Messaging", share.index)
          : makeQueueGroup(
              new Construct(this, queueGroupId(groupIndex)),
              groupIndex,
              "Messaging Group",
              groupIndex,
            ));
      group.shards.push(share.index);
      const { queue, flow } = group;
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
        queueGroup: groupIndex,
        queue,
        flow,
        deployment,
        sessions: share.sessions,
        arrivalsPerMinute: share.arrivalsPerMinute,
      };
    });
    // A shard group's channel starts at its first queue group: keep the groups it made, by index.
    this.queueGroups = queueGroups.filter((group) => group !== undefined);
  }
}

/**
 * Records every problem with the channel's own props (each shard's parts check theirs): shards must be 1 to
 * MAX_SHARDS_PER_STACK, indexed 0..N-1 without gaps, so ids stay stable; deploymentsPerQueue an integer from 1 to
 * MAX_SHARDS_PER_STACK, and a share's queue group, when given, floor(index / deploymentsPerQueue).
 */
function checkShardedWebMessagingChannelProps(
  check: PropsChecker,
  props: ShardedWebMessagingChannelProps,
): void {
  const shares: readonly ChannelShardShare[] = props.plan.perShard;
  // A base stack's channel holds no shards; a single stack or a shard group holds 1 to MAX_SHARDS_PER_STACK.
  const least = props.plan.baseOnly ? 0 : 1;
  const most = props.plan.baseOnly ? 0 : MAX_SHARDS_PER_STACK;
  if (shares.length < least || shares.length > most) {
    check.problem(
      "plan.perShard.length",
      shares.length,
      props.plan.baseOnly ? "0 (a base stack's channel)" : `from 1 to ${MAX_SHARDS_PER_STACK}`,
      props.plan.baseOnly
        ? "the shards live in the shard-group stacks"
        : "one stack holds at most that many shards; more are split into shard groups",
    );
  }
  // A shard group starts at its first shard (k × G); shards are contiguous from there, so each keeps its id.
  const first = shares[0]?.index ?? 0;
  const misplaced = shares.findIndex((share, position) => share.index !== first + position);
  if (misplaced >= 0 || !(Number.isInteger(first) && first >= 0)) {
    const at = Math.max(misplaced, 0);
    check.problem(
      `plan.perShard[${at}].index`,
      shares[at].index,
      String(Math.max(first, 0) + at),
      "shards are indexed contiguously in order (0..N-1, or a shard group's k×G…), so each keeps its id",
    );
  }
  const perQueue = props.plan.queueGroups?.deploymentsPerQueue;
  if (perQueue !== undefined && Number.isInteger(perQueue) && perQueue > 1 && first % perQueue !== 0) {
    check.problem(
      "plan.perShard[0].index",
      first,
      `a multiple of deploymentsPerQueue (${perQueue})`,
      "a queue group lives in the stack of its first deployment, so a shard group starts a queue group",
    );
  }
  if (
    perQueue !== undefined &&
    !(Number.isInteger(perQueue) && perQueue >= 1 && perQueue <= MAX_SHARDS_PER_STACK)
  ) {
    check.problem(
      "plan.queueGroups.deploymentsPerQueue",
      perQueue,
      `an integer from 1 to ${MAX_SHARDS_PER_STACK}`,
      "deployments per queue group",
    );
    return;
  }
  const wrong = shares.findIndex(
    (share) =>
      share.queueGroup !== undefined && share.queueGroup !== queueGroupOf(share.index, perQueue ?? 1),
  );
  if (wrong >= 0) {
    const share = shares[wrong];
    check.problem(
      `plan.perShard[${wrong}].queueGroup`,
      share.queueGroup,
      String(queueGroupOf(share.index, perQueue ?? 1)),
      "shard i is in queue group floor(i / deploymentsPerQueue), so no deployment moves when shards are added",
    );
  }
}

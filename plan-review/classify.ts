/**
 * What each resource change of a plan means for a Genesys Cloud environment stack: the Terraform action (create,
 * update, replace, delete), which shard or queue group it belongs to (the `_ShardNNN_` or `_QueueGroupNNN_` segment
 * of the resource name, fixed width, genesys/naming.ts) and what kind of Genesys object it is, so the review can say
 * what a destroy costs. With one deployment per queue group, a group's queue and flow are its shard's (`ShardNNN`),
 * so they count as the shard's.
 */
import { QUEUE_GROUP_NUMBER_WIDTH, SHARD_NUMBER_WIDTH } from "../genesys";
import type { ResourceChange } from "./plan-json";

/** A resource change's effect. `read` is a data source read during apply; `forget` removes from state only. */
export type ChangeAction = "no-op" | "create" | "update" | "replace" | "delete" | "read" | "forget";

/** The Genesys object a resource is, as far as the review cares. */
export type ObjectKind =
  | "shard-deployment"
  | "shard-flow"
  | "shard-queue"
  | "shard-other"
  | "group-flow"
  | "group-queue"
  | "group-other"
  | "utilization"
  | "messenger-configuration"
  | "wrapup-code"
  | "integration"
  | "data-action"
  | "other";

/** One classified resource change. */
export interface ClassifiedChange {
  readonly address: string;
  readonly type: string;
  readonly action: ChangeAction;
  readonly kind: ObjectKind;
  /** The shard's index, for a shard's objects. */
  readonly shard?: number;
  /** The queue group's index, for the objects of a queue group of several deployments (`QueueGroupNNN`). */
  readonly queueGroup?: number;
  /** Terraform's reason (`replace_by_request`, `delete_because_no_resource_config`, …), when it gives one. */
  readonly reason?: string;
  /** Attribute paths that force the replacement, when Terraform names them. */
  readonly replacePaths: readonly string[];
  readonly before: unknown;
  readonly after: unknown;
  readonly afterUnknown: unknown;
  /** Terraform's masks of sensitive values (`true` where a value must not be shown). */
  readonly beforeSensitive: unknown;
  readonly afterSensitive: unknown;
}

/** Terraform's action list → one action. A delete and a create in either order is a replacement. */
export function actionOf(actions: readonly string[]): ChangeAction {
  const has = (a: string) => actions.includes(a);
  if (has("delete") && has("create")) return "replace";
  if (has("delete")) return "delete";
  if (has("create")) return "create";
  if (has("update")) return "update";
  if (has("read")) return "read";
  if (has("forget")) return "forget";
  return "no-op";
}

const SHARD_SEGMENT = new RegExp(`(?:^|_)Shard(\\d{${SHARD_NUMBER_WIDTH}})(?:_|$)`);

/** The shard index in a resource name or address (`Channel_Shard003_Queue_0515FF77` → 3), else undefined. */
export function shardOf(nameOrAddress: string): number | undefined {
  const name = nameOrAddress.slice(nameOrAddress.lastIndexOf(".") + 1);
  const match = SHARD_SEGMENT.exec(name);
  return match ? Number(match[1]) : undefined;
}

const QUEUE_GROUP_SEGMENT = new RegExp(`(?:^|_)QueueGroup(\\d{${QUEUE_GROUP_NUMBER_WIDTH}})(?:_|$)`);

/** The queue group index in a resource name or address (`Channel_QueueGroup001_Queue_…` → 1), else undefined. */
export function queueGroupOf(nameOrAddress: string): number | undefined {
  const name = nameOrAddress.slice(nameOrAddress.lastIndexOf(".") + 1);
  const match = QUEUE_GROUP_SEGMENT.exec(name);
  return match ? Number(match[1]) : undefined;
}

const GROUP_KIND: Readonly<Record<string, ObjectKind>> = {
  genesyscloud_flow: "group-flow",
  genesyscloud_routing_queue: "group-queue",
};

const SHARD_KIND: Readonly<Record<string, ObjectKind>> = {
  genesyscloud_webdeployments_deployment: "shard-deployment",
  genesyscloud_flow: "shard-flow",
  genesyscloud_routing_queue: "shard-queue",
};

const SHARED_KIND: Readonly<Record<string, ObjectKind>> = {
  genesyscloud_routing_utilization: "utilization",
  genesyscloud_webdeployments_configuration: "messenger-configuration",
  genesyscloud_routing_wrapupcode: "wrapup-code",
  genesyscloud_integration: "integration",
  genesyscloud_integration_action: "data-action",
};

/** The kind of object a resource type is, given whether it sits in a shard or a queue group. */
export function kindOf(type: string, shard: number | undefined, queueGroup?: number): ObjectKind {
  if (shard !== undefined) return SHARD_KIND[type] ?? "shard-other";
  if (queueGroup !== undefined) return GROUP_KIND[type] ?? "group-other";
  return SHARED_KIND[type] ?? "other";
}

/** Classifies one `resource_changes` entry. */
export function classify(change: ResourceChange): ClassifiedChange {
  const shard = change.mode === "managed" ? shardOf(change.name) : undefined;
  const queueGroup = change.mode === "managed" ? queueGroupOf(change.name) : undefined;
  return {
    address: change.address,
    type: change.type,
    action: change.mode === "data" ? "read" : actionOf(change.change.actions),
    kind: change.mode === "data" ? "other" : kindOf(change.type, shard, queueGroup),
    shard,
    ...(queueGroup === undefined ? {} : { queueGroup }),
    reason: change.action_reason,
    replacePaths: (change.change.replace_paths ?? []).map((path) => path.join(".")),
    before: change.change.before,
    after: change.change.after,
    afterUnknown: change.change.after_unknown,
    beforeSensitive: change.change.before_sensitive,
    afterSensitive: change.change.after_sensitive,
  };
}

/** Whether the change deletes the existing object (a delete or a replacement). */
export function destroys(change: Pick<ClassifiedChange, "action">): boolean {
  return change.action === "delete" || change.action === "replace";
}

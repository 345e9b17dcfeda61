/**
 * The review of one saved plan: counts, shards added and removed, what would be destroyed or replaced (and what
 * that does to a live channel), org-wide changes, Data Action timeouts and the API cost of the apply. Pure: the
 * CLI reads the files and renders it (render.ts).
 */
import {
  createCost,
  DATA_SOURCE_REQUESTS,
  DEPLOYMENT_CREATE_SLEEP_SECONDS,
  destroyCost,
  PROVIDER_START_REQUESTS_PER_RUN,
  refreshCost,
  REQUESTS_PER_MINUTE,
  TERRAFORM_PARALLELISM,
  updateCost,
  type Cost,
} from "./api-cost";
import { classify, destroys, type ClassifiedChange, type ObjectKind } from "./classify";
import { priorDataSources, stackFromOutputs, type PlanJson } from "./plan-json";
import { queueGroupNumber, shardNumber } from "../genesys";

/** Resources per action (data source reads are not counted). */
export interface ChangeCounts {
  readonly create: number;
  readonly update: number;
  readonly replace: number;
  readonly delete: number;
  readonly forget: number;
  readonly unchanged: number;
}

/**
 * Shards (or queue groups) by what the plan does to them. Queue groups here are those of several deployments
 * (`QueueGroupNNN`); with one deployment per queue group, a group's queue and flow are its shard's.
 */
export interface ShardChanges {
  /** Shards that exist before the apply. */
  readonly before: readonly number[];
  /** Shards that exist after it. */
  readonly after: readonly number[];
  /** Shards whose every object is created. */
  readonly added: readonly number[];
  /** Shards whose every object is destroyed. */
  readonly removed: readonly number[];
  /** Shards that stay, with an object replaced or destroyed. */
  readonly replaced: readonly number[];
  /** Shards that stay, with objects only updated (or created) in place. */
  readonly updated: readonly number[];
}

/** A destroy or replacement of a live object: blocks the review unless allowed. */
export interface DestructiveChange {
  readonly address: string;
  readonly action: "delete" | "replace";
  readonly kind: ObjectKind;
  readonly shard?: number;
  /** The queue group, for a queue group's queue or flow. */
  readonly queueGroup?: number;
  /** What the object is: "shard 001 Messenger deployment", "queue group 001 queue". */
  readonly subject: string;
  /** Why it matters: "every guest session on it is dropped". */
  readonly impact: string;
  /** Why Terraform does it: "requested with -replace", "`name` forces replacement", "removed from the stack". */
  readonly cause?: string;
}

/** An in-place change of an org-wide object: reported, not blocking. */
export interface OrgWideChange {
  readonly address: string;
  readonly subject: string;
  readonly impact: string;
  /** The attributes that change, "message.maximum_capacity: 10 → 12". */
  readonly attributes: readonly string[];
}

/** A Data Action whose timeout changes. */
export interface TimeoutChange {
  readonly address: string;
  readonly name: string;
  readonly beforeSeconds: number | undefined;
  readonly afterSeconds: number | undefined;
}

/** The API cost of the apply, from api-cost.ts. */
export interface CostEstimate {
  /** Requests of `terraform plan` (provider start, data sources, a refresh of every existing resource). */
  readonly planRequests: number;
  /** Requests of `terraform apply` of the saved plan (provider start and every change). */
  readonly applyRequests: number;
  /** New web deployments: the provider sleeps DEPLOYMENT_CREATE_SLEEP_SECONDS per wave of TERRAFORM_PARALLELISM. */
  readonly newDeployments: number;
  /** The least the apply can take: its requests at REQUESTS_PER_MINUTE, or the deployment waits if longer. */
  readonly applyMinutes: number;
  /** Which of the two bounds `applyMinutes`. */
  readonly boundBy: "rate limit" | "deployment waits";
  /** Resource types whose cost for this plan is assumed rather than measured. */
  readonly assumedTypes: readonly string[];
}

/** The whole review. */
export interface PlanReview {
  readonly stack: string;
  readonly terraformVersion?: string;
  readonly counts: ChangeCounts;
  readonly shards: ShardChanges;
  /** Queue groups of several deployments (`QueueGroupNNN`) by what the plan does to them. */
  readonly queueGroups: ShardChanges;
  readonly destructive: readonly DestructiveChange[];
  readonly orgWide: readonly OrgWideChange[];
  readonly timeouts: readonly TimeoutChange[];
  readonly cost: CostEstimate;
  /** The classified changes, every action but no-op. */
  readonly changes: readonly ClassifiedChange[];
}

/** Reviews a parsed plan. `stack` overrides the stack name found in the plan's outputs. */
export function reviewPlan(plan: PlanJson, stack?: string): PlanReview {
  const all = (plan.resource_changes ?? []).map(classify);
  const managed = all.filter((c) => c.action !== "read");
  const count = (action: ClassifiedChange["action"]) => managed.filter((c) => c.action === action).length;
  return {
    stack: stack ?? stackFromOutputs(plan) ?? "the stack",
    terraformVersion: plan.terraform_version,
    counts: {
      create: count("create"),
      update: count("update"),
      replace: count("replace"),
      delete: count("delete"),
      forget: count("forget"),
      unchanged: count("no-op"),
    },
    shards: shardChanges(managed, (change) => change.shard),
    queueGroups: shardChanges(managed, (change) => change.queueGroup),
    destructive: managed.filter(destroys).map(destructiveChange).sort(byShardThenKind),
    orgWide: managed
      .filter((c) => c.kind === "utilization" && c.action === "update")
      .map((c) => ({
        address: c.address,
        subject: SUBJECT.utilization,
        impact: "applies to every agent in the org at once, on every queue, not only this stack's",
        attributes: changedAttributes(c),
      })),
    timeouts: managed
      .filter((c) => c.kind === "data-action" && (c.action === "update" || c.action === "replace"))
      .map(timeoutChange)
      .filter((t): t is TimeoutChange => t !== undefined),
    cost: costEstimate(plan, managed),
    changes: all.filter((c) => c.action !== "no-op"),
  };
}

/** Whether the plan needs an explicit allow: it destroys or replaces a live object. */
export function needsAllow(review: PlanReview): boolean {
  return review.destructive.length > 0;
}

function shardChanges(
  changes: readonly ClassifiedChange[],
  indexOf: (change: ClassifiedChange) => number | undefined,
): ShardChanges {
  const byShard = new Map<number, ClassifiedChange[]>();
  for (const change of changes) {
    const index = indexOf(change);
    if (index === undefined) continue;
    byShard.set(index, [...(byShard.get(index) ?? []), change]);
  }
  const pick = (test: (list: ClassifiedChange[]) => boolean) =>
    [...byShard.entries()]
      .filter(([, list]) => test(list))
      .map(([index]) => index)
      .sort((a, b) => a - b);
  const every = (action: ClassifiedChange["action"]) => (list: ClassifiedChange[]) =>
    list.every((c) => c.action === action);
  const added = pick(every("create"));
  const removed = pick(every("delete"));
  const stays = (list: ClassifiedChange[]) => !every("create")(list) && !every("delete")(list);
  return {
    before: pick((list) => list.some((c) => c.action !== "create")),
    after: pick((list) => list.some((c) => c.action !== "delete" && c.action !== "forget")),
    added,
    removed,
    replaced: pick((list) => stays(list) && list.some(destroys)),
    updated: pick(
      (list) =>
        stays(list) &&
        !list.some(destroys) &&
        list.some((c) => c.action === "update" || c.action === "create"),
    ),
  };
}

const SUBJECT: Readonly<Record<ObjectKind, string>> = {
  "shard-deployment": "Messenger deployment",
  "shard-flow": "inbound message flow",
  "shard-queue": "queue",
  "shard-other": "object",
  "group-flow": "inbound message flow",
  "group-queue": "queue",
  "group-other": "object",
  utilization: "agent utilization (org-wide)",
  "messenger-configuration": "Messenger configuration (shared by every shard)",
  "wrapup-code": "wrap-up code",
  integration: "Data Action integration",
  "data-action": "Data Action",
  other: "object",
};

/** What destroying an object does to a live channel (a replacement is a destroy, then a create). */
const DESTROY_IMPACT: Readonly<Record<ObjectKind, string>> = {
  "shard-deployment": "every guest session on it is dropped",
  "shard-flow": "messages arriving through the shard's deployment have no flow to enter",
  "shard-queue": "conversations waiting in it are lost and its statistics start over",
  "shard-other": "the shard's object is deleted",
  "group-flow": "messages arriving through every deployment of the queue group have no flow to enter",
  "group-queue":
    "conversations waiting in it are lost and its statistics start over, for every deployment of the queue group",
  "group-other": "the queue group's object is deleted",
  utilization:
    "resets the utilization of every agent in the org (not only this stack's) to Genesys's defaults",
  "messenger-configuration": "every shard's deployment uses it",
  "wrapup-code": "it disappears from every shard queue",
  integration: "every flow calling its Data Actions takes the failure path until it exists again",
  "data-action": "every flow calling it takes the failure path until it exists again",
  other: "the object is deleted",
};

/** What a replacement adds: the new object has a new id. */
const REPLACE_IMPACT: Readonly<Partial<Record<ObjectKind, string>>> = {
  "shard-deployment":
    "the new deployment has a new id, so every page embedding the shard's snippet must change",
  "shard-flow": "the new flow has a new id, which the shard's deployment is updated to",
  "shard-queue": "the new queue has a new id, which the shard's flow is republished with",
  "group-flow": "the new flow has a new id, which every deployment of the queue group is updated to",
  "group-queue": "the new queue has a new id, which the queue group's flow is republished with",
};

/** Order of the warning block: by shard, deployment first (it drops sessions), then shared objects. */
const KIND_ORDER: readonly ObjectKind[] = [
  "shard-deployment",
  "shard-flow",
  "shard-queue",
  "shard-other",
  "group-flow",
  "group-queue",
  "group-other",
  "utilization",
  "messenger-configuration",
  "integration",
  "data-action",
  "wrapup-code",
  "other",
];

function byShardThenKind(a: DestructiveChange, b: DestructiveChange): number {
  const shard = (a.shard ?? Infinity) - (b.shard ?? Infinity);
  if (shard !== 0 && !Number.isNaN(shard)) return shard;
  const group = (a.queueGroup ?? Infinity) - (b.queueGroup ?? Infinity);
  if (group !== 0 && !Number.isNaN(group)) return group;
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.address.localeCompare(b.address);
}

const REASON: Readonly<Record<string, string>> = {
  replace_by_request: "requested with -replace",
  replace_because_tainted: "the object is tainted",
  replace_because_cannot_update: "an attribute cannot be updated in place",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "removed from the stack",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each changed",
  delete_because_count_index: "count shrank",
  delete_because_each_key: "for_each key removed",
};

function destructiveChange(change: ClassifiedChange): DestructiveChange {
  const subject =
    change.shard !== undefined
      ? `shard ${shardNumber(change.shard)} ${SUBJECT[change.kind]}`
      : change.queueGroup !== undefined
        ? `queue group ${queueGroupNumber(change.queueGroup)} ${SUBJECT[change.kind]}`
        : `${SUBJECT[change.kind]}${objectName(change)}`;
  const forcedBy =
    change.replacePaths.length > 0
      ? `${change.replacePaths.map((p) => `\`${p}\``).join(", ")} forces replacement`
      : undefined;
  const cause = forcedBy ?? (change.reason ? (REASON[change.reason] ?? change.reason) : undefined);
  return {
    address: change.address,
    action: change.action as "delete" | "replace",
    kind: change.kind,
    shard: change.shard,
    ...(change.queueGroup === undefined ? {} : { queueGroup: change.queueGroup }),
    subject,
    impact:
      change.action === "replace" && REPLACE_IMPACT[change.kind]
        ? `${DESTROY_IMPACT[change.kind]}; ${REPLACE_IMPACT[change.kind]}`
        : DESTROY_IMPACT[change.kind],
    cause,
  };
}

/** ` "Dev CustomerLookup"` from the object's `name`, or "". */
function objectName(change: ClassifiedChange): string {
  const useBefore = change.before !== null && change.before !== undefined;
  const values = (useBefore ? change.before : change.after) as Record<string, unknown> | null | undefined;
  if (isSensitive(useBefore ? change.beforeSensitive : change.afterSensitive, "name")) return "";
  const name = values?.name;
  return typeof name === "string" && name !== "" ? ` "${name}"` : "";
}

/** Whether Terraform's sensitivity mask hides the top-level attribute `key`. */
function isSensitive(mask: unknown, key: string): boolean {
  return mask === true || child(mask, key) === true;
}

function timeoutChange(change: ClassifiedChange): TimeoutChange | undefined {
  const seconds = (values: unknown): number | undefined => {
    const value = (values as Record<string, unknown> | null | undefined)?.config_timeout_seconds;
    return typeof value === "number" ? value : undefined;
  };
  const key = "config_timeout_seconds";
  if (isSensitive(change.beforeSensitive, key) || isSensitive(change.afterSensitive, key)) return undefined;
  const beforeSeconds = seconds(change.before);
  const afterSeconds = seconds(change.after);
  if (beforeSeconds === afterSeconds) return undefined;
  const name = objectName(change).trim().replace(/^"|"$/g, "") || change.address;
  return { address: change.address, name, beforeSeconds, afterSeconds };
}

/** One resource's values before and after, with Terraform's unknown and sensitive masks. */
export interface ChangeValues {
  readonly before: unknown;
  readonly after: unknown;
  readonly afterUnknown?: unknown;
  readonly beforeSensitive?: unknown;
  readonly afterSensitive?: unknown;
}

/**
 * Leaf attributes that differ between `before` and `after`: "message.maximum_capacity: 10 → 12". Values unknown
 * until apply read "(known after apply)"; a sensitive value is never shown, only that it changes (the review goes
 * into a pull-request comment). Single-element lists (Terraform blocks) are flattened.
 */
export function changedAttributes(values: ChangeValues): string[] {
  const lines: string[] = [];
  const differs = (b: unknown, a: unknown) => JSON.stringify(b) !== JSON.stringify(a);
  const walk = (path: string, b: unknown, a: unknown, u: unknown, bs: unknown, as: unknown) => {
    if (bs === true || as === true) {
      if (differs(b, a) || u === true) lines.push(`${path}: (sensitive value changes)`);
      return;
    }
    if (u === true) {
      lines.push(`${path}: ${show(b)} → (known after apply)`);
      return;
    }
    const single = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
    const [bb, aa] = [single(b), single(a)];
    const sameShape =
      isContainer(bb) &&
      isContainer(aa) &&
      Array.isArray(bb) === Array.isArray(aa) &&
      (!Array.isArray(aa) || (bb as unknown[]).length === aa.length);
    if (sameShape) {
      for (const key of new Set([...keysOf(bb), ...keysOf(aa)])) {
        const at = (v: unknown) => child(single(v), key);
        walk(path === "" ? key : `${path}.${key}`, at(b), at(a), at(u), at(bs), at(as));
      }
      return;
    }
    if (!differs(b, a)) return;
    // A container that changes shape, or appears or disappears: shown whole unless part of it is sensitive.
    if (hasTrue(bs) || hasTrue(as)) lines.push(`${path}: (value with sensitive parts changes)`);
    else lines.push(`${path}: ${show(bb)} → ${show(aa)}`);
  };
  walk("", values.before, values.after, values.afterUnknown, values.beforeSensitive, values.afterSensitive);
  return lines;
}

function hasTrue(mask: unknown): boolean {
  return mask === true || (isContainer(mask) && Object.values(mask).some(hasTrue));
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

function keysOf(value: unknown): string[] {
  return isContainer(value) ? Object.keys(value) : [];
}

function child(value: unknown, key: string): unknown {
  return isContainer(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return "null";
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function costEstimate(plan: PlanJson, changes: readonly ClassifiedChange[]): CostEstimate {
  const assumed = new Set<string>();
  const add = (cost: Cost, type: string) => {
    if (!cost.measured) assumed.add(type);
    return cost.requests;
  };
  let planRequests = PROVIDER_START_REQUESTS_PER_RUN + priorDataSources(plan) * DATA_SOURCE_REQUESTS;
  let applyRequests = PROVIDER_START_REQUESTS_PER_RUN;
  for (const change of changes) {
    const exists = change.action !== "create";
    if (exists) planRequests += add(refreshCost(change.type), change.type);
    switch (change.action) {
      case "create":
        applyRequests += add(createCost(change.type), change.type);
        break;
      case "update":
        applyRequests += add(updateCost(change.type), change.type);
        break;
      case "replace":
        applyRequests += add(destroyCost(change.type), change.type);
        applyRequests += add(createCost(change.type), change.type);
        break;
      case "delete":
        applyRequests += add(destroyCost(change.type), change.type);
        break;
      default:
        break;
    }
  }
  const newDeployments = changes.filter(
    (c) =>
      c.type === "genesyscloud_webdeployments_deployment" &&
      (c.action === "create" || c.action === "replace"),
  ).length;
  const rateMinutes = applyRequests / REQUESTS_PER_MINUTE;
  const waitMinutes =
    (Math.ceil(newDeployments / TERRAFORM_PARALLELISM) * DEPLOYMENT_CREATE_SLEEP_SECONDS) / 60;
  return {
    planRequests,
    applyRequests,
    newDeployments,
    applyMinutes: Math.max(rateMinutes, waitMinutes),
    boundBy: waitMinutes > rateMinutes ? "deployment waits" : "rate limit",
    assumedTypes: [...assumed].sort(),
  };
}

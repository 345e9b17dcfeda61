/**
 * A set of plans reviewed as one change: an environment split into shard groups is planned per stack (the base
 * `gc-<env>` and each `gc-<env>-shards-<k>`), and a reviewer sees the totals, one line per stack, then each stack's
 * review. One answer for the set: it needs an explicit allow when any plan destroys or replaces a live object.
 */
import { REQUESTS_PER_MINUTE } from "./api-cost";
import { shardsPhrase } from "./ranges";
import { capital, formatMinutes, renderMarkdown, renderText, type RenderOptions } from "./render";
import { needsAllow, type ChangeCounts, type PlanReview } from "./review";

/** One stack's plan in a set: its review and, when given, `terraform show -no-color` of it. */
export interface StackPlan {
  readonly review: PlanReview;
  readonly planText?: string;
}

/** The totals of a set of plans. */
export interface PlanSetTotals {
  readonly counts: ChangeCounts;
  /** Shards added and removed over every stack. */
  readonly added: readonly number[];
  readonly removed: readonly number[];
  /** Live objects destroyed or replaced over every stack. */
  readonly destructive: number;
  readonly applyRequests: number;
  readonly planRequests: number;
  /**
   * The least time the apply takes with one OAuth client for every stack (the sum), and with a client per stack when
   * the base is applied first and the groups then in parallel (the base's, plus the longest group's).
   */
  readonly applyMinutesOneClient: number;
  readonly applyMinutesClientPerStack: number;
}

/** The totals of `plans`, the first being the base's when the set is an environment's (see `orderPlans`). */
export function planSetTotals(plans: readonly StackPlan[]): PlanSetTotals {
  const reviews = plans.map((plan) => plan.review);
  const sum = (of: (review: PlanReview) => number) =>
    reviews.reduce((total, review) => total + of(review), 0);
  const base = reviews.filter((review) => !isGroupStack(review.stack));
  const groups = reviews.filter((review) => isGroupStack(review.stack));
  const minutesOf = (list: readonly PlanReview[]) => list.map((review) => review.cost.applyMinutes);
  return {
    counts: {
      create: sum((r) => r.counts.create),
      update: sum((r) => r.counts.update),
      replace: sum((r) => r.counts.replace),
      delete: sum((r) => r.counts.delete),
      forget: sum((r) => r.counts.forget),
      unchanged: sum((r) => r.counts.unchanged),
    },
    added: reviews.flatMap((r) => r.shards.added).sort((a, b) => a - b),
    removed: reviews.flatMap((r) => r.shards.removed).sort((a, b) => a - b),
    destructive: sum((r) => r.destructive.length),
    applyRequests: sum((r) => r.cost.applyRequests),
    planRequests: sum((r) => r.cost.planRequests),
    applyMinutesOneClient: Math.max(
      sum((r) => r.cost.applyRequests) / REQUESTS_PER_MINUTE,
      ...minutesOf(reviews),
    ),
    applyMinutesClientPerStack: Math.max(0, ...minutesOf(base)) + Math.max(0, ...minutesOf(groups)),
  };
}

/** Whether a set needs an explicit allow: any of its plans destroys or replaces a live object. */
export function setNeedsAllow(plans: readonly StackPlan[]): boolean {
  return plans.some((plan) => needsAllow(plan.review));
}

/** The plans in deploy order: base (or single) stacks first, then shard groups by k, then the rest by name. */
export function orderPlans(plans: readonly StackPlan[]): StackPlan[] {
  const rank = (stack: string) => {
    const group = /-shards-(\d+)$/.exec(stack);
    return group ? Number(group[1]) : -1;
  };
  return [...plans].sort(
    (a, b) => rank(a.review.stack) - rank(b.review.stack) || a.review.stack.localeCompare(b.review.stack),
  );
}

function isGroupStack(stack: string): boolean {
  return /-shards-\d+$/.test(stack);
}

/** One line of a stack in the set's summary. */
function stackLine(plan: StackPlan, code: (s: string) => string): string {
  const r = plan.review;
  const c = r.counts;
  const changes =
    c.create + c.update + c.replace + c.delete + c.forget === 0
      ? "no changes"
      : `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete`;
  const shards = [shardsPhrase(r.shards.added, "added"), shardsPhrase(r.shards.removed, "removed")].filter(
    (line): line is string => line !== undefined,
  );
  const destructive = r.destructive.length > 0 ? `; ${r.destructive.length} destroyed or replaced` : "";
  return `${code(r.stack)}: ${changes}${shards.length > 0 ? `; ${shards.join(", ")}` : ""}${destructive}; ≈ ${r.cost.applyRequests} requests to apply`;
}

/** The set's summary lines (without markup): its headline, a line per stack, the shards and the cost. */
function summary(plans: readonly StackPlan[], code: (s: string) => string) {
  const t = planSetTotals(plans);
  const c = t.counts;
  const headline =
    `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete ` +
    `(${c.unchanged} unchanged) in ${plans.length} stacks`;
  const shards = [shardsPhrase(t.added, "added"), shardsPhrase(t.removed, "removed")].filter(
    (line): line is string => line !== undefined,
  );
  const cost =
    `≈ ${t.applyRequests} API requests to apply (+ ${t.planRequests} to plan): at least ` +
    `${formatMinutes(t.applyMinutesOneClient)} with one OAuth client for every stack, ` +
    `${formatMinutes(t.applyMinutesClientPerStack)} with a client per stack (the base, then the groups in parallel)`;
  return {
    headline,
    shards,
    cost,
    lines: plans.map((plan) => stackLine(plan, code)),
    destructive: t.destructive,
  };
}

/** The title a set is reviewed under: its base stack's name, else its first stack's. */
function setTitle(plans: readonly StackPlan[]): string {
  return (plans.find((plan) => !isGroupStack(plan.review.stack)) ?? plans[0]).review.stack;
}

/** A set of plans as one pull-request comment: the totals, a line per stack, then each stack's review. */
export function renderSetMarkdown(
  plans: readonly StackPlan[],
  options: Omit<RenderOptions, "planText">,
): string {
  const ordered = orderPlans(plans);
  const code = (s: string) => `\`${s}\``;
  const s = summary(ordered, code);
  const out = [
    `## Terraform plans for ${code(setTitle(ordered))} and its shard groups`,
    "",
    `**${s.headline}**`,
    "",
  ];
  if (s.shards.length > 0) out.push(...s.shards.map((line) => `- ${capital(line)}`), "");
  if (s.destructive > 0) {
    out.push(
      `> [!${options.allowed ? "WARNING" : "CAUTION"}]`,
      `> **${s.destructive} live ${s.destructive === 1 ? "object" : "objects"} would be destroyed or replaced over the set ` +
        `(each stack's review lists them).${options.allowed ? " Allowed explicitly." : " Applying needs an explicit allow."}**`,
      "",
    );
  }
  out.push("**Per stack**", "", ...s.lines.map((line) => `- ${line}`), "", `**API cost:** ${s.cost}`, "");
  const share = Math.floor((options.maxChars ?? 60_000) / Math.max(1, ordered.length)) - 200;
  const reviews = ordered.map((plan) =>
    renderMarkdown(plan.review, { ...options, planText: plan.planText, maxChars: share }),
  );
  return `${out.join("\n")}\n${reviews.join("\n")}`;
}

/** A set of plans as plain text: the totals, a line per stack, then each stack's review. */
export function renderSetText(plans: readonly StackPlan[], options: Omit<RenderOptions, "planText">): string {
  const ordered = orderPlans(plans);
  const s = summary(ordered, (x) => x);
  const out = [`Terraform plans for ${setTitle(ordered)} and its shard groups: ${s.headline}`];
  for (const line of s.shards) out.push(`  ${line}`);
  if (s.destructive > 0) {
    out.push(
      `${options.allowed ? "WARNING" : "BLOCKED"}: ${s.destructive} live ${s.destructive === 1 ? "object" : "objects"} ` +
        "would be destroyed or replaced over the set (each stack's review lists them)",
    );
  }
  out.push("", "Per stack:", ...s.lines.map((line) => `  ${line}`), "", `API cost: ${s.cost}`, "");
  const reviews = ordered.map((plan) => renderText(plan.review, { ...options, planText: plan.planText }));
  return `${out.join("\n")}\n${reviews.join("\n")}`;
}

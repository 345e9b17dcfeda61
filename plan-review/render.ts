/**
 * A plan review as a pull-request comment (GitHub-flavoured markdown) or as plain text for a terminal or a job
 * log, with the full plan folded below it.
 */
import { REQUESTS_PER_MINUTE, DEPLOYMENT_CREATE_SLEEP_SECONDS, TERRAFORM_PARALLELISM } from "./api-cost";
import { changedAttributes, type PlanReview } from "./review";
import type { ClassifiedChange } from "./classify";
import { queueGroupsPhrase, shardsPhrase } from "./ranges";

/** The CLI flag that allows a destructive plan, and the pull-request label the plan workflow maps to it. */
export const ALLOW_FLAG = "--allow-destructive";
export const ALLOW_LABEL = "allow-destructive";

/** GitHub refuses comments longer than 65,536 characters; the folded plan is cut to keep the whole under this. */
export const MAX_COMMENT_CHARS = 60_000;

export interface RenderOptions {
  /** Whether the destructive changes were allowed explicitly (`--allow-destructive`). */
  readonly allowed: boolean;
  /** The plan as `terraform show -no-color` prints it; rendered from the JSON when absent. */
  readonly planText?: string;
  /** The most characters the markdown may have. @default MAX_COMMENT_CHARS */
  readonly maxChars?: number;
}

/** The review's lines without markup, shared by both formats: a headline, then bullet items per section. */
interface Sections {
  readonly headline: string;
  readonly shards: string[];
  readonly destructive: string[];
  readonly destructiveTitle?: string;
  readonly orgWide: string[];
  readonly timeouts: string[];
  readonly cost: string;
}

function sections(review: PlanReview, allowed: boolean, code: (s: string) => string): Sections {
  const c = review.counts;
  const forget = c.forget > 0 ? `, ${c.forget} to forget` : "";
  const headline =
    c.create + c.update + c.replace + c.delete + c.forget === 0
      ? `No changes (${c.unchanged} resources unchanged)`
      : `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete${forget} (${c.unchanged} unchanged)`;

  const s = review.shards;
  const shards = [
    s.before.length !== s.after.length ? `shards: ${s.before.length} → ${s.after.length}` : undefined,
    shardsPhrase(s.added, "added"),
    shardsPhrase(s.removed, "removed"),
    shardsPhrase(s.replaced, "partly replaced (see below)"),
    shardsPhrase(s.updated, "updated in place"),
    ...queueGroupLines(review.queueGroups),
  ].filter((line): line is string => line !== undefined);

  const destructive = review.destructive.map((d) => {
    const verb = d.action === "replace" ? "replaced" : "destroyed";
    const cause = d.cause ? ` (${d.cause})` : "";
    return `${d.subject} ${verb}${cause}: ${d.impact}. ${code(d.address)}`;
  });
  const n = review.destructive.length;
  const destructiveTitle =
    n === 0
      ? undefined
      : `${n} live ${n === 1 ? "object" : "objects"} would be destroyed or replaced. ` +
        (allowed
          ? `Allowed explicitly (${code(ALLOW_FLAG)}).`
          : `Applying needs an explicit allow: the ${code(ALLOW_LABEL)} label on the pull request (${code(ALLOW_FLAG)}).`);

  const orgWide = review.orgWide.map(
    (o) => `${o.subject} changes in place: ${o.attributes.join("; ") || "(attributes)"}. It ${o.impact}.`,
  );
  const seconds = (v: number | undefined) => (v === undefined ? "none" : `${v} s`);
  const timeouts = review.timeouts.map(
    (t) => `${code(t.name)}: ${seconds(t.beforeSeconds)} → ${seconds(t.afterSeconds)}`,
  );

  const k = review.cost;
  const waits =
    k.newDeployments > 0
      ? `; ${k.newDeployments} new web ${k.newDeployments === 1 ? "deployment waits" : "deployments wait"} ` +
        `${DEPLOYMENT_CREATE_SLEEP_SECONDS} s per ${TERRAFORM_PARALLELISM} in the provider`
      : "";
  const assumed =
    k.assumedTypes.length > 0 ? ` Assumed, not measured: ${k.assumedTypes.map(code).join(", ")}.` : "";
  const cost =
    `≈ ${k.applyRequests} API requests to apply (+ ${k.planRequests} to plan) at ${REQUESTS_PER_MINUTE}/min per OAuth client: ` +
    `at least ${formatMinutes(k.applyMinutes)}, bound by the ${k.boundBy}${waits}.${assumed}`;
  return {
    headline,
    shards,
    destructive,
    destructiveTitle,
    orgWide,
    timeouts,
    cost,
  };
}

/** The queue groups of several deployments, as the shards: "queue groups: 2 → 3", "queue group 002 added". */
function queueGroupLines(g: PlanReview["queueGroups"]): (string | undefined)[] {
  return [
    g.before.length !== g.after.length ? `queue groups: ${g.before.length} → ${g.after.length}` : undefined,
    queueGroupsPhrase(g.added, "added"),
    queueGroupsPhrase(g.removed, "removed"),
    queueGroupsPhrase(g.replaced, "partly replaced (see below)"),
    queueGroupsPhrase(g.updated, "updated in place"),
  ];
}

/** Minutes as people read them: "0 min", "5 s" under a minute, "2.5 min". */
export function formatMinutes(value: number): string {
  if (value === 0) return "0 min";
  if (value < 1) return `${Math.max(1, Math.round(value * 60))} s`;
  return `${value.toFixed(1)} min`;
}

/** The review as a pull-request comment. */
export function renderMarkdown(review: PlanReview, options: RenderOptions): string {
  const code = (s: string) => `\`${s}\``;
  const s = sections(review, options.allowed, code);
  const out: string[] = [`### Terraform plan for ${code(review.stack)}`, "", `**${s.headline}**`, ""];
  if (s.shards.length > 0) out.push(...s.shards.map((line) => `- ${capital(line)}`), "");
  if (s.destructiveTitle) {
    out.push(
      `> [!${options.allowed ? "WARNING" : "CAUTION"}]`,
      `> **${s.destructiveTitle}**`,
      ">",
      ...s.destructive.map((line) => `> - ${line}`),
      "",
    );
  }
  if (s.orgWide.length > 0) {
    out.push("> [!WARNING]", "> **Org-wide change**", ">", ...s.orgWide.map((line) => `> - ${line}`), "");
  }
  if (s.timeouts.length > 0) out.push("**Data Action timeouts**", "", ...s.timeouts.map((l) => `- ${l}`), "");
  out.push(`**API cost:** ${s.cost}`, "");
  const head = `${out.join("\n")}\n`;

  const plan = trimBlankStart(options.planText ?? renderPlanText(review));
  const open = "<details><summary>Full plan</summary>\n\n";
  const fence = "`".repeat(Math.max(3, longestBacktickRun(plan) + 1));
  const close = `${fence}\n\n</details>\n`;
  const budget = (options.maxChars ?? MAX_COMMENT_CHARS) - head.length - open.length - close.length - 200;
  const body = truncate(plan, budget);
  return `${head}${open}${fence}text\n${body}${body.endsWith("\n") ? "" : "\n"}${close}`;
}

/** The review as plain text, for a terminal or a job log. */
export function renderText(review: PlanReview, options: RenderOptions): string {
  const s = sections(review, options.allowed, (x) => x);
  const out: string[] = [`Terraform plan for ${review.stack}: ${s.headline}`];
  for (const line of s.shards) out.push(`  ${line}`);
  if (s.destructiveTitle) {
    out.push("", `${options.allowed ? "WARNING" : "BLOCKED"}: ${s.destructiveTitle}`);
    for (const line of s.destructive) out.push(`  - ${line}`);
  }
  if (s.orgWide.length > 0) {
    out.push("", "ORG-WIDE:");
    for (const line of s.orgWide) out.push(`  - ${line}`);
  }
  if (s.timeouts.length > 0) {
    out.push("", "Data Action timeouts:");
    for (const line of s.timeouts) out.push(`  - ${line}`);
  }
  out.push("", `API cost: ${s.cost}`, "", "--- full plan ---", "");
  const plan = trimBlankStart(options.planText ?? renderPlanText(review));
  return `${out.join("\n")}${plan}${plan.endsWith("\n") ? "" : "\n"}`;
}

const VERB: Readonly<Record<ClassifiedChange["action"], string>> = {
  create: "will be created",
  update: "will be updated in-place",
  replace: "will be replaced",
  delete: "will be destroyed",
  read: "will be read during apply",
  forget: "will be removed from the state (not destroyed)",
  "no-op": "is unchanged",
};

/**
 * A compact plan in Terraform's words, from the JSON, for when `terraform show -no-color` text is not given:
 * one `# <address> will be …` line per change, the changed attributes of updates and replacements, and
 * Terraform's `Plan:` line.
 */
export function renderPlanText(review: PlanReview): string {
  if (review.changes.length === 0) {
    return "No changes. Your infrastructure matches the configuration.\n";
  }
  const lines: string[] = [];
  for (const change of review.changes) {
    const why = change.reason && change.action !== "update" ? ` (${change.reason})` : "";
    lines.push(`# ${change.address} ${VERB[change.action]}${why}`);
    if (change.action === "update" || change.action === "replace") {
      const forces = new Set(change.replacePaths);
      for (const attribute of changedAttributes(change)) {
        const path = attribute.slice(0, attribute.indexOf(":"));
        lines.push(`    ${attribute}${forces.has(path) ? "  # forces replacement" : ""}`);
      }
    }
  }
  const c = review.counts;
  lines.push(
    "",
    `Plan: ${c.create + c.replace} to add, ${c.update} to change, ${c.delete + c.replace} to destroy.`,
  );
  return `${lines.join("\n")}\n`;
}

function trimBlankStart(text: string): string {
  return text.replace(/^(\s*\n)+/, "");
}

/** The line with its first letter upper-case. */
export function capital(line: string): string {
  return line.charAt(0).toUpperCase() + line.slice(1);
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
}

/** Whole lines of `text` that fit in `budget` characters, with a note of what was cut. */
function truncate(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  return `${kept.join("\n")}\n... ${lines.length - kept.length} more lines cut to fit a comment (\`terraform show\` of the saved plan has them)\n`;
}

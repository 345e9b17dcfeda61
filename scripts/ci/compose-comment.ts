/**
 * One pull-request comment for all the stacks of an environment, from the reviews plan-stack left:
 *
 *   npx tsx scripts/ci/compose-comment.ts <environment> [--outdir cdktf.out] [--out comment.md]
 *
 * The comment starts with the marker `<!-- plan:gc-<env> -->` (the workflow updates the comment carrying it). A
 * single-stack environment's comment is its stack's review, as before shard groups. A split environment's has a
 * table (one line per stack: its outcome), then each stack's review, the base first. A stack with no result.json
 * counts as not planned (failed). Past GitHub's 65,536 characters the folded full plans are left out (they stay in
 * the job summary and the plan.txt files).
 *
 * Exit code, the worst of the stacks': 1 a plan failed or is missing; 2 a plan could not be read; 3 a plan destroys
 * or replaces a live object without leave; else 0.
 */
import { writeFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { EXIT } from "../../cli/exit-codes";
import { readResult, REVIEW_FILE, type StackResult } from "./plan-stack";
import { CiInputError, environmentStacks, parseArgs, readManifest, runMain, stackDir } from "./stacks";

/** GitHub's limit on a comment's body. */
export const COMMENT_LIMIT = 65_536;

/** One stack's part of the comment. */
export interface StackReview {
  readonly stack: string;
  readonly result: StackResult | undefined;
  readonly review: string;
}

export function marker(environment: string): string {
  return `<!-- plan:gc-${environment} -->`;
}

function outcomeText(result: StackResult | undefined): string {
  if (!result) return ":x: not planned";
  if (result.outcome === "failed") return ":x: plan failed";
  if (result.outcome === "unreadable") return ":x: plan could not be read";
  const what = result.outcome === "no-changes" ? "no changes" : "changes";
  if (!result.destructive) return `:white_check_mark: ${what}`;
  return result.code === EXIT.no
    ? `:no_entry: ${what}, destroys or replaces live objects`
    : `:warning: ${what}, destroys or replaces live objects (allowed)`;
}

/** The first bold line of a review (its counts), for the table. */
function countsOf(review: string): string {
  return /^\*\*(\d+ to create[^*]*)\*\*/m.exec(review)?.[1] ?? "";
}

/** The comment's exit code: the worst of the stacks'. */
export function commentCode(reviews: readonly StackReview[]): number {
  const codes = reviews.map((r) => r.result?.code ?? EXIT.failed);
  for (const code of [EXIT.failed, EXIT.badInput, EXIT.no]) if (codes.includes(code)) return code;
  return EXIT.ok;
}

/** Drops the folded full plans (`<details><summary>Full plan…</details>`) of a review. */
export function withoutFullPlan(review: string): string {
  return review.replace(
    /<details><summary>Full plan<\/summary>[\s\S]*?<\/details>\n?/g,
    "_Full plan left out to fit GitHub's comment limit: see the job summary._\n",
  );
}

/** The comment for `environment`'s stacks (base first). */
export function composeComment(environment: string, reviews: readonly StackReview[]): string {
  const compose = (strip: boolean): string => {
    const body = (r: StackReview): string => {
      const text =
        r.review || `### Terraform plan for \`${r.stack}\`\n\n:x: **not planned** (no review was written)\n`;
      return (strip ? withoutFullPlan(text) : text).trimEnd();
    };
    if (reviews.length === 1) return `${marker(environment)}\n${body(reviews[0])}\n`;
    const table = [
      "| stack | outcome | changes |",
      "| ----- | ------- | ------- |",
      ...reviews.map((r) => `| \`${r.stack}\` | ${outcomeText(r.result)} | ${countsOf(r.review)} |`),
    ];
    return [
      marker(environment),
      `## Terraform plans for \`gc-${environment}\` (${reviews.length} stacks: the base, then ${reviews.length - 1} shard groups)`,
      "",
      ...table,
      "",
      ...reviews.map((r) => `${body(r)}\n`),
    ].join("\n");
  };
  const full = compose(false);
  return full.length <= COMMENT_LIMIT ? full : compose(true).slice(0, COMMENT_LIMIT);
}

/** Reads each stack's result.json and review.md under `outdir`. */
export function readReviews(outdir: string, environment: string): StackReview[] {
  const { base, groups } = environmentStacks(readManifest(outdir), environment);
  return [base, ...groups].map((stack) => {
    let review = "";
    try {
      review = readFileSync(join(stackDir(outdir, stack), REVIEW_FILE), "utf8");
    } catch {
      // not planned: the table says so
    }
    return { stack, result: readResult(outdir, stack), review };
  });
}

async function main(argv: string[]): Promise<number> {
  const { positional, values } = parseArgs(argv, { values: ["--outdir", "--out"], flags: [] });
  if (positional.length !== 1)
    throw new CiInputError("usage: compose-comment.ts <environment> [--outdir cdktf.out] [--out comment.md]");
  const reviews = readReviews(values.get("--outdir") ?? "cdktf.out", positional[0]);
  const comment = composeComment(positional[0], reviews);
  const out = values.get("--out");
  if (out) writeFileSync(out, comment);
  else process.stdout.write(comment);
  return commentCode(reviews);
}

if (require.main === module) runMain("compose-comment", main);

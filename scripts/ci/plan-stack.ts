/**
 * Plans one stack and reviews the plan, for the plan and deploy workflows (and the e2e test that runs them against
 * the emulator):
 *
 *   npx tsx scripts/ci/plan-stack.ts <stack> [--outdir cdktf.out] [--allow-destructive]
 *
 * In `<outdir>/stacks/<stack>`: `terraform init`, `terraform plan -detailed-exitcode -lock=false -out=plan.tfplan`
 * (plan.log), then `terraform show -json` (plan.json) and `-no-color` (plan.txt) and the review by plan-summary
 * (review.md). result.json holds what compose-comment and apply-in-order read. A group stack uses its own OAuth
 * client when its variables are set (stackEnv).
 *
 * Exit codes (the one table, cli/exit-codes.ts): 0 reviewable (changes or not); 1 init or plan failed (review.md says
 * so, with the log's tail); 2 bad usage, or plan-summary could not read the plan; 3 the plan destroys or replaces a
 * live object and --allow-destructive was not given (the review is still written).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main as planSummary } from "../../cli/plan-summary";
import { EXIT } from "../../cli/exit-codes";
import { CiInputError, parseArgs, readManifest, runMain, stackDir, stackEnv, terraform } from "./stacks";

/** What plan-stack leaves in the stack's folder as result.json. */
export interface StackResult {
  readonly stack: string;
  /** failed: init or plan failed; unreadable: plan-summary refused the plan; else the plan's outcome. */
  readonly outcome: "failed" | "unreadable" | "no-changes" | "changes";
  /** plan-stack's exit code (0, 1, 2 or 3, above). */
  readonly code: number;
  /** True when the plan destroys or replaces a live object (whether or not allowed). */
  readonly destructive: boolean;
}

export const RESULT_FILE = "result.json";
export const REVIEW_FILE = "review.md";
export const PLAN_FILE = "plan.tfplan";

/** The lines of `text` from the end, at most `count`. */
export function tail(text: string, count: number): string {
  return text.trimEnd().split("\n").slice(-count).join("\n");
}

/** The review of a failed init or plan. */
export function failedReview(stack: string, step: string, log: string): string {
  return [
    `### Terraform plan for \`${stack}\``,
    "",
    `:x: **terraform ${step} failed**`,
    "",
    "```text",
    tail(log, 60),
    "```",
    "",
  ].join("\n");
}

/**
 * Maps `terraform plan -detailed-exitcode` and plan-summary's exit codes to plan-stack's outcome: plan 1 failed;
 * plan 0 no changes, 2 changes; then plan-summary 2 unreadable, 3 destructive (not allowed), 0 reviewable.
 */
export function outcomeOf(
  planCode: number,
  reviewCode: number | undefined,
): Pick<StackResult, "outcome" | "code"> {
  if (planCode !== 0 && planCode !== 2) return { outcome: "failed", code: EXIT.failed };
  if (reviewCode === EXIT.badInput || reviewCode === undefined)
    return { outcome: "unreadable", code: EXIT.badInput };
  const outcome = planCode === 0 ? "no-changes" : "changes";
  return { outcome, code: reviewCode === EXIT.no ? EXIT.no : EXIT.ok };
}

/** Plans `stack` in its folder under `outdir` and writes plan.*, review.md and result.json there. */
export async function planStack(
  stack: string,
  options: {
    readonly outdir: string;
    readonly allowDestructive: boolean;
    readonly env?: NodeJS.ProcessEnv;
    readonly echo?: (line: string) => void;
  },
): Promise<StackResult> {
  const dir = stackDir(options.outdir, stack);
  const env = stackEnv(stack, options.env ?? process.env);
  const finish = (result: StackResult, review: string): StackResult => {
    writeFileSync(join(dir, REVIEW_FILE), review);
    writeFileSync(join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
    return result;
  };
  const init = await terraform(dir, ["init", "-input=false", "-no-color"], env, options.echo);
  if (init.code !== 0) {
    return finish(
      { stack, outcome: "failed", code: EXIT.failed, destructive: false },
      failedReview(stack, "init", init.output),
    );
  }
  const plan = await terraform(
    dir,
    ["plan", "-input=false", "-no-color", "-lock=false", "-detailed-exitcode", `-out=${PLAN_FILE}`],
    env,
    options.echo,
  );
  writeFileSync(join(dir, "plan.log"), plan.output);
  if (plan.code !== 0 && plan.code !== 2) {
    return finish(
      { stack, ...outcomeOf(plan.code, undefined), destructive: false },
      failedReview(stack, "plan", plan.output),
    );
  }
  for (const [args, file] of [
    [["show", "-json", PLAN_FILE], "plan.json"],
    [["show", "-no-color", PLAN_FILE], "plan.txt"],
  ] as const) {
    const shown = await terraform(dir, args, env);
    if (shown.code !== 0) {
      return finish(
        { stack, outcome: "failed", code: EXIT.failed, destructive: false },
        failedReview(stack, "show", shown.output),
      );
    }
    writeFileSync(join(dir, file), shown.output);
  }
  let review = "";
  let errors = "";
  const argv = [join(dir, "plan.json"), "--stack", stack, "--plan-text", join(dir, "plan.txt")];
  // Reviewed without the allow first, so `destructive` records what the plan does whatever the label says.
  const reviewCode = planSummary(argv, {
    stdout: { write: (text: string) => (review += text) },
    stderr: { write: (text: string) => (errors += text) },
  });
  const destructive = reviewCode === EXIT.no;
  if (destructive && options.allowDestructive) {
    review = "";
    planSummary([...argv, "--allow-destructive"], {
      stdout: { write: (text: string) => (review += text) },
      stderr: { write: (text: string) => (errors += text) },
    });
  }
  const mapped = outcomeOf(plan.code, reviewCode);
  const code = destructive && options.allowDestructive ? EXIT.ok : mapped.code;
  if (mapped.outcome === "unreadable") {
    review = `### Terraform plan for \`${stack}\`\n\n:x: **plan-summary could not read the plan**: ${errors.trim()}\n`;
  }
  return finish({ stack, outcome: mapped.outcome, code, destructive }, review);
}

/** Reads the result.json plan-stack left for `stack`, or undefined when it has not run. */
export function readResult(outdir: string, stack: string): StackResult | undefined {
  try {
    return JSON.parse(readFileSync(join(stackDir(outdir, stack), RESULT_FILE), "utf8")) as StackResult;
  } catch {
    return undefined;
  }
}

async function main(argv: string[]): Promise<number> {
  const { positional, values, flags } = parseArgs(argv, {
    values: ["--outdir"],
    flags: ["--allow-destructive"],
  });
  if (positional.length !== 1)
    throw new CiInputError("usage: plan-stack.ts <stack> [--outdir cdktf.out] [--allow-destructive]");
  const outdir = values.get("--outdir") ?? "cdktf.out";
  const stack = positional[0];
  if (!readManifest(outdir)[stack]) throw new CiInputError(`no stack ${stack} in ${outdir}/manifest.json`);
  const result = await planStack(stack, {
    outdir,
    allowDestructive: flags.has("--allow-destructive"),
    echo: (line) => process.stdout.write(`${line}\n`),
  });
  process.stdout.write(
    `plan-stack: ${stack}: ${result.outcome}${result.destructive ? " (destructive)" : ""}, exit ${result.code}\n`,
  );
  return result.code;
}

if (require.main === module) runMain("plan-stack", main);

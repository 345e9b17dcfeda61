/**
 * `genesys-cdktf plan-summary` (`npm run plan-summary`): the review of a saved Terraform plan of an environment stack, for a pull-request comment or a
 * deploy log.
 *
 *   terraform plan -out=plan.tfplan && terraform show -json plan.tfplan > plan.json
 *   npm run --silent plan-summary -- plan.json --stack gc-dev --format markdown --plan-text plan.txt
 *   npm run --silent plan-summary -- base.json shards-0.json shards-1.json   # a split environment, as one change
 *   npm run --silent plan-summary -- plans/                                 # plans/<stack>/plan.json (and plan.txt)
 *
 * Exit codes (PLAN_SUMMARY_EXITS): reviewable (or destructive and `--allow-destructive` given); bad input (one line
 * on stderr); the plan destroys or replaces a live object and `--allow-destructive` was not given (the review is
 * still printed).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Command, Option } from "commander";
import {
  needsAllow,
  parsePlanJson,
  PlanInputError,
  renderMarkdown,
  renderSetMarkdown,
  renderSetText,
  renderText,
  reviewPlan,
  setNeedsAllow,
  stackFromOutputs,
  type StackPlan,
} from "../plan-review";
import { parseQuietly, reportBadInput, type CliIO } from "./command";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";

export const EXIT_OK = EXIT.ok;
export const EXIT_BAD_INPUT = EXIT.badInput;
export const EXIT_NEEDS_ALLOW = EXIT.no;

/** What each exit code of `plan-summary` means. */
export const PLAN_SUMMARY_EXITS: ExitMeanings = {
  ok: "reviewable (or destructive and --allow-destructive given)",
  badInput: "bad input",
  no: "the plan destroys or replaces a live object (the review is still printed)",
};

interface Options {
  stack?: string;
  format: "markdown" | "text";
  planText?: string;
  allowDestructive: boolean;
}

/** Runs `plan-summary` with `argv` (the words after `plan-summary`) and returns the exit code. */
export function main(argv: readonly string[], io: CliIO): number {
  const program = new Command("plan-summary")
    .description(
      "Review a saved Terraform plan of an environment stack, or a set of plans (one per stack of a split " +
        "environment) as one change: shards, destroys, cost.",
    )
    .argument(
      "<plan.json...>",
      "`terraform show -json <saved plan>` of the stack; several, one per stack, or a folder of <stack>/plan.json",
    )
    .option(
      "--stack <name>",
      "the stack's name, with one plan (default: from the plan's capacity_plan output)",
    )
    .addOption(
      new Option("--format <format>", "output format").choices(["markdown", "text"]).default("markdown"),
    )
    .option(
      "--plan-text <file>",
      "`terraform show -no-color <saved plan>`, folded in as the full plan, with one plan (a set takes each " +
        "stack's plan.txt next to its plan.json)",
    )
    .option(
      "--allow-destructive",
      `exit ${EXIT_OK} even when live objects would be destroyed or replaced`,
      false,
    )
    .addHelpText("after", `\n${exitCodesHelp(PLAN_SUMMARY_EXITS)}`);
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return EXIT_OK;
  if (failure !== undefined) return reportBadInput(io, "plan-summary", [failure.message]);
  const options = program.opts<Options>();
  try {
    const plans = planFiles(program.args);
    if (plans.length > 1) {
      for (const flag of ["stack", "planText"] as const) {
        if (options[flag] !== undefined)
          throw new PlanInputError(
            `--${flag === "stack" ? "stack" : "plan-text"} is for one plan, got ${plans.length}`,
          );
      }
      const set: StackPlan[] = plans.map((file) => stackPlan(file));
      const renderSet = options.format === "markdown" ? renderSetMarkdown : renderSetText;
      io.stdout.write(renderSet(set, { allowed: options.allowDestructive }));
      return setNeedsAllow(set) && !options.allowDestructive ? EXIT_NEEDS_ALLOW : EXIT_OK;
    }
    const planFile = plans[0];
    const plan = parsePlanJson(readInput(planFile), planFile);
    const planText = options.planText === undefined ? undefined : readInput(options.planText);
    if (options.stack !== undefined && options.stack.trim() === "") {
      throw new PlanInputError("--stack must name a stack, got an empty string");
    }
    const review = reviewPlan(plan, options.stack);
    const render = options.format === "markdown" ? renderMarkdown : renderText;
    io.stdout.write(render(review, { allowed: options.allowDestructive, planText }));
    return needsAllow(review) && !options.allowDestructive ? EXIT_NEEDS_ALLOW : EXIT_OK;
  } catch (error) {
    if (error instanceof PlanInputError) return reportBadInput(io, "plan-summary", [error.message]);
    throw error;
  }
}

/**
 * A plan of a set, named by its stack: the folder of a `<stack>/plan.json` (the CI scripts' layout), else the plan's
 * capacity_plan output (a base or single stack), else the file (a shard group's plan names no stack).
 */
function stackPlan(file: string): StackPlan {
  const plan = parsePlanJson(readInput(file), file);
  const folder = basename(dirname(file));
  const inFolder = basename(file) === "plan.json" && folder.startsWith("gc-");
  const stack = inFolder ? folder : (stackFromOutputs(plan) ?? file);
  const review = reviewPlan(plan, stack);
  const textFile = join(dirname(file), "plan.txt");
  const planText = basename(file) === "plan.json" && existsSync(textFile) ? readInput(textFile) : undefined;
  return { review, ...(planText === undefined ? {} : { planText }) };
}

/** The plan files the arguments name: each a file, or a folder of `<stack>/plan.json` (as the CI scripts leave). */
function planFiles(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    if (!existsSync(arg) || !statSync(arg).isDirectory()) return [arg];
    const found = readdirSync(arg)
      .sort()
      .map((entry) => join(arg, entry, "plan.json"))
      .filter((file) => existsSync(file));
    if (found.length === 0) throw new PlanInputError(`${arg}: a folder without any <stack>/plan.json`);
    return found;
  });
}

function readInput(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "a directory" : String(code ?? error);
    throw new PlanInputError(`cannot read ${file}: ${why}`);
  }
}

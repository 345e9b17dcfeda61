/**
 * Applies an environment's stacks in their order, for the deploy workflow:
 *
 *   npx tsx scripts/ci/apply-in-order.ts <environment> [--outdir cdktf.out] [--parallelism 4] [--allow-destructive]
 *   npx tsx scripts/ci/apply-in-order.ts <environment> --destroy [--outdir cdktf.out] [--parallelism 4]
 *
 * Reads the stacks from `<outdir>/manifest.json` (environmentStacks): the base `gc-<env>` first, then its shard
 * groups side by side, at most --parallelism at once. Each stack is planned at its turn (plan-stack: a group's plan
 * reads the base's outputs, which a first deploy only has once the base is applied), reviewed, held to the destroy
 * gate (a plan that destroys or replaces a live object stops everything unless --allow-destructive), and its saved
 * plan applied; a stack with no changes is not applied. The first failure stops it: no group starts after it, the
 * running ones finish, and the base's failure starts no group. --destroy destroys the groups (side by side), then the
 * base.
 *
 * Exit codes: 0 applied (or nothing to do); 1 a plan or an apply failed; 2 bad usage or an unreadable plan; 3 a plan
 * destroys or replaces a live object without --allow-destructive (nothing of that stack applied).
 */
import { EXIT } from "../../cli/exit-codes";
import { PLAN_FILE, planStack } from "./plan-stack";
import {
  CiInputError,
  environmentStacks,
  parseArgs,
  readManifest,
  runMain,
  stackDir,
  stackEnv,
  terraform,
} from "./stacks";

export interface ApplyOptions {
  readonly outdir: string;
  readonly parallelism: number;
  readonly allowDestructive: boolean;
  readonly destroy?: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where progress lines go, each prefixed with its stack. */
  readonly log: (line: string) => void;
}

/** What happened to each stack, in the order they finished. */
export interface ApplyReport {
  readonly code: number;
  readonly steps: readonly {
    readonly stack: string;
    readonly outcome: string;
    readonly start: number;
    readonly end: number;
  }[];
}

/**
 * Runs `work` on each item, at most `limit` at once, starting none after one answered non-zero; answers the first
 * non-zero code, else 0.
 */
export async function boundedUntilFailure<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<number>,
): Promise<number> {
  let next = 0;
  let failure = 0;
  const worker = async (): Promise<void> => {
    while (failure === 0 && next < items.length) {
      const code = await work(items[next++]);
      if (code !== 0 && failure === 0) failure = code;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return failure;
}

export async function applyInOrder(environment: string, options: ApplyOptions): Promise<ApplyReport> {
  const { base, groups } = environmentStacks(readManifest(options.outdir), environment);
  const steps: ApplyReport["steps"][number][] = [];
  const env = options.env ?? process.env;

  const one = async (stack: string): Promise<number> => {
    const start = Date.now();
    const echo = (line: string): void => options.log(`[${stack}] ${line}`);
    const done = (outcome: string, code: number): number => {
      steps.push({ stack, outcome, start, end: Date.now() });
      echo(`${outcome} (exit ${code})`);
      return code;
    };
    const dir = stackDir(options.outdir, stack);
    if (options.destroy) {
      const init = await terraform(dir, ["init", "-input=false", "-no-color"], stackEnv(stack, env), echo);
      if (init.code !== 0) return done("init failed", EXIT.failed);
      const destroyed = await terraform(
        dir,
        ["destroy", "-auto-approve", "-input=false", "-no-color"],
        stackEnv(stack, env),
        echo,
      );
      return done(
        destroyed.code === 0 ? "destroyed" : "destroy failed",
        destroyed.code === 0 ? EXIT.ok : EXIT.failed,
      );
    }
    const result = await planStack(stack, {
      outdir: options.outdir,
      allowDestructive: options.allowDestructive,
      env,
    });
    if (result.code !== EXIT.ok) {
      const why =
        result.code === EXIT.no
          ? "destroys or replaces live objects: not applied (no --allow-destructive)"
          : `plan ${result.outcome}`;
      return done(why, result.code);
    }
    if (result.outcome === "no-changes") return done("no changes", EXIT.ok);
    const applied = await terraform(
      dir,
      ["apply", "-input=false", "-no-color", PLAN_FILE],
      stackEnv(stack, env),
      echo,
    );
    return done(applied.code === 0 ? "applied" : "apply failed", applied.code === 0 ? EXIT.ok : EXIT.failed);
  };

  const groupsPhase = (): Promise<number> => boundedUntilFailure(groups, options.parallelism, one);
  let code: number;
  if (options.destroy) {
    code = await groupsPhase();
    if (code === 0) code = await one(base);
  } else {
    code = await one(base);
    if (code === 0) code = await groupsPhase();
  }
  return { code, steps };
}

async function main(argv: string[]): Promise<number> {
  const { positional, values, flags } = parseArgs(argv, {
    values: ["--outdir", "--parallelism"],
    flags: ["--allow-destructive", "--destroy"],
  });
  if (positional.length !== 1) {
    throw new CiInputError(
      "usage: apply-in-order.ts <environment> [--outdir cdktf.out] [--parallelism 4] [--allow-destructive] [--destroy]",
    );
  }
  const parallelism = Number(values.get("--parallelism") ?? "4");
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new CiInputError(`--parallelism must be a whole number >= 1, got ${values.get("--parallelism")}`);
  }
  const report = await applyInOrder(positional[0], {
    outdir: values.get("--outdir") ?? "cdktf.out",
    parallelism,
    allowDestructive: flags.has("--allow-destructive"),
    destroy: flags.has("--destroy"),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  for (const step of report.steps) process.stdout.write(`apply-in-order: ${step.stack}: ${step.outcome}\n`);
  return report.code;
}

if (require.main === module) runMain("apply-in-order", main);

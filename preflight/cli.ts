/**
 * Command line of the capacity preflight: plans the shards with the org's live limits and says whether the
 * plan fits.
 *
 *   npx tsx preflight/cli.ts --target 3000 --arrivals-per-minute 600 \
 *     --data-actions-per-session 1 --data-action-latency-seconds 3 [--json]
 *
 * Reads GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (e.g. us-east-1),
 * or GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL to use a gateway such as the emulator.
 *
 * Exit codes: 0 the plan fits; 3 it does not fit the org's limits; 2 bad usage, bad input, missing or rejected
 * credentials; 4 the org's limits could not be read (network, server errors, persistent 429).
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { PlanInputError, type FieldNamer, type PlanField } from "../capacity/errors";
import { planShards } from "../capacity/plan";
import type { PlanInput } from "../capacity/types";
import { OrgLimitsError, readOrgLimits, settingsFromEnv, type RetryPolicy } from "./org-limits";
import { formatPreflightReport, runPreflight } from "./preflight";

export const EXIT = { fits: 0, badInput: 2, doesNotFit: 3, unavailable: 4 } as const;

/** Where the preflight writes: the report to `out`, one error line to `err`. */
export interface PreflightIo {
  out(text: string): void;
  err(text: string): void;
}

export interface PreflightFromEnvOptions {
  /** Print the report as JSON instead of a table. @default false */
  readonly json?: boolean;
  /** How 429s are retried. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
  /** Names plan fields in error messages, e.g. as command-line flags. @default - as in PlanInput */
  readonly fieldName?: FieldNamer;
}

/**
 * Runs the preflight for `planInput` with settings from `env` and returns the exit code. Never throws for
 * expected failures: they become one line on `io.err`.
 */
export async function preflightFromEnv(
  planInput: PlanInput,
  env: Readonly<Record<string, string | undefined>>,
  io: PreflightIo,
  options: PreflightFromEnvOptions = {},
): Promise<number> {
  const fieldName = options.fieldName ?? ((field: PlanField) => field);
  try {
    planShards(planInput); // bad plan input fails here, before any network call
    const settings = settingsFromEnv(env);
    const reading = await readOrgLimits({ ...settings, retry: options.retry });
    const report = runPreflight({ planInput, reading });
    io.out(options.json ? JSON.stringify(report, null, 2) : formatPreflightReport(report));
    return report.fits ? EXIT.fits : EXIT.doesNotFit;
  } catch (error) {
    if (error instanceof OrgLimitsError) {
      io.err(`preflight: ${error.message}`);
      return error.kind === "unavailable" ? EXIT.unavailable : EXIT.badInput;
    }
    if (error instanceof PlanInputError) {
      io.err(`preflight: ${error.render(fieldName)}`);
      return EXIT.badInput;
    }
    throw error;
  }
}

/** Plan fields as this command line spells them. */
const FLAG_NAMES: Partial<Record<PlanField, string>> = {
  targetSessions: "--target",
  sessionsPerShard: "--sessions-per-shard",
  arrivalsPerMinute: "--arrivals-per-minute",
  headroom: "--headroom",
  spares: "--spares",
  maxShards: "--max-shards",
  "agents.count": "--agents",
  "agents.capacityPerAgent": "--capacity-per-agent",
  "dataActions.perSession": "--data-actions-per-session",
  "dataActions.p99LatencySeconds": "--data-action-latency-seconds",
};
export const flagName: FieldNamer = (field) => FLAG_NAMES[field] ?? field;

function numberFlag(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      throw new InvalidArgumentError(`${flag} must be a number, got "${raw}"`);
    }
    return value;
  };
}

interface Flags {
  target: number;
  sessionsPerShard?: number;
  arrivalsPerMinute?: number;
  dataActionsPerSession?: number;
  dataActionLatencySeconds?: number;
  agents?: number;
  capacityPerAgent?: number;
  spares?: number;
  headroom?: number;
  maxShards?: number | "webDeploymentsPerOrg" | "queuesPerOrg";
  json: boolean;
}

/** The plan input the flags describe, or an error line naming the flag that is missing its partner. */
export function planInputFromFlags(flags: Flags): PlanInput {
  const pair = <A, B>(a: A | undefined, aFlag: string, b: B | undefined, bFlag: string) => {
    if ((a === undefined) !== (b === undefined)) {
      throw new InvalidArgumentError(`${aFlag} and ${bFlag} go together: give both or neither`);
    }
    return a !== undefined && b !== undefined ? ([a, b] as const) : undefined;
  };
  const dataActions = pair(
    flags.dataActionsPerSession,
    "--data-actions-per-session",
    flags.dataActionLatencySeconds,
    "--data-action-latency-seconds",
  );
  const agents = pair(flags.agents, "--agents", flags.capacityPerAgent, "--capacity-per-agent");
  const maxShards = flags.maxShards;
  return {
    targetSessions: flags.target,
    sessionsPerShard: flags.sessionsPerShard,
    arrivalsPerMinute: flags.arrivalsPerMinute,
    headroom: flags.headroom,
    spares: flags.spares,
    maxShards: typeof maxShards === "string" ? { limit: maxShards } : maxShards,
    agents: agents && { count: agents[0], capacityPerAgent: agents[1] },
    dataActions: dataActions && { perSession: dataActions[0], p99LatencySeconds: dataActions[1] },
  };
}

function buildProgram(): Command {
  return new Command()
    .name("preflight")
    .description("Check a shard plan against the Genesys Cloud org's live limits")
    .requiredOption("--target <sessions>", "peak concurrent web messaging sessions", numberFlag("--target"))
    .option(
      "--sessions-per-shard <n>",
      "ceiling of concurrent sessions per shard",
      numberFlag("--sessions-per-shard"),
    )
    .option("--arrivals-per-minute <n>", "peak new sessions per minute", numberFlag("--arrivals-per-minute"))
    .option(
      "--data-actions-per-session <n>",
      "Data Action executions per new session",
      numberFlag("--data-actions-per-session"),
    )
    .option(
      "--data-action-latency-seconds <s>",
      "p99 latency of one Data Action execution",
      numberFlag("--data-action-latency-seconds"),
    )
    .option("--agents <n>", "on-queue agents at peak", numberFlag("--agents"))
    .option(
      "--capacity-per-agent <n>",
      "message conversations per agent at once",
      numberFlag("--capacity-per-agent"),
    )
    .option("--spares <n>", "spare shards", numberFlag("--spares"))
    .option("--headroom <fraction>", "fraction of each per-shard ceiling to use", numberFlag("--headroom"))
    .addOption(
      new Option(
        "--max-shards <n|limit>",
        "shard ceiling: a number, webDeploymentsPerOrg or queuesPerOrg",
      ).argParser((raw: string) =>
        raw === "webDeploymentsPerOrg" || raw === "queuesPerOrg" ? raw : numberFlag("--max-shards")(raw),
      ),
    )
    .option("--json", "print the report as JSON", false);
}

async function main(): Promise<void> {
  const program = buildProgram();
  program.exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : EXIT.badInput));
  program.parse();
  const flags = program.opts<Flags>();
  let planInput: PlanInput;
  try {
    planInput = planInputFromFlags(flags);
  } catch (error) {
    console.error(`preflight: ${(error as Error).message}`);
    process.exit(EXIT.badInput);
  }
  const io: PreflightIo = { out: (text) => console.log(text), err: (text) => console.error(text) };
  process.exitCode = await preflightFromEnv(planInput, process.env, io, {
    json: flags.json,
    fieldName: flagName,
  });
}

if (require.main === module) {
  main().catch((error: Error) => {
    // A programming error: one line, no stack trace, and a distinct exit code.
    console.error(`preflight: unexpected error: ${error.message}`);
    process.exit(1);
  });
}

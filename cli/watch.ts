/**
 * `genesys-cdktf watch` (`npm run watch`): live capacity during a load test. Per shard, the live message conversations in its queue (Genesys's
 * queue observations) next to the per-shard ceiling and headroom the environment's plan used; the org-wide total
 * and the Limits API's counts for web.messaging where the org answers them.
 *
 *   npm run --silent watch -- prod                     # a table, redrawn every 5 s; Ctrl-C stops it
 *   npm run --silent watch -- prod --once --json       # one snapshot for a script
 *
 * The shard → queue mapping comes from the deployed stack's shard map: `--shard-map <file.json>` (what
 * `npm run shard-map -- <env> --format json` wrote), else the state as `npm run shard-map` finds it (`--state`).
 * Credentials as for the preflight: GENESYSCLOUD_OAUTHCLIENT_ID / _SECRET or GENESYSCLOUD_ACCESS_TOKEN, and
 * GENESYSCLOUD_REGION or GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL.
 *
 * Exit codes (WATCH_EXITS): every shard at or below ceiling × headroom (or Ctrl-C); a shard (or the org total, when a
 * tenant-wide ceiling is known) above it; bad input or rejected credentials (one line); the API unreachable.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Command, InvalidArgumentError } from "commander";
import { planEnvironment } from "../config/plan";
import {
  GenesysApiError,
  RejectedError,
  openSession,
  settingsFromEnv,
  type ApiSession,
  type RetryPolicy,
} from "../preflight/api-client";
import { environmentShardMap, loadShardMapFile } from "../shard-map";
import {
  WatchInputError,
  budgetFromPlan,
  isAboveHeadroom,
  renderSnapshotJson,
  renderSnapshotText,
  takeSnapshot,
  watchedShards,
  type CapacityBudget,
  type ShardMapLike,
  type WatchSnapshot,
  type WatchedShard,
} from "../watch";
import {
  UsageError,
  inputProblems,
  parseDecimal,
  parseQuietly,
  reportBadInput,
  type CliEnv,
  type CliIO,
} from "./command";
import { loadCommandEnvironment } from "./environment";
import { STATE_OPTION_HELP, stateFiles } from "./shard-map";
import { EXIT as CODE, exitCodesHelp, type ExitMeanings } from "./exit-codes";

/** The exit codes of `watch`, by what they mean for it. */
export const EXIT = {
  /** Every shard at or below its ceiling × headroom; or a live view stopped with Ctrl-C. */
  ok: CODE.ok,
  /** Bad usage or input, rejected credentials; one line on stderr. */
  badInput: CODE.badInput,
  /** A shard, or the org total against a known tenant-wide ceiling, is above ceiling × headroom. */
  aboveHeadroom: CODE.no,
  /** The API could not be reached (network, 5xx, persistent 429). */
  unavailable: CODE.unreachable,
} as const;

/** What each exit code of `watch` means. */
export const WATCH_EXITS: ExitMeanings = {
  ok: "at or below ceiling × headroom (or Ctrl-C)",
  badInput: "bad input or credentials",
  no: "a shard above it",
  unreachable: "the API unreachable",
  interrupted: "a second Ctrl-C while stopping",
};

const DEFAULT_INTERVAL_SECONDS = 5;
const MAX_INTERVAL_SECONDS = 3600;
/** Home the cursor and clear the screen: the live view redraws in place. */
const CLEAR_SCREEN = "\x1b[H\x1b[2J";

export interface WatchRunOptions {
  /** Stops the live view (Ctrl-C); watch then returns 0. @default - runs until the process ends */
  readonly signal?: AbortSignal;
  /** How 429s are retried. @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
}

interface WatchFlags {
  interval: number;
  once: boolean;
  json: boolean;
  shardMap?: string;
  state?: string[];
}

/**
 * Runs `watch` with `argv` (the words after `watch`) and returns the exit code. `env` supplies the
 * GENESYSCLOUD_* settings and GENESYS_ENVIRONMENTS_DIR. On a terminal (`io.stdout.isTTY`) the live view redraws
 * in place.
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv = process.env,
  options: WatchRunOptions = {},
): Promise<number> {
  const fail = (message: string, code: number) => {
    io.stderr.write(`watch: ${message}\n`);
    return code;
  };

  let prepared: { environment: string; shards: WatchedShard[]; budget: CapacityBudget; flags: WatchFlags };
  try {
    const parsed = parseArgs(argv, io);
    if (parsed === "help") return EXIT.ok;
    prepared = { ...prepare(parsed.environment, parsed.flags, env), flags: parsed.flags };
  } catch (error) {
    const lines = error instanceof WatchInputError ? [error.message] : inputProblems(error);
    if (lines === undefined) throw error;
    return reportBadInput(io, "watch", lines);
  }

  const { flags } = prepared;
  let session: ApiSession;
  try {
    session = await openSession({ ...settingsFromEnv(env), retry: options.retry });
  } catch (error) {
    return fail(apiMessage(error), apiExitCode(error));
  }
  const snapshot = () =>
    takeSnapshot(session, {
      environment: prepared.environment,
      shards: prepared.shards,
      budget: prepared.budget,
    });

  if (flags.once) {
    let taken: WatchSnapshot;
    try {
      taken = await snapshot();
    } catch (error) {
      return fail(apiMessage(error), apiExitCode(error));
    }
    io.stdout.write(
      flags.json ? `${renderSnapshotJson(taken, 2)}\n` : `${renderSnapshotText(taken).join("\n")}\n`,
    );
    return isAboveHeadroom(taken) ? EXIT.aboveHeadroom : EXIT.ok;
  }
  return live(snapshot, flags, io, options.signal);
}

/**
 * The live view: a snapshot every `flags.interval` seconds until `signal` aborts (exit 0). The first snapshot
 * must succeed (else the exit code says why); later failures are shown and retried at the next refresh, except
 * rejected credentials, which stop it (exit 2).
 */
async function live(
  snapshot: () => Promise<WatchSnapshot>,
  flags: WatchFlags,
  io: CliIO,
  signal: AbortSignal | undefined,
): Promise<number> {
  const aborted = new Promise<"aborted">((resolve) => {
    if (signal?.aborted) resolve("aborted");
    signal?.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
  const footer = `refreshing every ${flags.interval} s; Ctrl-C to stop`;
  let last: WatchSnapshot | undefined;
  for (;;) {
    let failure: string | undefined;
    try {
      const pending = snapshot();
      pending.catch(() => undefined); // stopped while it runs: its failure no longer matters
      const taken = await Promise.race([pending, aborted]);
      if (taken === "aborted") break;
      last = taken;
    } catch (error) {
      if (last === undefined || apiExitCode(error) === EXIT.badInput) {
        io.stderr.write(`watch: ${apiMessage(error)}\n`);
        return apiExitCode(error);
      }
      failure = `refresh failed at ${new Date().toISOString()}: ${apiMessage(error)}; showing the last snapshot`;
    }
    if (flags.json) {
      if (failure) io.stderr.write(`watch: ${failure}\n`);
      else io.stdout.write(`${renderSnapshotJson(last)}\n`);
    } else {
      const frame = [...renderSnapshotText(last), ...(failure ? [failure] : []), "", footer];
      io.stdout.write(`${io.stdout.isTTY ? CLEAR_SCREEN : "\n"}${frame.join("\n")}\n`);
    }
    try {
      await sleep(flags.interval * 1000, undefined, { signal });
    } catch {
      break; // aborted while waiting
    }
  }
  return EXIT.ok;
}

function parseArgs(argv: readonly string[], io: CliIO): { environment: string; flags: WatchFlags } | "help" {
  const program = new Command("watch")
    .description(
      "Watch live capacity during a load test: per shard the live message conversations in its queue (Genesys " +
        "queue observations) against the ceiling × headroom the environment's plan used, the org-wide total and " +
        "the Limits API's web.messaging counts.",
    )
    .argument("[env]", "environment name (environments/<env>.yaml) or a path to an environment file")
    .usage("<env> [--once] [--json] [--interval <seconds>] [--shard-map <file> | --state <files>]")
    .option(
      "--interval <seconds>",
      "seconds between refreshes of the live view",
      interval,
      DEFAULT_INTERVAL_SECONDS,
    )
    .option(
      "--once",
      `take one snapshot, print it and exit (${EXIT.ok} below headroom, ${EXIT.aboveHeadroom} above)`,
      false,
    )
    .option("--json", "print snapshots as JSON (with --once: one object; live: one line per refresh)", false)
    .option(
      "--shard-map <file>",
      "the deployed stack's shard map (JSON from npm run shard-map -- <env> --format json)",
    )
    .option("--state <files>", STATE_OPTION_HELP, stateFiles)
    .addHelpText(
      "after",
      "\nCredentials: GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET (or GENESYSCLOUD_ACCESS_TOKEN), " +
        "and GENESYSCLOUD_REGION (or GENESYSCLOUD_GATEWAY_HOST/_PORT/_PROTOCOL for the local emulator)." +
        `\n${exitCodesHelp(WATCH_EXITS)}`,
    );
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return "help";
  if (failure !== undefined) throw new UsageError(failure.message);
  const flags = program.opts<WatchFlags>();
  if (program.args.length !== 1) {
    throw new UsageError(
      program.args.length === 0
        ? "an environment is required (usage: watch <env> [--once] [--json] [--interval <s>])"
        : `one environment at a time, got ${program.args.length}: ${program.args.join(", ")}`,
    );
  }
  if (flags.shardMap !== undefined && flags.state !== undefined) {
    throw new UsageError("give --shard-map or --state, not both");
  }
  return { environment: program.args[0], flags };
}

function interval(raw: string): number {
  const allowed = `a number of seconds from 1 to ${MAX_INTERVAL_SECONDS}`;
  const value = parseDecimal("--interval", raw, allowed);
  if (!(value >= 1 && value <= MAX_INTERVAL_SECONDS)) {
    throw new InvalidArgumentError(`--interval must be ${allowed}, got "${raw}"`);
  }
  return value;
}

/** The environment, its plan's budget and the shards to observe. */
function prepare(
  envArg: string,
  flags: WatchFlags,
  env: CliEnv,
): { environment: string; shards: WatchedShard[]; budget: CapacityBudget } {
  const { environment, label } = loadCommandEnvironment(envArg, env);
  const budget = budgetFromPlan(planEnvironment(environment, label));
  let map: ShardMapLike;
  let where: string;
  if (flags.shardMap !== undefined) {
    map = loadShardMapFile(flags.shardMap);
    where = flags.shardMap;
  } else {
    // As npm run shard-map finds it; before a deploy that is the plan's map, which watchedShards refuses.
    map = environmentShardMap({ environment, environmentLabel: label, stateFiles: flags.state }).map;
    where =
      flags.state?.join(",") ?? `the deployed state of ${environment.name} (as npm run shard-map finds it)`;
  }
  return { environment: environment.name, shards: watchedShards(map, environment.name, where), budget };
}

function apiExitCode(error: unknown): number {
  if (error instanceof GenesysApiError)
    return error.kind === "unavailable" ? EXIT.unavailable : EXIT.badInput;
  if (error instanceof RejectedError) return EXIT.badInput;
  throw error;
}

function apiMessage(error: unknown): string {
  if (error instanceof RejectedError && error.status === 403) {
    return `${error.message}: the OAuth client needs the permission analytics:queueObservation:view`;
  }
  if (error instanceof GenesysApiError || error instanceof RejectedError) return error.message;
  throw error;
}

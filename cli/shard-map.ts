/**
 * `genesys-cdktf shard-map` (`npm run shard-map`): writes an environment's shard map for a load test — per shard its index, messaging deployment id,
 * queue id, flow id, share of sessions and arrivals, and the rate it ramps at — as CSV (a JMeter CSV Data Set, a
 * k6 script) or JSON (what `rehearse` reads).
 *
 *   npm run --silent shard-map -- dev                          # CSV from the deployed state, or the plan's shares
 *   npm run --silent shard-map -- prod --format json --state prod.tfstate
 *   npm run --silent shard-map -- big --state big.tfstate,big-shards-0.tfstate,big-shards-1.tfstate
 *
 * The ids come from the stack's `shard_map` output in its Terraform state: `--state <files>` (e.g. from
 * `terraform state pull`), else a local backend's state file, else `terraform state pull` of an initialized
 * remote backend. An environment split into shard groups is read from its base's and every group's state (found
 * the same way, or all listed in `--state`) and written as one map. A state of another environment is refused. Before a deploy only the plan's shares are known:
 * the ids are empty and a note on stderr says so. `--window-minutes` warns on stderr when the ramp outlasts it.
 * Exit codes (SHARD_MAP_EXITS): written, bad input (one line on stderr).
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { checkRamp } from "../capacity";
import { environmentLabel } from "../config/environment";
import { environmentShardMap, shardMapCsv, shardMapJson, type ShardMap } from "../shard-map";
import { UsageError, inputProblems, parseQuietly, reportBadInput, type CliEnv, type CliIO } from "./command";
import { loadCommandEnvironment } from "./environment";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";

/** What each exit code of `shard-map` means. */
export const SHARD_MAP_EXITS: ExitMeanings = { ok: "written", badInput: "bad input" };

/**
 * The value of `--state`: one state file, or a comma-separated list of a split environment's, one per stack (the
 * base `gc-<env>` and every `gc-<env>-shards-<k>`, in any order). A list rather than a repeated flag: a repeated
 * single-value flag is refused everywhere (cli/command.ts).
 */
export function stateFiles(raw: string): string[] {
  const files = raw.split(",").map((file) => file.trim());
  if (files.some((file) => file === ""))
    throw new InvalidArgumentError(`--state takes files separated by commas, got "${raw}"`);
  return files;
}

/** The help text of `--state`, shared with `watch`. */
export const STATE_OPTION_HELP =
  "the Terraform state file of the deployed stack, or a comma-separated list of a split environment's (the base " +
  "and every shard group's) (default: as found from the environment's backend)";

function minutes(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !(value > 0) || !Number.isFinite(value))
    throw new InvalidArgumentError(`--window-minutes must be a number > 0, got "${raw}"`);
  return value;
}

/**
 * Runs `shard-map` with `argv` (the words after `shard-map`) and returns the exit code. `env` supplies
 * GENESYS_ENVIRONMENTS_DIR; `now` is the map's readAt.
 */
export function main(argv: readonly string[], io: CliIO, env: CliEnv = process.env, now?: Date): number {
  const program = new Command("shard-map")
    .description("Write an environment's shard map (deployment, queue and flow ids, shares) for a load test.")
    .argument("<env>", "environment name (environments/<env>.yaml) or a path to an environment file")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "json"]).default("csv"))
    .option("--state <files>", STATE_OPTION_HELP, stateFiles)
    .option(
      "--window-minutes <minutes>",
      "the booked load-test window; warns on stderr when the ramp to the target takes longer",
      minutes,
    )
    .addHelpText("after", `\n${exitCodesHelp(SHARD_MAP_EXITS)}`);
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return EXIT.ok;
  if (failure !== undefined) return reportBadInput(io, "shard-map", [failure.message]);
  const options = program.opts<{ format: "csv" | "json"; state?: string[]; windowMinutes?: number }>();
  try {
    const map = loadShardMap(program.args[0], options.state, io, env, now);
    if (options.windowMinutes !== undefined) {
      if (map.ramp === null) {
        throw new UsageError(
          `--window-minutes needs the map's arrival shares, and ${map.stack}'s plan has no arrival rate ` +
            "(capacity.peakArrivalsPerMinute)",
        );
      }
      for (const warning of checkRamp(map.ramp, { windowMinutes: options.windowMinutes }))
        io.stderr.write(`shard-map: warning: ${warning.code}: ${warning.message}\n`);
    }
    io.stdout.write(options.format === "csv" ? shardMapCsv(map) : shardMapJson(map));
    return EXIT.ok;
  } catch (error) {
    const lines = inputProblems(error);
    if (lines === undefined) throw error;
    return reportBadInput(io, "shard-map", lines);
  }
}

/**
 * The shard map of the environment `envArg` names, as `shard-map` finds it (shard-map/ `environmentShardMap`):
 * `stateFiles`, else the deployed state (every shard group's too), else the plan's shares with a note on `io.stderr`.
 * @throws EnvironmentError or ShardMapError, one line each.
 */
export function loadShardMap(
  envArg: string,
  stateFiles: readonly string[] | undefined,
  io: CliIO,
  env: CliEnv,
  now?: Date,
): ShardMap {
  const { environment, label } = loadCommandEnvironment(envArg, env);
  const found = environmentShardMap({
    environment,
    environmentLabel: label,
    stateFiles,
    label: environmentLabel,
    now,
  });
  if (found.note !== undefined) io.stderr.write(`shard-map: ${found.note}\n`);
  return found.map;
}

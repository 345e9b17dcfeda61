/**
 * `shard-map`: writes an environment's shard map for a load test — per shard its index, messaging deployment id,
 * queue id, flow id and share of sessions and arrivals — as CSV (a JMeter CSV Data Set, a k6 script) or JSON.
 *
 *   npm run --silent shard-map -- dev                          # CSV from the deployed state, or the plan's shares
 *   npm run --silent shard-map -- prod --format json --state prod.tfstate
 *
 * The ids come from the stack's `shard_map` output in its Terraform state: `--state <file>` (e.g. from
 * `terraform state pull`), else a local backend's state file. Before a deploy only the plan's shares are known:
 * the ids are empty and a note on stderr says so.
 * Exit codes: 0 written, 2 bad input (one line on stderr).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, Option } from "commander";
import { EnvironmentError, environmentFile, environmentLabel, loadEnvironment } from "../config/environment";
import { planEnvironment } from "../config/plan";
import {
  SHARD_MAP_OUTPUT,
  ShardMapError,
  shardMapCsv,
  shardMapFromOutput,
  shardMapFromPlan,
  shardMapFromState,
  shardMapJson,
  type ShardMap,
} from "../shard-map";
import { stackName } from "../stacks/names";
import { parseQuietly, type CliIO } from "./command";

const ROOT = resolve(__dirname, "..");

/** Runs `shard-map` with `argv` (without node and the script) and returns the exit code. */
export function main(argv: readonly string[], io: CliIO, environmentsDir?: string): number {
  const program = new Command("shard-map")
    .description("Write an environment's shard map (deployment, queue and flow ids, shares) for a load test.")
    .argument("<env>", "environment name (environments/<env>.yaml) or a path to an environment file")
    .addOption(new Option("--format <format>", "output format").choices(["csv", "json"]).default("csv"))
    .option(
      "--state <file>",
      "a Terraform state file of the deployed stack (default: a local backend's state)",
    );
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return 0;
  if (failure !== undefined) {
    io.stderr.write(`shard-map: ${failure.message}\n`);
    return 2;
  }
  const options = program.opts<{ format: "csv" | "json"; state?: string }>();
  try {
    const map = loadShardMap(program.args[0], options.state, io, environmentsDir);
    io.stdout.write(options.format === "csv" ? shardMapCsv(map) : shardMapJson(map));
    return 0;
  } catch (error) {
    if (error instanceof EnvironmentError) {
      io.stderr.write(`shard-map: ${error.problems.join("\nshard-map: ")}\n`);
      return 2;
    }
    if (error instanceof ShardMapError) {
      io.stderr.write(`shard-map: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

/**
 * The shard map of an environment: from `stateFile` when given, else from a local backend's state file or an
 * initialized remote backend (`terraform output`), else the plan's shares with a note on stderr.
 */
export function loadShardMap(
  envArg: string,
  stateFile: string | undefined,
  io: CliIO,
  environmentsDir?: string,
): ShardMap {
  const environment = loadEnvironment(envArg, environmentsDir);
  const stack = stackName(environment.name);
  if (stateFile !== undefined) {
    if (!existsSync(stateFile)) throw new ShardMapError(`--state ${stateFile}: no such file`);
    return shardMapFromState(environment.name, readFileSync(stateFile, "utf8"), stateFile);
  }
  const stackDir = join(ROOT, "cdktf.out", "stacks", stack);
  if (environment.backend.type === "local") {
    // A local backend's path is relative to where Terraform runs: cdktf.out/stacks/<stack>.
    const path = resolve(stackDir, environment.backend.path ?? `../../../terraform.${stack}.tfstate`);
    if (existsSync(path))
      return shardMapFromState(environment.name, readFileSync(path, "utf8"), environmentLabel(path));
  } else if (existsSync(join(stackDir, ".terraform"))) {
    const output = spawnSync("terraform", ["output", "-json", SHARD_MAP_OUTPUT], {
      cwd: stackDir,
      encoding: "utf8",
    });
    if (output.status === 0)
      return shardMapFromOutput(environment.name, JSON.parse(output.stdout), `${stack} (terraform output)`);
  }
  const label = environmentLabel(environmentFile(environment.name, environmentsDir));
  io.stderr.write(
    `shard-map: ${stack} is not deployed here (no state found): the plan's shares from ${label}, ids empty; pass --state <file> for a deployed stack\n`,
  );
  return shardMapFromPlan(environment.name, planEnvironment(environment, label));
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2), process, process.env.GENESYS_ENVIRONMENTS_DIR);
}

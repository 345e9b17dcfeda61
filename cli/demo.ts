/**
 * `demo`: the "try it without a Genesys org" path. Starts the Platform API emulator, deploys an environment's stack
 * into it with the real Terraform CLI and genesyscloud provider, and prints the shard map.
 *
 *   npm run demo                       # dev, then stops the emulator
 *   npm run demo -- --keep --time-scale 60   # keeps the emulator running (Ctrl-C stops it), for a rehearsal
 *   npm run demo -- --env test --port 8089 --dir .demo
 *
 * Writes `<dir>/shard-map.json` and `<dir>/shard-map.csv` (the state and cdktf.out live there too). `<dir>` must be
 * new, empty or made by an earlier demo (it holds a `.genesys-demo` marker); any other folder is refused before
 * anything starts, and the demo deletes nothing in it. Reads the environment from GENESYS_ENVIRONMENTS_DIR when set.
 * Exit codes: 0 deployed, 1 the deploy failed (one line; Terraform's output in `<dir>/deploy.log`), 2 bad input.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { formatTable } from "../capacity/format";
import {
  ENVIRONMENTS_DIR_VARIABLE,
  EnvironmentError,
  environmentsDirFrom,
  loadEnvironment,
  requireEnvironments,
  type EnvironmentConfig,
} from "../config/environment";
import { LocalDeployError, WORK_FOLDER_ENTRIES, WorkFolderError, deployToEmulator } from "../local-deploy";
import { shardMapCsv, shardMapJson, type ShardMap } from "../shard-map";
import { parseQuietly } from "./command";

function port(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535)
    throw new InvalidArgumentError(`--port must be 0 to 65535, got "${raw}"`);
  return value;
}

function timeScale(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === "" || !(value >= 0.001 && value <= 10_000))
    throw new InvalidArgumentError(`--time-scale must be a number from 0.001 to 10000, got "${raw}"`);
  return value;
}

/**
 * The environment to deploy: a name in GENESYS_ENVIRONMENTS_DIR (when set) or environments/, or a path to a file.
 * @throws EnvironmentError (one line) when the file, or the folder the variable names, is missing or invalid.
 */
function environmentFor(nameOrPath: string): EnvironmentConfig {
  const folder = environmentsDirFrom(process.env);
  const isPath = /\.ya?ml$/.test(nameOrPath);
  if (!isPath && process.env[ENVIRONMENTS_DIR_VARIABLE]?.trim()) requireEnvironments(folder);
  return loadEnvironment(nameOrPath, folder.dir);
}

/** The shard map as an aligned table. */
export function shardMapTable(map: ShardMap): string {
  const rows = [
    ["shard", "deployment id", "queue id", "flow id", "sessions", "arrivals/min"],
    ...map.shards.map((s) => [
      String(s.index).padStart(3, "0"),
      s.deploymentId ?? "-",
      s.queueId ?? "-",
      s.flowId ?? "-",
      String(s.sessions),
      s.arrivalsPerMinute === null ? "-" : String(s.arrivalsPerMinute),
    ]),
  ];
  return formatTable(rows, ["right", "left", "left", "left", "right", "right"]).join("\n");
}

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("demo")
    .description("Deploy an environment into a local Genesys Cloud API emulator and print its shard map.")
    .option("--env <name>", "environment to deploy", "dev")
    .option("--port <port>", "emulator port (0: a free one)", port, 8089)
    .option(
      "--dir <folder>",
      "working folder: new, empty, or made by an earlier demo (which clears only what a demo wrote there)",
      ".demo",
    )
    .option("--keep", "keep the emulator running after the deploy (Ctrl-C stops it)", false)
    .option(
      "--time-scale <k>",
      "the emulator's guest ceilings per minute count over 60/k seconds (match rehearse --time-scale)",
      timeScale,
    );
  const failure = parseQuietly(program, argv, process);
  if (failure === "help") return 0;
  if (failure !== undefined) {
    console.error(`demo: ${failure.message}`);
    return 2;
  }
  const options = program.opts<{
    env: string;
    port: number;
    dir: string;
    keep: boolean;
    timeScale?: number;
  }>();
  const workdir = resolve(options.dir);
  const out = (entry: string) => join(options.dir, entry);
  const started = Date.now();
  let deployment;
  try {
    deployment = await deployToEmulator({
      environment: environmentFor(options.env),
      workdir,
      port: options.port,
      timeScale: options.timeScale,
      progress: (line) => console.error(`demo: ${line}`),
    });
  } catch (error) {
    if (error instanceof EnvironmentError) {
      console.error(`demo: ${error.problems.join("\ndemo: ")}`);
      return 2;
    }
    if (error instanceof WorkFolderError) {
      console.error(`demo: --dir ${options.dir}: ${error.message}`);
      return 2;
    }
    if (error instanceof LocalDeployError) {
      writeFileSync(join(workdir, WORK_FOLDER_ENTRIES.deployLog), error.detail);
      console.error(`demo: ${error.message}; see ${out(WORK_FOLDER_ENTRIES.deployLog)}`);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(`demo: port ${options.port} is in use; pass --port <another> or --port 0`);
      return 2;
    }
    throw error;
  }
  writeFileSync(join(workdir, WORK_FOLDER_ENTRIES.shardMapJson), shardMapJson(deployment.shardMap));
  writeFileSync(join(workdir, WORK_FOLDER_ENTRIES.shardMapCsv), shardMapCsv(deployment.shardMap));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `\n${deployment.shardMap.shards.length} shards of gc-${deployment.shardMap.environment} deployed into ${deployment.emulator.url} in ${seconds} s:\n`,
  );
  console.log(shardMapTable(deployment.shardMap));
  console.log(
    `\nShard map: ${out(WORK_FOLDER_ENTRIES.shardMapCsv)} and ${out(WORK_FOLDER_ENTRIES.shardMapJson)}`,
  );
  if (!options.keep) {
    await deployment.emulator.close();
    console.log("Emulator stopped (run with --keep to leave it running for a rehearsal).");
    return 0;
  }
  console.log("\nThe emulator keeps running. In another shell:\n");
  for (const [name, value] of Object.entries(deployment.env)) console.log(`  export ${name}=${value}`);
  const scale = options.timeScale === undefined ? "" : ` --time-scale ${options.timeScale}`;
  console.log(
    `  npm run --silent rehearse -- ${deployment.shardMap.environment} --shard-map ${out(WORK_FOLDER_ENTRIES.shardMapJson)}${scale}`,
  );
  console.log("\nCtrl-C stops it.");
  await new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
  await deployment.emulator.close();
  return 0;
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

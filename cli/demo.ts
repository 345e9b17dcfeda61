/**
 * `genesys-cdktf demo` (`npm run demo`): the "try it without a Genesys org" path. Starts the Platform API emulator, deploys an environment's stack
 * into it with the real Terraform CLI and genesyscloud provider, and prints the shard map.
 *
 *   npm run demo                       # dev, then stops the emulator
 *   npm run demo -- --keep --time-scale 60   # keeps the emulator running (Ctrl-C stops it), for a rehearsal
 *   npm run demo -- --env test --port 8089 --dir .demo
 *
 * Writes `<dir>/shard-map.json` and `<dir>/shard-map.csv` (the state and cdktf.out live there too). `<dir>` must be
 * new, empty or made by an earlier demo (it holds a `.genesys-demo` marker); any other folder is refused before
 * anything starts, and the demo deletes nothing in it. Reads the environment from GENESYS_ENVIRONMENTS_DIR when set.
 * Exit codes (DEMO_EXITS): deployed; the deploy failed (one line; Terraform's output in `<dir>/deploy.log`); bad input.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { formatTable } from "../capacity/format";
import { LocalDeployError, WORK_FOLDER_ENTRIES, WorkFolderError, deployToEmulator } from "../local-deploy";
import { shardMapCsv, shardMapJson, type ShardMap } from "../shard-map";
import { inputProblems, parseQuietly, reportBadInput, type CliEnv, type CliIO } from "./command";
import { loadCommandEnvironment } from "./environment";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";

/** What each exit code of `demo` means. */
export const DEMO_EXITS: ExitMeanings = {
  ok: "deployed",
  failed: "the deploy failed (Terraform's output in <dir>/deploy.log)",
  badInput: "bad input",
};

export interface DemoOptions {
  /**
   * Resolves when a demo run with `--keep` should stop its emulator.
   * @default - the process's first SIGINT (Ctrl-C) or SIGTERM
   */
  readonly untilStopped?: () => Promise<void>;
}

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

/** The process's first SIGINT (Ctrl-C) or SIGTERM. */
function processStopped(): Promise<void> {
  return new Promise<void>((done) => {
    process.once("SIGINT", done);
    process.once("SIGTERM", done);
  });
}

/**
 * Runs `demo` with `argv` (the words after `demo`) and returns the exit code. `env` supplies
 * GENESYS_ENVIRONMENTS_DIR.
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv = process.env,
  { untilStopped = processStopped }: DemoOptions = {},
): Promise<number> {
  const say = (text = "") => io.stdout.write(`${text}\n`);
  const fail = (line: string, code: number) => {
    io.stderr.write(`demo: ${line}\n`);
    return code;
  };
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
    )
    .addHelpText("after", `\n${exitCodesHelp(DEMO_EXITS)}`);
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return EXIT.ok;
  if (failure !== undefined) return reportBadInput(io, "demo", [failure.message]);
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
      environment: loadCommandEnvironment(options.env, env).environment,
      workdir,
      port: options.port,
      timeScale: options.timeScale,
      progress: (line) => io.stderr.write(`demo: ${line}\n`),
    });
  } catch (error) {
    const problems = inputProblems(error);
    if (problems !== undefined) return reportBadInput(io, "demo", problems);
    if (error instanceof WorkFolderError)
      return fail(`--dir ${options.dir}: ${error.message}`, EXIT.badInput);
    if (error instanceof LocalDeployError) {
      writeFileSync(join(workdir, WORK_FOLDER_ENTRIES.deployLog), error.detail);
      return fail(`${error.message}; see ${out(WORK_FOLDER_ENTRIES.deployLog)}`, EXIT.failed);
    }
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE")
      return fail(`port ${options.port} is in use; pass --port <another> or --port 0`, EXIT.badInput);
    throw error;
  }
  writeFileSync(join(workdir, WORK_FOLDER_ENTRIES.shardMapJson), shardMapJson(deployment.shardMap));
  writeFileSync(join(workdir, WORK_FOLDER_ENTRIES.shardMapCsv), shardMapCsv(deployment.shardMap));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  say(
    `\n${deployment.shardMap.shards.length} shards of gc-${deployment.shardMap.environment} deployed into ${deployment.emulator.url} in ${seconds} s:\n`,
  );
  say(shardMapTable(deployment.shardMap));
  say(`\nShard map: ${out(WORK_FOLDER_ENTRIES.shardMapCsv)} and ${out(WORK_FOLDER_ENTRIES.shardMapJson)}`);
  if (!options.keep) {
    await deployment.emulator.close();
    say("Emulator stopped (run with --keep to leave it running for a rehearsal).");
    return EXIT.ok;
  }
  say("\nThe emulator keeps running. In another shell:\n");
  for (const [name, value] of Object.entries(deployment.env)) say(`  export ${name}=${value}`);
  const scale = options.timeScale === undefined ? "" : ` --time-scale ${options.timeScale}`;
  say(
    `  npm run --silent rehearse -- ${deployment.shardMap.environment} --shard-map ${out(WORK_FOLDER_ENTRIES.shardMapJson)}${scale}`,
  );
  say("\nCtrl-C stops it.");
  await untilStopped();
  await deployment.emulator.close();
  return EXIT.ok;
}

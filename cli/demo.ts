/**
 * `demo`: the "try it without a Genesys org" path. Starts the Platform API emulator, deploys an environment's stack
 * into it with the real Terraform CLI and genesyscloud provider, and prints the shard map.
 *
 *   npm run demo                       # dev, then stops the emulator
 *   npm run demo -- --keep             # keeps the emulator running (Ctrl-C stops it), for a rehearsal
 *   npm run demo -- --env test --port 8089 --dir .demo
 *
 * Writes `<dir>/shard-map.json` and `<dir>/shard-map.csv` (the state and cdktf.out live there too).
 * Exit codes: 0 deployed, 1 the deploy failed (one line; Terraform's output in `<dir>/deploy.log`), 2 bad input.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { formatTable } from "../capacity/format";
import { EnvironmentError } from "../config/environment";
import { LocalDeployError, deployToEmulator } from "../local-deploy";
import { shardMapCsv, shardMapJson, type ShardMap } from "../shard-map";
import { parseQuietly } from "./command";

function port(raw: string): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value > 65535)
    throw new InvalidArgumentError(`--port must be 0 to 65535, got "${raw}"`);
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

async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("demo")
    .description("Deploy an environment into a local Genesys Cloud API emulator and print its shard map.")
    .option("--env <name>", "environment to deploy", "dev")
    .option("--port <port>", "emulator port (0: a free one)", port, 8089)
    .option("--dir <folder>", "working folder (emptied first)", ".demo")
    .option("--keep", "keep the emulator running after the deploy (Ctrl-C stops it)", false);
  const failure = parseQuietly(program, argv, process);
  if (failure === "help") return 0;
  if (failure !== undefined) {
    console.error(`demo: ${failure.message}`);
    return 2;
  }
  const options = program.opts<{ env: string; port: number; dir: string; keep: boolean }>();
  const workdir = resolve(options.dir);
  const started = Date.now();
  let deployment;
  try {
    deployment = await deployToEmulator({
      environment: options.env,
      workdir,
      port: options.port,
      progress: (line) => console.error(`demo: ${line}`),
    });
  } catch (error) {
    if (error instanceof EnvironmentError) {
      console.error(`demo: ${error.problems.join("\ndemo: ")}`);
      return 2;
    }
    if (error instanceof LocalDeployError) {
      writeFileSync(join(workdir, "deploy.log"), error.detail);
      console.error(`demo: ${error.message}; see ${join(options.dir, "deploy.log")}`);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(`demo: port ${options.port} is in use; pass --port <another> or --port 0`);
      return 2;
    }
    throw error;
  }
  writeFileSync(join(workdir, "shard-map.json"), shardMapJson(deployment.shardMap));
  writeFileSync(join(workdir, "shard-map.csv"), shardMapCsv(deployment.shardMap));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `\n${deployment.shardMap.shards.length} shards of gc-${deployment.shardMap.environment} deployed into ${deployment.emulator.url} in ${seconds} s:\n`,
  );
  console.log(shardMapTable(deployment.shardMap));
  console.log(
    `\nShard map: ${join(options.dir, "shard-map.csv")} and ${join(options.dir, "shard-map.json")}`,
  );
  if (!options.keep) {
    await deployment.emulator.close();
    console.log("Emulator stopped (run with --keep to leave it running for a rehearsal).");
    return 0;
  }
  console.log("\nThe emulator keeps running. In another shell:\n");
  for (const [name, value] of Object.entries(deployment.env)) console.log(`  export ${name}=${value}`);
  console.log(
    `  npm run --silent rehearse -- ${deployment.shardMap.environment} --shard-map ${join(options.dir, "shard-map.json")}`,
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

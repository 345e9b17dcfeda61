/**
 * `genesys-cdktf preflight <env> [--json]` (`npm run --silent preflight -- <env>`): checks an environment's shard
 * plan against the Genesys Cloud org's live limits before a load test. The same as `shards --env <env> --from-org`.
 *
 * Reads GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (e.g. us-east-1),
 * or GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL to use a gateway such as the local emulator, and
 * GENESYS_ENVIRONMENTS_DIR for another folder of environment files.
 *
 * Exit codes (PREFLIGHT_EXITS): the plan fits; it does not fit the org's limits; bad usage, bad input, missing or
 * rejected credentials; the org's limits could not be read (network, server errors, persistent 429).
 */
import { Command } from "commander";
import { UsageError, parseQuietly, reportBadInput, type CliEnv, type CliIO } from "./command";
import { knownEnvironments } from "./environment";
import { EXIT, exitCodesHelp } from "./exit-codes";
import { PREFLIGHT_EXITS } from "./preflight-run";
import { main as shards } from "./shards";

const USAGE = "usage: preflight <environment> [--json]";

/**
 * Runs `preflight` with `argv` (the words after `preflight`) and returns the exit code. `env` supplies the
 * GENESYSCLOUD_* settings and GENESYS_ENVIRONMENTS_DIR.
 */
export async function main(argv: readonly string[], io: CliIO, env: CliEnv = process.env): Promise<number> {
  let parsed: { environment: string; json: boolean } | "help";
  try {
    parsed = parseArgs(argv, io, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return reportBadInput(io, "preflight", [error.message]);
  }
  if (parsed === "help") return EXIT.ok;
  const flags = ["--env", parsed.environment, "--from-org", ...(parsed.json ? ["--json"] : [])];
  return shards(flags, io, env, "preflight");
}

function parseArgs(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv,
): { environment: string; json: boolean } | "help" {
  const program = new Command("preflight")
    .description(
      "Check an environment's shard plan against the Genesys Cloud org's live limits (its Limits API) before " +
        "a load test. The same as: shards --env <environment> --from-org",
    )
    .argument("[environment]", "the environment's name (environments/<name>.yaml) or a path to its YAML file")
    .usage("<environment> [--json]")
    .allowExcessArguments()
    .option("--json", "print the report as one JSON object")
    .addHelpText(
      "after",
      "\nCredentials: GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET, and GENESYSCLOUD_REGION " +
        "(or GENESYSCLOUD_GATEWAY_HOST/_PORT/_PROTOCOL for a gateway such as the local emulator)." +
        `\n${exitCodesHelp(PREFLIGHT_EXITS)}`,
    );
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return "help";
  if (failure !== undefined) throw new UsageError(`${failure.message} (${USAGE})`);
  const [environment, ...extra] = program.args;
  if (environment === undefined) {
    throw new UsageError(`an environment is required (${USAGE}; ${knownEnvironments(env)})`);
  }
  if (extra.length > 0) {
    const all = [environment, ...extra];
    throw new UsageError(
      `one environment at a time, got ${all.length}: ${all.join(", ")} (${USAGE}; run it once per environment)`,
    );
  }
  return { environment, json: program.opts<{ json?: boolean }>().json === true };
}

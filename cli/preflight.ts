/**
 * `npm run --silent preflight -- <env> [--json]`: checks an environment's shard plan against the Genesys Cloud
 * org's live limits before a load test. The same as `shards --env <env> --from-org`.
 *
 * Reads GENESYSCLOUD_OAUTHCLIENT_ID, GENESYSCLOUD_OAUTHCLIENT_SECRET and GENESYSCLOUD_REGION (e.g. us-east-1),
 * or GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL to use a gateway such as the local emulator, and
 * GENESYS_ENVIRONMENTS_DIR for another folder of environment files.
 *
 * Exit codes: 0 the plan fits; 3 it does not fit the org's limits; 2 bad usage, bad input, missing or rejected
 * credentials; 4 the org's limits could not be read (network, server errors, persistent 429).
 */
import { Command } from "commander";
import { environmentsDirFrom, listEnvironments } from "../config/environment";
import { EXIT } from "../preflight/run";
import { parseQuietly, type CliIO } from "./command";
import { main as shards } from "./shards";

const USAGE = "usage: preflight <environment> [--json]";

/**
 * Runs `preflight` with `argv` (without the node and script arguments) and returns the exit code. `env`
 * supplies the GENESYSCLOUD_* settings and GENESYS_ENVIRONMENTS_DIR.
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let parsed: { environment: string; json: boolean } | "help";
  try {
    parsed = parseArgs(argv, io, env);
  } catch (error) {
    if (!(error instanceof PreflightUsageError)) throw error;
    io.stderr.write(`preflight: ${error.message}\n`);
    return EXIT.badInput;
  }
  if (parsed === "help") return EXIT.fits;
  const flags = ["--env", parsed.environment, "--from-org", ...(parsed.json ? ["--json"] : [])];
  return shards(flags, io, env, "preflight");
}

class PreflightUsageError extends Error {}

function parseArgs(
  argv: readonly string[],
  io: CliIO,
  env: Readonly<Record<string, string | undefined>>,
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
        `\nExit codes: ${EXIT.fits} the plan fits, ${EXIT.doesNotFit} it does not fit the org's limits, ` +
        `${EXIT.badInput} bad input or credentials, ${EXIT.unavailable} the limits could not be read.`,
    );
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return "help";
  if (failure !== undefined) throw new PreflightUsageError(`${failure.message} (${USAGE})`);
  const [environment, ...extra] = program.args;
  if (environment === undefined) {
    throw new PreflightUsageError(`an environment is required (${USAGE}; ${knownEnvironments(env)})`);
  }
  if (extra.length > 0) {
    const all = [environment, ...extra];
    throw new PreflightUsageError(
      `one environment at a time, got ${all.length}: ${all.join(", ")} (${USAGE}; run it once per environment)`,
    );
  }
  return { environment, json: program.opts<{ json?: boolean }>().json === true };
}

function knownEnvironments(env: Readonly<Record<string, string | undefined>>): string {
  try {
    return `environments: ${listEnvironments(environmentsDirFrom(env).dir).join(", ") || "none"}`;
  } catch {
    return "no environments folder";
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), process).then((code) => {
    process.exitCode = code;
  });
}

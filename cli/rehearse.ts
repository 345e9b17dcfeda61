/**
 * `rehearse`: drives guest web messaging sessions through the emulator along a deployed shard map, to show
 * before a real load test whether the plan carries its target. Run `npx tsx cli/rehearse.ts --help`.
 *
 *   npm run --silent rehearse -- dev --shard-map dev.shard-map.json --time-scale 60
 *
 * It only talks to a local endpoint (127.0.0.1 / localhost / ::1): it is a rehearsal against the emulator,
 * not a load generator for Genesys Cloud.
 * Exit codes: 0 nothing refused or failed, 2 bad usage or input (one line), 3 sessions were refused or failed
 * (the report says which and where), 4 the guest endpoint could not be reached.
 */
import { hostname } from "node:os";
import { Command, InvalidArgumentError } from "commander";
import {
  EnvironmentError,
  environmentLabel,
  environmentsDirFrom,
  loadEnvironment,
  resolveEnvironmentFile,
} from "../config/environment";
import { parseDecimal, parseQuietly, type CliIO } from "./command";
import { checkRamp, planRamp, type CapacityPlan } from "../capacity";
import { planEnvironment } from "../config/plan";
import { reportMain } from "./rehearse-report";
import { probeDeployments, unreachableMessage } from "../rehearsal/probe";
import { renderJson, renderText, type RehearsalRequest } from "../rehearsal/report";
import { writeResultsAndReport } from "../rehearsal/report-html";
import { ResultsError, SeriesRecorder, buildResults, prepareOutDir } from "../rehearsal/results";
import { runRehearsal, type RehearsalProgress } from "../rehearsal/run";
import {
  ShardMapError,
  deployedShards,
  identityOf,
  loadShardMapFile,
  requireIdentity,
  type ShardMap,
} from "../shard-map";

/** Where the CLI writes; on a terminal's stderr the progress line is rewritten in place. `process` fits. */
export interface RehearseIO extends CliIO {
  readonly stderr: CliIO["stderr"] & { readonly isTTY?: boolean };
}

export const EXIT_CODES = {
  /** Nothing was refused and nothing failed. */
  ok: 0,
  /** Bad usage or input; one line on stderr. */
  badInput: 2,
  /** Sessions were refused or failed. */
  refused: 3,
  /** The guest endpoint could not be reached. */
  unreachable: 4,
} as const;

/** Sessions one rehearsal opens at most. */
export const MAX_SESSIONS = 100_000;
/** Model seconds a hold lasts at most (one day). */
export const MAX_HOLD_SECONDS = 86_400;
const DEFAULT_HOLD_SECONDS = 60;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

class UsageError extends Error {}

interface RehearseFlags {
  shardMap: string;
  sessions?: number;
  rampPerMinute?: number;
  holdSeconds: number;
  timeScale: number;
  singleDeployment: boolean;
  loseShard?: number;
  json: boolean;
  url?: string;
  windowMinutes?: number;
  out?: string;
}

function number(flag: string, min: number, max: number, integer: boolean) {
  const allowed = `${integer ? "an integer" : "a number"} from ${min} to ${max}`;
  return (raw: string): number => {
    const value = parseDecimal(flag, raw, allowed);
    if (value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new InvalidArgumentError(`${flag} must be ${allowed}, got "${raw}"`);
    }
    return value;
  };
}

/**
 * Runs `rehearse` with `argv` (without node and the script) and returns the exit code. `env` supplies
 * GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL (the default --url) and GENESYS_ENVIRONMENTS_DIR.
 * `rehearse report <results>… --out <dir>` merges results instead (cli/rehearse-report.ts).
 */
export async function main(
  argv: readonly string[],
  io: RehearseIO,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  if (argv[0] === "report") return reportMain(argv.slice(1), io);
  const program = new Command("rehearse")
    .description(
      "Rehearse a load test: open guest web messaging sessions through the emulator along a deployed shard map, " +
        "ramp, hold, send one message each and close; report per shard what was refused.",
    )
    .argument("<env>", "environment name (environments/<env>.yaml) or a path to an environment file")
    .requiredOption("--shard-map <file>", "the deployed stack's shard map (JSON from npm run shard-map)")
    .option(
      "--sessions <n>",
      "sessions to open (default: the environment's capacity.targetConcurrentSessions)",
      number("--sessions", 1, MAX_SESSIONS, true),
    )
    .option(
      "--ramp-per-minute <r>",
      "new sessions per minute across all shards (default: the environment's capacity.peakArrivalsPerMinute)",
      number("--ramp-per-minute", 0.001, 10_000_000, false),
    )
    .option(
      "--hold-seconds <s>",
      "seconds every session stays connected after the ramp (model time: divided by --time-scale, like the ramp)",
      number("--hold-seconds", 0, MAX_HOLD_SECONDS, false),
      DEFAULT_HOLD_SECONDS,
    )
    .option(
      "--time-scale <k>",
      "run k times faster than real time (60: a minute per second); start the emulator with the same --time-scale",
      number("--time-scale", 0.001, 10_000, false),
      1,
    )
    .option(
      "--single-deployment",
      "put every session on shard 0, as the load tests that hit the wall did",
      false,
    )
    .option(
      "--lose-shard <index>",
      "after the ramp, drop this shard's connections and re-open its sessions on the other shards",
      number("--lose-shard", 0, 100_000, true),
    )
    .option(
      "--window-minutes <minutes>",
      "the booked window of the real load test: warns when its ramp and hold (model time) take longer",
      number("--window-minutes", 0.001, 10_000_000, false),
    )
    .option("--json", "print the result as one JSON object", false)
    .option(
      "--out <dir>",
      "write results.json (per shard, per model second: live sessions, refusals, retries, connect latency) and " +
        "report.html into <dir>, made if missing",
    )
    .option(
      "--url <ws-url>",
      "the guest endpoint (default: ws://$GENESYSCLOUD_GATEWAY_HOST:$GENESYSCLOUD_GATEWAY_PORT/v1, else ws://127.0.0.1:8089/v1)",
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 nothing refused or failed, 2 bad input, 3 sessions refused or failed, 4 endpoint unreachable.",
    )
    .addHelpText(
      "after",
      "\nrehearse report <results>... --out <dir> merges --out folders of several machines.",
    );

  let request: RehearsalRequest;
  let windowMinutes: number | undefined;
  let json = false;
  let shards: ReturnType<typeof deployedShards>;
  let output: { dir: string; map: ShardMap; plan: CapacityPlan } | undefined;
  try {
    const failure = parseQuietly(program, argv, io);
    if (failure === "help") return EXIT_CODES.ok;
    if (failure !== undefined) throw new UsageError(failure.message);
    const flags = program.opts<RehearseFlags>();
    json = flags.json;
    windowMinutes = flags.windowMinutes;
    const environmentsDir = environmentsDirFrom(env).dir;
    const environment = loadEnvironment(program.args[0], environmentsDir);
    const label = environmentLabel(resolveEnvironmentFile(program.args[0], environmentsDir));
    const map = loadShardMapFile(flags.shardMap);
    requireIdentity(map, identityOf(environment.name), flags.shardMap);
    shards = deployedShards(map, flags.shardMap);
    if (flags.loseShard !== undefined && !shards.some((shard) => shard.index === flags.loseShard)) {
      throw new UsageError(
        `--lose-shard must be a shard index of the map (0 to ${shards.length - 1}), got ${flags.loseShard}`,
      );
    }
    if (flags.loseShard !== undefined && shards.length < 2) {
      throw new UsageError("--lose-shard needs a shard map with at least 2 shards");
    }
    const rampPerMinute = flags.rampPerMinute ?? environment.capacity.peakArrivalsPerMinute;
    if (rampPerMinute === undefined) {
      throw new UsageError(
        `--ramp-per-minute must be given: ${label} has no capacity.peakArrivalsPerMinute to default to`,
      );
    }
    request = {
      environment: environment.name,
      shardMap: flags.shardMap,
      url: guestUrl(flags.url, env),
      sessions: flags.sessions ?? environment.capacity.targetConcurrentSessions,
      rampPerMinute,
      holdSeconds: flags.holdSeconds,
      timeScale: flags.timeScale,
      singleDeployment: flags.singleDeployment,
      loseShard: flags.loseShard,
      shards: shards.length,
    };
    if (request.sessions > MAX_SESSIONS) {
      throw new UsageError(
        `--sessions must be at most ${MAX_SESSIONS}; ${label} targets ${request.sessions}, pass a smaller --sessions`,
      );
    }
    if (flags.out !== undefined)
      output = { dir: prepareOutDir(flags.out), map, plan: planEnvironment(environment, label) };
  } catch (error) {
    const lines = usageLines(error);
    if (lines === undefined) throw error;
    for (const line of lines) io.stderr.write(`rehearse: ${line}\n`);
    return EXIT_CODES.badInput;
  }

  // Stale maps first: a deployment the endpoint does not know is refused (403) for every session, which reads
  // like a ceiling in the report but is not one.
  const probe = await probeDeployments(
    request.url,
    shards.map((shard) => shard.deploymentId),
  );
  if (probe.unreachable !== undefined) {
    io.stderr.write(`rehearse: ${unreachableMessage(request.url, probe.unreachable)}\n`);
    return EXIT_CODES.unreachable;
  }
  if (probe.unknown.length > 0) {
    io.stderr.write(`rehearse: ${staleMapLine(request, shards, probe.unknown)}\n`);
    return EXIT_CODES.badInput;
  }

  // A hold of 0 is a choice (a quick check), not a ramp that outlasts it.
  const ramp = planRamp(request.sessions, request.rampPerMinute);
  const hold = request.holdSeconds > 0 ? { holdMinutes: request.holdSeconds / 60 } : {};
  for (const warning of ramp === undefined ? [] : checkRamp(ramp, { ...hold, windowMinutes }))
    io.stderr.write(`rehearse: warning: ${warning.code}: ${warning.message}\n`);

  const recorder = output && new SeriesRecorder(shards.map((shard) => shard.index));
  const startedAt = new Date();
  const result = await runRehearsal({
    url: request.url,
    shards: shards.map((shard) => ({
      index: shard.index,
      deploymentId: shard.deploymentId,
      plannedSessions: shard.sessions,
    })),
    sessions: request.sessions,
    rampPerMinute: request.rampPerMinute,
    holdSeconds: request.holdSeconds,
    timeScale: request.timeScale,
    singleDeployment: request.singleDeployment,
    loseShard: request.loseShard,
    onProgress: progressPrinter(io),
    recorder,
  });
  if (io.stderr.isTTY) io.stderr.write("\n");
  if (result.aborted?.reason === "unreachable") {
    // Nothing was driven: the one line says all, an empty table would not.
    io.stderr.write(`rehearse: ${result.aborted.message}\n`);
    return EXIT_CODES.unreachable;
  }
  if (output && recorder) {
    const results = buildResults({
      ...request,
      shardMapFile: request.shardMap,
      shardMap: output.map,
      plan: output.plan,
      shards,
      host: hostname(),
      startedAt,
      result,
      recorder,
    });
    const [resultsFile, reportFile] = writeResultsAndReport(output.dir, results);
    io.stderr.write(`rehearse: wrote ${resultsFile} and ${reportFile}\n`);
  }
  io.stdout.write(json ? `${renderJson(request, result)}\n` : `${renderText(request, result).join("\n")}\n`);
  return result.totals.refused + result.totals.failed === 0 && !result.aborted
    ? EXIT_CODES.ok
    : EXIT_CODES.refused;
}

/** One line: how many and which deployments of the map the endpoint does not know, and what to do. */
function staleMapLine(
  request: RehearsalRequest,
  shards: readonly { readonly index: number; readonly deploymentId: string }[],
  unknown: readonly { readonly deploymentId: string; readonly answer: string }[],
): string {
  const ids = new Set(unknown.map((entry) => entry.deploymentId));
  const indexes = shards.filter((shard) => ids.has(shard.deploymentId)).map((shard) => shard.index);
  const listed = indexes.length > 10 ? `${indexes.slice(0, 10).join(", ")}, …` : indexes.join(", ");
  return (
    `${request.shardMap}: ${ids.size} of ${new Set(shards.map((shard) => shard.deploymentId)).size} deployments ` +
    `are unknown at ${request.url} (shards ${listed}: ${unknown[0].answer}); the shard map is probably stale ` +
    `(the stack was redeployed or the emulator restarted): write it again with npm run shard-map -- ` +
    `${request.environment} --format json, or npm run demo`
  );
}

/** The guest endpoint: --url, else the gateway variables the emulator and the provider use, else the default port. */
function guestUrl(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  let text = flag;
  if (text === undefined) {
    const host = env.GENESYSCLOUD_GATEWAY_HOST?.trim() || "127.0.0.1";
    const port = env.GENESYSCLOUD_GATEWAY_PORT?.trim() || "8089";
    const secure = env.GENESYSCLOUD_GATEWAY_PROTOCOL?.trim() === "https";
    text = `${secure ? "wss" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${port}/v1`;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--url must be a ws:// URL such as ws://127.0.0.1:8089/v1, got "${text}"`);
  }
  if (url.protocol !== "ws:" && url.protocol !== "wss:") {
    throw new UsageError(`--url must be a ws:// or wss:// URL, got "${text}"`);
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw new UsageError(
      `--url must point at a local emulator (127.0.0.1, localhost or ::1), got "${url.hostname}": rehearse is ` +
        "not a load generator for Genesys Cloud; take the shard map to your load-test tool for the real org",
    );
  }
  if (url.search !== "")
    throw new UsageError(`--url must not carry a query (deploymentId is added per shard), got "${text}"`);
  return `${url.protocol}//${url.host}${url.pathname === "/" ? "/v1" : url.pathname}`;
}

/** Progress on stderr: rewritten in place on a terminal, one line every 5 s otherwise. */
function progressPrinter(io: RehearseIO): (progress: RehearsalProgress) => void {
  let lastLine = 0;
  return (progress) => {
    const line =
      `rehearse: ${progress.phase} ${Math.round(progress.elapsedMs / 1000)} s: ${progress.started}/${progress.planned} ` +
      `started, ${progress.live} open, ${progress.refused} refused, ${progress.failed} failed`;
    if (io.stderr.isTTY) {
      io.stderr.write(`\r${line}\u001b[K`);
    } else if (progress.elapsedMs - lastLine >= 5000) {
      lastLine = progress.elapsedMs;
      io.stderr.write(`${line}\n`);
    }
  };
}

function usageLines(error: unknown): readonly string[] | undefined {
  if (error instanceof UsageError) return [error.message];
  if (error instanceof ResultsError) return error.problems;
  if (error instanceof EnvironmentError || error instanceof ShardMapError) return error.problems;
  return undefined;
}

if (require.main === module) {
  void main(process.argv.slice(2), process).then((code) => {
    process.exitCode = code;
  });
}

/**
 * `rehearse` (alias `loadtest`): drives guest web messaging sessions along a deployed shard map, to show before a
 * real load test whether the plan carries its target, and then to run that test. Run `genesys-cdktf rehearse
 * --help`.
 *
 *   npm run --silent rehearse -- dev --shard-map dev.shard-map.json --time-scale 60
 *   npm run --silent loadtest -- prod --shard-map prod.json --org --approved CS-1234 --shards 0-41
 *
 * It talks to a loopback endpoint (127.0.0.1 / localhost / ::1, the emulator) unless the load test was approved:
 * any other host, `--org`'s region endpoint included, is refused with one line before any name is looked up or
 * anything connects, unless `--approved <reference>` names the approval; then it says what it will do and waits
 * for a "yes" on the terminal (or `--yes`). Ctrl-C closes every session and prints the partial report.
 * Exit codes (REHEARSE_EXITS): nothing refused or failed; bad usage or input, a refused target or no confirmation
 * (one line); sessions were refused or failed (the report says which and where); the guest endpoint could not be
 * reached; interrupted (Ctrl-C; the report so far is printed).
 */
import { hostname } from "node:os";
import type { LookupFunction } from "node:net";
import { createInterface } from "node:readline";
import { Command, InvalidArgumentError } from "commander";
import type { EnvironmentConfig } from "../config/environment";
import { UsageError, inputProblems, parseDecimal, parseQuietly, type CliIO } from "./command";
import { loadCommandEnvironment } from "./environment";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";
import { checkRamp, formatMinutes, planRamp, resolveLimits, type CapacityPlan } from "../capacity";
import { formatNumber } from "../capacity/format";
import { planEnvironment } from "../config/plan";
import { reportMain } from "./rehearse-report";
import { voiceMain } from "./rehearse-voice";
import { DEFAULT_BACKOFF } from "../rehearsal/backoff";
import { webSocketConnector, type Connector } from "../rehearsal/connect";
import { probeDeployments, unreachableMessage } from "../rehearsal/probe";
import { renderJson, renderText, type RehearsalRequest } from "../rehearsal/report";
import { writeResultsAndReport } from "../rehearsal/report-html";
import { SeriesRecorder, buildResults, prepareOutDir } from "../rehearsal/results";
import { runRehearsal, type RehearsalProgress } from "../rehearsal/run";
import { SCENARIOS, scenario } from "../rehearsal/scenarios";
import { ShardSelectionError, formatShardRanges, parseShardRanges } from "../rehearsal/select";
import { guestOrigin, isLoopbackHost, orgGuestUrl } from "../rehearsal/target";
import { deployedShards, identityOf, loadShardMapFile, requireIdentity, type ShardMap } from "../shard-map";

/**
 * Where the CLI reads and writes; `process` fits. On a terminal's stderr the progress line is rewritten in place.
 * `stdin` answers the confirmation of an approved load test when it is a terminal.
 */
export interface RehearseIO extends CliIO {
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** What the process (cli/main.ts) or a test gives a run besides its streams. */
export interface RehearseRuntime {
  /** Aborting it stops the run as Ctrl-C does: every session closed, the partial report printed, exit 130. */
  readonly signal?: AbortSignal;
  /** Opens each guest connection (the probe's too); tests keep everything on loopback. @default webSocketConnector(lookup) */
  readonly connect?: Connector;
  /** Looks up host names for the default connector. @default - dns.lookup */
  readonly lookup?: LookupFunction;
}

/** What each exit code of `rehearse` means (its --help and `genesys-cdktf --help` say the same). */
export const REHEARSE_EXITS: ExitMeanings = {
  ok: "nothing refused or failed",
  badInput: "bad input, a host not allowed or a load test not confirmed",
  no: "sessions refused or failed",
  unreachable: "endpoint unreachable",
  interrupted: "interrupted by Ctrl-C (every session closed, the partial report printed)",
};

/** The codes `rehearse` returns, by what they mean to it (from the one table, cli/exit-codes.ts). */
export const EXIT_CODES = {
  ok: EXIT.ok,
  badInput: EXIT.badInput,
  refused: EXIT.no,
  unreachable: EXIT.unreachable,
  interrupted: EXIT.interrupted,
} as const;

/** Sessions one rehearsal opens at most. */
export const MAX_SESSIONS = 100_000;
/** Model seconds a hold lasts at most (one day). */
export const MAX_HOLD_SECONDS = 86_400;
/** Text messages one session sends at most. */
export const MAX_MESSAGES = 100;
const DEFAULT_HOLD_SECONDS = 60;
const DEFAULT_RETRY_SECONDS = DEFAULT_BACKOFF.budgetMs / 1000;

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
  org: boolean;
  approved?: string;
  yes: boolean;
  origin?: string;
  shards?: string;
  scenario?: string;
  retrySeconds: number;
  messages: number;
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

/** The approval reference: a ticket or change id as people write them, on one line. */
function approvalReference(raw: string): string {
  const text = raw.trim();
  if (!/^[\x21-\x7e][\x20-\x7e]{0,99}$/.test(text)) {
    throw new InvalidArgumentError(
      `--approved must name the approval (the Genesys load-test ticket or change id), 1 to 100 printable ` +
        `characters, got ${JSON.stringify(raw)}`,
    );
  }
  return text;
}

/** What a parsed command line asks for, and what the run needs besides the request. */
interface Invocation {
  readonly request: RehearsalRequest;
  readonly environment: EnvironmentConfig;
  readonly shards: ReturnType<typeof deployedShards>;
  /** The shard indexes driven: the selection, or every shard. */
  readonly driven: readonly number[];
  readonly windowMinutes: number | undefined;
  readonly json: boolean;
  readonly yes: boolean;
  readonly output: { readonly dir: string; readonly map: ShardMap; readonly plan: CapacityPlan } | undefined;
  /** Whether the target is a loopback address (the emulator). */
  readonly local: boolean;
}

/**
 * Runs `rehearse` with `argv` (without node and the script) and returns the exit code. `env` supplies
 * GENESYSCLOUD_GATEWAY_HOST / _PORT / _PROTOCOL (the default --url) and GENESYS_ENVIRONMENTS_DIR; `runtime` the
 * abort signal (cli/main.ts aborts it on Ctrl-C) and, in tests, the connector. `rehearse report <results>… --out
 * <dir>` merges results instead (cli/rehearse-report.ts).
 */
export async function main(
  argv: readonly string[],
  io: RehearseIO,
  env: Readonly<Record<string, string | undefined>> = process.env,
  runtime: RehearseRuntime = {},
): Promise<number> {
  if (argv[0] === "report") return reportMain(argv.slice(1), io);
  if (argv.includes("--voice"))
    return voiceMain(
      argv.filter((arg) => arg !== "--voice"),
      io,
      env,
      runtime,
    );
  let invocation: Invocation;
  try {
    const parsed = parse(argv, io, env);
    if (parsed === "help") return EXIT_CODES.ok;
    invocation = parsed;
  } catch (error) {
    const lines = usageLines(error);
    if (lines === undefined) throw error;
    for (const line of lines) io.stderr.write(`rehearse: ${line}\n`);
    return EXIT_CODES.badInput;
  }
  const { request, shards, driven } = invocation;

  // Nothing has been looked up or connected yet: a load test of a real service starts only once confirmed.
  if (!invocation.local) {
    io.stderr.write(`rehearse: ${intentLine(request, invocation)}\n`);
    const confirmed = invocation.yes ? "yes" : await confirm(io, runtime.signal);
    if (confirmed !== "yes") {
      io.stderr.write(`rehearse: ${notConfirmedLine(confirmed)}\n`);
      return confirmed === "interrupted" ? EXIT_CODES.interrupted : EXIT_CODES.badInput;
    }
  }

  const connect = runtime.connect ?? webSocketConnector(runtime.lookup);
  const drivenShards = shards.filter((shard) => driven.includes(shard.index));
  // Stale maps first: a deployment the endpoint does not know is refused (403) for every session, which reads
  // like a ceiling in the report but is not one.
  const probed = (request.singleDeployment ? drivenShards.slice(0, 1) : drivenShards).map(
    (shard) => shard.deploymentId,
  );
  const probe = await probeDeployments(request.url, probed, { origin: request.origin, connect });
  if (probe.unreachable !== undefined) {
    io.stderr.write(`rehearse: ${unreachableMessage(request.url, probe.unreachable)}\n`);
    return EXIT_CODES.unreachable;
  }
  if (probe.unknown.length > 0) {
    io.stderr.write(`rehearse: ${staleMapLine(request, drivenShards, probe.unknown)}\n`);
    return EXIT_CODES.badInput;
  }
  // Each probe was a new connection of its deployment: the pace counts it.
  const probedAt = Date.now();
  const priorConnections = probed.map((deploymentId) => ({ deploymentId, at: probedAt }));

  // A hold of 0 is a choice (a quick check), not a ramp that outlasts it.
  const ramp = planRamp(request.sessions, request.rampPerMinute);
  const hold = request.holdSeconds > 0 ? { holdMinutes: request.holdSeconds / 60 } : {};
  for (const warning of ramp === undefined
    ? []
    : checkRamp(ramp, { ...hold, windowMinutes: invocation.windowMinutes }))
    io.stderr.write(`rehearse: warning: ${warning.code}: ${warning.message}\n`);

  const { output } = invocation;
  const selection = request.drivenShards === undefined ? undefined : driven;
  const recorder = output && new SeriesRecorder(driven);
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
    only: selection,
    loseShard: request.loseShard,
    messages: request.messages,
    connectionsPerDeploymentPerMinute: request.pacing?.connectionsPerDeploymentPerMinute,
    priorConnections,
    messagesPerSessionPerSecond: request.pacing?.messagesPerSessionPerSecond,
    backoff: { budgetMs: (request.retrySeconds ?? DEFAULT_RETRY_SECONDS) * 1000 },
    origin: request.origin,
    connect,
    signal: runtime.signal,
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
      only: selection,
      host: hostname(),
      startedAt,
      result,
      recorder,
    });
    const [resultsFile, reportFile] = writeResultsAndReport(output.dir, results);
    io.stderr.write(`rehearse: wrote ${resultsFile} and ${reportFile}\n`);
  }
  io.stdout.write(
    invocation.json ? `${renderJson(request, result)}\n` : `${renderText(request, result).join("\n")}\n`,
  );
  if (result.aborted?.reason === "interrupted") return EXIT_CODES.interrupted;
  return result.totals.refused + result.totals.failed === 0 && !result.aborted
    ? EXIT_CODES.ok
    : EXIT_CODES.refused;
}

/** Parses and checks the command line, the environment, the map and the target; connects to nothing. */
function parse(
  argv: readonly string[],
  io: RehearseIO,
  env: Readonly<Record<string, string | undefined>>,
): Invocation | "help" {
  const program = new Command("rehearse")
    .description(
      "Rehearse a load test: open guest web messaging sessions along a deployed shard map (through the emulator, " +
        "or an approved org), ramp, send messages, hold and close; report per shard what was retried and refused.",
    )
    .argument("<env>", "environment name (environments/<env>.yaml) or a path to an environment file")
    .requiredOption("--shard-map <file>", "the deployed stack's shard map (JSON from npm run shard-map)")
    .option(
      "--scenario <name>",
      `a named load test (${Object.keys(SCENARIOS).join(", ")}): its sessions, ramp and hold, which flags given ` +
        "here override",
    )
    .option(
      "--sessions <n>",
      "sessions to open in the whole test (default: the scenario's, else the environment's capacity.targetConcurrentSessions)",
      number("--sessions", 1, MAX_SESSIONS, true),
    )
    .option(
      "--ramp-per-minute <r>",
      "new sessions per minute across all shards (default: the scenario's, else the environment's capacity.peakArrivalsPerMinute)",
      number("--ramp-per-minute", 0.001, 10_000_000, false),
    )
    .option(
      "--hold-seconds <s>",
      "seconds every session stays connected after the ramp (model time: divided by --time-scale, like the ramp; " +
        "default: the scenario's, else 60)",
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
      "--messages <n>",
      "text messages each session sends, paced at the environment's (or the catalog's) messages per session per second",
      number("--messages", 1, MAX_MESSAGES, true),
      1,
    )
    .option(
      "--retry-seconds <s>",
      "model seconds a session may spend waiting to retry a 429 or 503 (backoff with jitter, honouring " +
        "Retry-After) before it counts as refused; 0 never retries",
      number("--retry-seconds", 0, 3600, false),
      DEFAULT_RETRY_SECONDS,
    )
    .option(
      "--single-deployment",
      "put every session on shard 0, as the load tests that hit the wall did",
      false,
    )
    .option(
      "--shards <ranges>",
      "drive only these shards of the map, e.g. 0-41 or 0-9,20-29; each keeps its share of the whole test, so " +
        "machines with disjoint ranges run it together",
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
      "the guest endpoint (default: --org's, else ws://$GENESYSCLOUD_GATEWAY_HOST:$GENESYSCLOUD_GATEWAY_PORT/v1, " +
        "else ws://127.0.0.1:8089/v1)",
    )
    .option(
      "--org",
      "connect to the environment's org: wss://webmessaging.<its region's domain>/v1 (needs --approved)",
      false,
    )
    .option(
      "--approved <reference>",
      "the approval of this load test (the Genesys support ticket or change id); required for any host that is " +
        "not a loopback address",
      approvalReference,
    )
    .option("--yes", "start an approved load test without asking on the terminal", false)
    .option(
      "--origin <origin>",
      "the Origin header of every connection (default: https://<the first of messaging.allowedDomains>; none " +
        "when messaging.allowAllDomains); 'none' sends none",
    )
    .addHelpText("after", `\n${exitCodesHelp(REHEARSE_EXITS)}`)
    .addHelpText(
      "after",
      "\nrehearse report <results>... --out <dir> merges --out folders of several machines." +
        "\nrehearse --voice <env> drives the environment's voice entry through the emulator's Data Actions " +
        "(rehearse --voice --help).",
    );

  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return "help";
  if (failure !== undefined) throw new UsageError(failure.message);
  const flags = program.opts<RehearseFlags>();
  const given = (name: keyof RehearseFlags) => program.getOptionValueSource(name) === "cli";
  const { environment, label } = loadCommandEnvironment(program.args[0], env);
  const named = flags.scenario === undefined ? undefined : scenario(flags.scenario);
  if (flags.scenario !== undefined && named === undefined) {
    throw new UsageError(
      `--scenario must be one of ${Object.keys(SCENARIOS).join(", ")}, got ${JSON.stringify(flags.scenario)}`,
    );
  }
  const map = loadShardMapFile(flags.shardMap);
  requireIdentity(map, identityOf(environment.name), flags.shardMap);
  const shards = deployedShards(map, flags.shardMap);
  const indexes = shards.map((shard) => shard.index);
  const selected = flags.shards === undefined ? undefined : parseShardRanges(flags.shards, indexes);
  if (selected !== undefined && flags.singleDeployment) {
    throw new UsageError(
      "--single-deployment and --shards do not go together: --single-deployment puts every session on shard 0",
    );
  }
  const driven = selected ?? indexes;
  if (flags.loseShard !== undefined && !driven.includes(flags.loseShard)) {
    throw new UsageError(
      selected === undefined
        ? `--lose-shard must be a shard index of the map (0 to ${shards.length - 1}), got ${flags.loseShard}`
        : `--lose-shard must be one of the shards driven (--shards ${flags.shards}), got ${flags.loseShard}`,
    );
  }
  if (flags.loseShard !== undefined && driven.length < 2) {
    throw new UsageError(
      selected === undefined
        ? "--lose-shard needs a shard map with at least 2 shards"
        : "--lose-shard needs at least 2 shards driven (--shards)",
    );
  }
  const rampPerMinute = given("rampPerMinute")
    ? flags.rampPerMinute
    : (named?.rampPerMinute ?? environment.capacity.peakArrivalsPerMinute);
  if (rampPerMinute === undefined) {
    throw new UsageError(
      `--ramp-per-minute must be given: ${label} has no capacity.peakArrivalsPerMinute to default to`,
    );
  }
  const url = guestUrl(flags, environment, env);
  const host = new URL(url).hostname;
  const local = isLoopbackHost(host);
  if (!local && flags.approved === undefined) {
    throw new UsageError(
      `${host} is not a loopback address, and this load test has no --approved <reference>: rehearse drives the ` +
        "local emulator unless Genesys approved the test (a support ticket at least 2 weeks ahead, in the " +
        "region's night window); pass --approved with that ticket or change id. Nothing was looked up or sent",
    );
  }
  if (!local && flags.timeScale !== 1) {
    throw new UsageError(
      `--time-scale must be 1 against ${host}, got ${flags.timeScale}: a real service runs in real time, and a ` +
        "compressed ramp would open connections that many times faster than planned",
    );
  }
  const limits = resolveLimits(environment.limits);
  const request: RehearsalRequest = {
    environment: environment.name,
    shardMap: flags.shardMap,
    url,
    sessions: given("sessions")
      ? (flags.sessions as number)
      : (named?.sessions ?? environment.capacity.targetConcurrentSessions),
    rampPerMinute,
    holdSeconds: given("holdSeconds") ? flags.holdSeconds : (named?.holdSeconds ?? flags.holdSeconds),
    timeScale: flags.timeScale,
    singleDeployment: flags.singleDeployment,
    loseShard: flags.loseShard,
    shards: shards.length,
    drivenShards: selected === undefined ? undefined : formatShardRanges(selected),
    scenario: named?.name,
    messages: flags.messages,
    retrySeconds: flags.retrySeconds,
    pacing: {
      connectionsPerDeploymentPerMinute: limits.webMessagingConnectionsPerDeploymentPerMinute,
      messagesPerSessionPerSecond: limits.webMessagingMessagesPerSessionPerSecond,
      from:
        environment.limits?.webMessagingConnectionsPerDeploymentPerMinute !== undefined ||
        environment.limits?.webMessagingMessagesPerSessionPerSecond !== undefined
          ? "the environment's limits, else the catalog"
          : "the limits catalog",
    },
    origin: originOf(flags.origin, environment),
    approved: flags.approved,
  };
  if (request.sessions > MAX_SESSIONS) {
    throw new UsageError(
      `--sessions must be at most ${MAX_SESSIONS}; ${label} targets ${request.sessions}, pass a smaller --sessions`,
    );
  }
  const output =
    flags.out === undefined
      ? undefined
      : { dir: prepareOutDir(flags.out), map, plan: planEnvironment(environment, label) };
  return {
    request,
    environment,
    shards,
    driven,
    windowMinutes: flags.windowMinutes,
    json: flags.json,
    yes: flags.yes,
    output,
    local,
  };
}

/** The Origin: --origin (or none), else the environment's first allowed domain. */
function originOf(flag: string | undefined, environment: EnvironmentConfig): string | undefined {
  if (flag === undefined) return guestOrigin(environment.messaging);
  if (flag === "none") return undefined;
  let url: URL;
  try {
    url = new URL(flag);
  } catch {
    throw new UsageError(
      `--origin must be an origin such as https://www.example.com, or none, got "${flag}"`,
    );
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.origin === "null") {
    throw new UsageError(`--origin must be an http(s) origin such as https://www.example.com, got "${flag}"`);
  }
  return url.origin;
}

/** One line: what an approved load test will do, before it starts. */
function intentLine(request: RehearsalRequest, invocation: Invocation): string {
  const how = request.singleDeployment
    ? "all on shard 0 (--single-deployment)"
    : request.drivenShards === undefined
      ? `over all ${request.shards} shards`
      : `over shards ${request.drivenShards} of ${request.shards}`;
  const rampMinutes = request.sessions / request.rampPerMinute;
  return (
    `load test of ${request.environment} against ${new URL(request.url).host} (${request.url}), approved: ` +
    `${request.approved}: ${formatNumber(request.sessions)} sessions ${how}` +
    (request.drivenShards === undefined ? "" : " (this machine: those shards' shares)") +
    `, ramp ${formatNumber(request.rampPerMinute)}/min for ${formatMinutes(rampMinutes)}, hold ` +
    `${formatNumber(request.holdSeconds)} s, ${request.messages ?? 1} message${request.messages === 1 ? "" : "s"} ` +
    `each; at most ${formatNumber(request.pacing?.connectionsPerDeploymentPerMinute ?? 0)} new connections per ` +
    `deployment per minute; 429/503 retried for up to ${formatNumber(request.retrySeconds ?? 0)} s; Origin ` +
    `${request.origin ?? "none"}` +
    (invocation.output ? `; results to ${invocation.output.dir}` : "")
  );
}

/**
 * Asks on the terminal whether to start. Resolves "yes", "no" (any other answer, or the end of input), "no-tty"
 * (stdin is not a terminal: nobody to ask) or "interrupted" (the signal fired while it waited).
 */
function confirm(
  io: RehearseIO,
  signal: AbortSignal | undefined,
): Promise<"yes" | "no" | "no-tty" | "interrupted"> {
  const stdin = io.stdin;
  if (stdin === undefined || !stdin.isTTY) return Promise.resolve("no-tty");
  if (signal?.aborted) return Promise.resolve("interrupted");
  io.stderr.write("rehearse: type yes to start it, anything else stops: ");
  return new Promise((resolve) => {
    const lines = createInterface({ input: stdin, terminal: false });
    let answered = false;
    const finish = (answer: "yes" | "no" | "interrupted") => {
      if (answered) return;
      answered = true;
      signal?.removeEventListener("abort", onAbort);
      lines.close();
      stdin.pause(); // read once: the process must not wait for more input
      resolve(answer);
    };
    const onAbort = () => {
      io.stderr.write("\n");
      finish("interrupted");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    lines.once("line", (line) => finish(line.trim().toLowerCase() === "yes" ? "yes" : "no"));
    lines.once("close", () => finish("no"));
  });
}

function notConfirmedLine(answer: "no" | "no-tty" | "interrupted"): string {
  if (answer === "no-tty")
    return "stdin is not a terminal, so nobody can confirm this load test: pass --yes to start it; nothing was sent";
  if (answer === "interrupted") return "interrupted before the start; nothing was sent";
  return "not confirmed (the answer was not yes); nothing was sent";
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
    `${request.environment} --format json, or npm run demo` +
    (request.origin === undefined
      ? ""
      : `; or the deployments do not allow the Origin ${request.origin} (messaging.allowedDomains, --origin)`)
  );
}

/**
 * The guest endpoint: --url, else --org's (the environment's region), else the gateway variables the emulator and
 * the provider use, else the default port. Checked for its form only; whether it may be used is the caller's.
 */
function guestUrl(
  flags: RehearseFlags,
  environment: EnvironmentConfig,
  env: Readonly<Record<string, string | undefined>>,
): string {
  let text = flags.url ?? (flags.org ? orgGuestUrl(environment.region) : undefined);
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
  if (error instanceof ShardSelectionError) return [error.message];
  return inputProblems(error);
}

/**
 * `genesys-cdktf shards` (`npm run shards`): plans web messaging shards from the command line; `--help` lists
 * the flags.
 *
 * Exit codes are a public contract (SHARDS_EXITS, from the table in cli/exit-codes.ts): a plan, bad input (one
 * line on stderr, no stack trace), infeasible (the plan is still printed, with the infeasibility explained).
 *
 * Steps, kept apart so that more option sources (an environment file, the org's Limits API) can feed the same
 * planner: `parseArgs` reads the command line, `toPlanRequest` turns it into a `PlanInput`, `planShards` plans
 * and `renderText` / `renderJson` print.
 */
import { formatNumber, formatTable } from "../capacity/format";
import { Command, InvalidArgumentError } from "commander";
import {
  DEFAULT_HEADROOM,
  DEFAULT_OAUTH_CLIENTS,
  DEFAULT_SPARE_SHARDS,
  DEPLOY_MINUTES_WARNING_THRESHOLD,
  LIMITS_CATALOG,
  MAX_DATA_ACTION_LATENCY_SECONDS,
  PlanInputError,
  checkRamp,
  describeBasis,
  observedCeilingNote,
  planShards,
  type CapacityPlan,
  type FieldNamer,
  type LimitUsage,
  type PlanField,
  type PlanInput,
  type RampWarning,
  type ShardShare,
} from "../capacity";
import { environmentFieldName, planInputFor } from "../config/plan";
import {
  UsageError,
  inputProblems,
  parseDecimal,
  parseQuietly,
  reportBadInput,
  type CliEnv,
  type CliIO,
} from "./command";
import { DEFAULT_SHARDS_PER_GROUP } from "../genesys";
import { loadCommandEnvironment } from "./environment";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";
import { PREFLIGHT_EXITS, preflightFromEnv } from "./preflight-run";

export type { CliIO };

/** The exit codes of `shards`. */
export const EXIT_CODES = {
  /** A plan was printed. */
  ok: EXIT.ok,
  /** Bad usage or bad input; one line on stderr. */
  badInput: EXIT.badInput,
  /** The plan exceeds a limit (an error-level warning); the plan is printed anyway. */
  infeasible: EXIT.no,
} as const;

/** What each exit code of `shards` means. */
export const SHARDS_EXITS: ExitMeanings = {
  ok: "a plan",
  badInput: "bad input",
  no:
    "infeasible (the plan exceeds a limit: shards, the tenant-wide sessions, agents or Data Actions; the plan is " +
    "printed)",
};

/** The command-line options as typed: numbers stay text until `toPlanRequest` checks them. */
export interface ShardsOptions {
  readonly target?: string;
  readonly sessionsPerShard?: string;
  readonly arrivalsPerMinute?: string;
  readonly arrivalsPerShardPerMinute?: string;
  readonly headroom?: string;
  readonly spares?: string;
  readonly maxShards?: string;
  readonly agents?: string;
  readonly capacityPerAgent?: string;
  readonly dataActionsPerSession?: string;
  readonly dataActionLatencySeconds?: string;
  readonly sessionsPerOrg?: string;
  readonly shardsPerGroup?: string;
  readonly clients?: string;
  readonly orgRequestsPerMinute?: string;
  readonly json?: boolean;
  /** An environment name (or YAML path) whose file supplies every plan parameter. */
  readonly env?: string;
  /** Re-plan with the org's live limits (the capacity preflight). */
  readonly fromOrg?: boolean;
  /** The booked load-test window in minutes: warn when the ramp takes longer. */
  readonly windowMinutes?: string;
}

/** What to plan and how to print it. */
export interface PlanRequest {
  readonly input: PlanInput;
  readonly json: boolean;
  /** Check the plan against the org's live limits instead of the catalog. */
  readonly fromOrg: boolean;
  /** How plan fields are named in messages: as flags, or as fields of the environment file. */
  readonly fieldName: FieldNamer;
  /** What bad-input lines start with: the environment file, when the plan comes from one. */
  readonly label?: string;
  /** The booked load-test window in minutes (`--window-minutes`); the ramp is checked against it. */
  readonly windowMinutes?: number;
}

/** The flag that sets each planner field. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  targetSessions: "--target",
  sessionsPerShard: "--sessions-per-shard",
  arrivalsPerMinute: "--arrivals-per-minute",
  arrivalsPerShardPerMinute: "--arrivals-per-shard-per-minute",
  headroom: "--headroom",
  spares: "--spares",
  maxShards: "--max-shards",
  "agents.count": "--agents",
  "agents.capacityPerAgent": "--capacity-per-agent",
  "dataActions.perSession": "--data-actions-per-session",
  "dataActions.p99LatencySeconds": "--data-action-latency-seconds",
  "limits.webMessagingSessionsPerOrg": "--sessions-per-org",
  shardsPerGroup: "--shards-per-group",
  oauthClients: "--clients",
  "limits.platformApiRequestsPerOrgPerMinute": "--org-requests-per-minute",
} satisfies Partial<Record<PlanField, string>>;

/** Names planner fields as flags; catalog overrides without a flag as the environment file's field. */
const nameAsFlag: FieldNamer = (field) =>
  FLAG_OF_FIELD[field] ?? (field.startsWith("limits.") ? `${field} in an environment file` : field);

/** Describes `--max-shards` in plans and messages. */
const MAX_SHARDS_SOURCE = "--max-shards";

/**
 * Runs `shards` with `argv` (without the node and script arguments) and returns the exit code.
 * `env` supplies the `GENESYSCLOUD_*` settings for `--from-org`; `program` names the command in error lines.
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv = process.env,
  program = "shards",
): Promise<number> {
  let request: PlanRequest | undefined;
  let plan: CapacityPlan;
  let rampWarnings: RampWarning[];
  try {
    const options = parseArgs(argv, io);
    if (options === "help") return EXIT_CODES.ok;
    request = toPlanRequest(options, env);
    plan = planShards(request.input, { fieldName: request.fieldName });
    rampWarnings = checkWindow(plan, request.windowMinutes);
  } catch (error) {
    const lines = usageLines(error, request?.fieldName, request?.label);
    if (lines === undefined) throw error;
    return reportBadInput(io, program, lines);
  }
  if (request.fromOrg) {
    for (const warning of rampWarnings) io.stderr.write(`${program}: ${warning.code}: ${warning.message}\n`);
    return preflightFromEnv(request.input, env, io, {
      json: request.json,
      fieldName: request.fieldName,
      label: request.label,
    });
  }
  io.stdout.write(
    request.json ? renderJson(plan, rampWarnings) : renderText(plan, request.fieldName, rampWarnings),
  );
  return plan.feasible ? EXIT_CODES.ok : EXIT_CODES.infeasible;
}

/**
 * Reads the command line. Returns "help" when help was printed.
 * @throws UsageError on an unknown flag, a missing flag value or extra arguments.
 */
export function parseArgs(argv: readonly string[], io: CliIO): ShardsOptions | "help" {
  const program = new Command("shards")
    .description(
      "Plan web messaging shards (one queue, inbound message flow and Messenger deployment each) for a peak load.",
    )
    .option("--target <sessions>", "peak concurrent sessions to carry (T), an integer >= 1; required")
    .option(
      "--sessions-per-shard <sessions>",
      `concurrent sessions one shard can hold (C) (default: ${LIMITS_CATALOG.webMessagingSessionsPerDeployment.defaultValue}, ` +
        "the catalog's webMessagingSessionsPerDeployment, observed in load tests)",
    )
    .option("--arrivals-per-minute <sessions>", "peak new sessions per minute (R); adds the arrivals term")
    .option(
      "--arrivals-per-shard-per-minute <connections>",
      "new connections one shard accepts per minute (Rd) (default: " +
        `${LIMITS_CATALOG.webMessagingConnectionsPerDeploymentPerMinute.defaultValue}, the catalog's ` +
        "webMessagingConnectionsPerDeploymentPerMinute)",
    )
    .option(
      "--headroom <fraction>",
      `fraction of each per-shard ceiling to use, > 0 and <= 1 (default: ${DEFAULT_HEADROOM})`,
    )
    .option(
      "--spares <shards>",
      `extra shards so that losing this many still fits (default: ${DEFAULT_SPARE_SHARDS})`,
    )
    .option(
      "--max-shards <shards>",
      `the org's maximum number of shards (M); more is infeasible (exit ${EXIT.no})`,
    )
    .option(
      "--sessions-per-org <sessions>",
      "the org-wide (tenant) ceiling of concurrent web messaging sessions, when Genesys states one; a target " +
        `above it is infeasible (exit ${EXIT.no}) whatever the shard count`,
    )
    .option(
      "--agents <agents>",
      "on-queue agents at peak, to check agent capacity (needs --capacity-per-agent)",
    )
    .option(
      "--capacity-per-agent <conversations>",
      `message capacity per agent, 1 to ${LIMITS_CATALOG.agentMaxMessageCapacity.defaultValue} (needs --agents)`,
    )
    .option(
      "--data-actions-per-session <executions>",
      "Data Actions each new session runs, to check the org's Data Action limits " +
        "(needs --data-action-latency-seconds and --arrivals-per-minute)",
    )
    .option(
      "--data-action-latency-seconds <seconds>",
      `p99 latency of one Data Action, > 0 and <= ${MAX_DATA_ACTION_LATENCY_SECONDS}`,
    )
    .option(
      "--shards-per-group <shards>",
      `shards per shard-group stack (G, default ${DEFAULT_SHARDS_PER_GROUP}); more shards split the deploy into groups`,
    )
    .option(
      "--clients <clients>",
      `OAuth clients the stacks use between them (default ${DEFAULT_OAUTH_CLIENTS}); at most one per stack works at ` +
        "once, for the deploy and plan estimates",
    )
    .option(
      "--org-requests-per-minute <requests>",
      "an org-wide Platform API rate all clients share, when Genesys states one (none is documented); caps the clients",
    )
    .option(
      "--env <name>",
      "take every plan parameter from environments/<name>.yaml (or a YAML path) instead of the flags above",
    )
    .option(
      "--from-org",
      "re-plan with the org's live limits (Limits API, via GENESYSCLOUD_* credentials) and check the plan fits",
    )
    .option(
      "--window-minutes <minutes>",
      "the booked load-test window; warns when the ramp to the target at the arrival rate takes longer",
    )
    .option("--json", "print the plan as one JSON object")
    .addHelpText(
      "after",
      `\n${exitCodesHelp(SHARDS_EXITS)}\n${exitCodesHelp(PREFLIGHT_EXITS, "With --from-org")}`,
    );
  const failure = parseQuietly(program, argv, io);
  if (failure === "help") return "help";
  if (failure?.code === "commander.excessArguments") {
    const extra = argv.filter((arg, i) => !arg.startsWith("-") && !argv[i - 1]?.startsWith("--"));
    throw new UsageError(
      `unexpected argument ${extra.map((arg) => JSON.stringify(arg)).join(", ")}: shards takes only options ` +
        "(see --help)",
    );
  }
  if (failure !== undefined) throw new UsageError(failure.message);
  return program.opts<ShardsOptions>();
}

/**
 * Turns command-line options into planner input. `env` supplies GENESYS_ENVIRONMENTS_DIR for `--env`.
 * @throws UsageError when a value is not a number, --target is missing, or a flag lacks its partner.
 */
export function toPlanRequest(options: ShardsOptions, env: CliEnv = {}): PlanRequest {
  if (options.env !== undefined) return planRequestFromEnvironment(options.env, options, env);
  if (options.target === undefined) {
    throw new UsageError("--target must be given (peak concurrent sessions, an integer >= 1), got nothing");
  }
  requirePartner("--agents", options.agents, "--capacity-per-agent", options.capacityPerAgent);
  requirePartner("--capacity-per-agent", options.capacityPerAgent, "--agents", options.agents);
  requirePartner(
    "--data-actions-per-session",
    options.dataActionsPerSession,
    "--data-action-latency-seconds",
    options.dataActionLatencySeconds,
  );
  requirePartner(
    "--data-action-latency-seconds",
    options.dataActionLatencySeconds,
    "--data-actions-per-session",
    options.dataActionsPerSession,
  );
  const maxShards = optionalNumber("--max-shards", options.maxShards);
  const agents = optionalNumber("--agents", options.agents);
  const capacityPerAgent = optionalNumber("--capacity-per-agent", options.capacityPerAgent);
  const perSession = optionalNumber("--data-actions-per-session", options.dataActionsPerSession);
  const latency = optionalNumber("--data-action-latency-seconds", options.dataActionLatencySeconds);
  const sessionsPerOrg = optionalNumber("--sessions-per-org", options.sessionsPerOrg);
  const orgRate = optionalNumber("--org-requests-per-minute", options.orgRequestsPerMinute);
  const limits = {
    ...(sessionsPerOrg === undefined ? {} : { webMessagingSessionsPerOrg: sessionsPerOrg }),
    ...(orgRate === undefined ? {} : { platformApiRequestsPerOrgPerMinute: orgRate }),
  };
  return {
    input: {
      targetSessions: parseNumber("--target", options.target),
      sessionsPerShard: optionalNumber("--sessions-per-shard", options.sessionsPerShard),
      arrivalsPerMinute: optionalNumber("--arrivals-per-minute", options.arrivalsPerMinute),
      arrivalsPerShardPerMinute: optionalNumber(
        "--arrivals-per-shard-per-minute",
        options.arrivalsPerShardPerMinute,
      ),
      headroom: optionalNumber("--headroom", options.headroom),
      spares: optionalNumber("--spares", options.spares),
      maxShards: maxShards === undefined ? undefined : { value: maxShards, source: MAX_SHARDS_SOURCE },
      agents:
        agents === undefined || capacityPerAgent === undefined
          ? undefined
          : { count: agents, capacityPerAgent },
      dataActions:
        perSession === undefined || latency === undefined
          ? undefined
          : { perSession, p99LatencySeconds: latency },
      shardsPerGroup: optionalNumber("--shards-per-group", options.shardsPerGroup),
      oauthClients: optionalNumber("--clients", options.clients),
      limits: Object.keys(limits).length === 0 ? undefined : limits,
    },
    json: options.json === true,
    fromOrg: options.fromOrg === true,
    fieldName: nameAsFlag,
    windowMinutes: windowMinutes(options),
  };
}

/** The plan flags that `--env` replaces. */
const PLAN_FLAGS: readonly (keyof ShardsOptions)[] = [
  "target",
  "sessionsPerShard",
  "arrivalsPerMinute",
  "arrivalsPerShardPerMinute",
  "headroom",
  "spares",
  "maxShards",
  "agents",
  "capacityPerAgent",
  "dataActionsPerSession",
  "dataActionLatencySeconds",
  "sessionsPerOrg",
  "shardsPerGroup",
  "clients",
  "orgRequestsPerMinute",
];

/**
 * Planner input from an environment file; messages name the file's fields.
 * @throws UsageError when plan flags are combined with --env or the file is bad.
 */
function planRequestFromEnvironment(env: string, options: ShardsOptions, variables: CliEnv): PlanRequest {
  const mixed = PLAN_FLAGS.filter((key) => options[key] !== undefined);
  if (mixed.length > 0) {
    const flags = mixed.map((key) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
    throw new UsageError(
      `--env takes every plan parameter from the environment file; drop ${flags.join(", ")} (or edit the file)`,
    );
  }
  const { environment, label } = loadCommandEnvironment(env, variables);
  return {
    input: planInputFor(environment),
    json: options.json === true,
    fromOrg: options.fromOrg === true,
    fieldName: environmentFieldName,
    label,
    windowMinutes: windowMinutes(options),
  };
}

/** `--window-minutes`, a number > 0. */
function windowMinutes(options: ShardsOptions): number | undefined {
  const minutes = optionalNumber("--window-minutes", options.windowMinutes);
  if (minutes !== undefined && !(minutes > 0))
    throw new UsageError(`--window-minutes must be > 0, got ${JSON.stringify(options.windowMinutes)}`);
  return minutes;
}

/**
 * The plan's ramp checked against the booked window.
 * @throws UsageError when a window is given but the plan has no arrival rate to ramp at.
 */
function checkWindow(plan: CapacityPlan, window: number | undefined): RampWarning[] {
  if (window === undefined) return [];
  if (plan.ramp === undefined) {
    throw new UsageError(
      "--window-minutes needs an arrival rate above 0 to time the ramp (--arrivals-per-minute, or " +
        "capacity.peakArrivalsPerMinute in the environment file)",
    );
  }
  return checkRamp(plan.ramp, { windowMinutes: window });
}

/**
 * The plan as a readable report: the headline (with what the binding ceiling rests on), the shards (identical
 * neighbours grouped), each ceiling's use and evidence, and the warnings. `name` names plan fields.
 */
export function renderText(
  plan: CapacityPlan,
  name: FieldNamer = nameAsFlag,
  rampWarnings: readonly RampWarning[] = [],
): string {
  const p = plan.parameters;
  const lines: string[] = [];
  const spareWord = plan.spares === 1 ? "spare" : "spares";
  lines.push(
    `Shard plan: ${plan.shards} shards = ${plan.baseShards} base + ${plan.spares} ${spareWord} ` +
      `(binding constraint: ${plan.binding}${plan.bindingCeiling.basis.onlyObserved ? ", an observed ceiling" : ""})` +
      (plan.feasible ? "" : ": INFEASIBLE, see the errors below"),
  );
  lines.push(
    `  sessions: ${p.targetSessions} at ${p.usableSessionsPerShard} usable per shard ` +
      `(floor(${p.sessionsPerShard} × headroom ${p.headroom})) -> ${shardCount(plan.shardsForSessions)}`,
  );
  if (p.arrivalsPerMinute !== undefined) {
    lines.push(
      `  arrivals: ${p.arrivalsPerMinute}/min at ${p.usableArrivalsPerShardPerMinute}/min usable per shard ` +
        `(floor(${p.arrivalsPerShardPerMinute} × headroom ${p.headroom})) -> ${shardCount(plan.shardsForArrivals ?? 0)}`,
    );
  }
  if (plan.ramp !== undefined) {
    lines.push(
      `  ramp: ${formatNumber(plan.ramp.minutes)} min to open ${p.targetSessions} sessions at ${p.arrivalsPerMinute}/min ` +
        "(each shard ramps at that rate times its share of the sessions)",
    );
  }
  if (plan.bindingCeiling.basis.onlyObserved) lines.push(`  ${observedCeilingNote(plan, name)}`);
  lines.push("");

  const groups = groupShares(plan.perShard);
  const arrivalsKnown = p.arrivalsPerMinute !== undefined;
  lines.push(
    ...formatTable(
      [
        ["Shards", "Count", "Sessions", ...(arrivalsKnown ? ["Arrivals/min"] : [])],
        ...groups.map((group) => [
          group.first === group.last ? `${group.first}` : `${group.first}-${group.last}`,
          `${group.last - group.first + 1}`,
          `${group.sessions}`,
          ...(arrivalsKnown ? [`${group.arrivalsPerMinute}`] : []),
        ]),
      ],
      ["left", "right", "right", "right"],
    ),
  );
  lines.push("");

  lines.push(
    ...formatTable(
      [
        ["Limit", "Used", "Available", "Used %", "", "Ceiling rests on"],
        ...plan.usage.map((entry) => [
          usageLabel(entry, plan),
          formatNumber(entry.used),
          entry.available === undefined ? "?" : formatNumber(entry.available),
          entry.fraction === undefined ? "?" : `${(entry.fraction * 100).toFixed(1)}%`,
          entry.fraction !== undefined && entry.fraction > 1 ? "OVER" : "",
          describeBasis(entry.basis, name),
        ]),
      ],
      ["left", "right", "right", "right", "left", "left"],
    ),
  );

  if (plan.warnings.length + rampWarnings.length > 0) {
    lines.push("", "Warnings:");
    for (const warning of plan.warnings) {
      lines.push(`  [${warning.severity}] ${warning.code}: ${warning.message}`);
    }
    for (const warning of rampWarnings) lines.push(`  [warning] ${warning.code}: ${warning.message}`);
  }
  return `${lines.join("\n")}\n`;
}

function shardCount(count: number): string {
  return `${count} ${count === 1 ? "shard" : "shards"}`;
}

/**
 * The plan as one JSON object, with `rampWarnings` (the ramp against `--window-minutes`); values without a value
 * (e.g. unknown limits) are `null`, never left out.
 */
export function renderJson(plan: CapacityPlan, rampWarnings: readonly RampWarning[] = []): string {
  const object = { ...plan, rampWarnings };
  return `${JSON.stringify(object, (_key, value: unknown) => (value === undefined ? null : value), 2)}\n`;
}

/** A run of neighbouring shards with the same shares. */
interface ShareGroup {
  readonly first: number;
  readonly last: number;
  readonly sessions: number;
  readonly arrivalsPerMinute: number | undefined;
}

function groupShares(shares: readonly ShardShare[]): ShareGroup[] {
  const groups: ShareGroup[] = [];
  for (const share of shares) {
    const previous = groups.at(-1);
    if (
      previous !== undefined &&
      previous.sessions === share.sessions &&
      previous.arrivalsPerMinute === share.arrivalsPerMinute
    ) {
      groups[groups.length - 1] = { ...previous, last: share.index };
    } else {
      groups.push({
        first: share.index,
        last: share.index,
        sessions: share.sessions,
        arrivalsPerMinute: share.arrivalsPerMinute,
      });
    }
  }
  return groups;
}

function usageLabel(entry: LimitUsage, plan: CapacityPlan): string {
  switch (entry.measure) {
    case "sessions-per-shard":
      return "Sessions per shard";
    case "sessions-per-shard-after-losing-spares":
      return `Sessions per shard after losing ${shardCount(plan.spares)}`;
    case "arrivals-per-shard":
      return "New sessions per shard per minute";
    case "sessions-per-org":
      return "Sessions per org (tenant-wide)";
    case "shards":
      return `Shards vs ${entry.basis.origin === "input" || entry.limit === undefined ? entry.source : LIMITS_CATALOG[entry.limit].title}`;
    case "queue-groups":
      return `Queue groups vs ${entry.limit === undefined ? entry.source : LIMITS_CATALOG[entry.limit].title}`;
    case "conversations-per-queue":
      return "Sessions in the largest queue group vs conversations per queue";
    case "members-per-queue":
      return "Agents vs members per queue";
    case "data-action-concurrency":
      return "Data Actions in flight (org)";
    case "data-action-rate":
      return "Data Action executions per minute (org)";
    case "agent-capacity":
      return "Sessions vs agents × capacity per agent";
    case "deploy-api-rate":
      return `Deploy: requests/min to finish in ${DEPLOY_MINUTES_WARNING_THRESHOLD} min`;
  }
}

function parseNumber(flag: string, text: string): number {
  try {
    return parseDecimal(flag, text);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message);
    throw error;
  }
}

function optionalNumber(flag: string, text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseNumber(flag, text);
}

function requirePartner(
  flag: string,
  value: string | undefined,
  partner: string,
  partnerValue: string | undefined,
) {
  if (value !== undefined && partnerValue === undefined) {
    throw new UsageError(`${flag} needs ${partner}, got ${flag} ${value} alone`);
  }
}

/** The lines to print for bad input, or undefined for anything else (a programming error). */
function usageLines(
  error: unknown,
  fieldName: FieldNamer = nameAsFlag,
  label?: string,
): readonly string[] | undefined {
  if (error instanceof PlanInputError)
    return [`${label === undefined ? "" : `${label}: `}${error.render(fieldName)}`];
  return inputProblems(error);
}

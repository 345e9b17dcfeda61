/**
 * `genesys-cdktf <command> [options]`: the project's one command (projen's way: one bin, one file per
 * subcommand, shared parsing, one exit-code table). Each subcommand is one file of cli/ whose `main(argv, io, env)`
 * returns its exit code from cli/exit-codes.ts; this file picks the subcommand, prints the overview and runs the
 * process for cli/bin.cjs, the package's `bin`. The npm scripts are aliases: `npm run shards -- …` runs
 * `node cli/bin.cjs shards …`.
 */
import { formatTable } from "../capacity/format";
import type { CliEnv, CliIO } from "./command";
import { main as demo, DEMO_EXITS } from "./demo";
import { main as emulator, EMULATOR_EXITS } from "./emulator";
import { EXIT, EXIT_MEANINGS, exitCodesOf, type ExitMeanings, type ExitName } from "./exit-codes";
import { main as planSummary, PLAN_SUMMARY_EXITS } from "./plan-summary";
import { main as preflight } from "./preflight";
import { PREFLIGHT_EXITS } from "./preflight-run";
import { main as rehearse, REHEARSE_EXITS } from "./rehearse";
import { REPORT_EXITS } from "./rehearse-report";
import { main as shardMap, SHARD_MAP_EXITS } from "./shard-map";
import { main as shards, SHARDS_EXITS } from "./shards";
import { main as watch, WATCH_EXITS } from "./watch";

/** The program's name, as package.json's `bin` gives it. */
export const PROGRAM = "genesys-cdktf";

/** What the process gives a running command. */
export interface RunContext {
  /** Aborts on the first of the command's `stopsOn` signals, so it can stop cleanly. */
  readonly signal?: AbortSignal;
}

/** One subcommand: its file's `main`, and what the overview says of it. */
export interface Subcommand {
  readonly name: string;
  /** Other names it answers to, e.g. `loadtest` for `rehearse` (npm run loadtest). */
  readonly aliases?: readonly string[];
  /** One line for the overview. */
  readonly summary: string;
  /** What each exit code it returns means (its `--help` says the same). */
  readonly exits: ExitMeanings;
  /** Words after its name that make another command, e.g. `rehearse report`. */
  readonly subcommands?: readonly {
    readonly name: string;
    readonly summary: string;
    readonly exits: ExitMeanings;
  }[];
  /**
   * Signals that stop it cleanly when it runs as the process: the first aborts `RunContext.signal`, a second one
   * exits 130 at once. Without them, a signal ends the process as usual.
   */
  readonly stopsOn?: readonly NodeJS.Signals[];
  run(argv: readonly string[], io: CliIO, env: CliEnv, context: RunContext): Promise<number> | number;
}

/** Every subcommand, in the order the overview lists them. */
export const SUBCOMMANDS: readonly Subcommand[] = [
  {
    name: "shards",
    summary: "plan web messaging shards for a peak load (flags, or --env <env>)",
    exits: SHARDS_EXITS,
    run: (argv, io, env) => shards(argv, io, env),
  },
  {
    name: "preflight",
    summary: "check an environment's plan against the org's live limits",
    exits: PREFLIGHT_EXITS,
    run: (argv, io, env) => preflight(argv, io, env),
  },
  {
    name: "shard-map",
    summary: "write an environment's shard map (CSV or JSON) for a load test",
    exits: SHARD_MAP_EXITS,
    run: (argv, io, env) => shardMap(argv, io, env),
  },
  {
    name: "plan-summary",
    summary: "review a saved Terraform plan of a stack (shards, destroys, API cost)",
    exits: PLAN_SUMMARY_EXITS,
    run: (argv, io) => planSummary(argv, io),
  },
  {
    name: "rehearse",
    aliases: ["loadtest"],
    summary: "drive guest sessions along a shard map: the emulator, an approved org",
    exits: REHEARSE_EXITS,
    subcommands: [
      { name: "report", summary: "merge several machines' rehearse --out results", exits: REPORT_EXITS },
    ],
    stopsOn: ["SIGINT"],
    // `process` as io carries stdin, where an approved load test is confirmed.
    run: (argv, io, env, { signal }) => rehearse(argv, io, env, { signal }),
  },
  {
    name: "watch",
    summary: "live capacity per shard during a load test",
    exits: WATCH_EXITS,
    stopsOn: ["SIGINT"],
    run: (argv, io, env, { signal }) => watch(argv, io, env, { signal }),
  },
  {
    name: "demo",
    summary: "deploy an environment into the local emulator and print its shard map",
    exits: DEMO_EXITS,
    run: (argv, io, env) => demo(argv, io, env),
  },
  {
    name: "emulator",
    summary: "the local Genesys Cloud Platform API emulator",
    exits: EMULATOR_EXITS,
    stopsOn: ["SIGINT", "SIGTERM"],
    run: (argv, io, env, { signal }) => emulator(argv, io, env, { signal }),
  },
];

const HELP_FLAGS = new Set(["--help", "-h", "help"]);

/**
 * Runs `genesys-cdktf` with `argv` (the words after the program) and returns the exit code: the subcommand
 * `argv[0]` names with the rest, or the overview for `--help`. A missing or unknown subcommand is one line on
 * stderr and exit 2.
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv = process.env,
  context: RunContext = {},
): Promise<number> {
  const [name, ...rest] = argv;
  if (name !== undefined && HELP_FLAGS.has(name)) {
    // `help <command>` is `<command> --help`.
    const asked = name === "help" ? rest[0] : undefined;
    if (asked === undefined) {
      io.stdout.write(overview());
      return EXIT.ok;
    }
    return main([asked, "--help"], io, env, context);
  }
  const subcommand = subcommandNamed(name);
  if (subcommand === undefined) {
    const names = SUBCOMMANDS.map((command) => command.name).join(", ");
    const problem = name === undefined ? "a command is required" : `unknown command ${JSON.stringify(name)}`;
    io.stderr.write(`${PROGRAM}: ${problem} (commands: ${names}; ${PROGRAM} --help lists them)\n`);
    return EXIT.badInput;
  }
  return subcommand.run(rest, io, env, context);
}

/** The subcommand `name` names, by its name or an alias. */
function subcommandNamed(name: string | undefined): Subcommand | undefined {
  return SUBCOMMANDS.find((command) => command.name === name || (command.aliases ?? []).includes(name ?? ""));
}

/** The overview `genesys-cdktf --help` prints: usage, every subcommand with its exit codes, the exit-code table. */
export function overview(): string {
  const exits = (meanings: ExitMeanings) => `exits ${exitCodesOf(meanings).join(" ")}`;
  const rows = SUBCOMMANDS.flatMap((command) => [
    [
      command.name,
      `${command.summary}${command.aliases ? ` (also: ${command.aliases.join(", ")})` : ""}`,
      exits(command.exits),
    ],
    ...(command.subcommands ?? []).map((sub) => [
      `${command.name} ${sub.name}`,
      sub.summary,
      exits(sub.exits),
    ]),
  ]);
  const table = (Object.keys(EXIT) as ExitName[]).map((code) => [String(EXIT[code]), EXIT_MEANINGS[code]]);
  return [
    `Usage: ${PROGRAM} <command> [options]`,
    "   or: npm run --silent <command> -- [options]   (the npm scripts are aliases)",
    "",
    "Commands:",
    ...formatTable(rows, ["left", "left", "left"]).map((line) => `  ${line}`),
    "",
    `${PROGRAM} <command> --help shows a command's options and what its exit codes mean.`,
    "",
    "Exit codes, the same in every command:",
    ...formatTable(table, ["right", "left"]).map((line) => `  ${line}`),
    "",
  ].join("\n");
}

/**
 * Runs this process's command line (cli/bin.cjs calls it) and sets its exit code. A command that `stopsOn`
 * signals gets them as an AbortSignal; once one came, the process exits with the command's code, since a request
 * still in flight would hold it until it answers.
 */
export function runProgram(argv: readonly string[]): void {
  const signals = subcommandNamed(argv[0])?.stopsOn ?? [];
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(EXIT.interrupted); // a second one does not wait for anything
    stop.abort();
  };
  for (const signal of signals) process.on(signal, onSignal);
  void main(argv, process, process.env, { signal: signals.length > 0 ? stop.signal : undefined }).then(
    (code) => {
      if (stop.signal.aborted) process.exit(code);
      process.exitCode = code;
    },
  );
}

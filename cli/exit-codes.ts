/**
 * The exit codes of every command, in one table: a number means the same in each command (README "Commands").
 * No other file of cli/ writes an exit code as a number (test/cli/exit-codes.test.ts checks it); each command
 * says what the codes it returns mean for it, with {@link ExitMeanings}.
 */
export const EXIT = {
  /** Done, and the answer is yes: a plan, it fits, written, nothing refused, below headroom, deployed. */
  ok: 0,
  /** The work failed: a deploy into the emulator (demo), or the emulator could not start. */
  failed: 1,
  /** Bad usage or bad input, rejected credentials: one line on stderr, no stack trace. */
  badInput: 2,
  /** The answer is no: infeasible, does not fit, refused, above headroom, destructive without leave. */
  no: 3,
  /** What the command must reach could not be reached: the org's API, the guest endpoint. */
  unreachable: 4,
  /** Interrupted: Ctrl-C stopped a rehearsal (its partial report printed), or came twice while a command stopped. */
  interrupted: 130,
} as const;

export type ExitName = keyof typeof EXIT;
export type ExitCode = (typeof EXIT)[ExitName];

/** What the table's codes mean in general, for `genesys-cdktf --help`. */
export const EXIT_MEANINGS: Readonly<Record<ExitName, string>> = {
  ok: "done, and the answer is yes (a plan, it fits, written, nothing refused)",
  failed: "the work failed (a deploy into the emulator, an emulator that could not start)",
  badInput: "bad usage or input, rejected credentials (one line on stderr)",
  no: "the answer is no: infeasible, does not fit, refused, above headroom, destructive",
  unreachable: "unreachable: the org's API or the guest endpoint",
  interrupted: "interrupted: Ctrl-C stopped a rehearsal, or a second one came while stopping",
};

/** What each exit code a command returns means for that command, in the table's order. */
export type ExitMeanings = Readonly<Partial<Record<ExitName, string>>>;

/** The codes a command returns, in the table's order. */
export function exitCodesOf(meanings: ExitMeanings): ExitCode[] {
  return (Object.keys(EXIT) as ExitName[]).filter((name) => name in meanings).map((name) => EXIT[name]);
}

/** A command's help line of exit codes: `Exit codes: 0 a plan, 2 bad input, 3 infeasible.` */
export function exitCodesHelp(meanings: ExitMeanings, heading = "Exit codes"): string {
  const parts = (Object.keys(EXIT) as ExitName[])
    .filter((name) => name in meanings)
    .map((name) => `${EXIT[name]} ${meanings[name]}`);
  return `${heading}: ${parts.join(", ")}.`;
}

/**
 * What every command shares: where it writes (CliIO), commander run quietly (so each command owns its messages),
 * the number parser, and how bad input is reported (one line per problem, exit 2).
 */
import { CommanderError, InvalidArgumentError, type Command, type Option } from "commander";
import { EnvironmentError } from "../config/environment";
import { ResultsError } from "../rehearsal/results";
import { ShardMapError } from "../shard-map";
import { EXIT } from "./exit-codes";

/**
 * Where a command writes: its result on `stdout`, one line per problem (and progress) on `stderr`. Every command
 * takes it, and `process` fits. `isTTY` says a stream is a terminal, where a live view redraws in place.
 */
export interface CliIO {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
}

/** The environment variables a command reads (`process.env` fits); tests pass their own. */
export type CliEnv = Readonly<Record<string, string | undefined>>;

/**
 * Parses `argv` (without the node and script arguments) with `program`, which prints nothing but its help (on
 * `io.stdout`) and never exits the process. Returns "help" when help was printed, the CommanderError of bad
 * usage (its message one line, without commander's "error: " prefix), or undefined when the command line is good.
 * A flag that takes one value and is given more than once is bad usage (code `commander.repeatedOption`):
 * commander would keep the last value silently.
 */
export function parseQuietly(
  program: Command,
  argv: readonly string[],
  io: CliIO,
): "help" | CommanderError | undefined {
  program.exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: () => undefined,
    outputError: () => undefined,
  });
  const given = valuesGiven(program);
  try {
    program.parse([...argv], { from: "user" });
    return repeatedOption(given);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === "commander.helpDisplayed" || error.code === "commander.help") return "help";
    error.message = error.message.replace(/^error: /, "").replace(/\n/g, " ");
    return error;
  }
}

/** Every value given to each option of `program` that takes one value, in order, as commander reads them. */
function valuesGiven(program: Command): Map<Option, string[]> {
  const given = new Map<Option, string[]>();
  for (const option of program.options) {
    if (option.variadic || option.isBoolean()) continue;
    // commander emits this event once per occurrence, whatever its form: `--flag v`, `--flag=v`, `-fv`.
    program.on(`option:${option.name()}`, (value: string | null) => {
      given.set(option, [...(given.get(option) ?? []), value ?? ""]);
    });
  }
  return given;
}

/** The error for the first option given more than once, if any. */
function repeatedOption(given: Map<Option, string[]>): CommanderError | undefined {
  for (const [option, values] of given) {
    if (values.length < 2) continue;
    const times = values.length === 2 ? "twice" : `${values.length} times`;
    const typed = values.map((value) => (/^[^\s,]+$/.test(value) ? value : JSON.stringify(value)));
    return new CommanderError(
      2,
      "commander.repeatedOption",
      `${option.long ?? option.short} was given ${times} (${typed.join(", ")}); give it once`,
    );
  }
  return undefined;
}

/** Digits a number may be typed with at most: a double keeps 15 significant digits exactly, not more. */
export const MAX_NUMBER_DIGITS = 15;

/** A decimal number as people type it: no hex, no blanks, no trailing text. */
const DECIMAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads the value of `flag` as a decimal number. `allowed` says what the flag takes, for the message when `text`
 * is no number. A number of more than {@link MAX_NUMBER_DIGITS} digits is refused by its length rather than
 * rounded (99999999999999999999 would become 100000000000000000000), and so is one too large or too small for a
 * double; every message quotes `text` as typed.
 * @throws InvalidArgumentError (commander's, so it can serve as an option's argument parser)
 */
export function parseDecimal(flag: string, text: string, allowed = "a number"): number {
  const match = DECIMAL_NUMBER.exec(text);
  if (match === null)
    throw new InvalidArgumentError(`${flag} must be ${allowed}, got ${JSON.stringify(text)}`);
  const mantissa = text.replace(/[eE].*$/, "");
  const digits = mantissa.replace(/\D/g, "").replace(/^0+/, "").length;
  if (digits > MAX_NUMBER_DIGITS) {
    throw new InvalidArgumentError(
      `${flag} must be a number of at most ${MAX_NUMBER_DIGITS} digits, got ${JSON.stringify(text)} (${digits} digits)`,
    );
  }
  const value = Number(text);
  const magnitude = Math.abs(value);
  if (!Number.isFinite(value) || (digits > 0 && (magnitude < 1e-300 || magnitude > 1e300))) {
    throw new InvalidArgumentError(
      `${flag} must be a number from 1e-300 to 1e300 in size (or 0), got ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** Bad usage of a command, reported as one line and exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The lines to print for bad input: a UsageError's message, or the problems of an input error of a domain folder
 * (EnvironmentError, ShardMapError, ResultsError); undefined for anything else, a programming error, which crashes.
 */
export function inputProblems(error: unknown): readonly string[] | undefined {
  if (error instanceof UsageError) return [error.message];
  if (error instanceof EnvironmentError || error instanceof ShardMapError || error instanceof ResultsError)
    return error.problems;
  return undefined;
}

/** Writes each line as `<command>: <line>` on stderr and returns the exit code of bad input. */
export function reportBadInput(io: CliIO, command: string, lines: readonly string[]): typeof EXIT.badInput {
  for (const line of lines) io.stderr.write(`${command}: ${line}\n`);
  return EXIT.badInput;
}

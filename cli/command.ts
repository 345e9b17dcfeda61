/** What the command-line entry points share: commander run quietly, so each command owns its messages and exit codes. */
import { CommanderError, type Command } from "commander";

/** Where a command writes. `process` fits. */
export interface CliIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * Parses `argv` (without the node and script arguments) with `program`, which prints nothing but its help (on
 * `io.stdout`) and never exits the process. Returns "help" when help was printed, the CommanderError of bad
 * usage (its message one line, without commander's "error: " prefix), or undefined when the command line is good.
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
  try {
    program.parse([...argv], { from: "user" });
    return undefined;
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === "commander.helpDisplayed" || error.code === "commander.help") return "help";
    error.message = error.message.replace(/^error: /, "").replace(/\n/g, " ");
    return error;
  }
}

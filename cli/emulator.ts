/**
 * `genesys-cdktf emulator` (`npm run emulator -- --port 8089 &`, stopped with `kill $!`): the local emulator of
 * the Genesys Cloud Platform API. Its command line is emulator/main.ts (`runEmulatorCommand`), which imports
 * nothing of the project; this file gives it the project's exit codes and the process's stop signal.
 *
 * Exit codes (EMULATOR_EXITS): stopped by SIGINT or SIGTERM (or help); it could not start (e.g. the port in use);
 * bad usage, or an unreadable --limits-file or --seed-file.
 */
import { runEmulatorCommand, type EmulatorCommandEnd } from "../emulator/main";
import type { CliEnv, CliIO } from "./command";
import { EXIT, exitCodesHelp, type ExitCode, type ExitMeanings } from "./exit-codes";

/** What each exit code of `emulator` means. */
export const EMULATOR_EXITS: ExitMeanings = {
  ok: "stopped by SIGINT (Ctrl-C) or SIGTERM (kill)",
  failed: "it could not start (e.g. the port is in use)",
  badInput: "bad usage, or an unreadable --limits-file or --seed-file",
  interrupted: "a second SIGINT or SIGTERM while stopping",
};

const EXIT_OF: Readonly<Record<EmulatorCommandEnd, ExitCode>> = {
  help: EXIT.ok,
  stopped: EXIT.ok,
  "bad-usage": EXIT.badInput,
  failed: EXIT.failed,
};

export interface EmulatorRunOptions {
  /** Stops the emulator; it then closes and returns 0. @default - runs until the process ends */
  readonly signal?: AbortSignal;
}

/**
 * Runs `emulator` with `argv` (the words after `emulator`): serves until `options.signal` aborts and returns the
 * exit code. `env` supplies GENESYSCLOUD_OAUTHCLIENT_ID / _SECRET and GENESYSCLOUD_ACCESS_TOKEN.
 */
export async function main(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv = process.env,
  options: EmulatorRunOptions = {},
): Promise<number> {
  const end = await runEmulatorCommand(argv, io, env, options.signal ?? new AbortController().signal);
  if (end === "help") io.stdout.write(`\n${exitCodesHelp(EMULATOR_EXITS)}\n`);
  return EXIT_OF[end];
}

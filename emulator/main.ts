/**
 * Command line of the Genesys Cloud API emulator: `genesys-cdktf emulator` (`npm run emulator`; cli/emulator.ts
 * runs `runEmulatorCommand` and owns the exit codes), or on its own, as CI's tests and the benchmarks start it:
 *
 *   npx tsx emulator/main.ts --port 8089 [--state-file f] [--fault-rate 0.1] [--latency-ms 50] [--limits-file f]
 *                            [--seed-file f]
 *
 * The accepted OAuth client is GENESYSCLOUD_OAUTHCLIENT_ID / GENESYSCLOUD_OAUTHCLIENT_SECRET when both are set;
 * otherwise a throwaway client is generated and printed. GENESYSCLOUD_ACCESS_TOKEN, when set, is accepted as a
 * bearer token without a login, as the provider's `access_token` sends it. The limits file holds the org's values by namespace and
 * key, e.g. {"dataactions": {"actions.concurrent.executions.max": 20}}. The seed file holds users, groups, teams and
 * skill groups that exist before Terraform runs (format in emulator/seed.ts).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { FAULT_STATUSES, type FaultStatus } from "./faults";
import { seedSchema, type Seed } from "./seed";
import { createEmulator, type Emulator } from "./server";
import type { LimitValues } from "./store";

const limitsFileSchema = z.record(z.string(), z.record(z.string(), z.number()));

function number(name: string, min: number, max: number) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
      throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
}

function faultKinds(raw: string): FaultStatus[] {
  return raw.split(",").map((part) => {
    const status = Number(part.trim()) as FaultStatus;
    if (!FAULT_STATUSES.includes(status)) {
      throw new InvalidArgumentError(
        `--fault-kinds takes statuses from ${FAULT_STATUSES.join(",")}, got "${part}"`,
      );
    }
    return status;
  });
}

/**
 * Reads a JSON file named by a flag and checks it with `schema`; every failure is one line naming the file,
 * because the emulator prints it as its only output before exiting 2.
 */
function readJsonFile<T>(
  path: string,
  what: string,
  schema: z.ZodType<T>,
  problem: (issue: string) => string,
): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InvalidArgumentError(`${path}: cannot read the ${what} (${(error as Error).message})`);
  }
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const where = issue.path.length > 0 ? issue.path.join(".") : "the top level";
  throw new InvalidArgumentError(`${path}: ${problem(`${where}: ${issue.message}`)}`);
}

const readLimitsFile = (path: string): LimitValues =>
  readJsonFile(
    path,
    "limits file",
    limitsFileSchema,
    () =>
      'the limits file must map namespaces to {key: number}, e.g. {"dataactions": {"actions.concurrent.executions.max": 20}}',
  );

const readSeedFile = (path: string): Seed =>
  readJsonFile(path, "seed file", seedSchema, (issue) => `not a seed file (${issue}); see emulator/seed.ts`);

/** Where the command line writes. `process` fits. */
export interface EmulatorCommandIO {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * How the command line ended: help printed; bad usage (one line printed); served until stopped; or it could not
 * start (one line printed, e.g. the port in use).
 */
export type EmulatorCommandEnd = "help" | "bad-usage" | "stopped" | "failed";

/**
 * Runs the emulator's command line: parses `argv`, starts the emulator, prints where it listens and serves until
 * `stop` aborts, then closes it. Every line goes to `io`; it never exits the process. `env` supplies
 * GENESYSCLOUD_OAUTHCLIENT_ID / _SECRET and GENESYSCLOUD_ACCESS_TOKEN.
 */
export async function runEmulatorCommand(
  argv: readonly string[],
  io: EmulatorCommandIO,
  env: Readonly<Record<string, string | undefined>>,
  stop: AbortSignal,
): Promise<EmulatorCommandEnd> {
  const program = new Command()
    .name("emulator")
    .description("Local emulator of the Genesys Cloud Platform API")
    .option("--port <port>", "TCP port (0 = any free port)", number("--port", 0, 65535), 8089)
    .option("--host <address>", "address to listen on", "127.0.0.1")
    .option("--state-file <file>", "load state from and save it to this JSON file")
    .option("--limits-file <file>", "JSON file with the org's limit values by namespace and key")
    .option(
      "--time-scale <k>",
      "guest WebSocket ceilings per minute count over 60/k seconds (match rehearse --time-scale)",
      number("--time-scale", 0.001, 10000),
      1,
    )
    .option("--seed-file <file>", "JSON file of users, groups, teams and skill groups to create at start")
    .option(
      "--fault-rate <fraction>",
      "fraction of /api/v2 requests that get a fault",
      number("--fault-rate", 0, 1),
      0,
    )
    .addOption(
      new Option("--fault-kinds <statuses>", "comma-separated statuses random faults pick from")
        .argParser(faultKinds)
        .default([...FAULT_STATUSES], FAULT_STATUSES.join(",")),
    )
    .option("--retry-after <seconds>", "Retry-After of injected 429s", number("--retry-after", 0, 3600), 1)
    .option("--seed <n>", "seed of the fault generator", number("--seed", 0, 2 ** 32 - 1), 1)
    .option("--latency-ms <ms>", "delay added to every request", number("--latency-ms", 0, 60000), 0);
  program.exitOverride().configureOutput({
    writeOut: (text) => io.stdout.write(text),
    writeErr: () => undefined,
    outputError: () => undefined,
  });
  try {
    program.parse([...argv], { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return "help";
    io.stderr.write(`emulator: ${error.message.replace(/^error: /, "").replace(/\n/g, " ")}\n`);
    return "bad-usage";
  }
  const flags = program.opts<{
    port: number;
    host: string;
    stateFile?: string;
    limitsFile?: string;
    timeScale: number;
    seedFile?: string;
    faultRate: number;
    faultKinds: FaultStatus[];
    retryAfter: number;
    seed: number;
    latencyMs: number;
  }>();

  const envId = env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const envSecret = env.GENESYSCLOUD_OAUTHCLIENT_SECRET;
  const generated = !envId || !envSecret;
  const client = generated
    ? { clientId: "emulator-client", clientSecret: randomBytes(18).toString("base64url") }
    : { clientId: envId, clientSecret: envSecret };

  let limits: LimitValues | undefined;
  let seedObjects: Seed | undefined;
  try {
    limits = flags.limitsFile ? readLimitsFile(flags.limitsFile) : undefined;
    seedObjects = flags.seedFile ? readSeedFile(flags.seedFile) : undefined;
  } catch (error) {
    io.stderr.write(`emulator: ${(error as Error).message}\n`);
    return "bad-usage";
  }

  let emulator: Emulator;
  try {
    emulator = await createEmulator({
      port: flags.port,
      host: flags.host,
      stateFile: flags.stateFile,
      limits,
      guest: { timeScale: flags.timeScale },
      seedObjects,
      faultRate: flags.faultRate,
      faultKinds: flags.faultKinds,
      retryAfterSeconds: flags.retryAfter,
      seed: flags.seed,
      latencyMs: flags.latencyMs,
      clients: [client],
      accessTokens: env.GENESYSCLOUD_ACCESS_TOKEN ? [env.GENESYSCLOUD_ACCESS_TOKEN] : [],
      log: (line) => io.stderr.write(`emulator: ${line}\n`),
    });
  } catch (error) {
    io.stderr.write(`emulator: ${(error as Error).message}\n`);
    return "failed";
  }

  io.stdout.write(`Genesys Cloud emulator listening on ${emulator.url}\n`);
  if (generated) {
    // A throwaway client of this process, not a real credential.
    io.stdout.write(
      `  export GENESYSCLOUD_OAUTHCLIENT_ID=${client.clientId} GENESYSCLOUD_OAUTHCLIENT_SECRET=${client.clientSecret}\n`,
    );
  }

  await new Promise<void>((resolve) => {
    if (stop.aborted) resolve();
    stop.addEventListener("abort", () => resolve(), { once: true });
  });
  await emulator.close();
  return "stopped";
}

/** Exit codes when run on its own: those of genesys-cdktf's table (cli/exit-codes.ts), which it cannot import. */
const EXIT_CODE_OF: Readonly<Record<EmulatorCommandEnd, number>> = {
  help: 0,
  stopped: 0,
  "bad-usage": 2,
  failed: 1,
};

if (require.main === module) {
  // SIGINT (Ctrl-C) or SIGTERM (`kill`) closes the emulator, then the process exits.
  const stop = new AbortController();
  process.once("SIGINT", () => stop.abort());
  process.once("SIGTERM", () => stop.abort());
  void runEmulatorCommand(process.argv.slice(2), process, process.env, stop.signal).then((end) =>
    process.exit(EXIT_CODE_OF[end]),
  );
}

/**
 * `rehearse --voice <env>`: drives the environment's voice entry (its `voice:` section) as call flow runs against
 * the emulator's Data Action execute endpoint, with the flow's timeout and failure path applied as Architect would
 * (rehearsal/voice.ts), and prints per second the executions in flight, timeouts, failure-path transfers and the
 * calls that would have hung.
 *
 *   npm run --silent rehearse -- --voice test --downstream-latency-seconds 45 --time-scale 10
 *
 * Loopback only: a Data Action run against a real org would call the real endpoint (a ServiceNow), so the API URL
 * must be the emulator's (127.0.0.1, ::1 or localhost). The action is the environment's voice Data Action, found by
 * its display name, or `--action-id`. `--downstream-latency-seconds` / `--downstream-failure-rate` set the
 * emulator's fake downstream (and its time scale) before the run.
 *
 * Exit codes: 0 every call reached the queue; 2 bad usage or input (one line); 3 calls would have hung; 4 the API
 * could not be reached; 130 interrupted.
 */
import { Command, Option } from "commander";
import {
  parseDecimal,
  parseQuietly,
  reportBadInput,
  inputProblems,
  UsageError,
  type CliEnv,
  type CliIO,
} from "./command";
import { loadCommandEnvironment } from "./environment";
import { EXIT, exitCodesHelp, type ExitMeanings } from "./exit-codes";
import { maxCallerWait, voiceDataAction } from "../config/voice";
import { displayName } from "../genesys";
import { formatVoiceReport, rehearseVoice, type VoiceRehearsalResult } from "../rehearsal/voice";
import { isLoopbackHost } from "../rehearsal/target";

/** What each exit code of `rehearse --voice` means. */
export const VOICE_EXITS: ExitMeanings = {
  ok: "every call reached the queue",
  badInput: "bad usage or input (one line)",
  no: "calls would have hung (not at the queue within the caller's wait)",
  unreachable: "the API could not be reached",
  interrupted: "interrupted (the report so far is printed)",
};

interface VoiceFlags {
  url?: string;
  token?: string;
  actionId?: string;
  calls?: number;
  callsPerMinute?: number;
  timeScale: number;
  callerWaitSeconds?: number;
  flowTimeoutSeconds?: number;
  onFailure: "transfer" | "retry";
  retryDelaySeconds: number;
  downstreamLatencySeconds?: number;
  downstreamFailureRate?: number;
  json?: boolean;
}

const positive = (flag: string) => (text: string) => {
  const value = parseDecimal(flag, text, "a number > 0");
  if (!(value > 0)) throw new UsageError(`${flag} must be a number > 0, got ${JSON.stringify(text)}`);
  return value;
};

/** Runs `rehearse --voice` with `argv` (without `--voice`) and returns the exit code. */
export async function voiceMain(
  argv: readonly string[],
  io: CliIO,
  env: CliEnv,
  runtime: { readonly signal?: AbortSignal } = {},
): Promise<number> {
  const program = new Command("rehearse --voice")
    .description(
      "Drive an environment's voice entry as call flow runs through the emulator's Data Action execute endpoint, " +
        "with the flow's timeout and failure path; report per second executions in flight, timeouts, " +
        "failure-path transfers and calls that would have hung.",
    )
    .argument("<env>", "environment name or .yaml path (its voice: section)")
    .option(
      "--url <url>",
      "the Platform API (default http://$GENESYSCLOUD_GATEWAY_HOST:$GENESYSCLOUD_GATEWAY_PORT)",
    )
    .option("--token <token>", "bearer token the API accepts (default $GENESYSCLOUD_ACCESS_TOKEN)")
    .option("--action-id <id>", "the Data Action (default: the voice section's, found by its display name)")
    .option("--calls <n>", "calls to drive (default: one minute at the peak)", positive("--calls"))
    .option(
      "--calls-per-minute <n>",
      "arrival rate (default: voice.peakCallsPerMinute)",
      positive("--calls-per-minute"),
    )
    .option("--time-scale <s>", "model time runs this many times faster", positive("--time-scale"), 1)
    .option(
      "--caller-wait-seconds <s>",
      "a call not at the queue after this would have hung (default: voice.maxCallerWaitSeconds, 30)",
      positive("--caller-wait-seconds"),
    )
    .option(
      "--flow-timeout-seconds <s>",
      "how long the flow waits for the action (default: the action's timeout)",
      positive("--flow-timeout-seconds"),
    )
    .addOption(
      new Option(
        "--on-failure <path>",
        "transfer (the project's flow) or retry (a flow without a failure path)",
      )
        .choices(["transfer", "retry"])
        .default("transfer"),
    )
    .option(
      "--retry-delay-seconds <s>",
      "with --on-failure retry: seconds between attempts",
      positive("--retry-delay-seconds"),
      1,
    )
    .option(
      "--downstream-latency-seconds <s>",
      "set the emulator's fake downstream latency (model seconds) first",
      (text) => parseDecimal("--downstream-latency-seconds", text),
    )
    .option(
      "--downstream-failure-rate <f>",
      "set the emulator's fake downstream failure rate (0..1) first",
      (text) => parseDecimal("--downstream-failure-rate", text),
    )
    .option("--json", "print the result as JSON")
    .addHelpText("after", `\n${exitCodesHelp(VOICE_EXITS)}`);

  let flags: VoiceFlags;
  let plan: Parameters<typeof rehearseVoice>[0];
  try {
    const failure = parseQuietly(program, argv, io);
    if (failure === "help") return EXIT.ok;
    if (failure !== undefined) throw new UsageError(failure.message);
    flags = program.opts<VoiceFlags>();
    const { environment, label } = loadCommandEnvironment(program.args[0], env);
    const voice = environment.voice;
    if (!voice) throw new UsageError(`${label} has no voice: section (README: Voice entry and Data Actions)`);
    const action = voiceDataAction(voice);
    if (!action && !flags.actionId) {
      throw new UsageError(
        `${label}: voice.dataAction is not set, so the flow calls no Data Action; give --action-id`,
      );
    }
    const apiUrl = (flags.url ?? defaultUrl(env)).replace(/\/+$/, "");
    const host = new URL(apiUrl).hostname;
    if (!isLoopbackHost(host)) {
      throw new UsageError(
        `--url ${apiUrl} is not a loopback address: a voice rehearsal runs Data Actions, which on a real org would ` +
          "call the real endpoint; rehearse against the emulator (npm run emulator)",
      );
    }
    const token = flags.token ?? env.GENESYSCLOUD_ACCESS_TOKEN;
    if (!token) throw new UsageError("--token (or GENESYSCLOUD_ACCESS_TOKEN) is required");
    const callsPerMinute = flags.callsPerMinute ?? voice.peakCallsPerMinute;
    const timeoutSeconds = flags.flowTimeoutSeconds ?? action?.timeoutSeconds;
    if (timeoutSeconds === undefined)
      throw new UsageError("--flow-timeout-seconds is required with --action-id alone");
    const actionId =
      flags.actionId ?? (await findAction(apiUrl, token, displayName(environment.namePrefix, action!.name)));
    plan = {
      apiUrl,
      token,
      actionId,
      calls: Math.round(flags.calls ?? callsPerMinute),
      callsPerSecond: callsPerMinute / 60,
      flow: { timeoutSeconds, onFailure: flags.onFailure, retryDelaySeconds: flags.retryDelaySeconds },
      callerWaitSeconds: flags.callerWaitSeconds ?? maxCallerWait(voice),
      timeScale: flags.timeScale,
      signal: runtime.signal,
    };
    if (flags.downstreamLatencySeconds !== undefined || flags.downstreamFailureRate !== undefined) {
      await setDownstream(apiUrl, flags);
    }
  } catch (error) {
    if (error instanceof Unreachable) {
      io.stderr.write(`rehearse --voice: ${error.message}\n`);
      return EXIT.unreachable;
    }
    const lines = inputProblems(error);
    if (lines === undefined) throw error;
    return reportBadInput(io, "rehearse --voice", lines);
  }

  let result: VoiceRehearsalResult;
  try {
    result = await rehearseVoice(plan);
  } catch (error) {
    io.stderr.write(`rehearse --voice: ${(error as Error).message}\n`);
    return EXIT.unreachable;
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(`${formatVoiceReport(result).join("\n")}\n`);
  if (result.interrupted) return EXIT.interrupted;
  return result.totals.hung > 0 ? EXIT.no : EXIT.ok;
}

class Unreachable extends Error {}

function defaultUrl(env: CliEnv): string {
  const host = env.GENESYSCLOUD_GATEWAY_HOST?.trim() || "127.0.0.1";
  const port = env.GENESYSCLOUD_GATEWAY_PORT?.trim() || "8089";
  const protocol = env.GENESYSCLOUD_GATEWAY_PROTOCOL?.trim() || "http";
  return `${protocol}://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    throw new Unreachable(`${new URL(url).origin} could not be reached (${(error as Error).message})`);
  }
}

/** The id of the Data Action with this exact name (`GET /api/v2/integrations/actions?name=`). */
async function findAction(apiUrl: string, token: string, name: string): Promise<string> {
  const response = await request(
    `${apiUrl}/api/v2/integrations/actions?name=${encodeURIComponent(name)}&pageSize=100`,
    {
      headers: { authorization: `Bearer ${token}` },
    },
  );
  if (response.status === 401) throw new UsageError("the API refused the token (401)");
  const body = (await response.json()) as { entities?: { id: string; name: string }[] };
  const found = body.entities?.find((entity) => entity.name === name);
  if (!found)
    throw new UsageError(
      `no Data Action named ${JSON.stringify(name)} at ${apiUrl}: deploy the environment first, or give --action-id`,
    );
  return found.id;
}

/** Sets the emulator's fake downstream (admin endpoint) with the run's time scale. */
async function setDownstream(apiUrl: string, flags: VoiceFlags): Promise<void> {
  const body = {
    ...(flags.downstreamLatencySeconds === undefined
      ? {}
      : { latencyMs: (flags.downstreamLatencySeconds * 1000) / flags.timeScale }),
    ...(flags.downstreamFailureRate === undefined ? {} : { failureRate: flags.downstreamFailureRate }),
    timeScale: flags.timeScale,
  };
  const response = await request(`${apiUrl}/__emulator/dataactions/downstream`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new UsageError(
      `the emulator refused the downstream settings (${response.status}: ${await response.text()})`,
    );
  }
}

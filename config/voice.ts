/**
 * The `voice:` section of an environment file, optional in every environment: the IVR's phone numbers, the call
 * queue's settings, the Data Action the call flow calls first, the peak call rate and how long a caller may wait;
 * and what synth does with its plan (the voice planner profile, capacity/voice.ts). An environment without it
 * deploys exactly what it deployed before.
 */
import { z } from "zod";
import { planVoice, VOICE_INFEASIBLE_CODES, type CapacityPlan, type VoiceWarning } from "../capacity";
import {
  ACKNOWLEDGE_TIMEOUT_SECONDS,
  CALL_GREETING_MAX_LENGTH,
  DATA_ACTION_NAME_MAX_LENGTH,
  DATA_ACTION_TIMEOUT_SECONDS,
  DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS,
  E164_NUMBER,
  QUEUE_RANGES,
  REPORTED_CALLER_WAIT_SECONDS,
} from "../genesys";
import { displayName, inRange, intBetween, positiveInt, queueRoutingFields } from "./fields";
import type { EnvironmentConfig } from "./schema";

/** The execution timeout of a `lookup` voice Data Action when the file gives none (the constructs' default). */
const DEFAULT_LOOKUP_TIMEOUT_SECONDS = 5;

/** The voice codes `voice.acceptInfeasible` may list: the org's Data Action limits (the wait check is never). */
export const ACCEPTABLE_VOICE_CODES = VOICE_INFEASIBLE_CODES.filter(
  (code) => code !== "voice-timeout-exceeds-wait",
);

const phoneNumber = z
  .string({
    error:
      'must be a phone number in quotes, e.g. "+13175550100" (YAML reads an unquoted +1317… as a number)',
  })
  .regex(E164_NUMBER, { error: "must be a phone number in E.164 form, e.g. +13175550100" });

const voiceQueueSchema = z
  .strictObject({
    alertingTimeoutSeconds: inRange(QUEUE_RANGES.alertingTimeoutSeconds)
      .optional()
      .describe("Seconds a call rings an agent before it moves on"),
    serviceLevelPercentage: inRange(QUEUE_RANGES.serviceLevelPercentage)
      .optional()
      .describe("Service level target for calls as a fraction, e.g. 0.8"),
    serviceLevelDurationMs: inRange(QUEUE_RANGES.serviceLevelDurationMs)
      .optional()
      .describe("Service level window for calls in milliseconds"),
    autoAnswer: z.boolean({ error: "must be true or false" }).optional().describe("Auto-answer calls"),
    ...queueRoutingFields(),
  })
  .describe("The voice queue's settings (every call ends in it)");

const voiceDataActionSchema = z
  .strictObject({
    name: displayName(DATA_ACTION_NAME_MAX_LENGTH).describe("Data Action name"),
    pattern: z
      .enum(["acknowledge", "lookup"])
      .default("acknowledge")
      .describe(
        "acknowledge (default: sends the conversation id, the endpoint answers 202 at once and works in the background; for anything writing to a ticketing system) or lookup (GET, the caller waits for the answer)",
      ),
    endpoint: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .describe(
        "Endpoint URL; a lookup may name the conversation id as its one ${input.*} field, e.g. https://crm.example.com/calls/${input.conversationId}",
      ),
    timeoutSeconds: inRange(DATA_ACTION_TIMEOUT_SECONDS)
      .optional()
      .describe(
        `Execution timeout in seconds, shorter than maxCallerWaitSeconds (default ${DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS} for acknowledge, at most ${ACKNOWLEDGE_TIMEOUT_SECONDS.max}; ${DEFAULT_LOOKUP_TIMEOUT_SECONDS} for lookup)`,
      ),
    p99LatencySeconds: z
      .number({ error: "must be > 0" })
      .gt(0, { error: "must be > 0" })
      .optional()
      .describe("Observed p99 latency of the endpoint; sizes Data Action concurrency (default: the timeout)"),
  })
  .describe(
    "The Data Action the call flow calls first; success, failure and timeout all transfer to the queue",
  );

export const voiceSchema = z
  .strictObject({
    dnis: z
      .array(phoneNumber, { error: "must be a list of phone numbers" })
      .min(1, { error: "must list at least one phone number" })
      .refine((numbers) => new Set(numbers).size === numbers.length, {
        error: "must not list a phone number twice",
      })
      .describe("The IVR's phone numbers (E.164, quoted); they must be numbers of the org"),
    peakCallsPerMinute: positiveInt().describe(
      "Peak new calls per minute at the entry: sizes the flow's Data Action load against the org's limits",
    ),
    maxCallerWaitSeconds: intBetween(2, 600)
      .optional()
      .describe(
        `How long a caller may wait at the entry; the Data Action's timeout must be shorter (default ${REPORTED_CALLER_WAIT_SECONDS}, the load-test report's wall)`,
      ),
    greeting: displayName(CALL_GREETING_MAX_LENGTH)
      .optional()
      .describe("What the caller hears before the transfer (text to speech)"),
    queue: voiceQueueSchema.default({}),
    dataAction: voiceDataActionSchema.optional(),
    acceptInfeasible: z
      .strictObject({
        reason: displayName(500).describe("Why the voice entry is synthesized although it exceeds a limit"),
        codes: z
          .array(z.enum(ACCEPTABLE_VOICE_CODES), {
            error: `must be a list of ${ACCEPTABLE_VOICE_CODES.join(", ")}`,
          })
          .min(1, { error: "must name at least one code" }),
      })
      .optional()
      .describe("Synthesize even though the voice plan exceeds the org's Data Action limits"),
  })
  .describe(
    "A voice entry: an IVR whose numbers start one inbound call flow that calls an optional Data Action and transfers every call to one queue",
  );

/** A validated voice section. */
export type VoiceConfig = z.output<typeof voiceSchema>;

/** The Data Action of a voice section, with its defaults applied. */
export interface VoiceDataActionSettings {
  readonly name: string;
  readonly pattern: "acknowledge" | "lookup";
  readonly endpoint: string;
  readonly timeoutSeconds: number;
  readonly p99LatencySeconds: number;
}

/** The voice Data Action's settings with the defaults the constructs apply, or undefined without one. */
export function voiceDataAction(voice: VoiceConfig): VoiceDataActionSettings | undefined {
  const action = voice.dataAction;
  if (!action) return undefined;
  const timeoutSeconds =
    action.timeoutSeconds ??
    (action.pattern === "acknowledge" ? DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS : DEFAULT_LOOKUP_TIMEOUT_SECONDS);
  return { ...action, timeoutSeconds, p99LatencySeconds: action.p99LatencySeconds ?? timeoutSeconds };
}

/** How long a caller may wait at the entry, with the default applied. */
export function maxCallerWait(voice: VoiceConfig): number {
  return voice.maxCallerWaitSeconds ?? REPORTED_CALLER_WAIT_SECONDS;
}

/** The `${input.*}` fields of an endpoint URL, each once. */
function inputFields(endpoint: string): string[] {
  return [...new Set([...endpoint.matchAll(/\$\{input\.([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))];
}

/** The voice section's rules that span fields, one line each (empty without a voice section). */
export function voiceProblems(env: EnvironmentConfig): string[] {
  const voice = env.voice;
  const action = voice && voiceDataAction(voice);
  if (!voice || !action) return [];
  const problems: string[] = [];
  const wait = maxCallerWait(voice);
  if (action.timeoutSeconds >= wait) {
    problems.push(
      `voice.dataAction.timeoutSeconds must be shorter than voice.maxCallerWaitSeconds (${wait}), got ` +
        `${action.timeoutSeconds} (a call waits at the Call Data Action step until the action returns or times ` +
        `out; at ${REPORTED_CALLER_WAIT_SECONDS} s the load-test report's calls dropped with 408 requestTimedOut)`,
    );
  }
  if (action.pattern === "acknowledge" && action.timeoutSeconds > ACKNOWLEDGE_TIMEOUT_SECONDS.max) {
    problems.push(
      `voice.dataAction.timeoutSeconds must be at most ${ACKNOWLEDGE_TIMEOUT_SECONDS.max} for an acknowledge ` +
        `action, got ${action.timeoutSeconds} (the endpoint answers 202 at once; one that needs longer does the ` +
        `work in the call's path: use pattern: lookup, or make the endpoint acknowledge)`,
    );
  }
  if (action.p99LatencySeconds > action.timeoutSeconds) {
    problems.push(
      `voice.dataAction.p99LatencySeconds must be <= its timeoutSeconds (${action.timeoutSeconds}), got ` +
        `${action.p99LatencySeconds} (an execution is cut off at its timeout)`,
    );
  }
  const inputs = inputFields(action.endpoint);
  if (action.pattern === "lookup" && inputs.length > 1) {
    problems.push(
      `voice.dataAction.endpoint must have at most one \${input.*} field, got ` +
        `${inputs.map((f) => `\${input.${f}}`).join(", ")} (the flow passes only the conversation id)`,
    );
  }
  if (action.pattern === "acknowledge" && inputs.length > 0) {
    problems.push(
      `voice.dataAction.endpoint must have no \${input.*} field for an acknowledge action, got ` +
        `${inputs.map((f) => `\${input.${f}}`).join(", ")} (the conversation id goes in the request body)`,
    );
  }
  return problems;
}

/** What synth does with an environment's voice plan: lines that stop it, and lines it prints and goes on. */
export interface VoiceVerdict {
  readonly problems: readonly string[];
  readonly notices: readonly string[];
}

/**
 * Plans the voice entry's Data Action load against the org's limits, with the messaging flows' Data Action load
 * (the shard plan's usage) counted against the same org-wide limits. An error stops synth unless
 * `voice.acceptInfeasible` names its code; warnings are printed. No voice section, or no Data Action: nothing.
 */
export function voiceVerdict(env: EnvironmentConfig, plan: CapacityPlan, label: string): VoiceVerdict {
  const voice = env.voice;
  const action = voice && voiceDataAction(voice);
  if (!voice || !action) return { problems: [], notices: [] };
  const used = (measure: string) => plan.usage.find((usage) => usage.measure === measure)?.used ?? 0;
  const voicePlan = planVoice({
    callsPerMinute: voice.peakCallsPerMinute,
    dataActionsPerCall: 1,
    p99LatencySeconds: action.p99LatencySeconds,
    timeoutSeconds: action.timeoutSeconds,
    maxCallerWaitSeconds: maxCallerWait(voice),
    otherLoad: {
      inFlight: used("data-action-concurrency"),
      executionsPerMinute: used("data-action-rate"),
    },
    headroom: env.capacity.headroom,
    limits: { ...env.limits },
  });
  const accept = voice.acceptInfeasible;
  const accepted = new Set<string>(accept?.codes ?? []);
  const at = (warning: VoiceWarning) => `${label}: ${voiceFields(warning)}`;
  const problems: string[] = [];
  const notices: string[] = [];
  for (const warning of voicePlan.warnings) {
    if (warning.severity === "warning") {
      notices.push(`${at(warning)}: warning: ${warning.message}`);
    } else if (accepted.has(warning.code)) {
      notices.push(
        `${at(warning)}: accepted by voice.acceptInfeasible (${JSON.stringify(accept!.reason)}), synthesized ` +
          `anyway: ${warning.message}`,
      );
    } else {
      problems.push(`${at(warning)}: ${warning.message}`);
    }
  }
  if (problems.length > 0) {
    const codes = voicePlan.warnings.filter((w) => w.severity === "error").map((w) => w.code);
    problems.push(
      `${label}: the voice plan exceeds the org's Data Action limits, so synth writes nothing; fix the fields ` +
        `above, or deploy it anyway with voice.acceptInfeasible: { reason: "<why>", codes: [${codes.join(", ")}] }`,
    );
  }
  return { problems, notices };
}

/** The environment fields a voice warning is about, most direct first. */
function voiceFields(warning: VoiceWarning): string {
  switch (warning.code) {
    case "voice-timeout-exceeds-wait":
      return "voice.dataAction.timeoutSeconds, voice.maxCallerWaitSeconds";
    case "voice-data-action-rate":
      return `voice.peakCallsPerMinute, limits.${warning.limit}`;
    default:
      return `voice.dataAction, voice.peakCallsPerMinute, limits.${warning.limit}`;
  }
}

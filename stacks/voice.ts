/**
 * The voice entry of an environment's stack, from the file's `voice:` section: what the stack adds when, and only
 * when, the section is there (one construct, `Voice`, and one output, `voice_entry`).
 */
import { readFileSync } from "node:fs";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../config/environment";
import { maxCallerWait, voiceDataAction, type VoiceConfig } from "../config/voice";
import {
  acknowledgeDataActionProps,
  DEFAULT_DATA_ACTION_INPUT,
  INBOUND_CALL_DATA_ACTION_TEMPLATE,
  INBOUND_CALL_TEMPLATE,
  VoiceEntry,
  type DataActionProps,
  type FlowTemplate,
  type InboundCallTemplates,
  type ShardMembership,
  type WrapupCodes,
} from "../constructs";
import { displayName } from "../genesys";

/** The name of the stack output that says where the voice entry is (ids and numbers), for a rehearsal. */
export const VOICE_ENTRY_OUTPUT = "voice_entry";

/** The inbound call flow templates, read from `flows/` for the voice entry's flow. */
export function readInboundCallTemplates(): InboundCallTemplates {
  const read = (path: string): FlowTemplate => ({ path, text: readFileSync(path, "utf8") });
  return { transfer: read(INBOUND_CALL_TEMPLATE), dataAction: read(INBOUND_CALL_DATA_ACTION_TEMPLATE) };
}

/** What the voice entry shares with the rest of the stack. */
export interface VoiceEntryContext {
  /** The environment's agents (the same data sources the messaging queues use). */
  readonly membership: ShardMembership;
  /** The environment's wrap-up codes, when it has any. */
  readonly wrapupCodes?: WrapupCodes;
}

/**
 * Adds the environment's voice entry (`Voice`: queue, Data Action, inbound call flow, IVR) and its output, or
 * nothing when the file has no `voice:` section, so such an environment's stack stays exactly as it was.
 */
export function addVoiceEntry(
  scope: Construct,
  env: EnvironmentConfig,
  context: VoiceEntryContext,
): VoiceEntry | undefined {
  const voice = env.voice;
  if (!voice) return undefined;
  const entry = new VoiceEntry(scope, "Voice", {
    namePrefix: env.namePrefix,
    dnis: voice.dnis,
    templates: readInboundCallTemplates(),
    call: {
      alertingTimeoutSeconds: voice.queue.alertingTimeoutSeconds,
      serviceLevelPercentage: voice.queue.serviceLevelPercentage,
      serviceLevelDurationMs: voice.queue.serviceLevelDurationMs,
      autoAnswer: voice.queue.autoAnswer,
    },
    queue: {
      acwMode: voice.queue.acwMode,
      acwTimeoutMs: voice.queue.acwTimeoutMs,
      skillEvaluationMethod: voice.queue.skillEvaluationMethod,
    },
    wrapupCodes: context.wrapupCodes,
    membership: context.membership,
    dataAction: voiceDataActionProps(env.namePrefix, voice),
    dataActionInput: lookupInput(voice),
    greeting: voice.greeting,
    maxCallerWaitSeconds: maxCallerWait(voice),
    divisionName: env.division,
    protectFromDestroy: env.protectFromDestroy,
  });
  new TerraformOutput(scope, VOICE_ENTRY_OUTPUT, {
    description:
      "The voice entry: the IVR's id and phone numbers, the inbound call flow's id, the queue's id, and the flow's Data Action (id, timeout) when it calls one",
    value: {
      ivr_id: entry.ivr.ivrId,
      dnis: [...voice.dnis],
      flow_id: entry.flow.flowId,
      queue_id: entry.queue.queueId,
      max_caller_wait_seconds: entry.flow.maxCallerWaitSeconds,
      data_action: entry.dataAction
        ? {
            id: entry.dataAction.actionId,
            pattern: entry.dataAction.pattern,
            timeout_seconds: entry.dataAction.timeoutSeconds,
          }
        : null,
    },
  });
  return entry;
}

/** The voice Data Action's props: acknowledge-only (the default) or a lookup whose one input is the conversation id. */
function voiceDataActionProps(namePrefix: string, voice: VoiceConfig): DataActionProps | undefined {
  const action = voiceDataAction(voice);
  if (!action) return undefined;
  const name = displayName(namePrefix, action.name);
  if (action.pattern === "acknowledge") {
    return acknowledgeDataActionProps({
      name,
      endpoint: action.endpoint,
      timeoutSeconds: action.timeoutSeconds,
    });
  }
  const input = lookupInput(voice) ?? DEFAULT_DATA_ACTION_INPUT;
  return {
    name,
    pattern: "lookup",
    request: { method: "GET", urlTemplate: action.endpoint },
    contractInput: {
      type: "object",
      properties: { [input]: { type: "string" } },
      required: [input],
      additionalProperties: false,
    },
    contractOutput: { type: "object", properties: {}, additionalProperties: true },
    timeoutSeconds: action.timeoutSeconds,
  };
}

/** A lookup's input field: the one `${input.*}` of its endpoint; undefined otherwise (the flow's default). */
function lookupInput(voice: VoiceConfig): string | undefined {
  const action = voice.dataAction;
  if (action?.pattern !== "lookup") return undefined;
  return /\$\{input\.([A-Za-z_][A-Za-z0-9_]*)\}/.exec(action.endpoint)?.[1];
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Testing } from "cdktf";
import { parse as parseYaml } from "yaml";
import {
  ENVIRONMENTS_DIR,
  EnvironmentError,
  loadEnvironment,
  parseEnvironment,
  type EnvironmentConfig,
} from "../../config/environment";
import { planEnvironment } from "../../config/plan";
import { voiceVerdict } from "../../config/voice";
import { GenesysEnvironmentStack } from "../../stacks/genesys-environment-stack";

const LABEL = "environments/test.yaml";

/** environments/test.yaml as parsed YAML (before validation), to vary. */
function rawTest(): Record<string, unknown> & { voice: Record<string, unknown> } {
  return parseYaml(readFileSync(join(ENVIRONMENTS_DIR, "test.yaml"), "utf8"));
}

/** test.yaml with its voice section changed (`undefined` drops a field). */
function withVoice(change: Record<string, unknown>): unknown {
  const raw = rawTest();
  return { ...raw, voice: { ...raw.voice, ...change } };
}

function problems(raw: unknown): readonly string[] {
  try {
    parseEnvironment(raw, LABEL, "test");
  } catch (error) {
    if (error instanceof EnvironmentError) return error.problems;
    throw error;
  }
  return [];
}

function synth(env: EnvironmentConfig) {
  const plan = planEnvironment(env, LABEL);
  const stack = new GenesysEnvironmentStack(Testing.app(), "gc-test", { environment: env, plan });
  return JSON.parse(Testing.synth(stack)) as {
    resource: Record<string, Record<string, unknown>>;
    data: Record<string, Record<string, unknown>>;
    output: Record<string, unknown>;
  };
}

describe("the voice section of an environment file", () => {
  it("is optional: test.yaml has one, dev.yaml and prod.yaml do not", () => {
    expect(parseEnvironment(rawTest(), LABEL, "test").voice).toMatchObject({
      dnis: ["+13175550100", "+13175550101"],
      peakCallsPerMinute: 600,
      dataAction: { pattern: "acknowledge", timeoutSeconds: 3 },
    });
    const { voice, ...withoutVoice } = rawTest();
    void voice;
    expect(parseEnvironment(withoutVoice, LABEL, "test").voice).toBeUndefined();
    expect(loadEnvironment("dev").voice).toBeUndefined();
    expect(loadEnvironment("prod").voice).toBeUndefined();
  });

  it("fails on numbers that are unquoted, not E.164, or listed twice", () => {
    expect(problems(withVoice({ dnis: [13175550100] }))).toEqual([
      'environments/test.yaml: voice.dnis[0] must be a phone number in quotes, e.g. "+13175550100" (YAML reads an unquoted +1317… as a number), got 13175550100',
    ]);
    expect(problems(withVoice({ dnis: ["317-555-0100"] }))[0]).toContain(
      "voice.dnis[0] must be a phone number in E.164 form, e.g. +13175550100",
    );
    expect(problems(withVoice({ dnis: ["+13175550100", "+13175550100"] }))[0]).toContain(
      "voice.dnis must not list a phone number twice",
    );
  });

  it("fails when the Data Action's timeout is not shorter than the caller's wait, or too long to acknowledge", () => {
    const raw = rawTest();
    const action = raw.voice.dataAction as Record<string, unknown>;
    expect(
      problems(
        withVoice({
          dataAction: {
            ...action,
            pattern: "lookup",
            timeoutSeconds: 30,
            endpoint: "https://crm.test.example.com/calls/${input.conversationId}",
          },
        }),
      ),
    ).toEqual([
      "environments/test.yaml: voice.dataAction.timeoutSeconds must be shorter than voice.maxCallerWaitSeconds (30), got 30 (a call waits at the Call Data Action step until the action returns or times out; at 30 s the load-test report's calls dropped with 408 requestTimedOut)",
    ]);
    expect(problems(withVoice({ dataAction: { ...action, timeoutSeconds: 12 } }))).toEqual([
      "environments/test.yaml: voice.dataAction.timeoutSeconds must be at most 10 for an acknowledge action, got 12 (the endpoint answers 202 at once; one that needs longer does the work in the call's path: use pattern: lookup, or make the endpoint acknowledge)",
    ]);
    expect(problems(withVoice({ dataAction: { ...action, p99LatencySeconds: 4 } }))).toEqual([
      "environments/test.yaml: voice.dataAction.p99LatencySeconds must be <= its timeoutSeconds (3), got 4 (an execution is cut off at its timeout)",
    ]);
    expect(
      problems(
        withVoice({ dataAction: { ...action, endpoint: "https://x.example.com/${input.conversationId}" } }),
      ),
    ).toEqual([
      "environments/test.yaml: voice.dataAction.endpoint must have no ${input.*} field for an acknowledge action, got ${input.conversationId} (the conversation id goes in the request body)",
    ]);
  });

  it("stops synth when the entry's Data Actions exceed the org's concurrency, with the numbers, unless accepted", () => {
    const raw = rawTest();
    const action = raw.voice.dataAction as Record<string, unknown>;
    // The report's entry: a lookup that holds each call up to 25 s, at 10 calls a second.
    const slow = withVoice({
      dataAction: {
        ...action,
        pattern: "lookup",
        endpoint: "https://snow.test.example.com/calls",
        timeoutSeconds: 25,
        p99LatencySeconds: 20,
      },
    });
    const env = parseEnvironment(slow, LABEL, "test");
    const verdict = voiceVerdict(env, planEnvironment(env, LABEL), LABEL);
    expect(verdict.problems[0]).toBe(
      "environments/test.yaml: voice.dataAction, voice.peakCallsPerMinute, limits.dataActionConcurrentExecutions: " +
        "600 calls/min × 1 Data Action each = 10/s; at 20 s p99 latency about 200 run at once, plus 10 in flight " +
        "(400/min) from the messaging flows, over the org's 50 concurrent Data Action executions (catalog: " +
        "documented by Genesys): the rest are refused and take the failure path. The limit carries 90 calls/min " +
        "at this latency with the 80% headroom. Sharding does not lift it: the limit is per org. Change the flow, " +
        "not the number of IVRs: a shorter timeout with a failure path that still routes the call, an " +
        "acknowledge-only action (the endpoint answers 202 at once and works in the background), or a faster " +
        "endpoint; or a raised limit. Whether Genesys raises it is unknown (no source says; the preflight reads " +
        "`configurable` from the org's Limits docs): ask Genesys Customer Care, or change the plan.",
    );
    expect(verdict.problems[1]).toContain(
      'voice.acceptInfeasible: { reason: "<why>", codes: [voice-data-action-concurrency] }',
    );
    const accepted = parseEnvironment(
      {
        ...(slow as object),
        voice: {
          ...(slow as { voice: object }).voice,
          acceptInfeasible: { reason: "rehearsal", codes: ["voice-data-action-concurrency"] },
        },
      },
      LABEL,
      "test",
    );
    const acceptedVerdict = voiceVerdict(accepted, planEnvironment(accepted, LABEL), LABEL);
    expect(acceptedVerdict.problems).toEqual([]);
    expect(acceptedVerdict.notices[0]).toContain(
      'accepted by voice.acceptInfeasible ("rehearsal"), synthesized anyway',
    );
  });

  it("passes test.yaml's own entry (acknowledge, 3 s, 0.4 s p99) silently", () => {
    const env = parseEnvironment(rawTest(), LABEL, "test");
    expect(voiceVerdict(env, planEnvironment(env, LABEL), LABEL)).toEqual({ problems: [], notices: [] });
  });
});

describe("the stack of an environment with a voice section", () => {
  it("only adds: every resource, data source and output of the stack without voice is there unchanged", () => {
    const { voice, ...withoutVoice } = rawTest();
    void voice;
    const before = synth(parseEnvironment(withoutVoice, LABEL, "test"));
    const after = synth(parseEnvironment(rawTest(), LABEL, "test"));
    for (const block of ["resource", "data", "output"] as const) {
      for (const [type, entries] of Object.entries(before[block])) {
        for (const [address, value] of Object.entries(entries as Record<string, unknown>)) {
          expect([
            block,
            type,
            address,
            (after[block] as Record<string, Record<string, unknown>>)[type]?.[address],
          ]).toEqual([block, type, address, value]);
        }
      }
    }
    const added = (block: "resource" | "data") =>
      Object.entries(after[block]).flatMap(([type, entries]) =>
        Object.keys(entries)
          .filter((address) => !(before[block][type] && address in before[block][type]))
          .map((address) => `${type}.${address}`),
      );
    expect(added("resource").sort()).toEqual(
      [
        "genesyscloud_architect_ivr.Voice_Ivr_0F5BF200",
        "genesyscloud_flow.Voice_Flow_6552C72A",
        "genesyscloud_integration.Voice_DataAction_Integration_371E1696",
        "genesyscloud_integration_action.Voice_DataAction_2C975D2C",
        "genesyscloud_routing_queue.Voice_Queue_3F069510",
      ].sort(),
    );
    expect(added("data")).toEqual(["genesyscloud_auth_division_home.Voice_Flow_HomeDivision_B1E297D1"]);
    expect(Object.keys(after.output).filter((name) => !(name in before.output))).toEqual(["voice_entry"]);
  });

  it("gives the voice queue the environment's agents and wrap-up codes, and call settings", () => {
    const json = synth(parseEnvironment(rawTest(), LABEL, "test"));
    const queue = json.resource.genesyscloud_routing_queue.Voice_Queue_3F069510 as Record<string, unknown>;
    expect(queue).toMatchObject({
      name: "Test Voice",
      groups: ["${data.genesyscloud_group.AgentGroupTestMessagingAgents.id}"],
      media_settings_call: {
        alerting_timeout_sec: 8,
        service_level_percentage: 0.8,
        service_level_duration_ms: 20000,
      },
    });
    expect((queue.wrapup_codes as string[]).length).toBe(3);
  });
});

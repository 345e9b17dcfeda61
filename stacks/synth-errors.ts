/**
 * What synth prints when building a stack fails. A user's mistake never shows a stack trace: every problem a
 * construct refuses (a ConstructPropsError) becomes one line naming the environment file and the field the
 * construct was built from, and the construct path. Anything else is unexpected and becomes one line that says how
 * to see the trace ({@link DEBUG_VARIABLE}).
 */
import type { EnvironmentConfig } from "../config/environment";
import { ConstructPropsError } from "../constructs";
import { idFromName } from "../genesys";

/** The variable that makes synth print the stack trace of an unexpected error (and map it to the TypeScript). */
export const DEBUG_VARIABLE = "GENESYS_DEBUG";

/** Whether `variables` ask for stack traces: `GENESYS_DEBUG=1`. */
export function debugRequested(variables: Readonly<Record<string, string | undefined>>): boolean {
  return variables[DEBUG_VARIABLE] === "1";
}

/**
 * Where a construct of the environment stack takes its props from in the environment file, by its path under the
 * stack; `prop` is the prop a problem names (the start of its line). Undefined where no one field gave it.
 */
function environmentField(env: EnvironmentConfig, path: string, prop: string): string | undefined {
  if (/^WrapupCodes(\/|$)/.test(path)) return "wrapupCodes";
  if (path === "Utilization") return "agents.messageCapacity";
  const action = /^DataAction([^/]+)/.exec(path);
  if (action) {
    const index = env.dataActions.findIndex((a) => idFromName(a.name) === action[1]);
    return index < 0 ? "dataActions" : `dataActions[${index}]`;
  }
  const voice = /^Voice\/(Queue|DataAction|Flow|Ivr)/.exec(path);
  if (voice) {
    if (prop === "name") return "namePrefix";
    if (voice[1] === "Flow") return prop.startsWith("dataAction") ? "voice.dataAction" : "voice";
    return { Queue: "voice.queue", DataAction: "voice.dataAction", Ivr: "voice.dnis" }[voice[1]];
  }
  if (path === "Channel") return "capacity";
  if (/^Channel\/Shard\d+\/Queue$/.test(path)) return prop === "name" ? "namePrefix" : "queue";
  if (path === "Channel/Messenger" || /^Channel\/Shard\d+\/Deployment$/.test(path)) {
    return prop === "name" ? "namePrefix" : "messaging";
  }
  if (/^Channel\/Shard\d+\/Flow$/.test(path)) {
    if (prop === "name" || prop === "queue.queueName") return "namePrefix";
    return prop === "divisionName" ? "division" : "messaging.flowDataAction";
  }
  return undefined;
}

/**
 * One line per problem of an error thrown while building an environment's stack, or undefined when the error is
 * not a construct refusing its props (then it is unexpected): `environments/prod.yaml: wrapupCodes: codes[0].name
 * must be a non-empty string of at most 255 characters, got "…" (gc-prod/WrapupCodes)`.
 */
export function stackErrorLines(
  error: unknown,
  env: EnvironmentConfig,
  label: string,
  stack: string,
): string[] | undefined {
  if (!(error instanceof ConstructPropsError)) return undefined;
  const path = error.path.startsWith(`${stack}/`) ? error.path.slice(stack.length + 1) : error.path;
  return error.problems.map((problem) => {
    const field = environmentField(env, path, problem.split(" ")[0]);
    return `${label}: ${field === undefined ? "" : `${field}: `}${problem} (${error.path})`;
  });
}

/** The one line for an error nobody expected: its message, and how to see its stack trace. */
export function unexpectedErrorLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `synth: unexpected error: ${message.split("\n")[0]} (run with ${DEBUG_VARIABLE}=1 for the stack trace)`;
}

/**
 * Loads `environments/<name>.yaml`, checks it against the schema and the rules that span fields, and returns
 * the validated configuration. Every problem is reported at once, one line each, in the form
 * `environments/prod.yaml: capacity.headroom must be > 0 and <= 1, got 1.5 (the fraction of ...)`.
 * Only entry points (main.ts, the CLIs) call this; constructs never read files.
 */
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { formatValue } from "../capacity/format";
import { DEFAULT_ACW_MODE, TIMED_ACW_MODES } from "../genesys";
import { addressKey, endpointInputs, environmentSchema, type EnvironmentConfig } from "./schema";
import { voiceProblems } from "./voice";

export type { EnvironmentConfig } from "./schema";

/** The folder that holds the environment files. */
export const ENVIRONMENTS_DIR = resolve(__dirname, "..", "environments");

/** The variable that points synth, `shards --env` and the preflight at another folder of environment files. */
export const ENVIRONMENTS_DIR_VARIABLE = "GENESYS_ENVIRONMENTS_DIR";

/** The folder of environment files to read, and how messages name it. */
export interface EnvironmentsDir {
  readonly dir: string;
  /** e.g. "GENESYS_ENVIRONMENTS_DIR=/tmp/envs", or the default folder relative to the working directory. */
  readonly label: string;
}

/**
 * The folder of environment files: GENESYS_ENVIRONMENTS_DIR when set (relative to the working directory),
 * else ENVIRONMENTS_DIR. Only entry points pass their environment variables here.
 */
export function environmentsDirFrom(
  variables: Readonly<Record<string, string | undefined>>,
): EnvironmentsDir {
  const value = variables[ENVIRONMENTS_DIR_VARIABLE]?.trim();
  if (!value) return { dir: ENVIRONMENTS_DIR, label: environmentLabel(ENVIRONMENTS_DIR) };
  return { dir: resolve(value), label: `${ENVIRONMENTS_DIR_VARIABLE}=${value}` };
}

/**
 * The environment names in a folder that must hold at least one.
 * @throws EnvironmentError (one line) when the folder does not exist, is not a folder, or holds no
 *   environment file.
 */
export function requireEnvironments({ dir, label }: EnvironmentsDir): string[] {
  if (!existsSync(dir)) {
    throw new EnvironmentError([
      `${label}: no such folder (${dir}); it must hold the environment files <name>.yaml`,
    ]);
  }
  if (!statSync(dir).isDirectory()) {
    throw new EnvironmentError([
      `${label}: not a folder (${dir}); it must hold the environment files <name>.yaml`,
    ]);
  }
  const names = listEnvironments(dir);
  if (names.length === 0) {
    throw new EnvironmentError([
      `${label}: no environment files in ${dir} (expected <name>.yaml, e.g. prod.yaml; files starting with _ are skipped)`,
    ]);
  }
  return names;
}

/** Bad environment parameters: `problems` holds one readable line per problem. */
export class EnvironmentError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "EnvironmentError";
  }
}

/** The environment names that have a file in `dir`, sorted. */
export function listEnvironments(dir: string = ENVIRONMENTS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml") && !f.startsWith("_"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/** How messages name an environment file: relative to the working directory when inside it. */
export function environmentLabel(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith("..") ? rel : file;
}

/** The file of an environment, given its name. */
export function environmentFile(name: string, dir: string = ENVIRONMENTS_DIR): string {
  return join(dir, `${name}.yaml`);
}

/** The file an environment argument names: a path to a `.yaml`/`.yml` file, or a name in `dir`. */
export function resolveEnvironmentFile(nameOrPath: string, dir: string = ENVIRONMENTS_DIR): string {
  return /\.ya?ml$/.test(nameOrPath) ? resolve(nameOrPath) : environmentFile(nameOrPath, dir);
}

/**
 * Reads and validates one environment, given its name (`prod`) or a path to a YAML file.
 * @throws EnvironmentError naming every problem.
 */
export function loadEnvironment(nameOrPath: string, dir: string = ENVIRONMENTS_DIR): EnvironmentConfig {
  const file = resolveEnvironmentFile(nameOrPath, dir);
  const label = environmentLabel(file);
  if (!existsSync(file)) {
    const known = (existsSync(dir) && listEnvironments(dir).join(", ")) || "none";
    throw new EnvironmentError([`${label}: no such environment file (environments: ${known})`]);
  }
  const doc = parseDocument(readFileSync(file, "utf8"), { prettyErrors: true });
  if (doc.errors.length > 0) {
    // One line per distinct error, with where it is: `environments/prod.yaml:12:3: YAML ...`.
    const lines = doc.errors.map((e) => {
      const at = e.linePos ? `:${e.linePos[0].line}:${e.linePos[0].col}` : "";
      return `${label}${at}: YAML ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`;
    });
    throw new EnvironmentError([...new Set(lines)]);
  }
  const expectedName = basename(file).replace(/\.ya?ml$/, "");
  return parseEnvironment(doc.toJS(), label, expectedName);
}

/**
 * Validates an already-parsed environment object. `label` prefixes every message (usually the file path);
 * `expectedName`, when given, must equal the `name` field (so `prod.yaml` cannot hold `name: dev`).
 * @throws EnvironmentError naming every problem.
 */
export function parseEnvironment(raw: unknown, label: string, expectedName?: string): EnvironmentConfig {
  const result = environmentSchema.safeParse(raw ?? {}, { reportInput: true });
  if (!result.success) {
    throw new EnvironmentError(result.error.issues.map((issue) => `${label}: ${describeIssue(issue)}`));
  }
  const problems = crossFieldProblems(result.data, expectedName).map((p) => `${label}: ${p}`);
  if (problems.length > 0) throw new EnvironmentError(problems);
  return result.data;
}

/** Rules that involve more than one field, checked once each field is valid on its own. */
function crossFieldProblems(env: EnvironmentConfig, expectedName?: string): string[] {
  const problems: string[] = [];
  if (expectedName !== undefined && env.name !== expectedName) {
    problems.push(`name must match the file name "${expectedName}", got ${JSON.stringify(env.name)}`);
  }
  const { allowedDomains, allowAllDomains } = env.messaging;
  if (allowAllDomains && allowedDomains && allowedDomains.length > 0) {
    problems.push(
      `messaging.allowedDomains must be empty when messaging.allowAllDomains is true, got ${JSON.stringify(allowedDomains)}`,
    );
  }
  if (!allowAllDomains && (!allowedDomains || allowedDomains.length === 0)) {
    problems.push(
      "messaging.allowedDomains must list at least one domain, got none (or set messaging.allowAllDomains: true explicitly)",
    );
  }
  const { acwMode, acwTimeoutMs } = env.queue;
  if (acwTimeoutMs !== undefined && !TIMED_ACW_MODES.includes(acwMode ?? DEFAULT_ACW_MODE)) {
    problems.push(
      `queue.acwTimeoutMs is only allowed with queue.acwMode ${TIMED_ACW_MODES.join(", ")}, got acwMode ${acwMode}`,
    );
  }
  const flowAction = env.messaging.flowDataAction;
  const flowActionIndex = env.dataActions.findIndex((action) => action.name === flowAction);
  if (flowAction !== undefined && flowActionIndex < 0) {
    problems.push(
      `messaging.flowDataAction must name one of dataActions[*].name (${env.dataActions.map((a) => JSON.stringify(a.name)).join(", ") || "none defined"}), got ${JSON.stringify(flowAction)}`,
    );
  }
  const flowInputs = flowActionIndex < 0 ? [] : endpointInputs(env.dataActions[flowActionIndex].endpoint);
  if (flowInputs.length > 1) {
    // The flow fills one input (the conversation id); the action's contract requires every ${input.*} field.
    problems.push(
      `messaging.flowDataAction must name a Data Action whose endpoint has at most one \${input.*} field, got ${JSON.stringify(flowAction)}, whose dataActions[${flowActionIndex}].endpoint has ${flowInputs.map((f) => `\${input.${f}}`).join(", ")} (the flow passes only the conversation id)`,
    );
  }
  if (env.backend.type === "s3" && !env.backend.useLockfile && !env.backend.dynamodbTable) {
    problems.push(
      "backend must lock state: set backend.useLockfile: true or backend.dynamodbTable, got neither (two applies at once corrupt shared state)",
    );
  }
  // Each code's name becomes its construct id, so names are compared as addresses (addressKey).
  const seen = new Map<string, string>();
  env.wrapupCodes.forEach((code, i) => {
    const key = addressKey(code);
    const first = seen.get(key);
    if (key === "") {
      problems.push(`wrapupCodes[${i}] must have a letter or digit, got ${JSON.stringify(code)}`);
    } else if (first !== undefined) {
      problems.push(
        `wrapupCodes must be unique (ignoring case, spaces and punctuation), got ${JSON.stringify(code)} and ${JSON.stringify(first)}`,
      );
    }
    seen.set(key, code);
  });
  env.dataActions.forEach((action, i) => {
    if (action.p99LatencySeconds !== undefined && action.p99LatencySeconds > action.timeoutSeconds) {
      problems.push(
        `dataActions[${i}].p99LatencySeconds must be <= its timeoutSeconds (${action.timeoutSeconds}), got ${action.p99LatencySeconds} (an execution is cut off at its timeout)`,
      );
    }
  });
  // Each action's name becomes its construct id, so names are compared as addresses (addressKey).
  const actionNames = new Map<string, string>();
  for (const action of env.dataActions) {
    const first = actionNames.get(addressKey(action.name));
    if (first !== undefined) {
      problems.push(
        `dataActions names must be unique (ignoring case, spaces and punctuation), got ${JSON.stringify(action.name)} and ${JSON.stringify(first)}`,
      );
    }
    actionNames.set(addressKey(action.name), action.name);
  }
  problems.push(...voiceProblems(env));
  return problems;
}

/** One readable line for a schema issue: `<path> <what is allowed>, got <value> (<what the field is>)`. */
function describeIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const got = `, got ${formatReceived(issue.input)}`;
  const hint = fieldDescription(issue.path);
  const suffix = hint ? ` (${hint})` : "";
  switch (issue.code) {
    case "unrecognized_keys": {
      const where = path ? `${path}: ` : "";
      const allowed = allowedKeys(issue.path);
      return `${where}unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}${allowed ? ` (allowed: ${allowed})` : ""}`;
    }
    case "invalid_value":
      return `${path} ${ownMessage(issue) ?? `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`}${got}`;
    case "invalid_type":
      if (issue.input === undefined) return `${path} is required${suffix}`;
      return `${path} ${ownMessage(issue) ?? `must be ${article(issue.expected)}`}${got}${suffix}`;
    case "invalid_union":
      return `${path} ${ownMessage(issue) ?? "is not valid"}${got}`;
    default:
      return `${path} ${ownMessage(issue) ?? issue.message}${got}${suffix}`;
  }
}

/** Messages this project wrote (they start with "must" or "is"); zod's own wording is replaced. */
function ownMessage(issue: z.core.$ZodIssue): string | undefined {
  return /^(must|is|type must)\b/.test(issue.message) ? issue.message.replace(/^type /, "") : undefined;
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === "number") return `${out}[${part}]`;
    return out ? `${out}.${String(part)}` : String(part);
  }, "");
}

/** A received value as `formatValue` shows it, cut to 60 characters. */
function formatReceived(value: unknown): string {
  const text = formatValue(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The JSON Schema of the environment file, which also carries the field descriptions for messages. */
const jsonSchema = z.toJSONSchema(environmentSchema, { io: "input" }) as JsonSchemaNode;

interface JsonSchemaNode {
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
  oneOf?: JsonSchemaNode[];
  propertyNames?: { enum?: string[] };
}

function schemaAt(path: readonly PropertyKey[]): JsonSchemaNode | undefined {
  let node: JsonSchemaNode | undefined = jsonSchema;
  for (const part of path) {
    if (!node) return undefined;
    node = typeof part === "number" ? node.items : node.properties?.[String(part)];
  }
  return node;
}

function fieldDescription(path: readonly PropertyKey[]): string | undefined {
  return path.length > 0 ? schemaAt(path)?.description : undefined;
}

function allowedKeys(path: readonly PropertyKey[]): string | undefined {
  const node = schemaAt(path);
  const keys = node?.properties ? Object.keys(node.properties) : node?.propertyNames?.enum;
  return keys ? keys.join(", ") : undefined;
}

/** The environment file's JSON Schema, as published in `environments/schema.json`. */
export function environmentJsonSchema(): object {
  return {
    ...z.toJSONSchema(environmentSchema, { io: "input" }),
    $id: "https://github.com/genesys-cloud-cdktf/environments/schema.json",
    title: "Genesys Cloud CDKTF environment",
  };
}

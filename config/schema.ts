/**
 * The schema of an environment file (`environments/<name>.yaml`): parameters only, no logic.
 *
 * It is the single source of truth for three things: the TypeScript type the stacks receive
 * (`EnvironmentConfig`), the checks run at synth time, and `environments/schema.json`, which editors use to
 * check the files as they are typed (regenerate it with `npm run schema`).
 */
import { z } from "zod";
import { LIMIT_KEYS } from "../capacity/limit-keys";
import { ACCEPTABLE_INFEASIBLE_CODES, MAX_OAUTH_CLIENTS } from "../capacity/plan";
import {
  DATA_ACTION_METHODS,
  DATA_ACTION_NAME_MAX_LENGTH,
  DATA_ACTION_TIMEOUT_SECONDS,
  MAX_SHARDS_PER_STACK,
  MESSENGER_FILE_TYPES,
  MESSENGER_MAX_FILE_SIZE_KB,
  QUEUE_RANGES,
  UTILIZATION_MAXIMUM_CAPACITY,
  WRAPUP_CODE_NAME_MAX_LENGTH,
} from "../genesys";
import { displayName, inRange, intBetween, positiveInt, queueRoutingFields } from "./fields";
import { voiceSchema } from "./voice";

/** Genesys Cloud region keys, as the provider's `aws_region` / `GENESYSCLOUD_REGION` accept them. */
export const GENESYS_REGIONS = [
  "dca",
  "tca",
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "eu-west-1",
  "eu-west-2",
  "ap-southeast-2",
  "ap-northeast-1",
  "eu-central-1",
  "ca-central-1",
  "ap-northeast-2",
  "ap-south-1",
  "sa-east-1",
  "ap-northeast-3",
  "eu-central-2",
  "me-central-1",
  "mx-central-1",
  "ap-southeast-1",
  "eusc-de-east-1",
] as const;

/**
 * What the stack makes a Terraform address (construct id) from when it turns a name into one: its letters and
 * digits, ignoring case. Two names of one list with the same key ("Tier 1", "tier-1") would make the same construct
 * id, which stops synth with a stack trace, so a list must not hold both.
 */
export function addressKey(name: string): string {
  return name.replace(/[^\p{L}\p{N}]+/gu, "").toUpperCase();
}

/** The `${input.<name>}` fields of a Data Action endpoint (URL template), each once, in order of appearance. */
export function endpointInputs(endpoint: string): string[] {
  return [...new Set([...endpoint.matchAll(/\$\{input\.([A-Za-z_][A-Za-z0-9_]*)\}/g)].map((m) => m[1]))];
}

/**
 * Names of org objects (groups, skill groups, teams) that already exist: resolved by the provider's data sources
 * at plan time, never ids pasted into the file. Unique ignoring case, spaces and punctuation: Genesys names are
 * unique ignoring case, and each name becomes the address of its data source (`addressKey`).
 */
function memberNames(kind: string) {
  return z
    .array(displayName(256), { error: `must be a list of ${kind} names` })
    .refine((names) => new Set(names.map(addressKey)).size === names.length, {
      error: `must not name the same ${kind} twice (names are compared ignoring case, spaces and punctuation)`,
    })
    .default([]);
}

const capacitySchema = z
  .strictObject({
    targetConcurrentSessions: positiveInt().describe(
      "Peak concurrent messaging sessions the channel must hold",
    ),
    peakArrivalsPerMinute: positiveInt()
      .optional()
      .describe("Peak new sessions per minute; sizes shards for the per-deployment connection rate"),
    sessionsPerShard: positiveInt()
      .optional()
      .describe("Concurrent-session ceiling of one messaging deployment (default: the limits catalog, 150)"),
    arrivalsPerShardPerMinute: positiveInt()
      .optional()
      .describe("New-connection ceiling of one deployment per minute (default: the limits catalog)"),
    headroom: z
      .number({ error: "must be > 0 and <= 1" })
      .gt(0, { error: "must be > 0 and <= 1" })
      .lte(1, { error: "must be > 0 and <= 1" })
      .default(0.8)
      .describe("the fraction of each per-shard ceiling the plan may use"),
    spareShards: z
      .number({ error: "must be a whole number >= 0" })
      .int({ error: "must be a whole number >= 0" })
      .gte(0, { error: "must be a whole number >= 0" })
      .default(1)
      .describe("Shards beyond the need, so losing that many still leaves enough"),
    maxShards: positiveInt()
      .optional()
      .describe("The most shards this org may hold (default: the org limits on deployments and queues)"),
    deploymentsPerQueue: intBetween(1, MAX_SHARDS_PER_STACK)
      .optional()
      .describe(
        "Messenger deployments per queue group (one queue and one inbound message flow): deployment i uses group floor(i / deploymentsPerQueue). Default 1, every deployment its own queue and flow. Changing it moves deployments to other queues and replaces queues and flows (README: Queue groups)",
      ),
    shardsPerGroup: intBetween(1, MAX_SHARDS_PER_STACK)
      .optional()
      .describe(
        "Shards per shard group (G, default 100): with more than G shards the environment is a base stack gc-<env> and shard-group stacks gc-<env>-shards-<k>, group k holding shards k×G … k×G+G−1 forever. A multiple of deploymentsPerQueue once split. Changing it moves shards between stacks (README: Shard groups)",
      ),
    oauthClients: intBetween(1, MAX_OAUTH_CLIENTS)
      .optional()
      .describe(
        "OAuth clients the stacks use between them, for the planner's deploy and plan estimates only (default 1): the environment's client plus the shard groups' own (GENESYSCLOUD_OAUTHCLIENT_ID_SHARDS_<k>). One stack uses one client, so more than the shard groups help nothing (README: Shard groups)",
      ),
    acceptInfeasible: z
      .strictObject({
        reason: displayName(500).describe(
          "Why this environment is synthesized although its plan exceeds a limit; synth prints it every time",
        ),
        codes: z
          .array(
            z.enum(ACCEPTABLE_INFEASIBLE_CODES, {
              // Named on its own: the planner prints it like the others, but no stack can hold the plan.
              error: (issue) =>
                issue.input === "shards-exceed-stack"
                  ? `must not list shards-exceed-stack: a stack holds at most ${MAX_SHARDS_PER_STACK} shards, ` +
                    "so synth cannot build the plan whatever the reason"
                  : undefined,
            }),
            { error: `must be a list of ${ACCEPTABLE_INFEASIBLE_CODES.join(", ")}` },
          )
          .min(1, { error: "must name at least one infeasibility code" })
          .describe(
            "The infeasibility codes accepted (as `shards` prints them); any other still stops synth",
          ),
      })
      .optional()
      .describe(
        "Synthesize even though the capacity plan is infeasible for the listed reasons (default: synth refuses)",
      ),
  })
  .describe("How many concurrent sessions the channel must carry, and with how much margin");

const queueSchema = z
  .strictObject({
    alertingTimeoutSeconds: inRange(QUEUE_RANGES.alertingTimeoutSeconds)
      .optional()
      .describe("Seconds a message offer rings an agent before it moves on"),
    serviceLevelPercentage: inRange(QUEUE_RANGES.serviceLevelPercentage)
      .optional()
      .describe("Service level target as a fraction, e.g. 0.8"),
    serviceLevelDurationMs: inRange(QUEUE_RANGES.serviceLevelDurationMs)
      .optional()
      .describe("Service level window in milliseconds"),
    autoAnswer: z
      .boolean({ error: "must be true or false" })
      .optional()
      .describe("Auto-answer message offers"),
    inactivityTimeoutSeconds: positiveInt()
      .optional()
      .describe("Disconnect a message conversation after this many idle seconds"),
    ...queueRoutingFields(),
  })
  .describe("Settings shared by every shard's queue");

const dataActionSchema = z
  .strictObject({
    name: displayName(DATA_ACTION_NAME_MAX_LENGTH).describe("Data Action name"),
    method: z.enum(DATA_ACTION_METHODS).default("GET").describe("HTTP method"),
    endpoint: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .describe("Backend URL template, e.g. https://crm.example.com/customers/${input.customerId}"),
    timeoutSeconds: inRange(DATA_ACTION_TIMEOUT_SECONDS).describe(
      `Execution timeout, ${DATA_ACTION_TIMEOUT_SECONDS.min}-${DATA_ACTION_TIMEOUT_SECONDS.max} s: keep it short and give the flow a failure path`,
    ),
    perSession: z
      .number({ error: "must be >= 0" })
      .gte(0, { error: "must be >= 0" })
      .default(1)
      .describe("How many times one messaging session runs this action"),
    p99LatencySeconds: z
      .number({ error: "must be > 0" })
      .gt(0, { error: "must be > 0" })
      .optional()
      .describe("Observed p99 latency of the backend; sizes Data Action concurrency (default: the timeout)"),
  })
  .describe("A Data Action the flows call");

const messagingSchema = z
  .strictObject({
    allowedDomains: z
      .array(displayName(253), { error: "must be a list of domain names" })
      .optional()
      .describe("Domains allowed to embed Messenger"),
    allowAllDomains: z
      .boolean({ error: "must be true or false" })
      .default(false)
      .describe("Allow Messenger on any domain (explicit opt-in)"),
    sessionDurationSeconds: positiveInt().optional().describe("Guest session lifetime in seconds"),
    fileUploadTypes: z
      .array(z.enum(MESSENGER_FILE_TYPES))
      .optional()
      .describe("File types guests may upload"),
    maxFileSizeKb: inRange(MESSENGER_MAX_FILE_SIZE_KB)
      .optional()
      .describe(`Largest upload in KB (at most ${MESSENGER_MAX_FILE_SIZE_KB.max})`),
    flowDataAction: displayName(256)
      .optional()
      .describe(
        "Name of a Data Action (under dataActions) every shard's inbound flow calls first, passing the conversation id as its first ${input.*} field; its failure and timeout paths still route to the queue",
      ),
  })
  .describe("Messenger settings shared by every shard's deployment");

const backendSchema = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({
        type: z.literal("local"),
        path: displayName(1024).optional().describe("State file path (default: terraform.<stack>.tfstate)"),
      }),
      z.strictObject({
        type: z.literal("s3"),
        bucket: displayName(63),
        key: displayName(1024),
        region: displayName(64),
        dynamodbTable: displayName(255).optional().describe("DynamoDB table for state locking"),
        useLockfile: z.boolean().optional().describe("S3-native state locking (Terraform >= 1.10)"),
      }),
      z.strictObject({
        type: z.literal("cloud"),
        organization: displayName(255),
        workspace: displayName(255),
        hostname: displayName(255).optional(),
      }),
    ],
    { error: 'type must be one of "local", "s3", "cloud"' },
  )
  .describe("Where Terraform keeps this environment's state");

const limitOverridesSchema = z
  .partialRecord(z.enum(LIMIT_KEYS), positiveInt())
  .describe("Org-specific values that replace the limits catalog's defaults");

export const environmentSchema = z
  .strictObject({
    name: z
      .string({ error: "must be a string" })
      .regex(/^[a-z][a-z0-9-]{0,19}$/, {
        error: "must be lower-case letters, digits and '-', starting with a letter, at most 20 characters",
      })
      .describe("Environment name; must match the file name"),
    region: z.enum(GENESYS_REGIONS).describe("Genesys Cloud region key"),
    namePrefix: displayName(40).describe("Prefix of every display name in Genesys Cloud, e.g. 'Prod'"),
    division: displayName(256).optional().describe("Home division name for flows (default: Home)"),
    protectFromDestroy: z
      .boolean({ error: "must be true or false" })
      .default(false)
      .describe(
        "Give every resource the stack manages lifecycle prevent_destroy (every construct's protectFromDestroy): terraform destroy and any replacement fail at plan",
      ),
    capacity: capacitySchema,
    agents: z
      .strictObject({
        count: positiveInt().describe("On-queue agents at peak"),
        // At least 1, below Genesys's 0: an agent with no message capacity answers nothing.
        messageCapacity: intBetween(1, UTILIZATION_MAXIMUM_CAPACITY.max).describe(
          `Concurrent messages per agent (utilization, at most ${UTILIZATION_MAXIMUM_CAPACITY.max})`,
        ),
        groups: memberNames("group").describe(
          "Groups whose members answer the channel (by name, looked up in the org at plan time); every shard queue gets them",
        ),
        skillGroups: memberNames("skill group").describe(
          "Skill groups whose members answer the channel (by name); every shard queue gets them",
        ),
        teams: memberNames("team").describe(
          "Work teams whose members answer the channel (by name); every shard queue gets them",
        ),
      })
      .optional()
      .describe("Staffing, checked against the target (sharding cannot fix agent capacity)"),
    queue: queueSchema.default({}),
    wrapupCodes: z
      .array(displayName(WRAPUP_CODE_NAME_MAX_LENGTH), { error: "must be a list of names" })
      .default([])
      .describe("Wrap-up code names shared by every queue"),
    messaging: messagingSchema,
    dataActions: z.array(dataActionSchema).default([]),
    backend: backendSchema.default({ type: "local" }),
    limits: limitOverridesSchema.optional(),
    voice: voiceSchema.optional(),
  })
  .describe("One Genesys Cloud environment: its org, capacity target and shared settings");

/** A validated environment, with defaults applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;

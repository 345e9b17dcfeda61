/**
 * Reading a shard map file, the JSON `npm run shard-map -- <env> --format json` writes (what a rehearsal loads):
 *
 * ```json
 * { "environment": "dev", "stack": "gc-dev", "source": "state", "stateSerial": 12, "stateLineage": "…",
 *   "readAt": "…", "ramp": { "sessions": 200, "perMinute": 60, "minutes": 3.33333 },
 *   "shards": [{ "index": 0, "queueGroup": 0, "deploymentId": "…", "queueId": "…", "flowId": "…", "sessions": 67,
 *                "arrivalsPerMinute": 20, "rampPerMinute": 20.1 }] }
 * ```
 *
 * Only `environment`, `source` and per shard `index` and `sessions` (and `deploymentId` from a state) are
 * required, so maps written before the other fields existed still load; the ramp is always worked out again from
 * the shares, never trusted from the file.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatValue } from "../capacity/format";
import { ShardMapError, completeShardMap, identityOf, type ShardMap } from "./map";

const id = z.string().trim().min(1, "must be a non-empty id");
const count = z.number().int("must be an integer >= 0").min(0, "must be an integer >= 0");

const shardSchema = z.object({
  /** 0-based shard index, stable across re-plans (shard 3 stays shard 3 when shards are added). */
  index: count,
  /** The shard's queue group; absent in maps written before queue groups, where it is the shard's own index. */
  queueGroup: count.optional(),
  /** The Messenger (web) deployment id; null or absent in a map made from a plan. */
  deploymentId: id.nullish(),
  /** The queue id; null or absent in a map made from a plan. */
  queueId: id.nullish(),
  /** The inbound message flow id; null or absent in a map made from a plan. */
  flowId: id.nullish(),
  /** Concurrent sessions the plan gives this shard. */
  sessions: count,
  /** The plan's whole-number share of arrivals per minute; absent when the plan had no arrival rate. */
  arrivalsPerMinute: z.number().min(0, "must be >= 0").nullish(),
});

/** The zod schema of a shard map file, with the rules that span fields. Unknown keys are ignored. */
export const shardMapSchema = z
  .object({
    /** The environment name, as in `environments/<name>.yaml`. */
    environment: z.string().trim().min(1, "must name the environment"),
    /** The environment's stack, e.g. "gc-dev"; absent in maps written before it was carried. */
    stack: z.string().trim().min(1, "must name the stack").optional(),
    /** Where the ids come from: the deployed stack's Terraform state, or only the plan (no ids). */
    source: z.enum(["state", "plan"], { error: 'must be "state" or "plan"' }),
    stateSerial: count.optional(),
    stateLineage: z.string().optional(),
    stateModifiedAt: z.string().optional(),
    readAt: z.string().optional(),
    /** A split environment's shard groups: which state each group's ids came from. */
    groups: z
      .array(
        z.object({
          group: count,
          stack: z.string().trim().min(1, "must name the stack"),
          stateSerial: count.optional(),
          stateLineage: z.string().optional(),
          stateModifiedAt: z.string().optional(),
        }),
      )
      .optional(),
    shards: z.array(shardSchema).min(1, "must list at least one shard"),
  })
  .superRefine((map, context) => {
    const seen = new Set<number>();
    map.shards.forEach((shard, position) => {
      if (seen.has(shard.index)) {
        context.addIssue({
          code: "custom",
          path: ["shards", position, "index"],
          message: "repeats an index",
        });
      }
      seen.add(shard.index);
      if (map.source === "state" && !shard.deploymentId) {
        context.addIssue({
          code: "custom",
          path: ["shards", position, "deploymentId"],
          message: 'is required when source is "state"',
        });
      }
    });
  });

/** How to get a shard map, for messages about files that are something else. */
const HOW_TO_WRITE = "write one with npm run shard-map -- <env> --format json";

/**
 * Checks parsed JSON as a shard map; `label` (usually the file path) starts every problem line.
 * @throws ShardMapError with one line per problem, or one line saying what the JSON is instead (a capacity plan,
 *   a Terraform state).
 */
export function parseShardMap(raw: unknown, label: string): ShardMap {
  const other = notAShardMap(raw);
  if (other !== undefined) throw new ShardMapError(`${label}: ${other}`);
  const result = shardMapSchema.safeParse(raw);
  if (!result.success) {
    throw new ShardMapError(
      result.error.issues.map((issue) => {
        const where = issue.path.length > 0 ? pathLabel(issue.path) : "the file";
        const got = issue.path.length > 0 ? `, got ${formatValue(valueAt(raw, issue.path))}` : "";
        return `${label}: ${where} ${issue.message}${got}`;
      }),
    );
  }
  const { shards, stack, ...head } = result.data;
  return completeShardMap({
    ...head,
    stack: stack ?? identityOf(head.environment).stack,
    shards: shards.map((shard) => ({
      index: shard.index,
      queueGroup: shard.queueGroup ?? shard.index,
      deploymentId: shard.deploymentId ?? null,
      queueId: shard.queueId ?? null,
      flowId: shard.flowId ?? null,
      sessions: shard.sessions,
      arrivalsPerMinute: shard.arrivalsPerMinute ?? null,
    })),
  });
}

/**
 * Reads and checks a shard map file.
 * @throws ShardMapError (one line each) when it cannot be read, is CSV, is not JSON, or is no shard map.
 */
export function loadShardMapFile(file: string): ShardMap {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ShardMapError(
      `${file}: cannot read the shard map (${reason}); write one with npm run shard-map`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    if (looksLikeCsv(text)) {
      throw new ShardMapError(
        `${file}: this looks like CSV (the shard map's default format); a rehearsal reads JSON: use npm run ` +
          "shard-map -- <env> --format json",
      );
    }
    throw new ShardMapError(`${file}: not JSON (${(error as Error).message.split("\n")[0]})`);
  }
  return parseShardMap(raw, file);
}

/** What a JSON document that is no shard map is instead, when it is something this project writes. */
function notAShardMap(raw: unknown): string | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const keys = new Set(Object.keys(raw));
  if (keys.has("shards") && keys.has("perShard") && keys.has("baseShards")) {
    return (
      "this is a capacity plan (npm run shards -- --json), not a shard map: a plan has no deployment ids; " +
      `deploy the stack and ${HOW_TO_WRITE}`
    );
  }
  if (keys.has("per_shard") && keys.has("base_shards")) {
    return `this is the stack's capacity_plan output, not a shard map; ${HOW_TO_WRITE}`;
  }
  if ((raw as { version?: unknown }).version === 4 && keys.has("outputs")) {
    return "this is a Terraform state, not a shard map: write the map from it with npm run shard-map -- <env> --state <this file> --format json";
  }
  return undefined;
}

/** Whether text that is not JSON reads as comma-separated rows: its first line has a comma and no brace. */
function looksLikeCsv(text: string): boolean {
  const first = text.split(/\r?\n/).find((line) => line.trim() !== "") ?? "";
  return first.includes(",") && !/[{}[\]]/.test(first);
}

function pathLabel(path: readonly PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i > 0 ? "." : ""}${String(part)}`))
    .join("");
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const part of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * The shard map: which Genesys objects carry each shard of an environment, and the load each shard was planned
 * for. `npm run shard-map` writes it from the Terraform state (source "state": every shard has its ids) or
 * from the plan alone (source "plan": no ids yet, nothing can be driven against it). The rehearsal reads it.
 *
 * ```json
 * { "environment": "dev", "source": "state",
 *   "shards": [{ "index": 0, "deploymentId": "…", "queueId": "…", "flowId": "…", "sessions": 84, "arrivalsPerMinute": 30 }] }
 * ```
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { formatValue } from "../capacity/format";
import type { ShardMap as WrittenShardMap } from "../shard-map";

const id = z.string().trim().min(1, "must be a non-empty id");
const count = z.number().int("must be an integer >= 0").min(0, "must be an integer >= 0");

const shardSchema = z.object({
  /** 0-based shard index, stable across re-plans (shard 3 stays shard 3 when shards are added). */
  index: count,
  /** The Messenger (web) deployment id; null or absent in a map made from a plan. */
  deploymentId: id.nullish(),
  /** The queue id; null or absent in a map made from a plan. */
  queueId: id.nullish(),
  /** The inbound message flow id; null or absent in a map made from a plan. */
  flowId: id.nullish(),
  /** Concurrent sessions the plan gives this shard. */
  sessions: count,
  /** New sessions per minute the plan gives this shard; absent when the plan had no arrival rate. */
  arrivalsPerMinute: z.number().min(0, "must be >= 0").nullish(),
});

/** The zod schema of a shard map file, with the rules that span fields. Unknown keys are ignored. */
export const shardMapSchema = z
  .object({
    /** The environment name, as in `environments/<name>.yaml`. */
    environment: z.string().trim().min(1, "must name the environment"),
    /** Where the ids come from: the deployed stack's Terraform state, or only the plan (no ids). */
    source: z.enum(["state", "plan"], { error: 'must be "state" or "plan"' }),
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

/** A shard map as read from a file, shards in index order. */
export type ShardMap = z.output<typeof shardMapSchema>;
export type ShardMapShard = ShardMap["shards"][number];
export type ShardMapSource = ShardMap["source"];

/** A shard that can be driven: it has a deployment id. */
export type DeployedShard = ShardMapShard & { readonly deploymentId: string };

// Whatever `npm run shard-map` writes (shard-map/index.ts), this schema reads: fails to compile otherwise.
const _writerFits = (map: WrittenShardMap): z.input<typeof shardMapSchema> => ({
  ...map,
  shards: [...map.shards],
});
void _writerFits;

/** A bad or unusable shard map; `problems` holds one readable line each. */
export class ShardMapError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ShardMapError";
  }
}

/** Checks parsed JSON as a shard map; `label` (usually the file path) starts every problem line. */
export function parseShardMap(raw: unknown, label: string): ShardMap {
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
  const shards = [...result.data.shards].sort((a, b) => a.index - b.index);
  return { ...result.data, shards };
}

/** Reads and checks a shard map file. */
export function loadShardMap(file: string): ShardMap {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new ShardMapError([
      `${file}: cannot read the shard map (${reason}); write one with npm run shard-map`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ShardMapError([`${file}: not JSON (${(error as Error).message.split("\n")[0]})`]);
  }
  return parseShardMap(raw, file);
}

/**
 * The shards of a map that a rehearsal can drive.
 * @throws ShardMapError when the map comes from a plan (it has no deployment ids).
 */
export function deployedShards(map: ShardMap, label: string): DeployedShard[] {
  if (map.source === "plan") {
    throw new ShardMapError([
      `${label}: made from a plan (source "plan"), so it has no deployment ids to connect to; deploy the ` +
        `stack (into the emulator or an org) and write the map from its state with npm run shard-map`,
    ]);
  }
  return map.shards.filter((shard): shard is DeployedShard => Boolean(shard.deploymentId));
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

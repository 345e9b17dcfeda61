/** Writing a shard map: CSV for a JMeter CSV Data Set or a k6 `papaparse` read, or JSON (what a rehearsal reads). */
import type { ShardMap } from "./map";

/**
 * The CSV columns, in order: one header line, then one line per shard. New columns go at the end, so a load
 * script that reads columns by position keeps working.
 */
export const SHARD_MAP_CSV_COLUMNS = [
  "index",
  "deploymentId",
  "queueId",
  "flowId",
  "sessions",
  "arrivalsPerMinute",
  "rampPerMinute",
  "queueGroup",
] as const;

/** The shard map as CSV. Ids are empty before a deploy, rates without an arrival rate. */
export function shardMapCsv(map: ShardMap): string {
  const lines = [SHARD_MAP_CSV_COLUMNS.join(",")];
  for (const shard of map.shards) {
    lines.push(SHARD_MAP_CSV_COLUMNS.map((column) => String(shard[column] ?? "")).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** The shard map as pretty JSON. */
export function shardMapJson(map: ShardMap): string {
  return `${JSON.stringify(map, null, 2)}\n`;
}

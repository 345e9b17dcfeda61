/**
 * The shard map: per shard its index, the Genesys ids of its messaging deployment, queue and inbound message
 * flow, and its share of sessions and arrivals. A load test (a JMeter CSV Data Set, a k6 script, the rehearsal)
 * spreads guest sessions by it, exactly as the capacity plan intends.
 *
 * Before a deploy only the plan's shares are known (`source: "plan"`, ids null); once deployed the stack's
 * `shard_map` Terraform output carries the ids (`source: "state"`).
 */
import { z } from "zod";
import type { CapacityPlan } from "../capacity";

/** The name of the Terraform output every environment stack writes the deployed shard map to. */
export const SHARD_MAP_OUTPUT = "shard_map";

/** One shard of the map. */
export interface ShardMapEntry {
  /** Zero-based, stable shard index. */
  readonly index: number;
  /** The messaging deployment's id (the `deploymentId` guests connect with); null before the deploy. */
  readonly deploymentId: string | null;
  /** The shard queue's id; null before the deploy. */
  readonly queueId: string | null;
  /** The inbound message flow's id; null before the deploy. */
  readonly flowId: string | null;
  /** Concurrent sessions the plan puts on this shard. */
  readonly sessions: number;
  /** New sessions per minute the plan puts on this shard; null when the plan has no arrival rate. */
  readonly arrivalsPerMinute: number | null;
}

/** The shard map of one environment. */
export interface ShardMap {
  readonly environment: string;
  /** Where the ids came from: the deployed stack's state, or only the plan (no ids). */
  readonly source: "plan" | "state";
  readonly shards: readonly ShardMapEntry[];
}

/** One shard as the `shard_map` Terraform output spells it. */
export interface ShardMapOutputEntry {
  readonly index: number;
  readonly deployment_id: string;
  readonly queue_id: string;
  readonly flow_id: string;
  readonly sessions: number;
  readonly arrivals_per_minute: number | null;
}

/** The shard map before a deploy: the plan's shares, no ids. */
export function shardMapFromPlan(environment: string, plan: CapacityPlan): ShardMap {
  return {
    environment,
    source: "plan",
    shards: plan.perShard.map((share) => ({
      index: share.index,
      deploymentId: null,
      queueId: null,
      flowId: null,
      sessions: share.sessions,
      arrivalsPerMinute: share.arrivalsPerMinute ?? null,
    })),
  };
}

/** Bad shard-map input (a state file without the output, a malformed output): one readable line. */
export class ShardMapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ShardMapError";
  }
}

/** The `shard_map` output's value, checked (zod). */
const outputSchema = z.array(
  z.object({
    index: z.number().int().min(0),
    deployment_id: z.string(),
    queue_id: z.string(),
    flow_id: z.string(),
    sessions: z.number(),
    arrivals_per_minute: z.number().nullable(),
  }),
);

/** The shard map from the value of the stack's `shard_map` output (as `terraform output -json` gives it). */
export function shardMapFromOutput(environment: string, value: unknown, where: string): ShardMap {
  const parsed = outputSchema.safeParse(value);
  if (!parsed.success) {
    throw new ShardMapError(
      `${where}: output "${SHARD_MAP_OUTPUT}" must be a list of {index, deployment_id, queue_id, flow_id, sessions, arrivals_per_minute}`,
    );
  }
  return {
    environment,
    source: "state",
    shards: parsed.data
      .sort((a, b) => a.index - b.index)
      .map((entry) => ({
        index: entry.index,
        deploymentId: entry.deployment_id,
        queueId: entry.queue_id,
        flowId: entry.flow_id,
        sessions: entry.sessions,
        arrivalsPerMinute: entry.arrivals_per_minute,
      })),
  };
}

/**
 * The shard map from a Terraform state file (format version 4, as a local backend or `terraform state pull`
 * writes it).
 * @throws ShardMapError when the text is not a state or the stack has not been applied with the output.
 */
export function shardMapFromState(environment: string, stateText: string, where: string): ShardMap {
  let state: { version?: unknown; outputs?: Record<string, { value?: unknown }> };
  try {
    state = JSON.parse(stateText);
  } catch {
    throw new ShardMapError(`${where}: not a Terraform state file (not JSON)`);
  }
  if (state.version !== 4) {
    throw new ShardMapError(
      `${where}: not a Terraform state file of format version 4, got ${String(state.version)}`,
    );
  }
  const output = state.outputs?.[SHARD_MAP_OUTPUT];
  if (!output) {
    throw new ShardMapError(
      `${where}: the state has no "${SHARD_MAP_OUTPUT}" output: the stack is not deployed yet (or was deployed before the shard map existed)`,
    );
  }
  return shardMapFromOutput(environment, output.value, where);
}

/** The CSV columns, in order: one header line, then one line per shard. */
export const SHARD_MAP_CSV_COLUMNS = [
  "index",
  "deploymentId",
  "queueId",
  "flowId",
  "sessions",
  "arrivalsPerMinute",
] as const;

/** The shard map as CSV for a JMeter CSV Data Set or a k6 `papaparse` read. Ids are empty before a deploy. */
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

/** How a rehearsal's result is printed: a text table per shard with totals, or one JSON object. */
import { formatMinutes } from "../capacity";
import { formatNumber, formatTable } from "../capacity/format";
import { refusalKind, type RefusalKind, type RehearsalResult, type SessionCounts } from "./run";

/** What the rehearsal was asked to do, printed above the table and in the JSON. */
export interface RehearsalRequest {
  readonly environment: string;
  readonly shardMap: string;
  readonly url: string;
  readonly sessions: number;
  readonly rampPerMinute: number;
  readonly holdSeconds: number;
  readonly timeScale: number;
  readonly singleDeployment: boolean;
  readonly loseShard: number | undefined;
  /** Shards in the map. */
  readonly shards: number;
}

/** What follows a refusal line: which kind of "no" it is. */
const REFUSAL_NOTES: Record<RefusalKind, string> = {
  ceiling: " (a concurrent-connection ceiling)",
  rate: " (the per-deployment connection rate)",
  unknownDeployment: " (an unknown deployment, not a ceiling)",
  other: "",
};

const ms = (value: number | undefined) => (value === undefined ? "-" : formatNumber(Math.round(value)));

/** The text report, as lines. */
export function renderText(request: RehearsalRequest, result: RehearsalResult): string[] {
  const how = request.singleDeployment
    ? `all on shard 0 of ${request.shards} (--single-deployment)`
    : `over ${request.shards} shards`;
  const lines = [
    `Rehearsal of ${request.environment}: ${request.sessions} sessions ${how}, ` +
      `ramp ${formatNumber(request.rampPerMinute)}/min for ${formatMinutes(request.sessions / request.rampPerMinute)}, ` +
      `hold ${formatNumber(request.holdSeconds)} s, time scale ${formatNumber(request.timeScale)}, against ${request.url}`,
    "",
  ];
  const row = (label: string, deployment: string, r: SessionCounts) => [
    label,
    deployment,
    String(r.sessions),
    String(r.connected),
    String(r.peakConcurrent),
    String(r.refused),
    String(r.failed),
    ms(r.connectP50Ms),
    ms(r.connectP99Ms),
  ];
  const rows = [
    ["shard", "deployment", "sessions", "connected", "peak", "refused", "failed", "p50 ms", "p99 ms"],
    ...result.shards.map((shard) =>
      row(
        `${shard.index}${shard.lost ? " (lost)" : shard.movedIn > 0 ? ` (+${shard.movedIn})` : ""}`,
        shard.deploymentId,
        shard,
      ),
    ),
    row("total", "", result.totals),
  ];
  lines.push(
    ...formatTable(rows, ["left", "left", "right", "right", "right", "right", "right", "right", "right"]),
  );
  lines.push("");
  for (const [answer, count] of Object.entries(result.refusals))
    lines.push(`refused ${count}×: ${answer}${REFUSAL_NOTES[refusalKind(answer)]}`);
  for (const [cause, count] of Object.entries(result.failures)) lines.push(`failed ${count}×: ${cause}`);
  const lost = result.shards.find((shard) => shard.lost);
  if (lost) {
    lines.push(
      `shard ${lost.index} was lost after the ramp: its ${lost.connected} connections were dropped and re-opened on the other shards`,
    );
  }
  if (result.firstRefusal) {
    const first = result.firstRefusal;
    lines.push(
      `first refusal: shard ${first.shardIndex} with ${first.shardLive} connections open on it and ${first.totalLive} in all.`,
      "A per-deployment ceiling refuses at the same count on each shard, so more shards help; a tenant-wide ceiling",
      "refuses at the same total whatever the shard count, and sharding cannot lift it.",
    );
  }
  if (result.refusalKinds.unknownDeployment > 0) {
    lines.push(
      `${result.refusalKinds.unknownDeployment} sessions were refused because ${request.url} does not know their ` +
        "deployment: the shard map does not match what is deployed there (probably stale); write it again with " +
        `npm run shard-map -- ${request.environment} --format json (or npm run demo)`,
    );
  }
  if (result.aborted) lines.push(`stopped: ${result.aborted.message}`);
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  lines.push(
    result.totals.refused === 0 && result.totals.failed === 0 && !result.aborted
      ? `Nothing refused: ${result.totals.connected} sessions held, ${result.totals.peakConcurrent} at once (${seconds} s).`
      : `${result.totals.refused} refused and ${result.totals.failed} failed of ${result.totals.sessions} sessions (${seconds} s).`,
  );
  return lines;
}

/** The JSON report: the request and the result, with absent percentiles as null. */
export function renderJson(request: RehearsalRequest, result: RehearsalResult): string {
  return JSON.stringify(
    { request, ...result },
    (_key, value: unknown) => (value === undefined ? null : value),
    2,
  );
}

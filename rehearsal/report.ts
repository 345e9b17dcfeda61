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
  /** The shards this machine drove (`--shards`), as ranges ("0-9,20-29"). @default - every shard */
  readonly drivenShards?: string;
  /** The named load test the sessions, ramp and hold came from (`--scenario`). @default - none */
  readonly scenario?: string;
  /** Text messages each session sent. @default 1 */
  readonly messages?: number;
  /** Model seconds a session could wait to retry a 429 or 503. @default - not said */
  readonly retrySeconds?: number;
  /** The limits the driver paced itself within, and where they came from. @default - not paced */
  readonly pacing?: {
    readonly connectionsPerDeploymentPerMinute: number | undefined;
    readonly messagesPerSessionPerSecond: number | undefined;
    readonly from: string;
  };
  /** The Origin header every connection sent. @default - none */
  readonly origin?: string;
  /** The approval of a load test against a host that is not loopback (`--approved`). @default - none */
  readonly approved?: string;
}

/** What follows a refusal line: which kind of "no" it is. */
const REFUSAL_NOTES: Record<RefusalKind, string> = {
  ceiling: " (a concurrent-connection ceiling)",
  rate: " (the per-deployment connection rate)",
  unknownDeployment: " (an unknown deployment or a refused Origin, not a ceiling)",
  other: "",
};

const ms = (value: number | undefined) => (value === undefined ? "-" : formatNumber(Math.round(value)));

/** The text report, as lines. */
export function renderText(request: RehearsalRequest, result: RehearsalResult): string[] {
  const how = request.singleDeployment
    ? `all on shard 0 of ${request.shards} (--single-deployment)`
    : request.drivenShards === undefined
      ? `over ${request.shards} shards`
      : `over shards ${request.drivenShards} of ${request.shards} (--shards: ${result.totals.sessions} of them here)`;
  const lines = [
    `Rehearsal of ${request.environment}: ${request.sessions} sessions ${how}, ` +
      `ramp ${formatNumber(request.rampPerMinute)}/min for ${formatMinutes(request.sessions / request.rampPerMinute)}, ` +
      `hold ${formatNumber(request.holdSeconds)} s, time scale ${formatNumber(request.timeScale)}, against ${request.url}`,
  ];
  const settings = settingsLine(request);
  if (settings !== "") lines.push(settings);
  lines.push("");
  const row = (label: string, deployment: string, r: SessionCounts) => [
    label,
    deployment,
    String(r.sessions),
    String(r.connected),
    String(r.peakConcurrent),
    String(r.refused),
    String(r.retried),
    String(r.failed),
    ms(r.connectP50Ms),
    ms(r.connectP99Ms),
  ];
  const rows = [
    [
      "shard",
      "deployment",
      "sessions",
      "connected",
      "peak",
      "refused",
      "retried",
      "failed",
      "p50 ms",
      "p99 ms",
    ],
    ...result.shards.map((shard) =>
      row(
        `${shard.index}${shard.lost ? " (lost)" : shard.movedIn > 0 ? ` (+${shard.movedIn})` : ""}`,
        shard.deploymentId,
        shard,
      ),
    ),
    row("total", "", result.totals),
  ];
  lines.push(...formatTable(rows, ["left", "left", ...Array<"right">(8).fill("right")]));
  lines.push("");
  for (const [answer, count] of Object.entries(result.refusals))
    lines.push(`refused ${count}×: ${answer}${REFUSAL_NOTES[refusalKind(answer)]}`);
  for (const [answer, count] of Object.entries(result.retries))
    lines.push(`retried ${count}×: ${answer}${REFUSAL_NOTES[refusalKind(answer)]}`);
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
        `npm run shard-map -- ${request.environment} --format json (or npm run demo)` +
        (request.origin === undefined
          ? ""
          : `; or the deployment does not allow the Origin ${request.origin} (messaging.allowedDomains, --origin)`),
    );
  }
  if (result.aborted) lines.push(`stopped: ${result.aborted.message}`);
  const seconds = (result.elapsedMs / 1000).toFixed(1);
  const { totals } = result;
  const retries = totals.retried > 0 ? ` after ${totals.retried} retries` : "";
  const begun = result.started < totals.sessions ? `, ${result.started} of them begun` : "";
  lines.push(
    totals.refused === 0 && totals.failed === 0 && !result.aborted
      ? `Nothing refused: ${totals.connected} sessions held, ${totals.peakConcurrent} at once${retries} (${seconds} s).`
      : `${totals.refused} refused and ${totals.failed} failed of ${totals.sessions} sessions${begun}${retries} (${seconds} s).`,
  );
  return lines;
}

/** The second line: what shaped the sessions besides the ramp (absent for a plain run of old). */
function settingsLine(request: RehearsalRequest): string {
  const parts: string[] = [];
  if (request.scenario !== undefined) parts.push(`scenario ${request.scenario}`);
  if (request.approved !== undefined) parts.push(`approved: ${request.approved}`);
  if (request.messages !== undefined)
    parts.push(`${request.messages} message${request.messages === 1 ? "" : "s"} per session`);
  const pacing = request.pacing;
  if (pacing !== undefined) {
    const paced = [
      pacing.connectionsPerDeploymentPerMinute === undefined
        ? undefined
        : `${formatNumber(pacing.connectionsPerDeploymentPerMinute)} new connections per deployment per minute`,
      pacing.messagesPerSessionPerSecond === undefined
        ? undefined
        : `${formatNumber(pacing.messagesPerSessionPerSecond)} messages per session per second`,
    ].filter((part) => part !== undefined);
    if (paced.length > 0) parts.push(`paced within ${paced.join(" and ")} (${pacing.from})`);
  }
  if (request.retrySeconds !== undefined)
    parts.push(
      request.retrySeconds > 0
        ? `429/503 retried for up to ${formatNumber(request.retrySeconds)} s each`
        : "429/503 not retried",
    );
  if (request.origin !== undefined) parts.push(`Origin ${request.origin}`);
  return parts.join("; ");
}

/** The JSON report: the request and the result, with absent percentiles as null. */
export function renderJson(request: RehearsalRequest, result: RehearsalResult): string {
  return JSON.stringify(
    { request, ...result },
    (_key, value: unknown) => (value === undefined ? null : value),
    2,
  );
}

/**
 * Reads live capacity through the official Genesys SDK, in a session opened by preflight/api-client.ts:
 *
 * - `POST /api/v2/analytics/queues/observations/query` (AnalyticsApi `postAnalyticsQueuesObservationsQuery`):
 *   `oWaiting` and `oInteracting` of the shard queues, media type message, at most
 *   {@link QUEUES_PER_OBSERVATION_QUERY} queues per request. Permission: `analytics:queueObservation:view`.
 * - `GET /api/v2/organizations/limits/namespaces/{ns}/counts`: estimated counts of trackable limits. The JS SDK
 *   (v262) has no method for it any more (the Go SDK had `GetOrganizationsLimitsNamespaceCounts` from v138 to
 *   v154, deprecated there, gone in v155), so it is called through the SDK client's generic `callApi`. Any answer
 *   but a listing is reported as "not available", never as a failure of the snapshot.
 */
import { GenesysApiError, RejectedError, type ApiSession } from "../preflight/api-client";
import {
  buildSnapshot,
  type CapacityBudget,
  type LimitCount,
  type LimitCountsReading,
  type QueueCounts,
  type WatchSnapshot,
  type WatchedShard,
} from "./snapshot";

/**
 * Queue ids per observation query. Genesys documents no maximum here; 100 keeps each request small and matches the
 * Platform API's usual page and bulk sizes.
 */
export const QUEUES_PER_OBSERVATION_QUERY = 100;

/** The Limits API namespace whose counts watch shows. */
export const COUNTS_NAMESPACE = "web.messaging";

/** Pages of counts read at most (the listing pages with a cursor). */
const MAX_COUNT_PAGES = 10;

export const OBSERVED_METRICS = ["oWaiting", "oInteracting"] as const;

/** The observation query for `queueIds`: their message conversations, waiting and interacting. */
export function observationQuery(queueIds: readonly string[]) {
  return {
    filter: {
      type: "and",
      clauses: [{ type: "or", predicates: queueIds.map((value) => ({ dimension: "queueId", value })) }],
      predicates: [{ dimension: "mediaType", value: "message" }],
    },
    metrics: [...OBSERVED_METRICS],
  };
}

/**
 * The live message conversations of each queue. A queue the answer has no group for is missing from the map.
 * @throws GenesysApiError (`unavailable`, `credentials`) or RejectedError (another 4xx, e.g. 403 without
 * `analytics:queueObservation:view`).
 */
export async function readQueueObservations(
  session: ApiSession,
  queueIds: readonly string[],
): Promise<Map<string, QueueCounts>> {
  const api = new session.sdk.AnalyticsApi(session.client);
  const counts = new Map<string, QueueCounts>();
  const unique = [...new Set(queueIds)];
  for (let start = 0; start < unique.length; start += QUEUES_PER_OBSERVATION_QUERY) {
    const batch = unique.slice(start, start + QUEUES_PER_OBSERVATION_QUERY);
    const answer = await session.call(
      `POST ${session.apiUrl}/api/v2/analytics/queues/observations/query`,
      () => api.postAnalyticsQueuesObservationsQuery(observationQuery(batch)),
    );
    for (const result of answer.results ?? []) {
      const queueId = result.group?.queueId;
      if (queueId === undefined || !batch.includes(queueId)) continue;
      if (result.group?.mediaType !== undefined && result.group.mediaType !== "message") continue;
      const metric = (name: string) => result.data?.find((data) => data.metric === name)?.stats?.count ?? 0;
      const known = counts.get(queueId) ?? { waiting: 0, interacting: 0 };
      counts.set(queueId, {
        waiting: known.waiting + metric("oWaiting"),
        interacting: known.interacting + metric("oInteracting"),
      });
    }
  }
  return counts;
}

/** The counts endpoint's answer for `namespace`, or why there is none. Never throws for what the API answers. */
export async function readLimitCounts(session: ApiSession, namespace: string): Promise<LimitCountsReading> {
  const path = `/api/v2/organizations/limits/namespaces/${namespace}/counts`;
  const counts: LimitCount[] = [];
  let cursor: string | undefined;
  try {
    for (let page = 0; page < MAX_COUNT_PAGES; page += 1) {
      const listing = (await session.call(`GET ${session.apiUrl}${path}`, () =>
        session.client.callApi(
          "/api/v2/organizations/limits/namespaces/{namespaceName}/counts",
          "GET",
          { namespaceName: namespace },
          cursor === undefined ? {} : { cursor: cursor as unknown as object },
          {},
          {},
          null,
          ["PureCloud OAuth"],
          ["application/json"],
          ["application/json"],
        ),
      )) as { entities?: unknown; nextUri?: unknown } | undefined;
      if (!Array.isArray(listing?.entities)) {
        return { namespace, status: "not-available", reason: "the answer is not a listing of counts" };
      }
      counts.push(...listing.entities.map(limitCountOf));
      cursor = nextCursor(listing.nextUri);
      if (cursor === undefined) break;
    }
  } catch (error) {
    if (error instanceof RejectedError) {
      const why =
        error.status === 403
          ? " (the OAuth client lacks the permission limits:count:view?)"
          : error.status === 404 || error.status === 410
            ? " (the endpoint is deprecated and gone from the SDKs)"
            : "";
      return { namespace, status: "not-available", reason: `${error.status} ${error.detail}${why}` };
    }
    if (error instanceof GenesysApiError)
      return { namespace, status: "not-available", reason: error.message };
    throw error;
  }
  return { namespace, status: "answered", counts };
}

export interface TakeSnapshotOptions {
  readonly environment: string;
  readonly shards: readonly WatchedShard[];
  readonly budget: CapacityBudget;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Reads the shard queues' observations and the web.messaging counts, and puts them next to the plan's ceilings.
 * @throws GenesysApiError or RejectedError when the observations cannot be read.
 */
export async function takeSnapshot(
  session: ApiSession,
  options: TakeSnapshotOptions,
): Promise<WatchSnapshot> {
  const takenAt = (options.now ?? (() => new Date()))();
  const [observations, limitCounts] = await Promise.all([
    readQueueObservations(
      session,
      options.shards.map((shard) => shard.queueId),
    ),
    readLimitCounts(session, COUNTS_NAMESPACE),
  ]);
  return buildSnapshot({
    environment: options.environment,
    takenAt,
    apiUrl: session.apiUrl,
    shards: options.shards,
    budget: options.budget,
    observations,
    limitCounts,
  });
}

function limitCountOf(raw: unknown): LimitCount {
  const entry = (raw ?? {}) as Record<string, unknown>;
  const number = (key: string) => (typeof entry[key] === "number" ? (entry[key] as number) : null);
  const text = (key: string) => (typeof entry[key] === "string" ? (entry[key] as string) : null);
  return {
    name: text("name") ?? "(unnamed)",
    estimatedCount: number("estimatedCount"),
    max: number("max"),
    entityId: text("entityId"),
    userId: text("userId"),
  };
}

/** The `cursor` of a listing's `nextUri`, if it has one. */
function nextCursor(nextUri: unknown): string | undefined {
  if (typeof nextUri !== "string" || nextUri === "") return undefined;
  try {
    return new URL(nextUri, "https://api.invalid").searchParams.get("cursor") ?? undefined;
  } catch {
    return undefined;
  }
}

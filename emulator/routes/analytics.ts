/**
 * Queue observations (`POST /api/v2/analytics/queues/observations/query`): what is in each queue right now,
 * answered from the guest side's live sessions.
 *
 * The emulator's model: a guest session that has sent a message is a `message` conversation (a web messaging
 * conversation starts with the guest's first message) on the queue its deployment's inbound message flow
 * transfers to: deployment → `flow.id` → the queue the flow's `transferToAcd` names → that queue by name. It
 * counts while the session holds an open connection (Genesys keeps a conversation after the guest disconnects,
 * until it ends or times out; the emulator has neither agents nor that timeout). No agent ever answers here, so
 * every conversation is waiting: `oWaiting` counts them, `oInteracting` and `oAlerting` are 0.
 *
 * The request is checked against the SDK's `QueueObservationQuery` (platform-client-sdk-java
 * `build/docs/QueueObservationQuery*.md`, v264): `filter.type` and clause types `and`/`or`, predicates on the
 * dimensions `queueId` and `mediaType` with the operators `matches`, `exists`, `notExists`, and `metrics` from the
 * documented set. Anything else answers 400 in Genesys's error shape. Documented parts the emulator does not model
 * (user metrics such as `oOnQueueUsers`, `oLongestWaiting`, `detailMetrics`, `property`/`metric` predicates,
 * ranges) answer 501, like an unknown endpoint, so a gap shows instead of a made-up number.
 *
 * The answer has Genesys's shape: `{results: [{group: {queueId, mediaType}, data: [{metric, stats: {count}}]}]}`,
 * one group per existing queue and media type the filter selects, metrics in the order asked.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError } from "../errors";
import type { GuestGateway } from "../guest/gateway";
import type { EmulatorStore } from "../store";
import { parseRequest } from "../validation";
import { flowTargetQueueNames } from "./flows";
import { QUEUES } from "./queues";
import { WEB_DEPLOYMENTS } from "./webdeployments";

export const QUEUE_OBSERVATIONS_PATH = "/api/v2/analytics/queues/observations/query";

/** `QueueObservationQuery.metrics` as the SDK documents them (MetricsEnum, platform-client-sdk-java v264.1.0). */
export const OBSERVATION_METRICS = [
  "oActiveUsers",
  "oAlerting",
  "oInteracting",
  "oLongestInteracting",
  "oLongestWaiting",
  "oMemberUsers",
  "oOffQueueUsers",
  "oOnQueueUsers",
  "oUserPresences",
  "oUserRoutingStatuses",
  "oWaiting",
] as const;

/** The metrics the emulator answers: the conversation counts of its model. */
const MODELLED_METRICS: ReadonlySet<string> = new Set(["oWaiting", "oInteracting", "oAlerting"]);

/** Media types a queue is observed for when the filter does not narrow them (the utilization media types). */
const MEDIA_TYPES = ["voice", "chat", "email", "callback", "message"] as const;

const predicateSchema = z.strictObject({
  type: z.enum(["dimension", "property", "metric"]).optional(),
  dimension: z.enum(["queueId", "mediaType"]).optional(),
  operator: z.enum(["matches", "exists", "notExists"]).optional(),
  value: z.string().optional(),
  range: z.looseObject({}).optional(),
});

const booleanType = z.enum(["and", "or"]);

const querySchema = z.strictObject({
  filter: z.strictObject({
    type: booleanType,
    clauses: z
      .array(z.strictObject({ type: booleanType, predicates: z.array(predicateSchema).min(1) }))
      .optional(),
    predicates: z.array(predicateSchema).optional(),
  }),
  metrics: z.array(z.enum(OBSERVATION_METRICS)).min(1, "at least one metric is required"),
  detailMetrics: z.array(z.enum(OBSERVATION_METRICS)).optional(),
});

type Predicate = z.infer<typeof predicateSchema>;
type Query = z.infer<typeof querySchema>;
type Group = { readonly queueId: string; readonly mediaType: string };

export function registerAnalyticsRoutes(
  app: FastifyInstance,
  store: EmulatorStore,
  guest: Pick<GuestGateway, "liveConversations">,
): void {
  const queues = store.collection(QUEUES);
  const deployments = store.collection(WEB_DEPLOYMENTS);

  /** Live `message` conversations by queue id, from the guest sessions. */
  const conversationsByQueue = (): Map<string, number> => {
    const byQueue = new Map<string, number>();
    for (const [deploymentId, count] of guest.liveConversations()) {
      if (!deployments.has(deploymentId)) continue;
      const flowId = (deployments.get(deploymentId).flow as { id?: unknown } | undefined)?.id;
      if (typeof flowId !== "string") continue; // a deployment without a flow routes nowhere
      const [queueName] = flowTargetQueueNames(store, flowId);
      if (queueName === undefined) continue;
      const queue = queues.find((candidate) => candidate.name.toLowerCase() === queueName.toLowerCase());
      if (queue) byQueue.set(queue.id, (byQueue.get(queue.id) ?? 0) + count);
    }
    return byQueue;
  };

  app.post(QUEUE_OBSERVATIONS_PATH, async (request) => {
    const query = parseRequest(querySchema, request.body, "body");
    checkModelled(query);
    const live = conversationsByQueue();
    const results = [];
    for (const queue of queues.snapshot()) {
      for (const mediaType of MEDIA_TYPES) {
        const group: Group = { queueId: queue.id, mediaType };
        if (!selects(query.filter, group)) continue;
        const waiting = mediaType === "message" ? (live.get(queue.id) ?? 0) : 0;
        const counts: Record<string, number> = { oWaiting: waiting, oInteracting: 0, oAlerting: 0 };
        results.push({
          group,
          data: query.metrics.map((metric) => ({ metric, stats: { count: counts[metric] } })),
        });
      }
    }
    return { results };
  });
}

/** 501 for the documented parts of the query the emulator does not model. */
function checkModelled(query: Query): void {
  const unmodelled = (what: string) =>
    new GenesysError(501, "The emulator does not model {what} in queue observations.", { what });
  const metric = query.metrics.find((name) => !MODELLED_METRICS.has(name));
  if (metric !== undefined) throw unmodelled(`the metric ${metric}`);
  if (query.detailMetrics?.length) throw unmodelled("detailMetrics");
  const predicates = [
    ...(query.filter.predicates ?? []),
    ...(query.filter.clauses ?? []).flatMap((clause) => clause.predicates),
  ];
  if (predicates.length === 0) {
    throw new GenesysError(400, "The request body is invalid: {problems}", {
      problems: "filter: at least one predicate or clause is required",
    });
  }
  for (const predicate of predicates) {
    if (predicate.type !== undefined && predicate.type !== "dimension")
      throw unmodelled(`${predicate.type} predicates`);
    if (predicate.range !== undefined) throw unmodelled("range predicates");
    if (predicate.dimension === undefined) {
      throw new GenesysError(400, "The request body is invalid: {problems}", {
        problems: "filter: every predicate needs a dimension (queueId or mediaType)",
      });
    }
    if ((predicate.operator ?? "matches") === "matches" && predicate.value === undefined) {
      throw new GenesysError(400, "The request body is invalid: {problems}", {
        problems: `filter: the ${predicate.dimension} predicate matches no value`,
      });
    }
  }
}

function selects(filter: Query["filter"], group: Group): boolean {
  const tests = [
    ...(filter.predicates ?? []).map((predicate) => holds(predicate, group)),
    ...(filter.clauses ?? []).map((clause) =>
      combine(
        clause.type,
        clause.predicates.map((p) => holds(p, group)),
      ),
    ),
  ];
  return combine(filter.type, tests);
}

function combine(type: "and" | "or", tests: readonly boolean[]): boolean {
  return type === "and" ? tests.every(Boolean) : tests.some(Boolean);
}

function holds(predicate: Predicate, group: Group): boolean {
  const actual = predicate.dimension === undefined ? undefined : group[predicate.dimension];
  const operator = predicate.operator ?? "matches";
  if (operator === "exists") return actual !== undefined;
  if (operator === "notExists") return actual === undefined;
  if (predicate.dimension === "mediaType") return actual?.toLowerCase() === predicate.value?.toLowerCase();
  return actual === predicate.value;
}

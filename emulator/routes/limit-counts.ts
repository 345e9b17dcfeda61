/**
 * Estimated limit counts (`GET /api/v2/organizations/limits/namespaces/{namespaceName}/counts`).
 *
 * What Genesys documents: the Go SDK (MyPureCloud/platform-client-sdk-go) has
 * `OrganizationApi.GetOrganizationsLimitsNamespaceCounts(namespaceName, cursor, entityId, userId)` from v138.0.0
 * (2024-08) to v154.0.0 (2025-03), which marks it deprecated; v155.0.0 dropped it, and the JS SDK this project
 * uses (v262) has no method for it. Its summary: "Get estimated limit counts for a namespace. This is not a source
 * of truth for limit values but a record of estimates to facilitate limit threshold tracking", for the limits the
 * Limits docs mark trackable. It answers `Limitcountlisting{entities: [Limitcount{name, estimatedCount, max,
 * entityId, userId}], nextUri, selfUri}`.
 *
 * What the emulator answers (its own modelling, not Genesys's):
 * - `web.messaging`: the guest side's open connections, under the emulator's own keys, which no real org reports:
 *   `emulator.connections.concurrent.per.deployment.max` once per web deployment (`entityId` the deployment id,
 *   `max` its ceiling) and `emulator.connections.concurrent.per.org.max` for the org (`max` only when an org-wide
 *   ceiling is set). The seeded web.messaging limits are not trackable, so nothing else is counted there.
 * - any other namespace: its seeded trackable limits whose objects the emulator holds, counted
 *   (`web.deployments`: deployments and configurations, `routing`: queues, `dataactions`: actions).
 * - `entityId` filters the entities; `cursor` and `userId` are accepted and ignored (one page, no user counts).
 * - an unknown namespace answers 404, as the namespace itself does.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError } from "../errors";
import type { GuestGateway } from "../guest/gateway";
import { GUEST_LIMIT_KEYS, GUEST_LIMITS_NAMESPACE } from "../guest/limits";
import { SEED_NAMESPACES } from "../limits-data";
import type { CollectionSpec, EmulatorStore } from "../store";
import { parseRequest } from "../validation";
import { ACTIONS } from "./integrations";
import { QUEUES } from "./queues";
import { WEB_CONFIGURATIONS, WEB_DEPLOYMENTS } from "./webdeployments";

const PATH = "/api/v2/organizations/limits/namespaces/:namespaceName/counts";

/** The trackable seeded limits the emulator can count: namespace/key → the collection that holds the objects. */
const COUNTED: Readonly<Record<string, CollectionSpec>> = {
  "web.deployments/deployments.max": WEB_DEPLOYMENTS,
  "web.deployments/configuration.max": WEB_CONFIGURATIONS,
  "routing/queues.max": QUEUES,
  "dataactions/actions.total.max": ACTIONS,
};

const params = z.object({ namespaceName: z.string() });
const query = z.object({
  cursor: z.string().optional(),
  entityId: z.string().optional(),
  userId: z.string().optional(),
});

interface LimitCount {
  readonly name: string;
  readonly estimatedCount: number;
  readonly max?: number;
  readonly entityId?: string;
}

export function registerLimitCountRoutes(
  app: FastifyInstance,
  store: EmulatorStore,
  guest: Pick<GuestGateway, "snapshot">,
): void {
  const valueOf = (namespace: string, key: string): number | undefined =>
    store.limitOverrides[namespace]?.[key] ??
    SEED_NAMESPACES.find((seeded) => seeded.name === namespace)?.limits.find((limit) => limit.key === key)
      ?.defaultValue;

  const guestCounts = (): LimitCount[] => {
    const snapshot = guest.snapshot();
    const perDeployment = store
      .collection(WEB_DEPLOYMENTS)
      .snapshot()
      .map((deployment) => ({
        name: GUEST_LIMIT_KEYS.concurrentPerDeployment,
        estimatedCount: snapshot.deployments[deployment.id]?.live ?? 0,
        max: snapshot.limits.concurrentPerDeployment,
        entityId: deployment.id,
      }));
    const org = snapshot.limits.concurrentPerOrg;
    return [
      {
        name: GUEST_LIMIT_KEYS.concurrentPerOrg,
        estimatedCount: snapshot.live,
        ...(org === undefined ? {} : { max: org }),
      },
      ...perDeployment,
    ];
  };

  app.get(PATH, async (request) => {
    const { namespaceName } = parseRequest(params, request.params, "path");
    const { entityId } = parseRequest(query, request.query, "query");
    const seeded = SEED_NAMESPACES.find((namespace) => namespace.name === namespaceName);
    if (!seeded && !store.limitOverrides[namespaceName]) {
      throw new GenesysError(404, "The limits namespace {namespace} was not found.", {
        namespace: namespaceName,
      });
    }
    const counts: LimitCount[] = [];
    if (namespaceName === GUEST_LIMITS_NAMESPACE) counts.push(...guestCounts());
    for (const limit of seeded?.limits ?? []) {
      const spec = COUNTED[`${namespaceName}/${limit.key}`];
      if (!limit.trackable || spec === undefined) continue;
      const max = valueOf(namespaceName, limit.key);
      counts.push({
        name: limit.key,
        estimatedCount: store.collection(spec).snapshot().length,
        ...(max === undefined ? {} : { max }),
      });
    }
    return {
      entities: counts.filter((count) => entityId === undefined || count.entityId === entityId),
      selfUri: request.url,
    };
  });
}

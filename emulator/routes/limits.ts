/**
 * The organization Limits API (`/api/v2/organizations/limits`): namespaces, the org's effective values, the
 * defaults and the docs. Effective values are the seeded defaults (limits-data.ts) with the store's overrides.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError } from "../errors";
import { SEED_NAMESPACES } from "../limits-data";
import type { EmulatorStore } from "../store";
import { parseRequest } from "../validation";

const BASE = "/api/v2/organizations/limits";

const pagingQuery = z.object({
  pageSize: z.coerce.number().int().min(1).max(500).default(100),
  pageNumber: z.coerce.number().int().min(1).default(1),
});

const namespaceParams = z.object({ namespaceName: z.string() });

export function registerLimitsRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const defaultsOf = (namespace: string): Record<string, number> | undefined => {
    const seeded = SEED_NAMESPACES.find((candidate) => candidate.name === namespace);
    if (seeded) return Object.fromEntries(seeded.limits.map((limit) => [limit.key, limit.defaultValue]));
    return store.limitOverrides[namespace] ? {} : undefined;
  };

  const namespaceNames = (): string[] => [
    ...new Set([...SEED_NAMESPACES.map((namespace) => namespace.name), ...Object.keys(store.limitOverrides)]),
  ];

  const requireDefaults = (namespace: string): Record<string, number> => {
    const defaults = defaultsOf(namespace);
    if (!defaults)
      throw new GenesysError(404, "The limits namespace {namespace} was not found.", { namespace });
    return defaults;
  };

  const listing = (namespace: string, values: Record<string, number>) => ({
    entities: Object.entries(values).map(([key, value]) => ({ key, namespace, value })),
  });

  app.get(`${BASE}/namespaces`, async (request) => {
    const { pageSize, pageNumber } = parseRequest(pagingQuery, request.query, "query");
    const names = namespaceNames();
    return {
      entities: names.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((name) => ({ name })),
      pageSize,
      pageNumber,
      total: names.length,
      pageCount: Math.ceil(names.length / pageSize),
    };
  });

  app.get(`${BASE}/namespaces/:namespaceName`, async (request) => {
    const { namespaceName } = parseRequest(namespaceParams, request.params, "path");
    const defaults = requireDefaults(namespaceName);
    return listing(namespaceName, { ...defaults, ...store.limitOverrides[namespaceName] });
  });

  app.get(`${BASE}/namespaces/:namespaceName/defaults`, async (request) => {
    const { namespaceName } = parseRequest(namespaceParams, request.params, "path");
    return listing(namespaceName, requireDefaults(namespaceName));
  });

  app.get(`${BASE}/docs`, async () => ({
    url: "https://developer.genesys.cloud/organization/organization/limits",
    namespaces: SEED_NAMESPACES,
  }));
}

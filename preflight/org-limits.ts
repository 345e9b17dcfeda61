/**
 * Reads an organization's effective limits through the official Genesys Cloud SDK
 * (purecloud-platform-client-v2) and maps them onto the limits catalog.
 *
 * It logs in (api-client.ts: client credentials or an access token, 429s retried), reads
 * `GET /api/v2/organizations/limits/namespaces/{ns}` for every namespace the catalog maps (plus the standard set
 * below) and `GET /api/v2/organizations/limits/docs` for defaults and the `configurable` flag.
 *
 * Settings arrive as parameters; only the command line reads the environment (see `settingsFromEnv`).
 * Credentials are never printed: every error message is scrubbed of the secret.
 */
import { LIMITS_CATALOG } from "../capacity/catalog";
import type { LimitDefinition, LimitKey, LimitOverrides } from "../capacity/types";
import {
  GenesysApiError,
  openSession,
  RejectedError,
  type ApiSettings,
  type RetryPolicy,
} from "./api-client";

// The login and its settings live in api-client.ts, shared with `watch`; these names stay for the preflight's callers.
export {
  DEFAULT_RETRY_POLICY,
  ENV,
  GenesysApiError as OrgLimitsError,
  settingsFromEnv,
  type ApiTarget,
  type ClientCredentials,
  type Gateway,
  type RetryPolicy,
} from "./api-client";

/** The namespaces read even when the catalog maps no key in them. */
export const STANDARD_NAMESPACES = [
  "web.messaging",
  "web.deployments",
  "dataactions",
  "routing",
  "platform.api",
];

export type LimitsCatalog = Readonly<Record<LimitKey, LimitDefinition>>;

export interface ReadOrgLimitsOptions extends ApiSettings {
  /** @default LIMITS_CATALOG */
  readonly catalog?: LimitsCatalog;
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
}

/** One catalog limit next to what the org reports. */
export interface OrgLimit {
  readonly key: LimitKey;
  /** The catalog's fallback value. */
  readonly catalogDefault: number | undefined;
  /** The org's effective value; undefined when Genesys exposes no key for it or the org did not report it. */
  readonly orgValue: number | undefined;
  /** Genesys's documented default (`/limits/docs`). */
  readonly orgDefault: number | undefined;
  /** Whether Genesys documents the limit as configurable per org (`/limits/docs`). */
  readonly configurable: boolean | undefined;
  /** The Limits API namespace and key read, when the catalog maps one (or a candidate key matched). */
  readonly genesys?: { readonly namespace: string; readonly key: string };
  /**
   * True when no source names the key and the value came from a key whose name matched the catalog's
   * `genesysCandidates` (the report asks the reader to check it).
   */
  readonly matchedCandidate?: boolean;
}

export interface OrgLimitsReading {
  /** The API base URL read from, e.g. "https://api.mypurecloud.com". */
  readonly apiUrl: string;
  readonly limits: Readonly<Record<LimitKey, OrgLimit>>;
  /** The org's values by catalog key, ready for the planner's `limits`. */
  readonly overrides: LimitOverrides;
  /** Namespaces the org answered 404 for. */
  readonly missingNamespaces: readonly string[];
}

/** Logs in and reads the org's limits, mapped onto the catalog. */
export async function readOrgLimits(options: ReadOrgLimitsOptions): Promise<OrgLimitsReading> {
  const catalog = options.catalog ?? LIMITS_CATALOG;
  const session = await openSession(options);
  const { apiUrl } = session;
  const api = new session.sdk.OrganizationApi(session.client);
  const definitions = Object.values(catalog) as LimitDefinition[];
  const namespaces = [
    ...new Set([
      ...STANDARD_NAMESPACES,
      ...definitions.flatMap((definition) => definition.genesys?.namespace ?? []),
    ]),
  ];

  const orgValues = new Map<string, number>();
  const missingNamespaces: string[] = [];
  for (const namespace of namespaces) {
    const path = `/api/v2/organizations/limits/namespaces/${namespace}`;
    try {
      const listing = await session.call(`GET ${apiUrl}${path}`, () =>
        api.getOrganizationsLimitsNamespace(namespace),
      );
      for (const limit of listing.entities ?? []) {
        if (limit.key !== undefined && limit.value !== undefined)
          orgValues.set(`${namespace}/${limit.key}`, limit.value);
      }
    } catch (error) {
      if (!(error instanceof RejectedError && error.status === 404)) throw asUnavailable(error);
      missingNamespaces.push(namespace);
    }
  }

  const docs = await session
    .call(`GET ${apiUrl}/api/v2/organizations/limits/docs`, () => api.getOrganizationsLimitsDocs())
    .catch((error: unknown) => {
      throw asUnavailable(error);
    });
  const documented = new Map<string, { defaultValue?: number; configurable?: boolean }>();
  for (const namespace of docs.namespaces ?? []) {
    for (const limit of namespace.limits ?? []) documented.set(`${namespace.name}/${limit.key}`, limit);
  }

  const limits = {} as Record<LimitKey, OrgLimit>;
  const overrides: LimitOverrides = {};
  for (const definition of definitions) {
    const candidate = definition.genesys ? undefined : matchCandidate(definition, orgValues);
    const genesys = definition.genesys ?? candidate;
    const id = genesys && `${genesys.namespace}/${genesys.key}`;
    const orgValue = id === undefined ? undefined : orgValues.get(id);
    const doc = id === undefined ? undefined : documented.get(id);
    limits[definition.key] = {
      key: definition.key,
      catalogDefault: definition.defaultValue,
      orgValue,
      orgDefault: doc?.defaultValue,
      configurable: doc?.configurable,
      ...(genesys ? { genesys } : {}),
      ...(candidate ? { matchedCandidate: true } : {}),
    };
    if (orgValue !== undefined) overrides[definition.key] = orgValue;
  }
  return { apiUrl, limits, overrides, missingNamespaces };
}

/**
 * For a limit whose key no source names, the org's key of its candidate namespace that matches the catalog's
 * `genesysCandidates` (the lowest value when several do).
 */
function matchCandidate(
  definition: LimitDefinition,
  orgValues: ReadonlyMap<string, number>,
): { namespace: string; key: string } | undefined {
  const candidates = definition.genesysCandidates;
  if (candidates === undefined) return undefined;
  let best: { namespace: string; key: string; value: number } | undefined;
  const prefix = `${candidates.namespace}/`;
  for (const [id, value] of orgValues) {
    const key = id.slice(prefix.length);
    if (!id.startsWith(prefix) || !candidates.keys.test(key)) continue;
    if (best === undefined || value < best.value) best = { namespace: candidates.namespace, key, value };
  }
  return best && { namespace: best.namespace, key: best.key };
}

/** A 4xx the preflight cannot go on with (other than a missing namespace) means the limits cannot be read. */
function asUnavailable(error: unknown): unknown {
  if (error instanceof RejectedError) return new GenesysApiError(error.message, "unavailable");
  return error;
}

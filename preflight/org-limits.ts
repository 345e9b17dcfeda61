/**
 * Reads an organization's effective limits through the official Genesys Cloud SDK
 * (purecloud-platform-client-v2) and maps them onto the limits catalog.
 *
 * It logs in with the client-credentials grant, reads `GET /api/v2/organizations/limits/namespaces/{ns}` for
 * every namespace the catalog maps (plus the standard set below) and `GET /api/v2/organizations/limits/docs`
 * for defaults and the `configurable` flag. The SDK does not retry (v262 has no retry option), so a 429 is
 * retried here, honouring `Retry-After`, a bounded number of times.
 *
 * Settings arrive as parameters; only the command line reads the environment (see `settingsFromEnv`).
 * Credentials are never printed: every error message is built here and scrubbed of the secret.
 */
import type PlatformClient from "purecloud-platform-client-v2";
import { setTimeout as sleep } from "node:timers/promises";
import { LIMITS_CATALOG } from "../capacity/catalog";
import type { LimitDefinition, LimitKey, LimitOverrides } from "../capacity/types";
import { REGION_DOMAINS, regionDomain } from "./regions";

/** An OAuth client with the client-credentials grant. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A gateway in front of the API (the emulator, a proxy): like the provider's `gateway` block. */
export interface Gateway {
  readonly host: string;
  /** @default - the protocol's default port */
  readonly port?: number;
  /** @default "https" (the SDK's default) */
  readonly protocol?: "http" | "https";
}

/** Where the API is: a Genesys region key (e.g. "us-east-1") or a gateway. */
export type ApiTarget = { readonly region: string } | { readonly gateway: Gateway };

/** How 429 answers are retried. */
export interface RetryPolicy {
  /** Tries per request, the first included. @default 3 */
  readonly maxAttempts: number;
  /** Most seconds spent waiting for one request, summed over its retries. @default 30 */
  readonly maxTotalWaitSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 3, maxTotalWaitSeconds: 30 };

/** The namespaces read even when the catalog maps no key in them. */
export const STANDARD_NAMESPACES = [
  "web.messaging",
  "web.deployments",
  "dataactions",
  "routing",
  "platform.api",
];

export type LimitsCatalog = Readonly<Record<LimitKey, LimitDefinition>>;

export interface ReadOrgLimitsOptions {
  readonly credentials: ClientCredentials;
  readonly target: ApiTarget;
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

/**
 * Why the limits could not be read.
 * - `settings`: a setting is missing or invalid (bad input; the CLI exits 2).
 * - `credentials`: the login service rejected the client (the CLI exits 2).
 * - `unavailable`: the API could not be reached or kept failing (the CLI exits 4).
 */
export class OrgLimitsError extends Error {
  constructor(
    message: string,
    readonly kind: "settings" | "credentials" | "unavailable",
  ) {
    super(message);
    this.name = "OrgLimitsError";
  }
}

/** The environment variables read by `settingsFromEnv`, named as the Terraform provider names them. */
export const ENV = {
  clientId: "GENESYSCLOUD_OAUTHCLIENT_ID",
  clientSecret: "GENESYSCLOUD_OAUTHCLIENT_SECRET",
  region: "GENESYSCLOUD_REGION",
  gatewayHost: "GENESYSCLOUD_GATEWAY_HOST",
  gatewayPort: "GENESYSCLOUD_GATEWAY_PORT",
  gatewayProtocol: "GENESYSCLOUD_GATEWAY_PROTOCOL",
} as const;

/**
 * Credentials and target from environment variables. A gateway host wins over the region.
 * @throws OrgLimitsError (kind `settings`) naming the first missing or invalid variable.
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): {
  credentials: ClientCredentials;
  target: ApiTarget;
} {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === "" ? undefined : raw;
  };
  const clientId = value(ENV.clientId);
  if (!clientId) throw new OrgLimitsError(`${ENV.clientId} is not set (the OAuth client id)`, "settings");
  const clientSecret = env[ENV.clientSecret];
  if (!clientSecret)
    throw new OrgLimitsError(`${ENV.clientSecret} is not set (the OAuth client secret)`, "settings");
  const credentials = { clientId, clientSecret };

  const host = value(ENV.gatewayHost);
  if (host) {
    const portText = value(ENV.gatewayPort);
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      throw new OrgLimitsError(
        `${ENV.gatewayPort} must be a port from 1 to 65535, got "${portText}"`,
        "settings",
      );
    }
    const protocol = value(ENV.gatewayProtocol)?.toLowerCase() ?? "https";
    if (protocol !== "http" && protocol !== "https") {
      throw new OrgLimitsError(`${ENV.gatewayProtocol} must be http or https, got "${protocol}"`, "settings");
    }
    return { credentials, target: { gateway: { host, port, protocol } } };
  }

  const region = value(ENV.region);
  if (!region) {
    throw new OrgLimitsError(
      `${ENV.region} is not set (a region such as us-east-1), and no ${ENV.gatewayHost} either`,
      "settings",
    );
  }
  return { credentials, target: { region } };
}

/** Logs in and reads the org's limits, mapped onto the catalog. */
export async function readOrgLimits(options: ReadOrgLimitsOptions): Promise<OrgLimitsReading> {
  const catalog = options.catalog ?? LIMITS_CATALOG;
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const { client, apiUrl, loginUrl } = createClient(options.target);
  const redact = (text: string) => text.split(options.credentials.clientSecret).join("[redacted]");
  const guard = <T>(run: () => Promise<T>): Promise<T> =>
    run().catch((error: unknown) => {
      if (error instanceof OrgLimitsError) throw new OrgLimitsError(redact(error.message), error.kind);
      throw error;
    });

  return guard(async () => {
    await withRetry(retry, `POST ${loginUrl}/oauth/token`, () =>
      client.loginClientCredentialsGrant(options.credentials.clientId, options.credentials.clientSecret),
    ).catch((error: unknown) => {
      if (error instanceof RejectedError) {
        throw new OrgLimitsError(
          `${ENV.clientId}/SECRET were rejected by ${loginUrl}: ${error.status} ${error.detail}`,
          "credentials",
        );
      }
      throw error;
    });

    const api = new (platformClient().OrganizationApi)(client);
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
        const listing = await withRetry(retry, `GET ${apiUrl}${path}`, () =>
          api.getOrganizationsLimitsNamespace(namespace),
        );
        for (const limit of bodyOf(listing).entities ?? []) {
          if (limit.key !== undefined && limit.value !== undefined)
            orgValues.set(`${namespace}/${limit.key}`, limit.value);
        }
      } catch (error) {
        if (!(error instanceof RejectedError && error.status === 404)) throw asUnavailable(error);
        missingNamespaces.push(namespace);
      }
    }

    const docs = bodyOf(
      await withRetry(retry, `GET ${apiUrl}/api/v2/organizations/limits/docs`, () =>
        api.getOrganizationsLimitsDocs(),
      ).catch((error: unknown) => {
        throw asUnavailable(error);
      }),
    );
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
  });
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

type SdkClient = InstanceType<typeof PlatformClient.ApiClientClass>;

let sdk: typeof PlatformClient | undefined;

/**
 * The Genesys SDK, loaded on first use. Loading it creates the module's shared client, which watches
 * ~/.genesyscloudjavascript/config for changes; we never use that client, so its watcher is switched off.
 */
function platformClient(): typeof PlatformClient {
  if (sdk === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred so importing this module is cheap
    sdk = require("purecloud-platform-client-v2") as typeof PlatformClient;
    sdk.ApiClient.instance.config.live_reload_config = false;
  }
  return sdk;
}

/** A fresh SDK client (not the SDK's shared singleton) aimed at the target. */
function createClient(target: ApiTarget): { client: SdkClient; apiUrl: string; loginUrl: string } {
  const client = new (platformClient().ApiClientClass)();
  client.config.live_reload_config = false; // do not let ~/.genesyscloudjavascript/config change it mid-run
  client.setReturnExtendedResponses(true); // errors then carry the status and headers (Retry-After)
  if ("gateway" in target) {
    const { host, port, protocol = "https" } = target.gateway;
    client.setGateway({ host, port, protocol });
  } else {
    const domain = regionDomain(target.region);
    if (!domain) {
      throw new OrgLimitsError(
        `${ENV.region} "${target.region}" is not a Genesys Cloud region; use one of ${Object.keys(REGION_DOMAINS).join(", ")}`,
        "settings",
      );
    }
    client.setGateway(undefined as never); // a gateway from the SDK's config file would win over the region
    client.setEnvironment(domain);
  }
  return {
    client,
    apiUrl: client.config.getConfUrl("api", client.config.basePath),
    loginUrl: client.config.getConfUrl("login", client.config.authUrl),
  };
}

/** The body of an extended SDK response. */
function bodyOf<T>(response: T): T {
  const extended = response as { body?: T } | undefined;
  return extended?.body ?? response;
}

/** An answer other than 429 that the caller may handle (404, or 400/401/403 at login). */
class RejectedError extends Error {
  constructor(
    what: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${what} answered ${status} (${detail})`);
  }
}

function asUnavailable(error: unknown): unknown {
  if (error instanceof RejectedError) return new OrgLimitsError(error.message, "unavailable");
  return error;
}

/** What a failed SDK call tells us: an extended error response, an axios error (login) or a network error. */
interface Failure {
  readonly status?: number;
  readonly retryAfter?: string;
  readonly detail: string;
  /** The TLS handshake got a plain-HTTP answer: the server does not speak HTTPS. */
  readonly notHttps?: boolean;
}

/** OpenSSL's codes for a TLS handshake answered in plain HTTP. */
const NOT_TLS_CODES = ["ERR_SSL_WRONG_VERSION_NUMBER", "ERR_SSL_PACKET_LENGTH_TOO_LONG", "EPROTO"];

function failureOf(thrown: unknown): Failure {
  const value = thrown as {
    status?: unknown;
    headers?: Record<string, unknown>;
    body?: unknown;
    response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
    message?: string;
    code?: string;
  };
  // An axios error (login) has `response`; an extended SDK error response has `status` and `body` itself.
  const response =
    value?.response ??
    (typeof value?.status === "number"
      ? { status: value.status, headers: value.headers, data: value.body }
      : undefined);
  if (response?.status === undefined) {
    const code = value?.code ?? (value as { cause?: { code?: string } })?.cause?.code;
    const notHttps =
      (code !== undefined && NOT_TLS_CODES.includes(code)) ||
      /wrong version number/i.test(value?.message ?? "");
    // OpenSSL's own text ("...:error:0A00010B:SSL routines::wrong version number") says little to a person.
    const detail = notHttps ? (code ?? "TLS handshake failed") : undefined;
    return {
      detail: detail ?? ([value?.code, value?.message].filter(Boolean).join(" ") || String(thrown)),
      notHttps,
    };
  }
  const retryAfter = response.headers?.["retry-after"];
  return {
    status: response.status,
    retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
    detail: describeBody(response.data),
  };
}

/** A Genesys error body `{message, code}` or a login error `{error, description}` as one short phrase. */
function describeBody(data: unknown): string {
  if (typeof data === "string") return data.slice(0, 200);
  const body = (data ?? {}) as Record<string, unknown>;
  const text = (key: string) => (typeof body[key] === "string" ? (body[key] as string) : undefined);
  const code = text("code") ?? text("error");
  const message = text("message") ?? text("error_description") ?? text("description");
  return [code, message].filter(Boolean).join(": ") || "no details";
}

/** Seconds to wait before retrying, from a `Retry-After` of seconds or an HTTP date; 1 s when absent. */
function retryDelaySeconds(retryAfter: string | undefined, attempt: number): number {
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, (date - Date.now()) / 1000);
  }
  return 2 ** (attempt - 1);
}

/**
 * Runs one SDK call, retrying 429s as `Retry-After` says within the policy. Other 4xx answers become a
 * `RejectedError` for the caller; 5xx and network errors an `OrgLimitsError` of kind `unavailable`.
 */
async function withRetry<T>(policy: RetryPolicy, what: string, call: () => Promise<T>): Promise<T> {
  let waitedSeconds = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (thrown) {
      const failure = failureOf(thrown);
      if (failure.status === undefined) {
        if (failure.notHttps) {
          const url = new URL(what.slice(what.indexOf(" ") + 1));
          throw new OrgLimitsError(
            `the server at ${url.host} does not speak HTTPS (${what} failed: ${failure.detail}); for a ` +
              `plain-HTTP gateway such as the local emulator set ${ENV.gatewayProtocol}=http`,
            "settings",
          );
        }
        throw new OrgLimitsError(`${what} failed: ${failure.detail}`, "unavailable");
      }
      if (failure.status !== 429) {
        if (failure.status >= 400 && failure.status < 500) {
          throw new RejectedError(what, failure.status, failure.detail);
        }
        throw new OrgLimitsError(`${what} answered ${failure.status} (${failure.detail})`, "unavailable");
      }
      const delay = retryDelaySeconds(failure.retryAfter, attempt);
      if (attempt >= policy.maxAttempts || waitedSeconds + delay > policy.maxTotalWaitSeconds) {
        throw new OrgLimitsError(
          `${what} was rate limited (429) ${attempt} times in a row (waited ${waitedSeconds} s, ` +
            `Retry-After ${failure.retryAfter ?? "absent"}); try again later`,
          "unavailable",
        );
      }
      await sleep(delay * 1000);
      waitedSeconds += delay;
    }
  }
}

/**
 * One logged-in session with the Genesys Cloud Platform API through the official SDK
 * (purecloud-platform-client-v2), shared by every command that reads the org: the preflight (its Limits API) and
 * `watch` (queue observations and limit counts).
 *
 * It logs in with the client-credentials grant, or takes a bearer token as the Terraform provider does
 * (`GENESYSCLOUD_ACCESS_TOKEN`, no login), and aims at a region or at a gateway such as the local emulator. The
 * SDK does not retry (v262 has no retry option), so a 429 is retried here, honouring `Retry-After`, a bounded
 * number of times.
 *
 * Settings arrive as parameters; only the command line reads the environment (see `settingsFromEnv`).
 * Credentials are never printed: every error message is built here and scrubbed of the secret or token.
 */
import type PlatformClient from "purecloud-platform-client-v2";
import { setTimeout as sleep } from "node:timers/promises";
import { REGION_DOMAINS, regionDomain } from "../genesys";

/** An OAuth client with the client-credentials grant. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** A bearer token used as it is, with no login (the provider's `access_token`). */
export interface AccessTokenCredentials {
  readonly accessToken: string;
}

/** How a session authenticates. */
export type Credentials = ClientCredentials | AccessTokenCredentials;

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

/** Credentials and target, as `settingsFromEnv` reads them. */
export interface ApiSettings {
  readonly credentials: Credentials;
  readonly target: ApiTarget;
}

/**
 * Why the API could not be used.
 * - `settings`: a setting is missing or invalid (bad input; the CLIs exit 2).
 * - `credentials`: the login service or the API rejected the client or the token (the CLIs exit 2).
 * - `unavailable`: the API could not be reached or kept failing (the CLIs exit 4).
 */
export class GenesysApiError extends Error {
  constructor(
    message: string,
    readonly kind: "settings" | "credentials" | "unavailable",
  ) {
    super(message);
    this.name = "GenesysApiError";
  }
}

/** The environment variables read by `settingsFromEnv`, named as the Terraform provider names them. */
export const ENV = {
  clientId: "GENESYSCLOUD_OAUTHCLIENT_ID",
  clientSecret: "GENESYSCLOUD_OAUTHCLIENT_SECRET",
  accessToken: "GENESYSCLOUD_ACCESS_TOKEN",
  region: "GENESYSCLOUD_REGION",
  gatewayHost: "GENESYSCLOUD_GATEWAY_HOST",
  gatewayPort: "GENESYSCLOUD_GATEWAY_PORT",
  gatewayProtocol: "GENESYSCLOUD_GATEWAY_PROTOCOL",
} as const;

/**
 * Credentials and target from environment variables. A gateway host wins over the region; an access token
 * (`GENESYSCLOUD_ACCESS_TOKEN`) wins over the OAuth client, as in the provider.
 * @throws GenesysApiError (kind `settings`) naming the first missing or invalid variable.
 */
export function settingsFromEnv(env: Readonly<Record<string, string | undefined>>): ApiSettings {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === "" ? undefined : raw;
  };
  const accessToken = value(ENV.accessToken);
  let credentials: Credentials;
  if (accessToken) {
    credentials = { accessToken };
  } else {
    const clientId = value(ENV.clientId);
    if (!clientId) throw new GenesysApiError(`${ENV.clientId} is not set (the OAuth client id)`, "settings");
    const clientSecret = env[ENV.clientSecret];
    if (!clientSecret)
      throw new GenesysApiError(`${ENV.clientSecret} is not set (the OAuth client secret)`, "settings");
    credentials = { clientId, clientSecret };
  }

  const host = value(ENV.gatewayHost);
  if (host) {
    const portText = value(ENV.gatewayPort);
    const port = portText === undefined ? undefined : Number(portText);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      throw new GenesysApiError(
        `${ENV.gatewayPort} must be a port from 1 to 65535, got "${portText}"`,
        "settings",
      );
    }
    const protocol = value(ENV.gatewayProtocol)?.toLowerCase() ?? "https";
    if (protocol !== "http" && protocol !== "https") {
      throw new GenesysApiError(
        `${ENV.gatewayProtocol} must be http or https, got "${protocol}"`,
        "settings",
      );
    }
    return { credentials, target: { gateway: { host, port, protocol } } };
  }

  const region = value(ENV.region);
  if (!region) {
    throw new GenesysApiError(
      `${ENV.region} is not set (a region such as us-east-1), and no ${ENV.gatewayHost} either`,
      "settings",
    );
  }
  return { credentials, target: { region } };
}

export type SdkClient = InstanceType<typeof PlatformClient.ApiClientClass>;

/** A logged-in SDK client and how to call the API through it. */
export interface ApiSession {
  /** The SDK client (not the SDK's shared singleton); give it to the SDK's API classes. */
  readonly client: SdkClient;
  /** The SDK module, for its API classes (`new session.sdk.AnalyticsApi(session.client)`). */
  readonly sdk: typeof PlatformClient;
  /** The API base URL, e.g. "https://api.mypurecloud.com". */
  readonly apiUrl: string;
  /** The login base URL, e.g. "https://login.mypurecloud.com". */
  readonly loginUrl: string;
  /**
   * Runs one SDK call (`what` names it in messages, e.g. "GET https://…/path") and returns the body of its
   * answer. 429 is retried within the policy; 401 becomes a `GenesysApiError` of kind `credentials`, other 4xx a
   * `RejectedError` the caller may handle, 5xx and network errors a `GenesysApiError` of kind `unavailable`.
   * Messages never hold the secret or the token.
   */
  call<T>(what: string, run: () => Promise<T>): Promise<T>;
}

export interface OpenSessionOptions extends ApiSettings {
  /** @default DEFAULT_RETRY_POLICY */
  readonly retry?: Partial<RetryPolicy>;
}

/**
 * Logs in (client credentials) or takes the access token, aimed at the target.
 * @throws GenesysApiError: `settings` for an unknown region or a gateway that does not speak HTTPS,
 * `credentials` when the login service rejects the client, `unavailable` when it cannot be reached.
 */
export async function openSession(options: OpenSessionOptions): Promise<ApiSession> {
  const retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const { credentials } = options;
  const secret = "accessToken" in credentials ? credentials.accessToken : credentials.clientSecret;
  const redact = (text: string) => text.split(secret).join("[redacted]");
  const scrubbed = (error: unknown): unknown => {
    if (error instanceof GenesysApiError) return new GenesysApiError(redact(error.message), error.kind);
    if (error instanceof RejectedError)
      return new RejectedError(redact(error.what), error.status, redact(error.detail));
    return error;
  };

  // Settings errors name only the target, never a credential.
  const { client, apiUrl, loginUrl } = createClient(options.target);

  if ("accessToken" in credentials) {
    client.setAccessToken(credentials.accessToken);
  } else {
    await withRetry(retry, `POST ${loginUrl}/oauth/token`, () =>
      client.loginClientCredentialsGrant(credentials.clientId, credentials.clientSecret),
    ).catch((error: unknown) => {
      if (error instanceof RejectedError) {
        throw scrubbed(
          new GenesysApiError(
            `${ENV.clientId}/SECRET were rejected by ${loginUrl}: ${error.status} ${error.detail}`,
            "credentials",
          ),
        );
      }
      throw scrubbed(error);
    });
  }

  const rejectedBy =
    "accessToken" in credentials ? `the token in ${ENV.accessToken}` : `the OAuth client's token`;
  return {
    client,
    sdk: platformClient(),
    apiUrl,
    loginUrl,
    call: async <T>(what: string, run: () => Promise<T>): Promise<T> => {
      try {
        return bodyOf(await withRetry(retry, what, run));
      } catch (error) {
        if (error instanceof RejectedError && error.status === 401) {
          throw scrubbed(
            new GenesysApiError(
              `${what} answered 401 (${error.detail}): ${rejectedBy} was rejected`,
              "credentials",
            ),
          );
        }
        throw scrubbed(error);
      }
    },
  };
}

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
      throw new GenesysApiError(
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
export function bodyOf<T>(response: T): T {
  const extended = response as { body?: T } | undefined;
  return extended?.body ?? response;
}

/** An answer other than 429 and 401 that the caller may handle (404, 403, 400, …). */
export class RejectedError extends Error {
  constructor(
    readonly what: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${what} answered ${status} (${detail})`);
    this.name = "RejectedError";
  }
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
 * `RejectedError` for the caller; 5xx and network errors a `GenesysApiError` of kind `unavailable`.
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
          throw new GenesysApiError(
            `the server at ${url.host} does not speak HTTPS (${what} failed: ${failure.detail}); for a ` +
              `plain-HTTP gateway such as the local emulator set ${ENV.gatewayProtocol}=http`,
            "settings",
          );
        }
        throw new GenesysApiError(`${what} failed: ${failure.detail}`, "unavailable");
      }
      if (failure.status !== 429) {
        if (failure.status >= 400 && failure.status < 500) {
          throw new RejectedError(what, failure.status, failure.detail);
        }
        throw new GenesysApiError(`${what} answered ${failure.status} (${failure.detail})`, "unavailable");
      }
      const delay = retryDelaySeconds(failure.retryAfter, attempt);
      if (attempt >= policy.maxAttempts || waitedSeconds + delay > policy.maxTotalWaitSeconds) {
        throw new GenesysApiError(
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

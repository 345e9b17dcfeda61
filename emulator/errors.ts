/**
 * Genesys-style error bodies. Every non-2xx answer of the emulator's `/api/v2` routes has this shape, so a client
 * (the SDK, the Terraform provider) parses our errors exactly as it parses the real ones.
 */
import { randomUUID } from "node:crypto";

/** The error body Genesys Cloud returns from `/api/v2` (the SDK's `ErrorBody` model, trimmed to what we fill). */
export interface GenesysErrorBody {
  readonly message: string;
  readonly code: string;
  readonly status: number;
  readonly messageWithParams: string;
  readonly messageParams: Record<string, string>;
  readonly contextId: string;
  readonly details: readonly unknown[];
  readonly errors: readonly unknown[];
}

/** The Genesys error codes the emulator uses, by status. */
export const ERROR_CODES = {
  400: "general.bad.request",
  401: "authentication.required",
  404: "not.found",
  408: "request.timeout",
  409: "conflict",
  429: "too.many.requests.retry.after",
  500: "internal.server.error",
  501: "not.implemented",
  502: "bad.gateway",
  503: "service.unavailable",
} as const;

export type ErrorStatus = keyof typeof ERROR_CODES;

/**
 * Builds a Genesys error body. `messageWithParams` keeps the `{param}` placeholders and `message` has them
 * filled in, as Genesys does.
 */
export function genesysErrorBody(
  status: ErrorStatus,
  messageWithParams: string,
  messageParams: Record<string, string> = {},
  code: string = ERROR_CODES[status],
): GenesysErrorBody {
  const message = messageWithParams.replace(
    /\{(\w+)\}/g,
    (whole, name: string) => messageParams[name] ?? whole,
  );
  return {
    message,
    code,
    status,
    messageWithParams,
    messageParams,
    contextId: randomUUID(),
    details: [],
    errors: [],
  };
}

/** Thrown by route handlers and the store; the server turns it into a Genesys error response. */
export class GenesysError extends Error {
  readonly body: GenesysErrorBody;
  /** Extra response headers, e.g. `Retry-After` for a 429. */
  readonly headers: Record<string, string>;

  constructor(
    readonly status: ErrorStatus,
    messageWithParams: string,
    messageParams: Record<string, string> = {},
    options: { code?: string; headers?: Record<string, string> } = {},
  ) {
    const body = genesysErrorBody(status, messageWithParams, messageParams, options.code);
    super(body.message);
    this.body = body;
    this.headers = options.headers ?? {};
  }
}

/**
 * Throws the 409 Genesys answers when a write carries a stale `version` (optimistic locking). The provider retries
 * these through `util.RetryWhen(util.IsVersionMismatch, ...)`, which keys on status 409.
 */
export function assertVersion(entity: string, sent: unknown, current: number): void {
  if (typeof sent !== "number" || sent === current) return;
  throw new GenesysError(
    409,
    "The {entity} was modified by someone else: version {sent} was sent but the current version is {current}.",
    { entity, sent: String(sent), current: String(current) },
    { code: "general.conflict" },
  );
}

/** A 404 for an entity id that does not exist. */
export function notFound(what: string, id: string): GenesysError {
  return new GenesysError(404, "The {entity} with id {id} was not found.", { entity: what, id });
}

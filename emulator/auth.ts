/**
 * OAuth for the emulator: the client-credentials grant (`POST /oauth/token`) and bearer-token checks for
 * `/api/v2`. Errors follow Genesys: the login service answers `{error, description, error_description}`, the
 * API answers a Genesys error body.
 */
import { randomBytes } from "node:crypto";
import { GenesysError } from "./errors";

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** An OAuth error of the login service (not an `/api/v2` error body). */
export class LoginError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }

  get body(): Record<string, string> {
    return { error: this.error, description: this.description, error_description: this.description };
  }
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "bearer";
  readonly expires_in: number;
}

export class TokenIssuer {
  private readonly issued = new Map<string, { clientId: string; expiresAtMs: number }>();

  constructor(
    private readonly clients: readonly OAuthClient[],
    private readonly staticTokens: readonly string[],
    private readonly lifetimeSeconds: number,
  ) {}

  /**
   * Runs the client-credentials grant. Credentials come from HTTP Basic auth or, failing that, the form fields
   * `client_id` and `client_secret`.
   */
  grant(authorization: string | undefined, form: Record<string, unknown>): TokenResponse {
    if (form.grant_type !== "client_credentials") {
      throw new LoginError(400, "unsupported_grant_type", "Only the client_credentials grant is emulated.");
    }
    const credentials = basicCredentials(authorization) ?? formCredentials(form);
    if (!credentials) {
      throw new LoginError(401, "invalid_client", "No client credentials were sent.");
    }
    const client = this.clients.find((known) => known.clientId === credentials.clientId);
    if (!client || client.clientSecret !== credentials.clientSecret) {
      throw new LoginError(401, "invalid_client", "Invalid client credentials.");
    }
    const token = randomBytes(24).toString("base64url");
    this.issued.set(token, {
      clientId: client.clientId,
      expiresAtMs: Date.now() + this.lifetimeSeconds * 1000,
    });
    return { access_token: token, token_type: "bearer", expires_in: this.lifetimeSeconds };
  }

  /** Throws a Genesys 401 unless the Authorization header carries a valid bearer token. */
  authenticate(authorization: string | undefined): void {
    const match = /^bearer\s+(\S+)$/i.exec(authorization ?? "");
    if (!match) {
      throw new GenesysError(401, "No authentication bearer token specified in authorization header.");
    }
    const token = match[1];
    if (this.staticTokens.includes(token)) return;
    const issued = this.issued.get(token);
    if (!issued || issued.expiresAtMs <= Date.now()) {
      throw new GenesysError(401, "Invalid login credentials.", {}, { code: "bad.credentials" });
    }
  }
}

function basicCredentials(authorization: string | undefined): OAuthClient | undefined {
  const match = /^basic\s+(\S+)$/i.exec(authorization ?? "");
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

function formCredentials(form: Record<string, unknown>): OAuthClient | undefined {
  const { client_id: clientId, client_secret: clientSecret } = form;
  if (typeof clientId !== "string" || typeof clientSecret !== "string") return undefined;
  return { clientId, clientSecret };
}

/**
 * Shared helpers of the emulator tests. They talk to the real server over loopback with fetch: fastify's
 * `inject` cannot load under Jest here (light-my-request requires cookie@2, which is ESM-only).
 */
import { createEmulator, type Emulator, type EmulatorOptions } from "../../emulator/server";

export const CLIENT = { clientId: "test-client", clientSecret: "test-secret-value" };

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({ clients: [CLIENT], ...options });
}

export function basic(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary JSON
  readonly body: any;
}

/** One HTTP request to the emulator; the body is sent as JSON unless it is a string. */
export async function request(
  emulator: Emulator,
  method: string,
  path: string,
  options: { token?: string; authorization?: string; body?: unknown; contentType?: string } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  const authorization = options.authorization ?? (options.token ? `Bearer ${options.token}` : undefined);
  if (authorization) headers.authorization = authorization;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] =
      options.contentType ??
      (typeof options.body === "string" ? "application/x-www-form-urlencoded" : "application/json");
  }
  const response = await fetch(`${emulator.url}${path}`, { method, headers, body });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** Logs in with the test client and returns the bearer token. */
export async function login(emulator: Emulator): Promise<string> {
  const answer = await request(emulator, "POST", "/oauth/token", {
    authorization: basic(CLIENT.clientId, CLIENT.clientSecret),
    body: "grant_type=client_credentials",
  });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status}`);
  return answer.body.access_token;
}

/** The keys every Genesys error body carries. */
export const GENESYS_ERROR_KEYS = [
  "message",
  "code",
  "status",
  "messageWithParams",
  "messageParams",
  "contextId",
  "details",
  "errors",
];

/** A request function bound to one emulator and token: `call("GET", path)`, `call("POST", path, body)`. */
export function client(emulator: Emulator, token: string) {
  return (method: string, path: string, body?: unknown): Promise<Answer> =>
    request(emulator, method, path, { token, ...(body === undefined ? {} : { body }) });
}

/** Starts an emulator, logs in and returns both with a bound request function. */
export async function startWithClient(
  options: EmulatorOptions = {},
): Promise<{ emulator: Emulator; token: string; call: ReturnType<typeof client> }> {
  const emulator = await startEmulator(options);
  const token = await login(emulator);
  return { emulator, token, call: client(emulator, token) };
}

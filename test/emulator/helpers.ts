/**
 * Shared helpers of the emulator tests. They talk to the real server over loopback with fetch: fastify's
 * `inject` cannot load under Jest here (light-my-request requires cookie@2, which is ESM-only).
 */
import { randomBytes } from "node:crypto";
import { createEmulator, type Emulator, type EmulatorOptions } from "../../emulator/server";

/** The emulator's test OAuth client; the secret is made per run, so no credential is written in the code. */
export const CLIENT = { clientId: "test-client", clientSecret: randomBytes(18).toString("base64url") };

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

/**
 * Starts a fresh emulator before each test of the enclosing `describe` and closes it after. `call` and `token`
 * always belong to the current test's emulator.
 */
export function useEmulator(options: EmulatorOptions = {}): {
  readonly emulator: Emulator;
  readonly token: string;
  readonly call: ReturnType<typeof client>;
} {
  let current: Awaited<ReturnType<typeof startWithClient>> | undefined;
  beforeEach(async () => {
    current = await startWithClient(options);
  });
  afterEach(() => current?.emulator.close());
  const now = () => {
    if (!current) throw new Error("useEmulator: no emulator outside a test");
    return current;
  };
  return {
    get emulator() {
      return now().emulator;
    },
    get token() {
      return now().token;
    },
    call: (method, path, body) => now().call(method, path, body),
  };
}

/**
 * An inbound message flow in Architect YAML, like the provider's example: one state that can transfer to a queue
 * (`queue`) and then disconnects.
 */
export function inboundMessageFlow(
  options: { name?: string; division?: string; queue?: string } = {},
): string {
  const transfer = options.queue
    ? `
          - transferToAcd:
              name: Transfer to ACD
              targetQueue:
                lit:
                  name: ${options.queue}`
    : "";
  return `inboundShortMessage:
  name: "${options.name ?? "Web chat"}"
  division: "${options.division ?? "Home"}"
  startUpRef: "/inboundShortMessage/states/state[Initial State_10]"
  defaultLanguage: en-us
  supportedLanguages:
    en-us:
      defaultLanguageSkill:
        noValue: true
  settingsErrorHandling:
    errorHandling:
      disconnect:
        none: true
  states:
    - state:
        name: Initial State
        refId: Initial State_10
        actions:${transfer}
          - disconnect:
              name: Disconnect
`;
}

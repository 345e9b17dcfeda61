/**
 * A local emulator of the Genesys Cloud Platform API: a real HTTP server (fastify) with in-memory state,
 * optional persistence, Genesys-style errors, fault injection and request counts. It serves what the
 * Terraform provider needs at start-up, the organization Limits API, divisions, routing wrap-up codes, queues
 * and utilization, Architect flows (deploy jobs with a pre-signed upload), web deployments, integrations,
 * credentials and data actions (and running them within the org's Data Action limits, against a fake downstream),
 * and queue observations and limit counts from the guest side's live sessions;
 * any other endpoint answers 501 and is logged and counted, so gaps show up.
 *
 * See emulator/main.ts for the command line and emulator/ENDPOINTS.md for every endpoint and its caller.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from "fastify";
import { setTimeout as sleep } from "node:timers/promises";
import { LoginError, TokenIssuer, type OAuthClient } from "./auth";
import { GenesysError } from "./errors";
import { FaultInjector, type FaultStatus } from "./faults";
import { registerGuestGateway, type GuestGatewayOptions } from "./guest/gateway";
import { registerActionExecuteRoutes } from "./routes/action-execute";
import { registerAdminRoutes } from "./routes/admin";
import { registerAnalyticsRoutes } from "./routes/analytics";
import { registerDirectoryRoutes } from "./routes/directory";
import { registerDivisionRoutes } from "./routes/divisions";
import { registerFlowRoutes } from "./routes/flows";
import { registerIntegrationActionRoutes } from "./routes/integration-actions";
import { registerIntegrationRoutes } from "./routes/integrations";
import { registerIvrRoutes } from "./routes/ivr";
import { registerLimitCountRoutes } from "./routes/limit-counts";
import { registerLimitsRoutes } from "./routes/limits";
import { registerOrganizationRoutes, type EmulatedOrg } from "./routes/organization";
import { registerQueueRoutes } from "./routes/queues";
import { registerUtilizationRoutes } from "./routes/utilization";
import { registerWebDeploymentRoutes } from "./routes/webdeployments";
import { registerWrapupCodeRoutes } from "./routes/wrapupcodes";
import { applySeed, seedSchema, type Seed } from "./seed";
import { Stats } from "./stats";
import { EmulatorStore, type LimitValues } from "./store";

export interface EmulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  readonly port?: number;
  /** Address to listen on. @default "127.0.0.1" */
  readonly host?: string;
  /** OAuth clients accepted by `POST /oauth/token`. @default - none: only `accessTokens` work */
  readonly clients?: readonly OAuthClient[];
  /** Bearer tokens accepted without a login (like the provider's `access_token`). @default - none */
  readonly accessTokens?: readonly string[];
  /** `expires_in` of issued tokens. @default 86400 */
  readonly tokenLifetimeSeconds?: number;
  /** The org's limit values that differ from the seeded defaults, by namespace and key. @default - none */
  readonly limits?: LimitValues;
  /** JSON file to load state from and save it to after every change. @default - state lives in memory only */
  readonly stateFile?: string;
  /** Fraction (0..1) of `/api/v2` requests answered with a random fault. @default 0 */
  readonly faultRate?: number;
  /** Statuses random faults pick from. @default [429, 500, 502, 503] */
  readonly faultKinds?: readonly FaultStatus[];
  /** `Retry-After` of injected 429s, in seconds. @default 1 */
  readonly retryAfterSeconds?: number;
  /** Seed of the fault generator; the same seed and requests give the same faults. @default 1 */
  readonly seed?: number;
  /** Delay added to every API and login request. @default 0 */
  readonly latencyMs?: number;
  /** The organization `GET /api/v2/organizations/me` describes. @default - "Emulated Org", country US */
  readonly org?: Partial<EmulatedOrg>;
  /** Users, groups, teams and skill groups that exist before any client call (see seed.ts). @default - none */
  readonly seedObjects?: Seed;
  /** The guest WebSocket side (`ws://…/v1?deploymentId=`, see guest/gateway.ts). @default - its defaults */
  readonly guest?: GuestGatewayOptions;
  /** Receives one line per notable event (unknown endpoint, internal error). @default - discarded */
  readonly log?: (line: string) => void;
}

export interface Emulator {
  /** Base URL, e.g. "http://127.0.0.1:40123". */
  readonly url: string;
  readonly port: number;
  readonly state: EmulatorStore;
  readonly stats: Stats;
  readonly faults: FaultInjector;
  /** The fastify instance, for `inject` in tests. */
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

const DEFAULT_ORG: EmulatedOrg = {
  id: "6a1c1c5e-0000-4000-8000-00000000e001",
  name: "Emulated Org",
  defaultCountryCode: "US",
};
/** The status counted for a request whose client left before it was handled (nginx's convention). */
const CLIENT_CLOSED_REQUEST = 499;
const HOME_DIVISION = { id: "6a1c1c5e-0000-4000-8000-00000000d001", name: "Home" };

/** Builds the emulator and starts listening. */
export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const log = options.log ?? (() => undefined);
  const store = new EmulatorStore(options.stateFile);
  if (options.limits) store.setLimitOverrides(options.limits);
  const stats = new Stats();
  const faults = new FaultInjector(options);
  const tokens = new TokenIssuer(
    options.clients ?? [],
    options.accessTokens ?? [],
    options.tokenLifetimeSeconds ?? 86400,
  );
  const faulted = new WeakSet<FastifyRequest>();

  const app = Fastify({ logger: false });
  registerBodyParsers(app);

  // Order: latency, then targeted faults, then authentication, then random faults, then the route handler.
  // A fault is always decided before the handler runs, so a faulted request changes no state: the SDK retries
  // 429 and 5xx (POSTs included), and a fault after a create would leave a duplicate object behind.
  app.addHook("onRequest", async (request, reply) => {
    const path = pathOf(request);
    if (path.startsWith("/__emulator")) return;
    if (options.latencyMs) {
      await sleep(options.latencyMs);
      // A client that gave up during the delay (the Go SDK's HTTP timeout is 16 s) sends the request again, so
      // running the handler now would apply it twice. Drop it unanswered, as a lost response would be.
      if (request.raw.socket.destroyed) {
        // fastify runs no onResponse hook for a hijacked request, so it is counted here.
        stats.record(request.method, routePattern(request), CLIENT_CLOSED_REQUEST, false);
        log(`client gave up during the latency: ${request.method} ${path} was not applied`);
        reply.hijack();
        reply.raw.destroy();
        return;
      }
    }
    if (request.is404) return; // the not-found handler answers 501
    const targeted = faults.takeTargeted(request.method, path);
    if (targeted) {
      faulted.add(request);
      throw targeted;
    }
    if (!path.startsWith("/api/v2/")) return;
    tokens.authenticate(request.headers.authorization);
    const random = faults.drawRandom();
    if (random) {
      faulted.add(request);
      throw random;
    }
  });

  app.addHook("onResponse", async (request, reply) => {
    if (request.is404 || pathOf(request).startsWith("/__emulator")) return;
    stats.record(request.method, routePattern(request), reply.statusCode, faulted.has(request));
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof GenesysError)
      return reply.code(error.status).headers(error.headers).send(error.body);
    if (error instanceof LoginError) return reply.code(error.status).send(error.body);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      const invalid = new GenesysError(400, "The request is invalid: {reason}", { reason: error.message });
      return reply.code(400).send(invalid.body);
    }
    log(`internal error on ${request.method} ${pathOf(request)}: ${error.stack ?? error.message}`);
    return reply
      .code(500)
      .send(new GenesysError(500, "The emulator failed: {reason}", { reason: error.message }).body);
  });

  app.setNotFoundHandler(async (request, reply) => {
    const path = pathOf(request);
    stats.recordUnknown(request.method, path);
    log(`501 not implemented: ${request.method} ${path}`);
    const body = new GenesysError(501, "The emulator does not implement {method} {path}.", {
      method: request.method,
      path,
    }).body;
    return reply.code(501).send(body);
  });

  app.post("/oauth/token", async (request) =>
    tokens.grant(request.headers.authorization, (request.body ?? {}) as Record<string, unknown>),
  );
  registerOrganizationRoutes(app, { ...DEFAULT_ORG, ...options.org });
  registerLimitsRoutes(app, store);
  registerDivisionRoutes(app, store, HOME_DIVISION);
  registerDirectoryRoutes(app, store, HOME_DIVISION);
  registerWrapupCodeRoutes(app, store, HOME_DIVISION);
  registerQueueRoutes(app, store, HOME_DIVISION);
  registerUtilizationRoutes(app, store);
  registerFlowRoutes(app, store, HOME_DIVISION);
  registerIvrRoutes(app, store, HOME_DIVISION);
  registerWebDeploymentRoutes(app, store);
  registerIntegrationRoutes(app, store);
  registerIntegrationActionRoutes(app, store);
  registerActionExecuteRoutes(app, store);
  registerAdminRoutes(app, { store, stats, faults, startLimits: options.limits });
  const guest = registerGuestGateway(app, store, options.guest);
  // Answered from the guest side's live sessions and connections.
  registerAnalyticsRoutes(app, store, guest);
  registerLimitCountRoutes(app, store, guest);

  if (options.seedObjects) applySeed(store, seedSchema.parse(options.seedObjects));

  await app.listen({ port: options.port ?? 0, host: options.host ?? "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string")
    throw new Error("the emulator is not listening on TCP");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    state: store,
    stats,
    faults,
    app,
    close: () => app.close(),
  };
}

function pathOf(request: FastifyRequest): string {
  return request.url.split("?")[0];
}

/** The route a request matched, e.g. "/api/v2/routing/queues/:id", as the stats key it. */
function routePattern(request: FastifyRequest): string {
  return request.routeOptions.url ?? pathOf(request);
}

/**
 * JSON where an empty body is no body (the SDK sends `Content-Type: application/json` on bodiless DELETEs),
 * and form bodies for the OAuth token endpoint.
 */
function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const invalid = new GenesysError(400, "The request body is not valid JSON.");
      done(invalid, undefined);
    }
  });
  app.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string" },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );
}

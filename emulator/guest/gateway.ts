/**
 * The guest WebSocket side of the emulator: the Web Messaging guest API a Messenger (or a load driver) speaks,
 * served on the emulator's own port at `ws://127.0.0.1:<port>/v1?deploymentId=<id>`, the path of the real
 * `wss://webmessaging.<region domain>/v1` (the Genesys mobile SDK's `TRANSPORT_CUSTOM_ENDPOINT=host:port` points
 * at the same `ws://host:port/v1`).
 *
 * At the upgrade: an unknown deployment gets 403, and so does an `Origin` the deployment's allowed domains do not
 * cover (origin.ts); past `connections.rate.per.minute` 429 with `Retry-After`; past the deployment's or the org's
 * concurrent ceiling 503 "Max concurrent connections exceeded for tenant" (see protocol.ts for which of these are
 * documented and which observed or inferred, and limits.ts for the ceilings' keys).
 * After it: configureSession, onMessage (echoed), echo and closeSession. Counters appear under `webMessaging`
 * in `GET /__emulator/stats`.
 *
 * Bounded: at most `maxConnections` open guest connections, frames of at most 128 KB, idle connections closed
 * after `idleTimeoutSeconds`, at most `maxSessions` remembered sessions.
 */
import type { FastifyInstance } from "fastify";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { WEB_DEPLOYMENTS } from "../routes/webdeployments";
import type { EmulatorStore } from "../store";
import { AdmissionControl, type AdmissionSnapshot, type RefusalReason } from "./admission";
import { guestLimits, type GuestLimits } from "./limits";
import { originAllowed } from "./origin";
import {
  ERRORS,
  GUEST_PATH,
  MAX_CUSTOM_ATTRIBUTES_BYTES,
  MAX_TEXT_LENGTH,
  SESSION_DURATION_SECONDS,
  UNMODELLED_ACTIONS,
  UPGRADE_REFUSALS,
  connectionClosedEvent,
  customAttributesOf,
  echoResponse,
  guestRequest,
  messageEcho,
  messageRateFrame,
  sessionResponse,
  type GuestRequest,
  type ServerFrame,
  type UpgradeRefusal,
} from "./protocol";

export interface GuestGatewayOptions {
  /**
   * Compresses the rate windows: a minute of `connections.rate.per.minute` lasts 60 / timeScale seconds, a second
   * of `messages.per.session.rate.per.second` 1 / timeScale, and `Retry-After` says model seconds. Match a
   * rehearsal's `--time-scale` so its compressed ramp meets the limits as the real ramp would.
   * @default 1
   */
  readonly timeScale?: number;
  /** Open guest connections the emulator holds at most, whatever the limits (file descriptors are finite). @default 15000 */
  readonly maxConnections?: number;
  /** A connection that sends nothing for this long is closed (1001). @default 600 (API Gateway's idle timeout, an inference) */
  readonly idleTimeoutSeconds?: number;
  /** Sessions (guest tokens) remembered for resuming; the oldest without connections are forgotten first. @default 50000 */
  readonly maxSessions?: number;
  /** The clock of the per-minute connection windows, in milliseconds (tests pass a fake one). @default Date.now */
  readonly now?: () => number;
}

/** What `GET /__emulator/stats` shows under `webMessaging`. */
export interface GuestStatsSnapshot extends AdmissionSnapshot {
  /** The ceilings in force now. */
  readonly limits: GuestLimits & { readonly timeScale: number };
  /** Frames answered with an error (malformed, out of order, over a size or rate). */
  readonly protocolErrors: number;
  /** Requests for actions the emulator does not model, by action. */
  readonly unmodelledActions: Record<string, number>;
}

export interface GuestGateway {
  snapshot(): GuestStatsSnapshot;
  /**
   * Live conversations by deployment id: sessions that have sent a message (a web messaging conversation starts
   * with the guest's first message) and still hold an open connection. The queue observations answer from it.
   */
  liveConversations(): Map<string, number>;
  resetStats(): void;
  /** Closes every guest connection (1001). */
  closeAll(): void;
}

/** Frames above this size close the connection with 1009 (API Gateway's 128 KB message limit, an inference). */
const MAX_PAYLOAD_BYTES = 128 * 1024;
const STATS_PATH = "/__emulator/stats";
const RESET_STATS_PATH = "/__emulator/reset-stats";

interface Session {
  readonly key: string;
  readonly deploymentId: string;
  readonly connections: Set<Connection>;
  /** Whether the guest has sent a message: its conversation exists. */
  conversing: boolean;
  /** Times of the last `onMessage` requests, within one second (of model time). */
  messageTimes: number[];
}

interface Connection {
  readonly socket: WebSocket;
  readonly deploymentId: string;
  session?: Session;
  lastActivity: number;
}

const REFUSAL_ANSWERS: Record<RefusalReason, UpgradeRefusal> = {
  deploymentConcurrent: UPGRADE_REFUSALS.concurrent,
  orgConcurrent: UPGRADE_REFUSALS.concurrent,
  connectionRate: UPGRADE_REFUSALS.connectionRate,
  unknownDeployment: UPGRADE_REFUSALS.unknownDeployment,
  originNotAllowed: UPGRADE_REFUSALS.originNotAllowed,
  emulatorCap: UPGRADE_REFUSALS.emulatorCap,
};

/** Serves the guest API on the emulator's HTTP server. Call before `listen`. */
export function registerGuestGateway(
  app: FastifyInstance,
  store: EmulatorStore,
  options: GuestGatewayOptions = {},
): GuestGateway {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`guest timeScale must be > 0, got ${timeScale}`);
  const maxSessions = options.maxSessions ?? 50_000;
  const idleMs = (options.idleTimeoutSeconds ?? 600) * 1000;
  const deployments = store.collection(WEB_DEPLOYMENTS);
  const admission = new AdmissionControl(options.maxConnections ?? 15_000, timeScale, options.now);
  const sessions = new Map<string, Session>();
  const connections = new Set<Connection>();
  const unmodelled: Record<string, number> = {};
  let protocolErrors = 0;
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD_BYTES,
    perMessageDeflate: false,
    clientTracking: false,
  });

  app.server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => undefined); // a guest that resets mid-handshake must not crash the emulator
    const url = new URL(request.url ?? "/", "http://emulator");
    if (url.pathname !== GUEST_PATH) {
      return refuseUpgrade(socket, { status: 404, message: `No WebSocket endpoint at ${url.pathname}` });
    }
    const deploymentId = url.searchParams.get("deploymentId") ?? "";
    if (!deployments.has(deploymentId)) {
      admission.refuseUnknown();
      return refuseUpgrade(socket, UPGRADE_REFUSALS.unknownDeployment);
    }
    // The allowed domains are the deployment's, read at every upgrade so that a PUT applies at once.
    if (!originAllowed(deployments.get(deploymentId), request.headers.origin)) {
      admission.refuseOrigin(deploymentId);
      return refuseUpgrade(socket, UPGRADE_REFUSALS.originNotAllowed);
    }
    const decision = admission.admit(deploymentId, guestLimits(store));
    if (!decision.admitted) {
      return refuseUpgrade(socket, {
        ...REFUSAL_ANSWERS[decision.reason],
        retryAfterSeconds: decision.retryAfterSeconds,
      });
    }
    // The slot is held from now until the socket closes, whether or not the handshake completes.
    socket.once("close", decision.release);
    server.handleUpgrade(request, socket, head, (ws) => accept(ws, deploymentId));
  });

  function accept(socket: WebSocket, deploymentId: string): void {
    const connection: Connection = { socket, deploymentId, lastActivity: Date.now() };
    connections.add(connection);
    socket.on("message", (data, isBinary) => {
      connection.lastActivity = Date.now();
      if (isBinary) return reply(connection, fail(ERRORS.badRequest()));
      handleFrame(connection, data);
    });
    socket.on("close", () => {
      connections.delete(connection);
      detach(connection);
    });
    socket.on("error", () => socket.terminate());
  }

  function handleFrame(connection: Connection, data: RawData): void {
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      return reply(connection, fail(ERRORS.badRequest()));
    }
    const tracing = tracingIdOf(raw);
    const parsed = guestRequest.safeParse(raw);
    if (!parsed.success) {
      const action = (raw as { action?: unknown } | null)?.action;
      if (typeof action === "string" && (UNMODELLED_ACTIONS as readonly string[]).includes(action)) {
        unmodelled[action] = (unmodelled[action] ?? 0) + 1;
        return reply(connection, ERRORS.badRequest(tracing));
      }
      return reply(connection, fail(ERRORS.badRequest(tracing)));
    }
    const request = parsed.data;
    if (request.action === "configureSession") return configure(connection, request);
    const session = connection.session;
    if (!session || session.key !== sessionKey(connection.deploymentId, request.token)) {
      return reply(connection, fail(ERRORS.sessionNotFound(request.tracingId)));
    }
    if (request.action === "onMessage") return onMessage(connection, session, request);
    if (request.action === "echo")
      return reply(connection, echoResponse(request.message.text, request.tracingId));
    return closeSession(connection, session, request.tracingId);
  }

  function configure(
    connection: Connection,
    request: Extract<GuestRequest, { action: "configureSession" }>,
  ): void {
    // (I) the URL's deployment is the one admitted, so a configure naming another is treated as unknown.
    if (request.deploymentId !== connection.deploymentId || !deployments.has(request.deploymentId)) {
      return reply(connection, fail(ERRORS.deploymentNotFound(request.tracingId)));
    }
    const key = sessionKey(connection.deploymentId, request.token);
    let session = request.startNew ? undefined : sessions.get(key);
    const newSession = session === undefined;
    if (!session) {
      if (request.startNew) closeSessionConnections(sessions.get(key), connection);
      session = {
        key,
        deploymentId: connection.deploymentId,
        connections: new Set(),
        messageTimes: [],
        conversing: false,
      };
      sessions.delete(key);
      sessions.set(key, session);
      forgetOldSessions();
    }
    if (connection.session !== session) {
      detach(connection);
      // At most `session.connections.max` (3) connections per session; the excess one gets
      // ConnectionClosedEvent [C MobileSDK PR #127] and is closed (I).
      if (session.connections.size >= guestLimits(store).connectionsPerSession) {
        reply(connection, connectionClosedEvent());
        connection.socket.close(1000);
        return;
      }
      session.connections.add(connection);
      connection.session = session;
    }
    const expiresAtSeconds = Math.floor(Date.now() / 1000) + SESSION_DURATION_SECONDS;
    reply(connection, sessionResponse({ connected: true, newSession, expiresAtSeconds }, request.tracingId));
  }

  function onMessage(
    connection: Connection,
    session: Session,
    request: Extract<GuestRequest, { action: "onMessage" }>,
  ): void {
    const { message, tracingId } = request;
    if (message.type === "Text" && message.text.length > MAX_TEXT_LENGTH) {
      return reply(connection, fail(ERRORS.messageTooLong(message.text.length, tracingId)));
    }
    const attributes = customAttributesOf(request);
    if (attributes && Buffer.byteLength(JSON.stringify(attributes)) > MAX_CUSTOM_ATTRIBUTES_BYTES) {
      return reply(connection, fail(ERRORS.customAttributesTooLarge(tracingId)));
    }
    const now = Date.now();
    session.messageTimes = session.messageTimes.filter((time) => time > now - 1000 / timeScale);
    if (session.messageTimes.length >= guestLimits(store).messagesPerSessionPerSecond) {
      return reply(connection, fail(messageRateFrame(tracingId)));
    }
    session.messageTimes.push(now);
    session.conversing = true;
    admission.countMessage(connection.deploymentId);
    // Every connection of the session sees the guest's own message [C Fixtures: the echo is a pushed message].
    const echo = messageEcho(message, tracingId);
    for (const member of session.connections) reply(member, echo);
  }

  function closeSession(connection: Connection, session: Session, tracingId?: string): void {
    // Other connections get ConnectionClosedEvent, this one SessionResponse connected:false [C swagger, KDoc];
    // closing the sockets afterwards is (I).
    closeSessionConnections(session, connection);
    reply(connection, sessionResponse({ connected: false }, tracingId));
    sessions.delete(session.key);
    connection.socket.close(1000);
  }

  function closeSessionConnections(session: Session | undefined, except: Connection | undefined): void {
    for (const member of session?.connections ?? []) {
      if (member === except) continue;
      reply(member, connectionClosedEvent());
      member.socket.close(1000);
    }
  }

  function detach(connection: Connection): void {
    connection.session?.connections.delete(connection);
    connection.session = undefined;
  }

  function forgetOldSessions(): void {
    if (sessions.size <= maxSessions) return;
    for (const [key, session] of sessions) {
      if (sessions.size <= maxSessions) break;
      if (session.connections.size === 0) sessions.delete(key);
    }
  }

  function fail(frame: ServerFrame): ServerFrame {
    protocolErrors += 1;
    return frame;
  }

  const idleSweep = setInterval(
    () => {
      const cutoff = Date.now() - idleMs;
      for (const connection of connections) {
        if (connection.lastActivity < cutoff) connection.socket.close(1001, "Going away");
      }
    },
    Math.min(idleMs, 30_000),
  );
  idleSweep.unref();

  const gateway: GuestGateway = {
    snapshot: () => ({
      limits: { ...guestLimits(store), timeScale },
      ...admission.snapshot(),
      protocolErrors,
      unmodelledActions: { ...unmodelled },
    }),
    liveConversations: () => {
      const live = new Map<string, number>();
      for (const session of sessions.values()) {
        if (session.conversing && session.connections.size > 0)
          live.set(session.deploymentId, (live.get(session.deploymentId) ?? 0) + 1);
      }
      return live;
    },
    resetStats: () => {
      admission.reset();
      protocolErrors = 0;
      for (const action of Object.keys(unmodelled)) delete unmodelled[action];
    },
    closeAll: () => {
      for (const connection of connections) connection.socket.close(1001, "Going away");
    },
  };

  // The admin routes own /__emulator/stats; the guest counters join its answer here, under `webMessaging`.
  app.addHook("onRequest", async (request) => {
    if (request.method === "POST" && request.url === RESET_STATS_PATH) gateway.resetStats();
  });
  app.addHook("preSerialization", async (request, _reply, payload) => {
    const path = request.url.split("?")[0];
    if (path !== STATS_PATH && path !== RESET_STATS_PATH) return payload;
    return { ...(payload as object), webMessaging: gateway.snapshot() };
  });
  // Open WebSockets would keep the HTTP server from closing.
  app.addHook("preClose", async () => {
    clearInterval(idleSweep);
    for (const connection of connections) connection.socket.terminate();
    server.close();
  });

  return gateway;
}

function sessionKey(deploymentId: string, token: string): string {
  return `${deploymentId}/${token}`;
}

function tracingIdOf(raw: unknown): string | undefined {
  const value = (raw as { tracingId?: unknown } | null)?.tracingId;
  return typeof value === "string" ? value : undefined;
}

function reply(connection: Connection, frame: ServerFrame): void {
  if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(JSON.stringify(frame));
}

/** Answers an upgrade with an HTTP error and closes the socket, as a gateway refusing the handshake does. */
function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
  if (!socket.writable) return void socket.destroy();
  const body = JSON.stringify({ message: refusal.message });
  const reason = STATUS_TEXT[refusal.status] ?? "Error";
  const headers = [
    `HTTP/1.1 ${refusal.status} ${reason}`,
    "Content-Type: application/json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(refusal.retryAfterSeconds ? [`Retry-After: ${refusal.retryAfterSeconds}`] : []),
    "Connection: close",
  ];
  socket.once("finish", () => socket.destroy());
  socket.end(`${headers.join("\r\n")}\r\n\r\n${body}`);
}

const STATUS_TEXT: Record<number, string> = {
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  503: "Service Unavailable",
};

/**
 * Wire shapes of the Web Messaging guest API ("Shyrka", schema title `shyrka-chat`) that the emulator speaks.
 * Each shape below is tagged with the strength of its source (emulator/guest/PROTOCOL.md names the sources):
 * [C] Genesys-owned SDK code, schema or fixtures; [S] third-party code or live captures; (I) inference.
 * emulator/guest/PROTOCOL.md lists what is modelled and what is not.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { z } from "zod";

/** The path of the guest endpoint: `wss://webmessaging.<region domain>/v1?deploymentId=<id>` [C JavaSDK, MobileSDK]. */
export const GUEST_PATH = "/v1";

/** Guest tokens are made by the client, any format, at most 2048 characters [C help FAQ]. */
export const MAX_TOKEN_LENGTH = 2048;
/** Inbound text longer than this is refused with 4011 [S live error text "larger than 4096"]. */
export const MAX_TEXT_LENGTH = 4096;
/** `channel.metadata.customAttributes` larger than this is refused with 4013 [C Fixtures]. */
export const MAX_CUSTOM_ATTRIBUTES_BYTES = 2048;
/** Session lifetime after the last activity: 72 h [S live `durationSeconds:259200`]. */
export const SESSION_DURATION_SECONDS = 259_200;

/** Every server frame: `{type, class, code, body, tracingId?}` [C swagger `BaseMessage`]. */
export interface ServerFrame {
  readonly type: "response" | "message";
  readonly class: string;
  readonly code: number;
  readonly body: unknown;
  readonly tracingId?: string;
}

/** Refusals at the HTTP upgrade, before any frame: status and JSON body `{message}`. */
export interface UpgradeRefusal {
  readonly status: number;
  readonly message: string;
  readonly retryAfterSeconds?: number;
}

export const UPGRADE_REFUSALS = {
  /**
   * Unknown or missing deploymentId: 403 at the upgrade with AWS API Gateway's deny text [C MobileSDK PR #129,
   * 2022-11]. The JSON body `{"message": …}` is API Gateway's usual shape (I).
   */
  unknownDeployment: {
    status: 403,
    message: "User is not authorized to access this resource with an explicit deny",
  },
  /**
   * An `Origin` the deployment's allowed domains do not cover (allowAllDomains false). Genesys says Messenger
   * "rejects API requests from that domain" (help.genesys.cloud/articles/deploy-messenger/, quoted by third-party
   * notes [S]) but documents no shape. The emulator answers as for an unknown deployment (I): that 403 text is
   * API Gateway's Lambda-authorizer "Deny", and a check of the deployment's domains at the handshake would sit in
   * the same authorizer. A client cannot tell the two apart; the emulator's stats can (`originNotAllowed`).
   */
  originNotAllowed: {
    status: 403,
    message: "User is not authorized to access this resource with an explicit deny",
  },
  /**
   * Past a concurrent-connection ceiling, per deployment or org-wide. Observed only: load-test reports quote
   * HTTP 503 "Max concurrent connections exceeded for tenant" at ~150 connections on one deployment (issue #14,
   * catalog evidence "observed"); no Genesys source uses the string. Answering at the upgrade is (I). The same
   * text for both scopes is deliberate: the reports cannot tell them apart, and neither can a client.
   */
  concurrent: { status: 503, message: "Max concurrent connections exceeded for tenant" },
  /**
   * Past `connections.rate.per.minute` of a deployment. The limit is documented as configurable [C maintainer,
   * MobileSDK issue #347]; how it shows is not: 429 at the upgrade with API Gateway's throttle text is (I).
   */
  connectionRate: { status: 429, message: "Too Many Requests" },
  /** The emulator's own bound on open guest connections (not a Genesys behaviour). */
  emulatorCap: { status: 503, message: "The emulator's guest connection bound is reached" },
} as const satisfies Record<string, UpgradeRefusal>;

/** An error frame: `class:"string"`, the text in `body` [C Fixtures, ErrorCode.kt]. */
export function errorFrame(code: number, text: string, tracingId?: string): ServerFrame {
  return withTracing({ type: "response", class: "string", code, body: text }, tracingId);
}

/** Error frames the emulator sends, with their sources. */
export const ERRORS = {
  /** Generic bad request [C Fixtures]. Used for malformed JSON, missing fields and unmodelled actions. */
  badRequest: (tracingId?: string) => errorFrame(400, "Request failed.", tracingId),
  /** configureSession with an unknown deployment [C MobileSDK test fixture until 2023-04; not a capture]. */
  deploymentNotFound: (tracingId?: string) => errorFrame(400, "Deployment not found", tracingId),
  /** A request before configureSession, or for another token [C ErrorCode.kt 4007 "session not found"]. */
  sessionNotFound: (tracingId?: string) => errorFrame(4007, "Session not found", tracingId),
  /** Inbound text too long [C ErrorCode.kt 4011; S live text]. */
  messageTooLong: (length: number, tracingId?: string) =>
    errorFrame(4011, `Message length ${length} is larger than ${MAX_TEXT_LENGTH}`, tracingId),
  /** customAttributes too big [C Fixtures 4013]. */
  customAttributesTooLarge: (tracingId?: string) =>
    errorFrame(
      4013,
      `Custom Attributes in channel metadata is larger than ${MAX_CUSTOM_ATTRIBUTES_BYTES} bytes`,
      tracingId,
    ),
} as const;

/**
 * `onMessage` over the session's rate: class TooManyRequestsErrorMessage, envelope 429, errorCode 4029 and
 * retryAfter in seconds [C Fixtures; S live capture of the configure variant with errorCode 429].
 */
export function messageRateFrame(tracingId?: string): ServerFrame {
  return withTracing(
    {
      type: "response",
      class: "TooManyRequestsErrorMessage",
      code: 429,
      body: { errorCode: 4029, errorMessage: "Message rate too high for this session", retryAfter: 3 },
    },
    tracingId,
  );
}

/** configureSession's answer [C Fixtures and swagger; S live values of duration, expiry and media]. */
export function sessionResponse(
  fields: { connected: boolean; newSession?: boolean; expiresAtSeconds?: number },
  tracingId?: string,
): ServerFrame {
  const body = fields.connected
    ? {
        connected: true,
        newSession: fields.newSession ?? true,
        readOnly: false,
        clearedExistingSession: false,
        allowedMedia: { inbound: { fileTypes: [{ type: "*/*" }], maxFileSizeKB: 10240 } },
        blockedExtensions: [],
        maxCustomDataBytes: MAX_CUSTOM_ATTRIBUTES_BYTES,
        durationSeconds: SESSION_DURATION_SECONDS,
        expirationDate: fields.expiresAtSeconds,
      }
    : { connected: false };
  return withTracing({ type: "response", class: "SessionResponse", code: 200, body }, tracingId);
}

/**
 * The echo of a guest's `onMessage`: pushed as `type:"message"`, direction Inbound, with the request's tracingId
 * [C Fixtures; S live confirmation of the tracingId]. `id` is 32 hex characters and `channel.messageId` a UUID,
 * as in a live capture [S].
 */
export function messageEcho(message: InboundMessage, tracingId?: string): ServerFrame {
  return withTracing(
    {
      type: "message",
      class: "StructuredMessage",
      code: 200,
      body: {
        ...message,
        direction: "Inbound",
        id: randomBytes(16).toString("hex"),
        channel: { time: new Date().toISOString(), messageId: randomUUID() },
      },
    },
    tracingId,
  );
}

/** The answer to `echo` (the health check): a `response` StructuredMessage with the text [C Fixtures]. */
export function echoResponse(text: string, tracingId?: string): ServerFrame {
  return withTracing(
    {
      type: "response",
      class: "StructuredMessage",
      code: 200,
      body: { text, type: "Text", direction: "Inbound", id: randomBytes(16).toString("hex") },
    },
    tracingId,
  );
}

/** Sent to a connection that a session no longer keeps [C Fixtures `{}` body; C PR #127]. */
export function connectionClosedEvent(): ServerFrame {
  return { type: "message", class: "ConnectionClosedEvent", code: 200, body: {} };
}

function withTracing(frame: ServerFrame, tracingId: string | undefined): ServerFrame {
  return tracingId === undefined ? frame : { ...frame, tracingId };
}

// Requests: flat JSON with `action`, `token`, optional `tracingId` and per-action fields [C swagger].

const token = z.string().min(1).max(MAX_TOKEN_LENGTH);
const tracingId = z.string().max(256).optional();

const customAttributes = z.record(z.string(), z.string());
const channel = z.looseObject({
  metadata: z.looseObject({ customAttributes: customAttributes.optional() }).optional(),
});

/** A text or event message; `channel` may sit inside it (Kotlin SDK) or at the top of the request (Java SDK). */
const inboundMessage = z.union([
  z.looseObject({ type: z.literal("Text"), text: z.string(), channel: channel.optional() }),
  z.looseObject({ type: z.literal("Event"), events: z.array(z.looseObject({ eventType: z.string() })) }),
]);
export type InboundMessage = z.infer<typeof inboundMessage>;

export const guestRequest = z.discriminatedUnion("action", [
  z.looseObject({
    action: z.literal("configureSession"),
    token,
    deploymentId: z.string().min(1),
    tracingId,
    startNew: z.boolean().optional(),
    journeyContext: z.unknown().optional(),
  }),
  z.looseObject({
    action: z.literal("onMessage"),
    token,
    tracingId,
    message: inboundMessage,
    channel: channel.optional(),
    time: z.string().optional(),
  }),
  z.looseObject({
    action: z.literal("echo"),
    token,
    tracingId,
    message: z.looseObject({ text: z.string() }),
  }),
  z.looseObject({
    action: z.literal("closeSession"),
    token,
    tracingId,
    closeAllConnections: z.boolean(),
  }),
]);
export type GuestRequest = z.infer<typeof guestRequest>;

/** Actions in the schema's RequestType enum that the emulator does not model; they get 400 and are counted. */
export const UNMODELLED_ACTIONS = [
  "configureAuthenticatedSession",
  "getJwt",
  "onAttachment",
  "getAttachment",
  "deleteAttachment",
  "getConfiguration",
  "disconnectCustomer",
  "resumeToken",
] as const;

/** The custom attributes of an onMessage, wherever the client put `channel`. */
export function customAttributesOf(
  request: Extract<GuestRequest, { action: "onMessage" }>,
): Record<string, string> | undefined {
  const inner = request.message.type === "Text" ? request.message.channel : undefined;
  return inner?.metadata?.customAttributes ?? request.channel?.metadata?.customAttributes;
}

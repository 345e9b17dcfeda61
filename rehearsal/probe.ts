/**
 * Before a rehearsal's ramp: one guest connection per deployment of the shard map, to learn whether the endpoint
 * knows them. The guest API answers an unknown `deploymentId` at the upgrade with 403 (MobileSDK PR #129; see
 * emulator/guest/PROTOCOL.md), so a map whose deployments get 403 or 404 is stale (the stack was redeployed, or the
 * emulator restarted), not a capacity problem. A deployment that does not allow the probe's `Origin` answers the
 * same 403 (the emulator does; what Genesys answers is not documented), so the probe sends the sessions' Origin.
 * An admitted probe is closed at once, before the ramp; a refusal for load (503, 429) means the deployment exists.
 *
 * Each probe costs the deployment one connection of its per-minute rate and, while it is open, one of its
 * concurrent connections; the emulator's stats count it as accepted.
 */
import type { IncomingMessage } from "node:http";
import { webSocketConnector, type Connector } from "./connect";

/** What the endpoint said about one deployment. */
export type ProbeAnswer =
  | { readonly kind: "known" }
  | { readonly kind: "unknown"; readonly answer: string }
  | { readonly kind: "unreachable"; readonly cause: string };

export interface ProbeOptions {
  /** Real milliseconds one probe may take. @default 10000 */
  readonly timeoutMs?: number;
  /** Probes open at once. @default 16 */
  readonly concurrency?: number;
  /** The `Origin` header, the same the sessions send (a deployment may refuse others). @default - none */
  readonly origin?: string;
  /** Opens each probe. @default webSocketConnector() */
  readonly connect?: Connector;
}

/** The probe's finding. */
export interface ProbeResult {
  /** The deployments the endpoint does not know, with its answer. */
  readonly unknown: readonly { readonly deploymentId: string; readonly answer: string }[];
  /** Why the endpoint could not be reached, when no probe got an answer. */
  readonly unreachable?: string;
}

/** What the rehearsal says when nothing answers at the guest endpoint. */
export function unreachableMessage(url: string, cause: string): string {
  return `cannot reach ${url} (${cause}); start the emulator (npm run emulator) or pass --url`;
}

/** HTTP statuses at the upgrade that mean "no such deployment here" (or "not for this Origin": the same 403). */
const UNKNOWN_STATUSES = new Set([403, 404]);

/** Probes every deployment of `deploymentIds` at the guest endpoint `url` (e.g. ws://127.0.0.1:8089/v1). */
export async function probeDeployments(
  url: string,
  deploymentIds: readonly string[],
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const connect = options.connect ?? webSocketConnector();
  const answers = new Map<string, ProbeAnswer>();
  const queue = [...new Set(deploymentIds)];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const answer = await probe(connect, url, id, { handshakeTimeout: timeoutMs, origin: options.origin });
      answers.set(id, answer);
      // A closed port refuses every probe the same way: the first says it all.
      if (answer.kind === "unreachable") queue.length = 0;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  const all = [...answers.values()];
  const unreachable = all.find((answer) => answer.kind === "unreachable");
  if (unreachable && !all.some((answer) => answer.kind !== "unreachable")) {
    return { unknown: [], unreachable: unreachable.cause };
  }
  return {
    unknown: [...answers]
      .filter(([, answer]) => answer.kind === "unknown")
      .map(([deploymentId, answer]) => ({
        deploymentId,
        answer: (answer as { answer: string }).answer,
      })),
  };
}

/** One probe: connects, and closes again at once when admitted (waiting until the socket is closed). */
function probe(
  connect: Connector,
  url: string,
  deploymentId: string,
  options: { readonly handshakeTimeout: number; readonly origin?: string },
): Promise<ProbeAnswer> {
  return new Promise((resolve) => {
    let answer: ProbeAnswer | undefined;
    const socket = connect(`${url}?deploymentId=${encodeURIComponent(deploymentId)}`, options);
    const timer = setTimeout(() => {
      answer ??= { kind: "unreachable", cause: `no answer within ${options.handshakeTimeout} ms` };
      socket.terminate();
    }, options.handshakeTimeout);
    socket.on("open", () => {
      answer ??= { kind: "known" };
      socket.close(1000);
    });
    socket.on("unexpected-response", (_request, response) => {
      readRefusal(response, (status, text) => {
        answer ??= UNKNOWN_STATUSES.has(status)
          ? { kind: "unknown", answer: `${status} ${text}` }
          : { kind: "known" };
        socket.terminate();
      });
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      answer ??= { kind: "unreachable", cause: error.code ?? error.message };
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(answer ?? { kind: "unreachable", cause: "closed before an answer" });
    });
  });
}

/** Characters of a refusal's body read at most. */
const MAX_BODY_CHARS = 2048;

/**
 * Reads the answer to a refused upgrade: its status and the `message` of its JSON body (API Gateway's shape),
 * else the body itself, trimmed.
 */
export function readRefusal(response: IncomingMessage, done: (status: number, text: string) => void): void {
  let body = "";
  const finish = () => done(response.statusCode ?? 0, messageOf(body));
  response.setEncoding("utf8");
  response.on("data", (chunk: string) => {
    if (body.length < MAX_BODY_CHARS) body += chunk;
  });
  response.on("end", finish);
  response.on("error", finish);
}

function messageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown };
    if (typeof parsed.message === "string") return parsed.message;
  } catch {
    // not JSON
  }
  return body.trim().slice(0, 200) || "(no body)";
}

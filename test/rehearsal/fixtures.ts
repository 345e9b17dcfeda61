/**
 * Fixtures shared by the guest-side emulator tests and the rehearsal tests: web deployments created through
 * the emulator's Platform API, as the Terraform provider creates them, and a raw guest WebSocket.
 */
import WebSocket from "ws";
import type { Answer } from "../emulator/helpers";

type Call = (method: string, path: string, body?: unknown) => Promise<Answer>;

/** Which domains a deployment lets guests in from (the Platform API's `WebDeployment` fields). */
export interface Domains {
  readonly allowAllDomains?: boolean;
  readonly allowedDomains?: readonly string[];
}

/**
 * Creates one published configuration and `count` web deployments using it; returns the deployment ids. The
 * deployments allow all domains unless `domains` says otherwise.
 */
export async function createWebDeployments(
  call: Call,
  count: number,
  prefix = "Shard",
  domains: Domains = { allowAllDomains: true },
): Promise<string[]> {
  const configuration = await call("POST", "/api/v2/webdeployments/configurations", {
    name: `${prefix} messenger`,
    languages: ["en-us"],
    defaultLanguage: "en-us",
  });
  if (configuration.status !== 200) throw new Error(`configuration: ${configuration.status}`);
  const published = await call(
    "POST",
    `/api/v2/webdeployments/configurations/${configuration.body.id}/versions/draft/publish`,
  );
  if (published.status !== 200) throw new Error(`publish: ${published.status}`);
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const deployment = await call("POST", "/api/v2/webdeployments/deployments", {
      name: `${prefix} ${String(index).padStart(2, "0")}`,
      ...domains,
      configuration: { id: configuration.body.id, version: published.body.version },
    });
    if (deployment.status !== 200) throw new Error(`deployment: ${deployment.status}`);
    ids.push(deployment.body.id);
  }
  return ids;
}

/** The guest endpoint of an emulator whose HTTP base URL is `url`. */
export function guestUrl(url: string): string {
  return `${url.replace(/^http/, "ws")}/v1`;
}

/** What a refused upgrade answered. */
export interface Refusal {
  readonly status: number;
  readonly message: string;
  readonly retryAfter?: string;
}

/** A raw guest connection with a queue of the frames it received. */
export class RawGuest {
  readonly frames: Record<string, unknown>[] = [];
  private waiters: (() => void)[] = [];
  closeCode: number | undefined;

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      this.frames.push(JSON.parse(String(data)));
      this.wake();
    });
    socket.on("close", (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  /**
   * Opens a connection (with an `Origin` header when `origin` is given); resolves to a RawGuest, or to the refusal
   * when the upgrade is answered with an error.
   */
  static open(url: string, deploymentId: string, origin?: string): Promise<RawGuest | Refusal> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(
        `${url}?deploymentId=${encodeURIComponent(deploymentId)}`,
        origin === undefined ? {} : { origin },
      );
      socket.once("open", () => resolve(new RawGuest(socket)));
      socket.once("unexpected-response", (_request, response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            message: (JSON.parse(text) as { message: string }).message,
            ...(response.headers["retry-after"]
              ? { retryAfter: String(response.headers["retry-after"]) }
              : {}),
          }),
        );
      });
      socket.once("error", reject);
    });
  }

  /** Opens a connection that must be admitted. */
  static async connect(url: string, deploymentId: string, origin?: string): Promise<RawGuest> {
    const result = await RawGuest.open(url, deploymentId, origin);
    if (!(result instanceof RawGuest)) throw new Error(`refused: ${result.status} ${result.message}`);
    return result;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The next frame not yet taken, waiting up to 2 s. */
  async next(): Promise<Record<string, unknown>> {
    const deadline = Date.now() + 2000;
    while (this.frames.length === 0) {
      if (this.closeCode !== undefined) throw new Error(`closed with ${this.closeCode} and no frame`);
      if (Date.now() > deadline) throw new Error("no frame within 2 s");
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift() as Record<string, unknown>;
  }

  /** Resolves when the connection is closed (by either side), waiting up to 2 s. */
  async closed(): Promise<number> {
    const deadline = Date.now() + 2000;
    while (this.closeCode === undefined) {
      if (Date.now() > deadline) throw new Error("not closed within 2 s");
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.closeCode;
  }

  async close(): Promise<void> {
    if (this.closeCode !== undefined) return;
    this.socket.close(1000);
    await this.closed();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

/**
 * Admission control of guest connections: the per-deployment concurrent and per-minute ceilings and the
 * optional org-wide (tenant-wide) concurrent ceiling, with the counters `/__emulator/stats` shows. Pure
 * bookkeeping with an injected clock; the gateway (gateway.ts) calls `admit` at the WebSocket upgrade and the
 * returned `release` when the socket closes.
 */
import type { GuestLimits } from "./limits";

/** Why a connection was refused. */
export type RefusalReason =
  | "deploymentConcurrent"
  | "orgConcurrent"
  | "connectionRate"
  | "unknownDeployment"
  | "originNotAllowed"
  | "emulatorCap";

export const REFUSAL_REASONS: readonly RefusalReason[] = [
  "deploymentConcurrent",
  "orgConcurrent",
  "connectionRate",
  "unknownDeployment",
  "originNotAllowed",
  "emulatorCap",
];

export type RefusalCounts = Record<RefusalReason, number>;

/** The counters of one deployment. */
export interface DeploymentCounters {
  /** Guest connections open now. */
  live: number;
  /** The most open at once since the start or the last stats reset. */
  peak: number;
  /** Connections admitted. */
  accepted: number;
  /** Connections refused for this deployment, by reason (unknownDeployment and emulatorCap stay 0 here). */
  refused: RefusalCounts;
  /** Text messages echoed. */
  messages: number;
}

export type Admission =
  | { readonly admitted: true; readonly release: () => void }
  | { readonly admitted: false; readonly reason: RefusalReason; readonly retryAfterSeconds?: number };

export interface AdmissionSnapshot {
  readonly live: number;
  readonly peak: number;
  readonly accepted: number;
  readonly refused: RefusalCounts & { readonly total: number };
  readonly messages: number;
  readonly deployments: Record<string, DeploymentCounters>;
}

const MINUTE_MS = 60_000;

function noRefusals(): RefusalCounts {
  return {
    deploymentConcurrent: 0,
    orgConcurrent: 0,
    connectionRate: 0,
    unknownDeployment: 0,
    originNotAllowed: 0,
    emulatorCap: 0,
  };
}

/** Times of the connections a deployment accepted inside the sliding window, oldest first. */
class AcceptWindow {
  private times: number[] = [];
  private head = 0;

  /** Drops times older than `windowMs` and returns how many remain. */
  count(now: number, windowMs: number): number {
    while (this.head < this.times.length && this.times[this.head] <= now - windowMs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /**
   * Seconds of model time until the oldest time leaves the window: the real wait times the time scale, so that a
   * client at the same scale waits as long (in its model time) as the real service would have it wait.
   */
  retryAfterSeconds(now: number, windowMs: number, timeScale: number): number {
    const oldest = this.times[this.head] ?? now;
    return Math.max(1, Math.ceil(((oldest + windowMs - now) * timeScale) / 1000));
  }

  push(now: number): void {
    this.times.push(now);
  }
}

export class AdmissionControl {
  private readonly deployments = new Map<string, DeploymentCounters>();
  private readonly windows = new Map<string, AcceptWindow>();
  private readonly orgRefused = noRefusals();
  private live = 0;
  private peak = 0;
  private accepted = 0;

  /**
   * @param maxConnections the emulator's own bound on open guest connections, whatever the limits say.
   * @param timeScale a minute of emulator time lasts 60 / timeScale real seconds.
   */
  constructor(
    private readonly maxConnections: number,
    private readonly timeScale: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current number of open guest connections. */
  get open(): number {
    return this.live;
  }

  /**
   * Decides on one connection to `deploymentId` (which must exist; see `refuseUnknown` otherwise). Checks run
   * in the order: emulator bound, connection rate, deployment ceiling, org ceiling. An admitted connection
   * counts at once, so concurrent upgrades cannot overshoot a ceiling. A rate refusal says when to retry (model
   * seconds); a ceiling refusal does when `limits.concurrentRetryAfterSeconds` is set.
   */
  admit(deploymentId: string, limits: GuestLimits): Admission {
    const counters = this.countersOf(deploymentId);
    const window = this.windowOf(deploymentId);
    const now = this.now();
    const windowMs = MINUTE_MS / this.timeScale;
    const refuse = (reason: RefusalReason, retryAfterSeconds?: number): Admission => {
      this.orgRefused[reason] += 1;
      counters.refused[reason] += 1;
      return { admitted: false, reason, ...(retryAfterSeconds ? { retryAfterSeconds } : {}) };
    };
    if (this.live >= this.maxConnections) return refuse("emulatorCap");
    if (window.count(now, windowMs) >= limits.connectionsPerDeploymentPerMinute) {
      return refuse("connectionRate", window.retryAfterSeconds(now, windowMs, this.timeScale));
    }
    if (counters.live >= limits.concurrentPerDeployment) {
      return refuse("deploymentConcurrent", limits.concurrentRetryAfterSeconds);
    }
    if (limits.concurrentPerOrg !== undefined && this.live >= limits.concurrentPerOrg) {
      return refuse("orgConcurrent", limits.concurrentRetryAfterSeconds);
    }
    window.push(now);
    counters.accepted += 1;
    counters.live += 1;
    counters.peak = Math.max(counters.peak, counters.live);
    this.accepted += 1;
    this.live += 1;
    this.peak = Math.max(this.peak, this.live);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        counters.live -= 1;
        this.live -= 1;
      },
    };
  }

  /** Counts a connection to a deployment id that does not exist (no per-deployment entry is made). */
  refuseUnknown(): void {
    this.orgRefused.unknownDeployment += 1;
  }

  /** Counts a connection whose Origin the deployment does not allow. */
  refuseOrigin(deploymentId: string): void {
    this.orgRefused.originNotAllowed += 1;
    this.countersOf(deploymentId).refused.originNotAllowed += 1;
  }

  /** Counts one echoed text message of a deployment. */
  countMessage(deploymentId: string): void {
    this.countersOf(deploymentId).messages += 1;
  }

  snapshot(): AdmissionSnapshot {
    const deployments: Record<string, DeploymentCounters> = {};
    for (const [id, counters] of this.deployments) deployments[id] = structuredClone(counters);
    const total = REFUSAL_REASONS.reduce((sum, reason) => sum + this.orgRefused[reason], 0);
    return {
      live: this.live,
      peak: this.peak,
      accepted: this.accepted,
      refused: { ...this.orgRefused, total },
      messages: [...this.deployments.values()].reduce((sum, counters) => sum + counters.messages, 0),
      deployments,
    };
  }

  /** Zeroes the counts; peaks restart from the connections open now. Rate windows are kept: they are state. */
  reset(): void {
    for (const [id, counters] of this.deployments) {
      if (counters.live === 0) {
        this.deployments.delete(id);
        continue;
      }
      counters.peak = counters.live;
      counters.accepted = 0;
      counters.messages = 0;
      counters.refused = noRefusals();
    }
    Object.assign(this.orgRefused, noRefusals());
    this.peak = this.live;
    this.accepted = 0;
  }

  private countersOf(deploymentId: string): DeploymentCounters {
    let counters = this.deployments.get(deploymentId);
    if (!counters) {
      counters = { live: 0, peak: 0, accepted: 0, refused: noRefusals(), messages: 0 };
      this.deployments.set(deploymentId, counters);
    }
    return counters;
  }

  private windowOf(deploymentId: string): AcceptWindow {
    let window = this.windows.get(deploymentId);
    if (!window) {
      window = new AcceptWindow();
      this.windows.set(deploymentId, window);
    }
    return window;
  }
}

/**
 * Fault injection: a fraction of `/api/v2` requests fail at random (from a seeded generator, so a test that
 * sends the same requests in the same order sees the same faults), and targeted rules make the next K requests
 * matching a path prefix fail with a given status.
 */
import { GenesysError } from "./errors";

/** The statuses the emulator can inject. */
export const FAULT_STATUSES = [429, 500, 502, 503] as const;
export type FaultStatus = (typeof FAULT_STATUSES)[number];

/** A runtime rule: the next `count` requests whose path starts with `pathPrefix` get `status`. */
export interface TargetedFault {
  readonly pathPrefix: string;
  /** Only requests with this method match. @default - any method */
  readonly method?: string;
  readonly status: FaultStatus;
  /** How many matching requests still get the fault. */
  readonly count: number;
  /** `Retry-After` of a 429, in seconds. @default the injector's retryAfterSeconds */
  readonly retryAfterSeconds?: number;
}

export interface FaultInjectorOptions {
  /** Fraction (0..1) of `/api/v2` requests that get a random fault. @default 0 */
  readonly faultRate?: number;
  /** Statuses random faults pick from, uniformly. @default [429, 500, 502, 503] */
  readonly faultKinds?: readonly FaultStatus[];
  /** `Retry-After` sent with an injected 429, in seconds. @default 1 */
  readonly retryAfterSeconds?: number;
  /** Seed of the random generator. @default 1 */
  readonly seed?: number;
}

/** mulberry32: a small, fast, seedable generator of floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private readonly random: () => number;
  private readonly faultRate: number;
  private readonly faultKinds: readonly FaultStatus[];
  private readonly retryAfterSeconds: number;
  private targeted: TargetedFault[] = [];

  constructor(options: FaultInjectorOptions = {}) {
    this.faultRate = options.faultRate ?? 0;
    this.faultKinds = options.faultKinds ?? FAULT_STATUSES;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    this.random = seededRandom(options.seed ?? 1);
    if (this.faultRate < 0 || this.faultRate > 1) {
      throw new Error(`faultRate must be between 0 and 1, got ${this.faultRate}`);
    }
    if (this.faultKinds.length === 0) throw new Error("faultKinds must name at least one status");
  }

  addTargeted(rule: TargetedFault): void {
    this.targeted.push({ ...rule });
  }

  clearTargeted(): void {
    this.targeted = [];
  }

  listTargeted(): readonly TargetedFault[] {
    return this.targeted.map((rule) => ({ ...rule }));
  }

  /** A targeted fault for this request, if a rule matches; uses up one of the rule's count. */
  takeTargeted(method: string, path: string): GenesysError | undefined {
    const index = this.targeted.findIndex(
      (rule) =>
        path.startsWith(rule.pathPrefix) &&
        (rule.method === undefined || rule.method.toUpperCase() === method),
    );
    if (index < 0) return undefined;
    const rule = this.targeted[index];
    if (rule.count <= 1) this.targeted.splice(index, 1);
    else this.targeted[index] = { ...rule, count: rule.count - 1 };
    return faultError(rule.status, rule.retryAfterSeconds ?? this.retryAfterSeconds);
  }

  /** A random fault, drawn from the seeded generator; call once per `/api/v2` request. */
  drawRandom(): GenesysError | undefined {
    if (this.faultRate === 0 || this.random() >= this.faultRate) return undefined;
    const status = this.faultKinds[Math.floor(this.random() * this.faultKinds.length)];
    return faultError(status, this.retryAfterSeconds);
  }
}

/** The Genesys error a fault answers with. */
export function faultError(status: FaultStatus, retryAfterSeconds: number): GenesysError {
  switch (status) {
    case 429:
      return new GenesysError(
        429,
        "Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds",
        { retryAfter: String(retryAfterSeconds) },
        { headers: { "Retry-After": String(retryAfterSeconds) } },
      );
    case 500:
      return new GenesysError(500, "The server encountered an unexpected condition (injected fault).");
    case 502:
      return new GenesysError(502, "The gateway received an invalid response upstream (injected fault).");
    case 503:
      return new GenesysError(503, "The service is temporarily unavailable (injected fault).");
  }
}

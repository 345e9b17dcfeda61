/**
 * The ceilings the guest WebSocket side enforces, read from the emulator's limits store on every connection so
 * that `--limits-file` and `PUT /__emulator/limits` apply at once. All keys live in the `web.messaging`
 * namespace of the store:
 *
 * | key                                                   | default           | evidence                                  |
 * | ----------------------------------------------------- | ----------------- | ----------------------------------------- |
 * | `connections.rate.per.minute` (per deployment)        | 1000 (seed)       | documented key, configurable; value third-party |
 * | `emulator.connections.concurrent.per.deployment.max`  | 150 (emulator)    | observed in load tests only; no Genesys key |
 * | `emulator.connections.concurrent.per.org.max`         | none (no ceiling) | hypothesis of issue #17; no Genesys key   |
 * | `messages.per.session.rate.per.second`                | 2 (seed)          | documented (Genesys forum, 2023-12)       |
 * | `session.connections.max`                             | 3 (seed)          | maintainer statement (MobileSDK PR #127)  |
 * | `emulator.concurrent.retry.after.seconds`             | none (no header)  | the emulator's own; no source shows one   |
 *
 * The `emulator.` keys are the emulator's own: Genesys publishes no Limits API key for a concurrent
 * connection ceiling, so they are prefixed to keep anyone from mistaking them for one. The org's real Limits
 * API would not report them either, which is why they have no seed entry in limits-data.ts.
 */
import { SEED_NAMESPACES } from "../limits-data";
import type { EmulatorStore } from "../store";

export const GUEST_LIMITS_NAMESPACE = "web.messaging";

/** The store keys of the guest ceilings (namespace `web.messaging`). */
export const GUEST_LIMIT_KEYS = {
  connectionsPerDeploymentPerMinute: "connections.rate.per.minute",
  concurrentPerDeployment: "emulator.connections.concurrent.per.deployment.max",
  concurrentPerOrg: "emulator.connections.concurrent.per.org.max",
  messagesPerSessionPerSecond: "messages.per.session.rate.per.second",
  connectionsPerSession: "session.connections.max",
  concurrentRetryAfterSeconds: "emulator.concurrent.retry.after.seconds",
} as const;

/** The ceilings in force for one admission decision. */
export interface GuestLimits {
  /** Open guest connections one deployment holds. */
  readonly concurrentPerDeployment: number;
  /** New guest connections one deployment accepts per minute (of emulator time, see the time scale). */
  readonly connectionsPerDeploymentPerMinute: number;
  /** Open guest connections the whole org holds, or undefined for no org-wide ceiling. */
  readonly concurrentPerOrg: number | undefined;
  /** `onMessage` requests one session may send per second. */
  readonly messagesPerSessionPerSecond: number;
  /** Connections one session (guest token) may hold at once. */
  readonly connectionsPerSession: number;
  /**
   * The `Retry-After` (model seconds) of a 503 at a concurrent ceiling. No report of the real 503 shows one, so by
   * default none is sent; set it to rehearse a driver against a service that does.
   * @default - no Retry-After on a 503
   */
  readonly concurrentRetryAfterSeconds?: number;
}

const seeded = Object.fromEntries(
  (SEED_NAMESPACES.find((namespace) => namespace.name === GUEST_LIMITS_NAMESPACE)?.limits ?? []).map(
    (limit) => [limit.key, limit.defaultValue],
  ),
);

/**
 * Open guest connections one deployment holds before it answers `503 Max concurrent connections exceeded`: about
 * 150 in public load-test reports (Genesys Cloud developer forum threads of JMeter ramps against one Messenger
 * deployment). Genesys publishes no such ceiling and no Limits API key for it. The emulator keeps its own value on
 * purpose, rather than the planner's catalog: a rehearsal then checks the plan against an independent model of the
 * service, and a change to the planner's assumption shows up as refusals instead of moving both sides at once.
 */
export const OBSERVED_CONCURRENT_PER_DEPLOYMENT = 150;

const DEFAULTS: Readonly<Record<string, number | undefined>> = {
  ...seeded,
  [GUEST_LIMIT_KEYS.concurrentPerDeployment]: OBSERVED_CONCURRENT_PER_DEPLOYMENT,
};

/** The guest ceilings: the store's overrides, else the seeded defaults, else the emulator's observed value. */
export function guestLimits(store: EmulatorStore): GuestLimits {
  const overrides = store.limitOverrides[GUEST_LIMITS_NAMESPACE] ?? {};
  const value = (key: string): number | undefined => overrides[key] ?? DEFAULTS[key];
  const required = (key: string, fallback: number): number => value(key) ?? fallback;
  return {
    concurrentPerDeployment: required(
      GUEST_LIMIT_KEYS.concurrentPerDeployment,
      OBSERVED_CONCURRENT_PER_DEPLOYMENT,
    ),
    connectionsPerDeploymentPerMinute: required(GUEST_LIMIT_KEYS.connectionsPerDeploymentPerMinute, 1000),
    concurrentPerOrg: value(GUEST_LIMIT_KEYS.concurrentPerOrg),
    messagesPerSessionPerSecond: required(GUEST_LIMIT_KEYS.messagesPerSessionPerSecond, 2),
    connectionsPerSession: required(GUEST_LIMIT_KEYS.connectionsPerSession, 3),
    concurrentRetryAfterSeconds: value(GUEST_LIMIT_KEYS.concurrentRetryAfterSeconds),
  };
}

/**
 * The ramp of a load test: how fast new sessions arrive until the target is open, how long that takes, and the
 * rate each shard ramps at. Pure, like the rest of the planner.
 *
 * Each shard ramps at the total rate in proportion to its sessions, `rate_i = R × s_i / T`, a fraction of a
 * session per minute where needed (50/min over 85 shards of 117–118 sessions: 0.585–0.59/min). A whole-number
 * split of R cannot be followed: with fewer arrivals per minute than shards some shards get 0 and never fill.
 * Proportional rates sum to R, give every shard with sessions a rate above 0, and bring every shard to its
 * sessions at the same moment, `T / R` minutes after the start, which is the ramp of the whole test. A load tool
 * takes a fractional rate as it is (JMeter's Constant Throughput Timer, samples per minute) or as one arrival
 * every `60 / rate_i` seconds (k6's constant-arrival-rate with `timeUnit`).
 */
import { formatNumber } from "./format";

/** How long a ramp to the target takes at a constant rate of new sessions. */
export interface Ramp {
  /** Sessions open at the end of the ramp (T). */
  readonly sessions: number;
  /** New sessions per minute across all shards (R), > 0. */
  readonly perMinute: number;
  /** Minutes the ramp takes: T / R. */
  readonly minutes: number;
}

/** The ramp to `sessions` at `perMinute`; undefined without a rate (or a rate of 0: the ramp never ends). */
export function planRamp(sessions: number, perMinute: number | undefined): Ramp | undefined {
  if (perMinute === undefined || !(perMinute > 0)) return undefined;
  return { sessions, perMinute, minutes: sessions / perMinute };
}

/**
 * The rate each shard ramps at: `perMinute` in proportion to the shard's sessions (all 0 when no shard has any).
 * They sum to `perMinute`, and every shard with sessions gets a rate above 0 when `perMinute` is.
 */
export function rampRates(sessions: readonly number[], perMinute: number): number[] {
  const total = sessions.reduce((sum, count) => sum + count, 0);
  return sessions.map((count) => (total > 0 ? (perMinute * count) / total : 0));
}

/** What a ramp is checked against. */
export interface RampLimits {
  /**
   * The booked load-test window, in minutes: the ramp (and the hold, when given) must fit in it.
   * @default - not checked
   */
  readonly windowMinutes?: number;
  /**
   * How long the target is held after the ramp, in minutes.
   * @default - not checked
   */
  readonly holdMinutes?: number;
}

/**
 * Why a ramp does not fit.
 * - `ramp-exceeds-hold`: the ramp lasts longer than the hold at the target, so most of the test is ramping.
 * - `ramp-exceeds-window`: the ramp (and the hold) do not fit in the booked window.
 */
export type RampWarningCode = "ramp-exceeds-hold" | "ramp-exceeds-window";

export interface RampWarning {
  readonly code: RampWarningCode;
  /** One sentence with the numbers and what to change. */
  readonly message: string;
}

/** The ramp checked against the hold and the window; an empty list when it fits (or nothing was given). */
export function checkRamp(ramp: Ramp, limits: RampLimits): RampWarning[] {
  const warnings: RampWarning[] = [];
  const takes = `the ramp takes ${formatMinutes(ramp.minutes)} (${formatNumber(ramp.sessions)} sessions at ${formatNumber(ramp.perMinute)} new/min)`;
  const { holdMinutes: hold, windowMinutes: window } = limits;
  if (hold !== undefined && ramp.minutes > hold) {
    warnings.push({
      code: "ramp-exceeds-hold",
      message:
        `${takes}, longer than the ${formatMinutes(hold)} hold at the target: most of the test is ramping; ` +
        (hold > 0
          ? `ramp at ${formatNumber(Math.ceil(ramp.sessions / hold))} new/min or more to reach the target within the hold, or hold longer`
          : "hold the target for a while"),
    });
  }
  if (window !== undefined && ramp.minutes + (hold ?? 0) > window) {
    const left = window - (hold ?? 0);
    const both = hold === undefined ? takes : `${takes} and the hold ${formatMinutes(hold)}`;
    warnings.push({
      code: "ramp-exceeds-window",
      message:
        `${both}, longer than the ${formatMinutes(window)} window: ` +
        (left > 0
          ? `ramp at ${formatNumber(Math.ceil(ramp.sessions / left))} new/min or more, or book ${formatMinutes(ramp.minutes + (hold ?? 0))}`
          : `the hold alone fills the window; book ${formatMinutes(ramp.minutes + (hold ?? 0))} or hold less`),
    });
  }
  return warnings;
}

/** Minutes as people read them: "200 min", "3.33 min", and seconds below a minute ("2 s"). */
export function formatMinutes(value: number): string {
  return value >= 1 ? `${formatNumber(value)} min` : `${formatNumber(value * 60)} s`;
}

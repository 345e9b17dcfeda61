/**
 * Named load tests a rehearsal can replay (`rehearse --scenario <name>`). A scenario gives the sessions, the ramp
 * and the hold in model time; `--time-scale` compresses it like any run, and a flag given on the command line wins
 * over the scenario's value.
 */

/** One scenario. */
export interface Scenario {
  readonly name: string;
  /** What it replays and where the numbers come from. */
  readonly description: string;
  readonly sessions: number;
  /** New sessions per minute across all shards. */
  readonly rampPerMinute: number;
  /** Model seconds every session is held after the ramp. */
  readonly holdSeconds: number;
}

export const SCENARIOS: Readonly<Record<string, Scenario>> = {
  "forum-10k": {
    name: "forum-10k",
    description:
      "the 10,000-session load test of issue 27: 10,000 guest sessions ramped at 50 new per minute (200 minutes) " +
      "and held 10 minutes; on one deployment it meets the wall forum load tests report at about 150",
    sessions: 10_000,
    rampPerMinute: 50,
    holdSeconds: 600,
  },
};

/** The scenario called `name`, or undefined. */
export function scenario(name: string): Scenario | undefined {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, name) ? SCENARIOS[name] : undefined;
}

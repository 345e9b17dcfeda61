/**
 * Pacing within the service's rate limits: at most `limit` events per key in any window of `windowMs`. The driver
 * keeps one per deployment for new connections (`connections.rate.per.minute`) and one per session for messages
 * (`messages.per.session.rate.per.second`). The clock is a parameter (model milliseconds), so tests move it.
 */
export class SlidingWindowPacer {
  private readonly times = new Map<string, number[]>();

  /**
   * @param limit events allowed per window (at least 1)
   * @param windowMs the window's length
   * @param now the clock, in the same unit as `windowMs`
   */
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {
    if (!(limit >= 1)) throw new Error(`SlidingWindowPacer: limit must be >= 1, got ${limit}`);
    if (!(windowMs > 0)) throw new Error(`SlidingWindowPacer: windowMs must be > 0, got ${windowMs}`);
  }

  /** How long until `key` may have another event (0: now). */
  waitMs(key: string): number {
    const times = this.recent(key);
    if (times.length < this.limit) return 0;
    return Math.max(0, times[times.length - this.limit] + this.windowMs - this.now());
  }

  /** Counts an event of `key` now (whether or not `waitMs` allowed it). */
  take(key: string): void {
    this.takeAt(key, this.now());
  }

  /** Counts an event of `key` at `time` (an event before the pacer was made, say), kept in time order. */
  takeAt(key: string, time: number): void {
    const times = this.recent(key);
    let at = times.length;
    while (at > 0 && times[at - 1] > time) at -= 1;
    times.splice(at, 0, time);
    this.times.set(key, times);
  }

  /** Takes an event of `key` if one is allowed now; returns whether it did. */
  tryTake(key: string): boolean {
    if (this.waitMs(key) > 0) return false;
    this.take(key);
    return true;
  }

  /** Forgets `key` (a closed session). */
  forget(key: string): void {
    this.times.delete(key);
  }

  private recent(key: string): number[] {
    const times = this.times.get(key) ?? [];
    const cutoff = this.now() - this.windowMs;
    let drop = 0;
    while (drop < times.length && times[drop] <= cutoff) drop += 1;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}

/**
 * The window a driver paces a per-window limit over: the limit's own window plus a margin, so that the service,
 * which sees each event a little later than the driver sent it (and, at a time scale, sees real milliseconds of
 * timer lateness as many model ones), never counts one more than the limit. The margin is 1/60 of the window, or
 * `marginRealMs` of real time (in model milliseconds: times the time scale), whichever is longer.
 */
export function pacingWindowMs(windowMs: number, timeScale: number, marginRealMs = 20): number {
  return windowMs + Math.max(windowMs / 60, marginRealMs * timeScale);
}

/** Pacing within a rate limit (rehearsal/pacing.ts) on a fake clock. */
import fc from "fast-check";
import { SlidingWindowPacer, pacingWindowMs } from "../../rehearsal/pacing";

describe("SlidingWindowPacer", () => {
  it("lets `limit` events of a key through per window and says how long the next one waits", () => {
    const clock = { now: 0 };
    const pacer = new SlidingWindowPacer(2, 1000, () => clock.now);
    expect(pacer.tryTake("d")).toBe(true);
    clock.now = 300;
    expect(pacer.tryTake("d")).toBe(true);
    expect(pacer.waitMs("d")).toBe(700);
    expect(pacer.tryTake("d")).toBe(false);
    expect(pacer.waitMs("e")).toBe(0); // per key
    clock.now = 1000;
    expect(pacer.tryTake("d")).toBe(true);
    expect(pacer.waitMs("d")).toBe(300);
    pacer.forget("d");
    expect(pacer.waitMs("d")).toBe(0);
  });

  it("never lets more than `limit` events into any window (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 60 }),
        (limit, steps) => {
          const clock = { now: 0 };
          const pacer = new SlidingWindowPacer(limit, 1000, () => clock.now);
          const taken: number[] = [];
          for (const step of steps) {
            clock.now += step;
            if (pacer.tryTake("k")) taken.push(clock.now);
          }
          return taken.every((time) => taken.filter((t) => t > time - 1000 && t <= time).length <= limit);
        },
      ),
    );
  });

  it("fails on a limit below 1", () => {
    expect(() => new SlidingWindowPacer(0, 1000, () => 0)).toThrow("limit must be >= 1, got 0");
  });
});

describe("pacingWindowMs", () => {
  it("adds 1/60 of the window, or 20 ms of real time at the time scale, whichever is longer", () => {
    expect(pacingWindowMs(60_000, 1)).toBe(61_000);
    expect(pacingWindowMs(60_000, 60)).toBe(61_200);
    expect(pacingWindowMs(1000, 1)).toBe(1020);
    expect(pacingWindowMs(6000, 1)).toBe(6100);
  });
});

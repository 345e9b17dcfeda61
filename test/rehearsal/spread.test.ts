import fc from "fast-check";
import { arrivalOrder, percentile, spreadByWeight } from "../../rehearsal/spread";

describe("spreadByWeight", () => {
  it.each([
    [60, [10, 10, 10, 10, 10, 10], [10, 10, 10, 10, 10, 10]],
    [10, [118, 118, 117], [4, 3, 3]],
    [7, [0, 0], [4, 3]],
    [5, [1, 0, 0], [5, 0, 0]],
    [0, [3, 3], [0, 0]],
  ])("spreads %d over weights %j as %j", (total, weights, expected) => {
    expect(spreadByWeight(total, weights)).toEqual(expected);
  });

  it("gives every session to some shard, each share within one of its exact proportion", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }),
        (total, weights) => {
          const shares = spreadByWeight(total, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          shares.forEach((share, i) => {
            const exact = sum > 0 ? (total * weights[i]) / sum : total / weights.length;
            expect(Math.abs(share - exact)).toBeLessThan(1);
          });
        },
      ),
    );
  });
});

describe("arrivalOrder", () => {
  it("interleaves shards so each ramps at its share", () => {
    expect(arrivalOrder([2, 2, 1])).toEqual([0, 1, 2, 0, 1]);
    expect(arrivalOrder([3, 0])).toEqual([0, 0, 0]);
  });

  // After a prefix ending at fraction t of the ramp, a shard has round(t × c) arrivals (within ½ of t × c), and
  // the prefix's length is within n/2 of t × total, so each shard stays close to its share at every step.
  it("lists each position as often as its count, and every prefix holds each shard close to its share", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 20 }), (counts) => {
        const order = arrivalOrder(counts);
        const total = counts.reduce((a, b) => a + b, 0);
        expect(order).toHaveLength(total);
        const seen = counts.map(() => 0);
        order.forEach((position, i) => {
          seen[position] += 1;
          counts.forEach((count, p) => {
            const bound = 1 + (counts.length / 2) * (count / total);
            expect(Math.abs(seen[p] - ((i + 1) * count) / total)).toBeLessThanOrEqual(bound + 1e-9);
          });
        });
      }),
      { numRuns: 50 },
    );
  });
});

describe("percentile", () => {
  it("takes the nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
  });
});

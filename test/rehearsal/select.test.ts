/** Which shards one machine drives (rehearsal/select.ts): ranges in and out. */
import fc from "fast-check";
import { ShardSelectionError, formatShardRanges, parseShardRanges } from "../../rehearsal/select";

const EIGHTY_FIVE = Array.from({ length: 85 }, (_, index) => index);

describe("parseShardRanges", () => {
  it.each([
    ["0-41", 42, [0, 41]],
    ["0-9,20-29", 20, [0, 29]],
    ["7", 1, [7, 7]],
    [" 3 , 1-2 ", 3, [1, 3]],
    ["5,5,4-6", 3, [4, 6]],
  ])("reads %j: %i shards from %j", (text, count, [first, last]) => {
    const shards = parseShardRanges(text, EIGHTY_FIVE);
    expect(shards).toHaveLength(count);
    expect([shards[0], shards.at(-1)]).toEqual([first, last]);
  });

  it.each([
    [
      "0-85",
      '--shards must be shard indexes or ranges of the map (0 to 84), such as 0-41 or 0-9,20-29; got "0-85" (the map has no shard 85)',
    ],
    ["9-3", "(9-3 runs backwards)"],
    ["", 'got ""'],
    ["1,", 'got "1,"'],
    ["-3", 'got "-3"'],
    ["1.5", 'got "1.5"'],
  ])("fails on %j with one line naming the map's shards", (text, message) => {
    expect(() => parseShardRanges(text, EIGHTY_FIVE)).toThrow(ShardSelectionError);
    expect(() => parseShardRanges(text, EIGHTY_FIVE)).toThrow(message);
  });

  it("fails on a gap of the map: a shard index the map does not have", () => {
    expect(() => parseShardRanges("0-2", [0, 2, 3])).toThrow("(the map has no shard 1)");
  });

  it("reads back what formatShardRanges writes (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 84 }), { minLength: 1 }), (indexes) => {
        const sorted = [...indexes].sort((a, b) => a - b);
        return (
          JSON.stringify(parseShardRanges(formatShardRanges(indexes), EIGHTY_FIVE)) === JSON.stringify(sorted)
        );
      }),
    );
  });
});

describe("formatShardRanges", () => {
  it("writes runs as ranges, ascending", () => {
    expect(formatShardRanges([5, 0, 1, 2, 9, 10])).toBe("0-2,5,9-10");
    expect(formatShardRanges([])).toBe("");
  });
});

import fc from "fast-check";
import { formatRanges, indexRuns, shardsPhrase } from "../../plan-review";

describe("shard ranges", () => {
  it.each([
    [[], ""],
    [[7], "007"],
    [[3, 4], "003–004"],
    [[85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99], "085–099"],
    [[9, 3, 5, 4, 9, 7], "003–005, 007, 009"],
    [[0, 999], "000, 999"],
  ])("formats %j as %j", (indexes, expected) => {
    expect(formatRanges(indexes)).toBe(expected);
  });

  it.each([
    [[], "added", undefined],
    [[3], "added", "shard 003 added"],
    [[3, 3], "removed", "shard 003 removed"],
    [Array.from({ length: 15 }, (_, i) => 85 + i), "added", "shards 085–099 added"],
    [[1, 2, 5], "removed", "shards 001–002, 005 removed"],
  ])("phrases %j %s as %j", (indexes, verb, expected) => {
    expect(shardsPhrase(indexes, verb)).toBe(expected);
  });

  it("numbers shards past 999 (shard groups) with four digits, the earlier ones unchanged", () => {
    expect(formatRanges([998, 999, 1000, 1001])).toBe("998–1001");
    expect(formatRanges([7, 1250])).toBe("007, 1250");
  });

  it("fails when an index is no shard index", () => {
    expect(() => formatRanges([-1])).toThrow("shard index must be an integer >= 0, got -1");
    expect(() => formatRanges([2.5])).toThrow("shard index must be an integer >= 0, got 2.5");
  });

  it("runs cover exactly the indexes, ascending, disjoint and never adjacent", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 999 }), { maxLength: 200 }), (indexes) => {
        const runs = indexRuns(indexes);
        const covered = runs.flatMap(([first, last]) =>
          Array.from({ length: last - first + 1 }, (_, i) => first + i),
        );
        expect(covered).toEqual([...new Set(indexes)].sort((a, b) => a - b));
        for (let i = 1; i < runs.length; i++) expect(runs[i][0]).toBeGreaterThan(runs[i - 1][1] + 1);
      }),
    );
  });
});

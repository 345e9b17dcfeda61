/**
 * Shard indexes as readable ranges: [85, 86, …, 99] → "085–099"; [3, 5, 6, 7] → "003, 005–007". Numbers have the
 * fixed width of shard names (genesys/naming.ts), so they read as in the Genesys display names.
 */
import { shardNumber } from "../genesys";

/** Runs of consecutive indexes, ascending, duplicates dropped: [5, 3, 4, 9] → [[3, 5], [9, 9]]. */
export function indexRuns(indexes: Iterable<number>): [number, number][] {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const index of sorted) {
    const last = runs[runs.length - 1];
    if (last && index === last[1] + 1) last[1] = index;
    else runs.push([index, index]);
  }
  return runs;
}

/** "085–099, 101" (an en dash inside a run, commas between runs); "" for none. */
export function formatRanges(indexes: Iterable<number>): string {
  return indexRuns(indexes)
    .map(([first, last]) =>
      first === last ? shardNumber(first) : `${shardNumber(first)}–${shardNumber(last)}`,
    )
    .join(", ");
}

/** "shards 085–099 added", "shard 003 added"; undefined when there are none. */
export function shardsPhrase(indexes: Iterable<number>, verb: string): string | undefined {
  return rangesPhrase(indexes, verb, "shard", "shards");
}

/** "queue groups 001–002 added", "queue group 002 added" (the same fixed width); undefined when there are none. */
export function queueGroupsPhrase(indexes: Iterable<number>, verb: string): string | undefined {
  return rangesPhrase(indexes, verb, "queue group", "queue groups");
}

function rangesPhrase(
  indexes: Iterable<number>,
  verb: string,
  one: string,
  many: string,
): string | undefined {
  const unique = [...new Set(indexes)];
  if (unique.length === 0) return undefined;
  return `${unique.length === 1 ? one : many} ${formatRanges(unique)} ${verb}`;
}

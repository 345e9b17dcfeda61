/**
 * Which shards one machine drives (`rehearse --shards 0-41`): ranges of shard indexes, checked against the map.
 * Several machines each drive their own shards and pace their own deployments; together they run the whole test.
 */

/** A `--shards` value that is not ranges of the map's shards. */
export class ShardSelectionError extends Error {}

/**
 * Parses `text` ("0-41", "0-9,20-29", "7") into the shard indexes it names, ascending, each of which must be one of
 * `indexes` (the map's).
 * @throws ShardSelectionError naming the value and what the map holds
 */
export function parseShardRanges(text: string, indexes: readonly number[]): number[] {
  const known = new Set(indexes);
  const span = indexes.length === 0 ? "none" : `${Math.min(...indexes)} to ${Math.max(...indexes)}`;
  const usage = `--shards must be shard indexes or ranges of the map (${span}), such as 0-41 or 0-9,20-29`;
  const chosen = new Set<number>();
  const parts = text.split(",").map((part) => part.trim());
  for (const part of parts) {
    const match = /^(\d{1,7})(?:-(\d{1,7}))?$/.exec(part);
    if (match === null) throw new ShardSelectionError(`${usage}; got "${text}"`);
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) throw new ShardSelectionError(`${usage}; got "${text}" (${part} runs backwards)`);
    for (let index = from; index <= to; index += 1) {
      if (!known.has(index)) {
        throw new ShardSelectionError(`${usage}; got "${text}" (the map has no shard ${index})`);
      }
      chosen.add(index);
    }
  }
  return [...chosen].sort((a, b) => a - b);
}

/** Shard indexes as ranges, ascending: [0, 1, 2, 5] → "0-2,5" (the form `--shards` takes). */
export function formatShardRanges(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end] + 1) end += 1;
    ranges.push(end === start ? String(sorted[start]) : `${sorted[start]}-${sorted[end]}`);
    start = end + 1;
  }
  return ranges.join(",");
}

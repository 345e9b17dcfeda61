/**
 * Display names and construct ids, from one place. Shard numbers have a fixed width that does not depend on the
 * number of shards, so growing from 99 to 100 shards renames nothing: a renamed id or display name would replace
 * a live Genesys Cloud object (and drop every guest session on a replaced deployment).
 */

/** Digits of a shard number: 3 covers 1,000 shards, past the largest plan a Genesys org's limits allow. */
export const SHARD_NUMBER_WIDTH = 3;

/** The most shards a fixed-width number can name. */
export const MAX_SHARDS = 10 ** SHARD_NUMBER_WIDTH;

/** A shard's zero-based index as a fixed-width number: 7 → "007". */
export function shardNumber(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SHARDS) {
    throw new RangeError(`shard index must be an integer from 0 to ${MAX_SHARDS - 1}, got ${index}`);
  }
  return String(index).padStart(SHARD_NUMBER_WIDTH, "0");
}

/** A shard's construct id: `Shard007`. A contract: changing it replaces the shard's objects. */
export function shardId(index: number): string {
  return `Shard${shardNumber(index)}`;
}

/** A display name with the environment prefix: `displayName("Prod", "Messaging", 7)` → "Prod Messaging 007". */
export function displayName(prefix: string, name: string, shardIndex?: number): string {
  const parts = [prefix, name];
  if (shardIndex !== undefined) parts.push(shardNumber(shardIndex));
  return parts.filter((p) => p.trim() !== "").join(" ");
}

/**
 * A construct id from a display name: PascalCase, letters and digits only ("Follow-up required" →
 * "FollowUpRequired"). A contract: objects addressed by name keep their id when others are added or reordered.
 */
export function idFromName(name: string): string {
  return name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== "")
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join("");
}

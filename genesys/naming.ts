/**
 * How this project names what it puts in Genesys Cloud and in Terraform: shard numbers, display names, construct
 * ids, stack names and the default local state file. Every floor reads them from here (the constructs, the
 * planner, the plan review, the CLIs), so a name is made one way only.
 *
 * Shard numbers have a fixed width that does not depend on the number of shards, so growing from 99 to 100 shards
 * renames nothing: a renamed construct id or display name would replace a live Genesys Cloud object (and drop
 * every guest session on a replaced deployment). The width is also what bounds a stack: it names at most
 * {@link MAX_SHARDS_PER_STACK} shards, and the planner refuses a plan that needs more.
 */

/** Digits of a shard number: 3, so `Shard000` to `Shard999`. A contract: changing it renames every shard. */
export const SHARD_NUMBER_WIDTH = 3;

/**
 * The most shards one stack holds (1,000): a single-stack environment, or one shard group of a split environment
 * (`capacity.shardsPerGroup` is at most this). An environment of more shards is split into shard groups.
 */
export const MAX_SHARDS_PER_STACK = 10 ** SHARD_NUMBER_WIDTH;

/**
 * A shard's zero-based index as a number of at least {@link SHARD_NUMBER_WIDTH} digits: 7 → "007", 1000 → "1000".
 * An index's number never depends on how many shards there are, so growing past 999 (in shard groups) renames
 * nothing: shards 0–999 keep their three digits, the later ones have four or more.
 */
export function shardNumber(index: number): string {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`shard index must be an integer >= 0, got ${index}`);
  }
  return String(index).padStart(SHARD_NUMBER_WIDTH, "0");
}

/** A shard's construct id: `Shard007`. A contract: changing it replaces the shard's objects. */
export function shardId(index: number): string {
  return `Shard${shardNumber(index)}`;
}

/**
 * Digits of a queue group number: 3, so `QueueGroup000` to `QueueGroup999`, the width of shard numbers (a stack
 * holds at most as many queue groups as shards). A contract: changing it renames every queue group.
 */
export const QUEUE_GROUP_NUMBER_WIDTH = SHARD_NUMBER_WIDTH;

/** The most queue groups one stack can name: one per shard at most. */
export const MAX_QUEUE_GROUPS_PER_STACK = 10 ** QUEUE_GROUP_NUMBER_WIDTH;

/** A queue group's zero-based index as a fixed-width number: 2 → "002". */
export function queueGroupNumber(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_QUEUE_GROUPS_PER_STACK) {
    throw new RangeError(
      `queue group index must be an integer from 0 to ${MAX_QUEUE_GROUPS_PER_STACK - 1}, got ${index}`,
    );
  }
  return String(index).padStart(QUEUE_GROUP_NUMBER_WIDTH, "0");
}

/**
 * A queue group's construct id when it holds more than one deployment (`deploymentsPerQueue` > 1):
 * `QueueGroup002`. A contract: changing it replaces the group's queue and flow. With one deployment per queue
 * group, group k's queue and flow keep the addresses they have always had, under shard k (`Shard<k>/Queue`,
 * `Shard<k>/Flow`), so that layout never moves.
 */
export function queueGroupId(index: number): string {
  return `QueueGroup${queueGroupNumber(index)}`;
}

/**
 * The queue group a deployment belongs to: a contiguous block of `deploymentsPerQueue` deployments,
 * floor(shard / deploymentsPerQueue). Growing the number of deployments only fills the last group or opens new
 * ones, so it never moves a live deployment to another queue; changing `deploymentsPerQueue` does (every shard
 * from min(old, new) on).
 */
export function queueGroupOf(shardIndex: number, deploymentsPerQueue: number): number {
  if (!Number.isInteger(deploymentsPerQueue) || deploymentsPerQueue < 1) {
    throw new RangeError(`deploymentsPerQueue must be an integer >= 1, got ${deploymentsPerQueue}`);
  }
  return Math.floor(shardIndex / deploymentsPerQueue);
}

/**
 * A display name with the environment prefix: `displayName("Prod", "Messaging", 7)` → "Prod Messaging 007". The
 * index is a shard's or a queue group's (both have the same fixed width): `displayName("Prod", "Messaging Group",
 * 1)` → "Prod Messaging Group 001".
 */
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

/**
 * The stack name of an environment: `gc-<name>`. A contract: the state's key and the CI matrix use it. Split into
 * shard groups, it is the base stack's name (what every shard shares).
 */
export function stackName(environment: string): string {
  return `gc-${environment}`;
}

/**
 * The file name of a stack's local Terraform state when its environment file names no `backend.path`:
 * `terraform.gc-dev.tfstate`, kept in the project root (never inside `cdktf.out/`, which synth rewrites).
 */
export function localStateFileName(stack: string): string {
  return `terraform.${stack}.tfstate`;
}

/**
 * The default local state path as the stack's backend writes it: relative to where Terraform runs
 * (`cdktf.out/stacks/<stack>`), so the synthesized JSON is the same on every machine and checkout.
 */
export function defaultLocalStatePath(stack: string): string {
  return `../../../${localStateFileName(stack)}`;
}

/**
 * Shards per shard group when `capacity.shardsPerGroup` is not given: 100. A group's no-change plan refreshes about
 * 100 × 6 = 600 objects' requests (measured: 6 per shard at one deployment per queue group), two minutes of one
 * OAuth client's 300 requests/min, and its first deploy 100 × 16 = 1,600 requests, under six minutes; and it is
 * above prod's 85 shards, so every environment that fits in one stack today stays one stack (README "Shard
 * groups").
 */
export const DEFAULT_SHARDS_PER_GROUP = 100;

/** The shard group of a shard: floor(index / shardsPerGroup), forever (no shard moves between groups). */
export function shardGroupOf(shardIndex: number, shardsPerGroup: number): number {
  if (!Number.isInteger(shardsPerGroup) || shardsPerGroup < 1) {
    throw new RangeError(`shardsPerGroup must be an integer >= 1, got ${shardsPerGroup}`);
  }
  return Math.floor(shardIndex / shardsPerGroup);
}

/**
 * The shard groups of N shards at G per group: none when N <= G (one stack, the layout before shard groups), else
 * ceil(N / G) groups, group k holding shards k×G … min(k×G+G, N)−1.
 */
export function shardGroups(
  shards: number,
  shardsPerGroup: number,
): { index: number; first: number; count: number }[] {
  if (shards <= shardsPerGroup) return [];
  const groups: { index: number; first: number; count: number }[] = [];
  for (let first = 0, index = 0; first < shards; first += shardsPerGroup, index++) {
    groups.push({ index, first, count: Math.min(shardsPerGroup, shards - first) });
  }
  return groups;
}

/**
 * The stack name of an environment's shard group k: `gc-<name>-shards-<k>` (k without padding). A contract: the
 * group's state key, its credentials' variable names and the CI matrix use it.
 */
export function shardGroupStackName(environment: string, group: number): string {
  return `${stackName(environment)}-shards-${group}`;
}

/** The shard group a stack name is for (`gc-prod-shards-2` → 2), or undefined for a base or single stack. */
export function shardGroupOfStack(stack: string): number | undefined {
  const match = /-shards-(\d+)$/.exec(stack);
  return match ? Number(match[1]) : undefined;
}

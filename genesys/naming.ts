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
 * The most shards one stack can name (1,000): shard numbers have {@link SHARD_NUMBER_WIDTH} digits. A plan that
 * needs more is infeasible (`shards-exceed-stack`) until shards can be spread over several stacks.
 */
export const MAX_SHARDS_PER_STACK = 10 ** SHARD_NUMBER_WIDTH;

/** A shard's zero-based index as a fixed-width number: 7 → "007". */
export function shardNumber(index: number): string {
  if (!Number.isInteger(index) || index < 0 || index >= MAX_SHARDS_PER_STACK) {
    throw new RangeError(
      `shard index must be an integer from 0 to ${MAX_SHARDS_PER_STACK - 1}, got ${index}`,
    );
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

/** The stack name of an environment: `gc-<name>`. A contract: the state's key and the CI matrix use it. */
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

/**
 * Compares what two frameworks synthesized for the same stack (cdktf 0.21 and CDK Terrain): the `cdk.tf.json`
 * files must be the same apart from the framework's own metadata, the `"//"` blocks (`metadata.version`, construct
 * paths, the outputs' map), which name the framework and its version and which Terraform ignores. Formatting
 * does not count either: the files are compared as parsed JSON (cdktf 0.21 writes an empty array over two lines,
 * cdktn 0.24 as `[]`).
 *
 * Pure; scripts/cdktn-check.ts reads the files and prints what this answers.
 */
import { isDeepStrictEqual } from "node:util";

/** The key under which cdktf and cdktn write their own metadata, at any depth of a cdk.tf.json. */
export const METADATA_KEY = "//";

/** One place where two JSON documents differ. */
export interface JsonDifference {
  /** Where, as a path: `resource.genesyscloud_routing_queue.Channel_Shard000_Queue_1A2B3C4D.name`. */
  readonly path: string;
  /** The value under the first framework, undefined when the path exists only under the second. */
  readonly left?: unknown;
  /** The value under the second framework, undefined when the path exists only under the first. */
  readonly right?: unknown;
}

/** The comparison of one stack. */
export interface StackComparison {
  /** True when the stacks are the same apart from metadata. */
  readonly same: boolean;
  /** Differences outside the metadata blocks: any one fails the check. */
  readonly differences: readonly JsonDifference[];
  /** Differences inside the metadata blocks (the framework's version, for one): reported, never a failure. */
  readonly metadataDifferences: readonly JsonDifference[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A copy of a synthesized document without the framework's `"//"` metadata blocks, at every depth. */
export function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== METADATA_KEY)
      .map(([key, inner]) => [key, withoutMetadata(inner)]),
  );
}

/** `a.b`, with keys that are not plain words quoted: `"//".metadata.version`, `tags."a.b"`. */
function formatPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return "(the whole document)";
  return segments
    .map((segment, i) => {
      if (typeof segment === "number") return `[${segment}]`;
      const part = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment) ? segment : JSON.stringify(segment);
      return i === 0 ? part : `.${part}`;
    })
    .join("");
}

interface RawDifference {
  readonly segments: readonly (string | number)[];
  readonly left?: unknown;
  readonly right?: unknown;
}

function differencesAt(left: unknown, right: unknown, segments: (string | number)[]): RawDifference[] {
  if (isDeepStrictEqual(left, right)) return [];
  if (isObject(left) && isObject(right)) {
    const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
    return keys.flatMap((key) => {
      const where = [...segments, key];
      if (!(key in right)) return [{ segments: where, left: left[key] }];
      if (!(key in left)) return [{ segments: where, right: right[key] }];
      return differencesAt(left[key], right[key], where);
    });
  }
  if (Array.isArray(left) && Array.isArray(right)) {
    const out: RawDifference[] = [];
    for (let i = 0; i < Math.max(left.length, right.length); i++) {
      const where = [...segments, i];
      if (i >= right.length) out.push({ segments: where, left: left[i] });
      else if (i >= left.length) out.push({ segments: where, right: right[i] });
      else out.push(...differencesAt(left[i], right[i], where));
    }
    return out;
  }
  return [{ segments, left, right }];
}

const toDifference = ({ segments, left, right }: RawDifference): JsonDifference => ({
  path: formatPath(segments),
  ...(left === undefined ? {} : { left }),
  ...(right === undefined ? {} : { right }),
});

/** Every path where `left` and `right` differ: changed values, and keys or items on one side only. */
export function jsonDifferences(left: unknown, right: unknown): JsonDifference[] {
  return differencesAt(left, right, []).map(toDifference);
}

/**
 * Compares two synthesized cdk.tf.json documents (parsed): a difference at or under a `"//"` key is metadata;
 * any other is a real difference (a resource present on one side only counts whole, its metadata with it).
 */
export function compareStack(left: unknown, right: unknown): StackComparison {
  const all = differencesAt(left, right, []);
  const isMetadata = (d: RawDifference) => d.segments.includes(METADATA_KEY);
  const differences = all.filter((d) => !isMetadata(d)).map(toDifference);
  const metadataDifferences = all.filter(isMetadata).map(toDifference);
  return { same: differences.length === 0, differences, metadataDifferences };
}

/** A value as one line of JSON, cut at `width` characters. */
export function shortJson(value: unknown, width = 160): string {
  const text = value === undefined ? "(absent)" : JSON.stringify(value);
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/**
 * A readable diff of one stack: a heading, then per difference its path and the two values, `-` for the first
 * framework and `+` for the second, at most `limit` of them.
 */
export function formatDifferences(
  stack: string,
  differences: readonly JsonDifference[],
  names: readonly [string, string] = ["cdktf", "cdktn"],
  limit = 40,
): string[] {
  if (differences.length === 0) return [];
  const lines = [
    `${stack}: ${differences.length} difference${differences.length === 1 ? "" : "s"} outside the framework metadata`,
  ];
  for (const difference of differences.slice(0, limit)) {
    lines.push(`  ${difference.path}`);
    if (difference.left !== undefined) lines.push(`    - ${names[0]}: ${shortJson(difference.left)}`);
    else lines.push(`    - ${names[0]}: (absent)`);
    if (difference.right !== undefined) lines.push(`    + ${names[1]}: ${shortJson(difference.right)}`);
    else lines.push(`    + ${names[1]}: (absent)`);
  }
  if (differences.length > limit) lines.push(`  … and ${differences.length - limit} more`);
  return lines;
}

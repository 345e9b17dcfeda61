/** How the planner and its front ends show numbers and values in messages and tables. */

/** A number as people read it: integers as they are, fractions to at most two decimals. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
}

/** Shows a received value in a message: numbers as typed, strings quoted, a missing value as "nothing". */
export function formatValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  return JSON.stringify(value) ?? String(value);
}

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

/** How a table column is aligned. */
export type ColumnAlign = "left" | "right";

/**
 * Rows of cells as aligned text lines, two spaces between columns and no trailing blanks. Columns without an
 * entry in `align` are left-aligned.
 */
export function formatTable(rows: readonly (readonly string[])[], align: readonly ColumnAlign[]): string[] {
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, column) =>
    Math.max(...rows.map((row) => (row[column] ?? "").length)),
  );
  return rows.map((row) =>
    row
      .map((cell, column) =>
        align[column] === "right" ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd(),
  );
}

/** How a rehearsal spreads sessions over shards and orders their arrivals. Pure. */

/**
 * Splits `total` into whole shares proportional to `weights` (largest remainder; ties go to the lower
 * position). All-zero weights split evenly.
 */
export function spreadByWeight(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const effective = sum > 0 ? weights : weights.map(() => 1);
  const effectiveSum = sum > 0 ? sum : weights.length;
  const exact = effective.map((weight) => (total * weight) / effectiveSum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, position) => ({ position, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.position - b.position);
  for (const { position } of byRemainder) {
    if (left === 0) break;
    shares[position] += 1;
    left -= 1;
  }
  return shares;
}

/**
 * The order of arrivals: position i appears counts[i] times, spaced evenly through the sequence, so every
 * shard ramps at its share of the overall rate (the k-th arrival of a shard with c sessions sits at (k + ½) / c).
 */
export function arrivalOrder(counts: readonly number[]): number[] {
  const slots: { at: number; position: number }[] = [];
  counts.forEach((count, position) => {
    for (let k = 0; k < count; k += 1) slots.push({ at: (k + 0.5) / count, position });
  });
  slots.sort((a, b) => a.at - b.at || a.position - b.position);
  return slots.map((slot) => slot.position);
}

/** The nearest-rank percentile (0 < p <= 100) of `values`, or undefined when there are none. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

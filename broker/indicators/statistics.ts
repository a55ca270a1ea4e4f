// Order statistics for durations: the median and p90 by linear interpolation (as percentile_cont).

/** The q-quantile (0..1) of `values`, interpolated between neighbours; undefined when empty. */
export function quantile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (position - below);
}

/** Rounds to one decimal, as figures are published. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

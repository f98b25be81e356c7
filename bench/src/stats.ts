/** Latency statistics for the bench table. */

/** Upper bounds (ms) of the printed latency histogram's buckets; the last bucket is open. */
export const HISTOGRAM_BOUNDS_MS = [0.5, 1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100, 250, 500, 1000] as const;

/** Percentiles and a histogram of a latency sample. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
  /** Count per bucket of {@link HISTOGRAM_BOUNDS_MS} (+ one for "above the last bound"). */
  histogram: number[];
}

/** Summarises `values` (ms); sorts a copy. */
export function summarize(values: Float64Array | number[]): LatencySummary {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  const at = (q: number) => (count === 0 ? 0 : sorted[Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1))]!);
  const histogram = new Array<number>(HISTOGRAM_BOUNDS_MS.length + 1).fill(0);
  let sum = 0;
  let b = 0;
  for (const v of sorted) {
    sum += v;
    while (b < HISTOGRAM_BOUNDS_MS.length && v > HISTOGRAM_BOUNDS_MS[b]!) b++;
    histogram[b]!++;
  }
  return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: count ? sorted[count - 1]! : 0, mean: count ? sum / count : 0, histogram };
}

/** The median of a few numbers. */
export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One line of histogram text, e.g. `≤1ms 12% ▇▇▇ …`. */
export function histogramLines(summary: LatencySummary): string[] {
  const total = summary.count || 1;
  const lines: string[] = [];
  summary.histogram.forEach((n, i) => {
    if (n === 0) return;
    const label = i < HISTOGRAM_BOUNDS_MS.length ? `≤${HISTOGRAM_BOUNDS_MS[i]} ms` : `>${HISTOGRAM_BOUNDS_MS[HISTOGRAM_BOUNDS_MS.length - 1]} ms`;
    const pct = (100 * n) / total;
    lines.push(`${label.padStart(10)} ${pct.toFixed(1).padStart(5)}% ${'█'.repeat(Math.max(pct >= 0.5 ? 1 : 0, Math.round(pct / 2)))}`);
  });
  return lines;
}

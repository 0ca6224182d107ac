/** One benchmark figure, printed as one JSON line (names and goals: ../shared/BENCHMARKS.md). */
export interface BenchResult {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: string;
  readonly ratio?: number;
  readonly goal?: string;
}

export function emit(result: BenchResult): void {
  const rounded = {
    ...result,
    value: round(result.value),
    ...(result.ratio === undefined ? {} : { ratio: round(result.ratio) }),
  };
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** Progress and diagnostics go to stderr so stdout stays one JSON line per result. */
export function note(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function round(n: number): number {
  return Number(n.toPrecision(4));
}

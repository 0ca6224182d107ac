/** One benchmark figure, printed as one JSON line; names, units and goals are those of bench/README.md. */
export interface BenchResult {
  readonly bench: string;
  readonly metric: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: string;
  readonly ratio?: number;
  readonly goal?: string;
  /** The measurements the value summarises: their count and p25–p75 are printed beside it. */
  readonly samples?: readonly number[];
}

export function emit(result: BenchResult): void {
  const { samples, ...figure } = result;
  const rounded = {
    ...figure,
    value: round(figure.value),
    ...(figure.ratio === undefined ? {} : { ratio: round(figure.ratio) }),
    ...(samples && samples.length > 0 ? { samples: samples.length, p25: round(percentile(samples, 25)), p75: round(percentile(samples, 75)) } : {}),
  };
  process.stdout.write(`${JSON.stringify(rounded)}\n`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? 0;
}

/** One measurement of each path, back to back, the order alternating with `round`, so both see the same drift. */
export async function pair(round: number, ours: () => Promise<number>, baseline: () => Promise<number>): Promise<{ ours: number; baseline: number }> {
  if (round % 2 === 0) {
    const b = await baseline();
    return { ours: await ours(), baseline: b };
  }
  const o = await ours();
  return { ours: o, baseline: await baseline() };
}

/** Progress and diagnostics go to stderr so stdout stays one JSON line per result. */
export function note(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function round(n: number): number {
  return Number(n.toPrecision(4));
}

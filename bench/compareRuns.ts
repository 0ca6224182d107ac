import * as z from 'zod/mini';

/** One result line as bench/result.ts prints it. */
const ResultLine = z.object({
  bench: z.string(),
  metric: z.string(),
  value: z.number(),
  unit: z.string(),
  baseline: z.optional(z.string()),
  ratio: z.optional(z.number()),
  goal: z.optional(z.string()),
  samples: z.optional(z.number()),
  p25: z.optional(z.number()),
  p75: z.optional(z.number()),
});
export type ResultLine = z.infer<typeof ResultLine>;

/**
 * The result lines of one `npm run bench` output. Anything else in the file (a shell prompt, stderr mixed in) is
 * skipped rather than fatal: the file is whatever the person running the bench saved.
 */
export function parseRun(text: string): ResultLine[] {
  return text.split('\n').flatMap((line) => {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) return [];
    try {
      const parsed = ResultLine.safeParse(JSON.parse(trimmed));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

/**
 * Whether a figure meets its goal as bench/README.md writes goals: "<=5" on the value, "ratio<=1.3" on the ratio,
 * ">=50000", "ratio>=0.9". Undefined when there is no goal, or it is written in a way this does not read.
 */
export function meetsGoal(line: ResultLine): boolean | undefined {
  const goal = /^(ratio)?(<=|>=)(-?\d+(?:\.\d+)?)$/.exec(line.goal ?? '');
  if (!goal) return undefined;
  const figure = goal[1] === 'ratio' ? line.ratio : line.value;
  if (figure === undefined) return undefined;
  const bound = Number(goal[3]);
  return goal[2] === '<=' ? figure <= bound : figure >= bound;
}

/** The figure a goal is about: the ratio for a ratio goal, else the value. */
function goalFigure(line: ResultLine): number {
  return line.goal?.startsWith('ratio') === true && line.ratio !== undefined ? line.ratio : line.value;
}

/** How far apart two runs' figures are, as a share of the smaller magnitude (0.1 = 10 %). */
export function spread(a: number, b: number): number {
  if (a === b) return 0;
  const smaller = Math.min(Math.abs(a), Math.abs(b));
  return smaller === 0 ? Number.POSITIVE_INFINITY : Math.abs(a - b) / smaller;
}

function figureText(line: ResultLine | undefined): string {
  if (!line) return '—';
  const ratio = line.ratio === undefined || line.unit === 'ratio' ? '' : ` (ratio ${String(line.ratio)})`;
  const samples = line.samples === undefined ? '' : `; n=${String(line.samples)}, p25–p75 ${String(line.p25)}–${String(line.p75)}`;
  return `${String(line.value)} ${line.unit}${ratio}${samples}`;
}

function metText(line: ResultLine | undefined): string {
  const met = line ? meetsGoal(line) : undefined;
  return met === undefined ? '—' : met ? 'yes' : 'no';
}

/**
 * Two runs side by side as a Markdown table: each metric of either run, its goal, whether each run met it, and how
 * far apart the runs are on the figure the goal is about. The issue asks that two runs in a row agree within 10 %.
 */
export function sideBySide(first: readonly ResultLine[], second: readonly ResultLine[]): string {
  const key = (l: ResultLine): string => `${l.bench}.${l.metric}`;
  const names = [...new Set([...first.map(key), ...second.map(key)])];
  const rows = names.map((name) => {
    const a = first.find((l) => key(l) === name);
    const b = second.find((l) => key(l) === name);
    const apart = a && b ? `${(spread(goalFigure(a), goalFigure(b)) * 100).toFixed(0)} %` : '—';
    return `| ${name} | ${figureText(a)} | ${figureText(b)} | ${a?.goal ?? b?.goal ?? '—'} | ${metText(a)} / ${metText(b)} | ${apart} |`;
  });
  return ['| metric | run 1 | run 2 | goal | met 1 / 2 | runs differ |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

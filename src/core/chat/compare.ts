import { formatCost } from './badge';
import type { TurnBadge } from './runTurn';

/** One compared configuration: its answer's badge and text, or why it gave none. */
export type CompareOutcome =
  | { readonly name: string; readonly ok: true; readonly result: TurnBadge & { readonly text: string } }
  | { readonly name: string; readonly ok: false; readonly error: string };

/** How much of an answer's first line the table shows: enough to tell the answers apart at a glance. */
const FIRST_LINE_MAX = 80;

/** The first line with words in it, without Markdown heading or list marks, shortened to fit a table cell. */
export function firstLine(text: string): string {
  const line = text.split('\n').map((l) => l.replace(/^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)/, '').trim()).find((l) => /\w/.test(l)) ?? '';
  return line.length > FIRST_LINE_MAX ? `${line.slice(0, FIRST_LINE_MAX - 1)}…` : line;
}

/** A table cell: pipes and line breaks would end the cell or the row. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

/**
 * The compact comparison that ends `/compare`: one row per configuration with model, tokens, cost, latency and the
 * first line of its answer (or its error), so the answers above can be weighed side by side.
 */
export function compareTable(outcomes: readonly CompareOutcome[]): string {
  const rows = outcomes.map((o) => {
    if (!o.ok) return [o.name, '—', '—', '—', '—', `⚠ ${o.error}`];
    const r = o.result;
    return [
      o.name,
      r.member?.model ?? '—',
      r.usage ? `${String(r.usage.input)}/${String(r.usage.output)}` : 'n/a',
      formatCost(r.costUsd),
      `${String(Math.round(r.latencyMs))} ms`,
      firstLine(r.text) || '(empty answer)',
    ];
  });
  // Short headers: the Chat view is often a narrow side bar, where long ones wrap the table into tall rows.
  const header = ['Configuration', 'Model', 'Tokens', 'Cost', 'Latency', 'First line'];
  return [header, header.map(() => '---'), ...rows].map((row) => `| ${row.map(cell).join(' | ')} |`).join('\n');
}

import * as assert from 'node:assert/strict';
import { compareTable, firstLine, type TurnBadge } from '../../../src/core/chat';

const result = (text: string, extra: Partial<{ costUsd: number; usage: { input: number; output: number } }> = {}): TurnBadge & { text: string } => ({
  text,
  member: { configurationId: 'c1', name: 'Work', provider: 'openai', model: 'gpt-4o-mini' },
  usage: extra.usage ? { ...extra.usage, cached: 0 } : undefined,
  costUsd: extra.costUsd,
  latencyMs: 812.4,
  ttftMs: undefined,
  fallbackReason: undefined,
  finish: undefined,
});

describe('/compare\'s comparison table', () => {
  it('takes the first line with words, without heading or list marks, shortened for a cell', () => {
    assert.equal(firstLine('\n\n## Harmony Day\n\nText'), 'Harmony Day');
    assert.equal(firstLine('---\n- first point\n- second'), 'first point');
    assert.equal(firstLine(''), '');
    const long = firstLine('x'.repeat(200));
    assert.equal(long.length, 80);
    assert.ok(long.endsWith('…'));
  });

  it('has one row per configuration with model, tokens, cost, latency and first line, or the error', () => {
    const table = compareTable([
      { name: 'Work', ok: true, result: result('# Harmony Day\nA day for…', { usage: { input: 16, output: 300 }, costUsd: 0.000182 }) },
      { name: 'Local', ok: true, result: result('Answer', { costUsd: 0 }) },
      { name: 'Broken', ok: false, error: 'The key was refused (401).' },
    ]);
    const lines = table.split('\n');
    assert.equal(lines.length, 5);
    assert.equal(lines[0], '| Configuration | Model | Tokens | Cost | Latency | First line |');
    assert.equal(lines[2], '| Work | gpt-4o-mini | 16/300 | $0.00018 | 812 ms | Harmony Day |');
    assert.equal(lines[3], '| Local | gpt-4o-mini | n/a | $0.00 | 812 ms | Answer |');
    assert.equal(lines[4], '| Broken | — | — | — | — | ⚠ The key was refused (401). |');
  });

  it('escapes what would break the table: pipes in names and answers, line breaks in errors', () => {
    const table = compareTable([
      { name: 'A|B', ok: true, result: result('x | y') },
      { name: 'C', ok: false, error: 'line one\nline two' },
    ]);
    const lines = table.split('\n');
    assert.equal(lines.length, 4);
    assert.ok(lines[2]?.startsWith('| A\\|B |'));
    assert.ok(lines[2]?.includes('x \\| y'));
    assert.ok(lines[3]?.endsWith('⚠ line one line two |'));
  });
});

import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Where a rule is left open: every rule after it would be read as nested in it, and the browser drops them. */
function unclosedRules(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const problems: string[] = [];
  const open: { line: number; atRule: boolean }[] = [];
  let line = 1;
  let selector = '';
  for (const ch of text) {
    if (ch === '\n') line++;
    if (ch === '{') {
      const parent = open.at(-1);
      // Only at-rules (@media, @supports, @keyframes) hold rules; a style rule inside a style rule is a missing "}".
      if (parent && !parent.atRule) problems.push(`line ${String(line)}: "${selector.trim()}" opens inside the rule of line ${String(parent.line)}`);
      open.push({ line, atRule: selector.trim().startsWith('@') });
      selector = '';
    } else if (ch === '}') {
      open.pop();
      selector = '';
    } else if (ch === ';') {
      selector = '';
    } else {
      selector += ch;
    }
  }
  for (const rule of open) problems.push(`line ${String(rule.line)}: never closed`);
  return problems;
}

describe('the stylesheets', () => {
  it('close every rule, so no later rule is dropped (the dashboard\'s table scrolling was, once)', () => {
    const folder = join(root, 'media');
    for (const name of readdirSync(folder).filter((f) => f.endsWith('.css'))) {
      assert.deepEqual(unclosedRules(readFileSync(join(folder, name), 'utf8')), [], name);
    }
    assert.deepEqual(unclosedRules('.a { color: red;\n.b { color: blue; }'), ['line 2: ".b" opens inside the rule of line 1', 'line 1: never closed']);
  });
});

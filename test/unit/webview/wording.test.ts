import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type * as ChatStringTypes from '../../../webview/chat/strings';
import type * as EditStringTypes from '../../../webview/editStrings';
import type * as RouteGroupStringTypes from '../../../webview/routeGroupStrings';
import type * as StringTypes from '../../../webview/strings';
import { seed } from '../../../src/core/providers/fields';
import * as z from 'zod/mini';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Browser code outside the test build: bundled on the fly (the strings need no DOM). */
function load(path: string[]): unknown {
  const [output] = buildSync({ entryPoints: [join(root, ...path)], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'strings-')), 'module.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as unknown;
}

/** Words that keep their capital inside a sentence-case label: names, acronyms, units. */
const PROPER = new Set(['VS', 'Code', 'API', 'URL', 'USD', 'UTC', 'CSV', 'JSON', 'HTTP', 'Ollama', 'Gemini', 'Google', 'OpenAI', 'OpenRouter', 'LiteLLM', 'AI', 'Studio', 'P', 'K', 'ID', 'PNG', 'JPEG', 'GIF', 'WebP', 'X-Title', 'HTTP-Referer', 'Shift+Enter', 'Enter', 'Authorization', 'X-Auth-Token', 'Bearer', 'M', 'MTok', 'Model', 'Manager']);

/** Every plain string (a label, a heading, a button) of a strings module, with its path. */
function labels(value: unknown, path: string): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => labels(inner, `${path}.${key}`));
}

describe('the webview\'s wording', () => {
  const { strings, dashboardStrings, fieldLabels } = load(['webview', 'strings.ts']) as typeof StringTypes;
  const { strings: chat } = load(['webview', 'chat', 'strings.ts']) as typeof ChatStringTypes;
  const { editStrings } = load(['webview', 'editStrings.ts']) as typeof EditStringTypes;
  const { routeGroupStrings } = load(['webview', 'routeGroupStrings.ts']) as typeof RouteGroupStringTypes;

  it('labels, buttons and headings are in sentence case ("Add configuration", "Insert at cursor"), as VS Code\'s guidelines ask of webviews', () => {
    const all = [
      ...labels(strings, 'strings'), ...labels(dashboardStrings, 'dashboardStrings'), ...labels(fieldLabels, 'fieldLabels'),
      ...labels(chat, 'chat'), ...labels(editStrings, 'editStrings'), ...labels(routeGroupStrings, 'routeGroupStrings'),
    ];
    // A label is short and ends without a full stop; a sentence's capitals (after ". ") are its own.
    const offending = all.filter(([, text]) => !/[.:!?]\s/.test(text) && !text.endsWith('.')).filter(([, text]) =>
      text.split(/\s+/).slice(1).some((word) => /^[A-Z]/.test(word.replace(/^[("“]/, '')) && !PROPER.has(word.replace(/^[("“]|[)"”,…:]+$/g, ''))),
    );
    assert.deepEqual(offending, [], 'Title Case labels in the webview');
    assert.equal(strings.changeBudget, 'Change budget…');
    assert.equal(chat.insert, 'Insert at cursor');
    assert.equal(chat.attachImage, 'Attach image');
  });

  it('a count agrees with its noun: "(1 request)", never "(1 requests)"', () => {
    assert.equal(dashboardStrings.gatewayLocal('$0.25', 1), 'From here in this period: $0.25 (1 request)');
    assert.equal(dashboardStrings.gatewayLocal('$0.50', 2), 'From here in this period: $0.50 (2 requests)');
    assert.equal(dashboardStrings.gatewayLocal('$0.00', 0), 'From here in this period: $0.00 (0 requests)');
  });

  it('the seed\'s hint and its errors state its range as ±(2^53 − 1), not ±9007199254740991', () => {
    const hint = strings.range(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    assert.equal(hint, 'from −(2^53 − 1) to 2^53 − 1');
    const field = seed(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    const refused = z.safeParse(field, 2 ** 60);
    if (refused.success) assert.fail('2^60 is outside the seed\'s range');
    const message = refused.error.issues.map((i) => i.message).join(' ');
    assert.doesNotMatch(message, /9007199254740991/);
    assert.match(message, /2\^53 − 1/);
    // Ordinary bounds are written as numbers, and an unbounded maximum is not stated.
    assert.equal(strings.range(0, 2), 'from 0 to 2');
    assert.equal(strings.range(1, Number.MAX_VALUE), 'at least 1');
  });

  it('the usage window reads naturally whether or not the user\'s time zone is UTC', () => {
    assert.equal(strings.usageWindow('1 Dec 00:00', '1 Jan 00:00', '1 Dec 00:00', '1 Jan 00:00'), 'Counted in UTC days: 1 Dec 00:00 to 1 Jan 00:00 UTC (your time zone is UTC too).');
    assert.equal(
      strings.usageWindow('1 Dec 00:00', '1 Jan 00:00', '1 Dec 01:00', '1 Jan 01:00'),
      'Counted in UTC days: 1 Dec 00:00 to 1 Jan 00:00 UTC; in your time zone that is 1 Dec 01:00 to 1 Jan 01:00.',
    );
  });
});

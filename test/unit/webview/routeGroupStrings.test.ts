import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type * as StringTypes from '../../../webview/routeGroupStrings';

const root = resolve(__dirname, '..', '..', '..', '..');

/** Browser code outside the test build: bundled on the fly (the strings need no DOM). */
function load(path: string[]): unknown {
  const [output] = buildSync({ entryPoints: [join(root, ...path)], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'strings-')), 'module.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as unknown;
}

describe('the Route groups screen\'s test result', () => {
  const { routeGroupStrings: s } = load(['webview', 'routeGroupStrings.ts']) as typeof StringTypes;

  it('counts the other members that could not answer, not "attempts" (a member may be retried within itself)', () => {
    assert.equal(s.answered('Backup', 'gpt-4o-mini', 1), 'Backup (gpt-4o-mini) answered.');
    assert.equal(s.answered('Backup', 'gpt-4o-mini', 2), 'Backup (gpt-4o-mini) answered, after 1 other member could not.');
    assert.equal(s.answered('Third', 'llama3.2', 3), 'Third (llama3.2) answered, after 2 other members could not.');
  });

  it('names the states a member shares with its configuration', () => {
    assert.equal(s.states['key-locked'], 'key cannot be opened');
    assert.equal(s.states.unreachable, 'unreachable');
    assert.equal(s.states.failed, 'last test failed');
  });
});

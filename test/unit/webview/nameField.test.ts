import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import type * as FormTypes from '../../../webview/components/form';

const root = resolve(__dirname, '..', '..', '..', '..');

/** The form helpers are browser code outside the test build: bundled on the fly (nameError needs no DOM). */
function loadForm(): typeof FormTypes {
  const [output] = buildSync({ entryPoints: [join(root, 'webview', 'components', 'form.ts')], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'form-')), 'form.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as typeof FormTypes;
}

describe("the editor's name field", () => {
  it('checks the one name rule as the user types, in the webview\'s own words', () => {
    const { nameError } = loadForm();
    assert.equal(nameError('Work OpenAI'), undefined);
    assert.equal(nameError('  '), 'enter a name');
    assert.equal(nameError(' ', 'name the group'), 'name the group');
    assert.equal(nameError('x'.repeat(81)), 'at most 80 characters (this one has 81)');
    assert.match(nameError('Invoice\u202Etxt.exe') ?? '', /^contains U\+202E, a control or text-direction character/);
    assert.match(nameError('two\nlines') ?? '', /^contains U\+000A/);
  });
});

import * as assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const root = resolve(__dirname, '..', '..', '..', '..');

/** The webview build options esbuild.mjs uses for the VSIX (one module both read, so they cannot drift apart). */
const { webviewOptions } = createRequire(__filename)(join(root, 'scripts', 'webview-build.js')) as { webviewOptions: BuildOptions };

/** The two pages built as esbuild.mjs builds them for the VSIX (minified), kept in memory. */
async function pages(): Promise<Metafile> {
  const result = await build({
    ...webviewOptions,
    absWorkingDir: root,
    outdir: join(root, 'out', 'bundle-budget'),
    minify: true,
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  return result.metafile;
}

function entryOf(meta: Metafile, entry: string): string {
  return Object.keys(meta.outputs).find((f) => f.endsWith(`/${entry}.js`)) ?? '';
}

/**
 * What a page loads for its first screen: its entry, the app the entry imports once the page has loaded, and every
 * chunk those import statically.
 */
function firstLoad(meta: Metafile, entry: string): { kb: number; inputs: Set<string> } {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  const start = entryOf(meta, entry);
  visit(start);
  for (const i of meta.outputs[start]?.imports ?? []) if (i.kind === 'dynamic-import') visit(i.path);
  const inputs = new Set([...seen].flatMap((f) => Object.keys(meta.outputs[f]?.inputs ?? {})));
  return { kb: [...seen].reduce((sum, f) => sum + (meta.outputs[f]?.bytes ?? 0), 0) / 1024, inputs };
}

describe('the webview pages\' first-paint JavaScript (budgets of bench/README.md)', () => {
  let meta: Metafile;
  before(async function () {
    this.timeout(60_000);
    meta = await pages();
  });

  it('the editor loads the list only: the other screens and the dashboard are chunks of their own, under 150 KB in all', () => {
    const editor = firstLoad(meta, 'main');
    for (const lazy of ['/AddNewConfiguration.tsx', '/EditConfiguration.tsx', '/TemplatePicker.tsx', '/RouteGroups.tsx', '/UsageDashboard.tsx', 'node_modules/uplot/']) {
      assert.deepEqual([...editor.inputs].filter((i) => i.includes(lazy)), [], `${lazy} should not load before the editor's first paint`);
    }
    assert.ok(editor.kb <= 150, `the editor loads ${editor.kb.toFixed(1)} KB before its first paint`);
  });

  // VS Code shows a webview's frame once the page has loaded (or after 200 ms); a script fetched before that holds it back.
  for (const entry of ['main', 'chat']) {
    it(`the ${entry === 'main' ? 'editor' : 'chat'} page's script holds back nothing: it imports no chunk before the page has loaded, and its app after`, () => {
      const file = entryOf(meta, entry);
      const output = meta.outputs[file];
      assert.ok(output, `no ${entry}.js in the build`);
      assert.deepEqual(output.imports.filter((i) => i.kind !== 'dynamic-import').map((i) => i.path), [], `${entry}.js imports chunks before the page has loaded`);
      assert.equal(output.imports.length, 1, `${entry}.js should import exactly its app`);
      assert.ok(output.bytes < 1024, `${entry}.js is ${String(output.bytes)} bytes: the page's load waits for it`);
    });
  }

  it('the chat page loads under 100 KB, without the elements it does not use', () => {
    const chat = firstLoad(meta, 'chat');
    assert.deepEqual([...chat.inputs].filter((i) => /vscode-textfield|vscode-progress-ring|webview\/components\//.test(i)), []);
    assert.ok(chat.kb <= 100, `the chat page loads ${chat.kb.toFixed(1)} KB before its first paint`);
  });
});

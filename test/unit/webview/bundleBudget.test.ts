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

/** A page's entry and every chunk it imports statically: what it loads before its first screen. */
function firstLoad(meta: Metafile, entry: string): { kb: number; inputs: Set<string> } {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const i of meta.outputs[file]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(Object.keys(meta.outputs).find((f) => f.endsWith(`/${entry}.js`)) ?? '');
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

  it('the chat page loads under 100 KB, without the elements it does not use', () => {
    const chat = firstLoad(meta, 'chat');
    assert.deepEqual([...chat.inputs].filter((i) => /vscode-textfield|vscode-progress-ring|webview\/components\//.test(i)), []);
    assert.ok(chat.kb <= 100, `the chat page loads ${chat.kb.toFixed(1)} KB before its first paint`);
  });
});

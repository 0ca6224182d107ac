import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const root = resolve(__dirname, '..', '..', '..', '..');

/** The host bundles' build options esbuild.mjs uses (one module both read, so they cannot drift apart). */
const { extensionOptions, commandsOptions } = createRequire(__filename)(join(root, 'scripts', 'extension-build.js')) as { extensionOptions: BuildOptions; commandsOptions: BuildOptions };

/** One bundle built as esbuild.mjs builds it for the VSIX (minified), kept in memory. */
async function bundle(options: BuildOptions): Promise<{ readonly kb: number; readonly inputs: string[]; readonly text: string }> {
  const result = await build({ ...options, absWorkingDir: root, minify: true, sourcemap: false, metafile: true, write: false, logLevel: 'silent' });
  const meta: Metafile = result.metafile;
  const output = Object.entries(meta.outputs).find(([file]) => file.endsWith('.js'))?.[1];
  assert.ok(output, `${String(options.outfile)} was not built`);
  const text = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
  return { kb: output.bytes / 1024, inputs: Object.keys(output.inputs), text };
}

describe('what activation parses: dist/extension.js, with every command in dist/commands.js', () => {
  let extension: { readonly kb: number; readonly inputs: string[]; readonly text: string };
  let commands: { readonly kb: number; readonly inputs: string[]; readonly text: string };
  before(async function () {
    this.timeout(60_000);
    [extension, commands] = await Promise.all([bundle(extensionOptions), bundle(commandsOptions)]);
  });

  it('holds no command handler, prompt, panel, message schema or chat provider: those load on first use', () => {
    const loadedLater = extension.inputs.filter((i) => /src\/host\/(commands\/(?!onFirstCall)|panel\/|prompts|routeGroupPrompts|chat\/(LanguageModelProvider|ModelsParticipant))|src\/panelHandlers\/|node_modules\/zod\//.test(i));
    assert.deepEqual(loadedLater, []);
    assert.ok(commands.inputs.some((i) => i.endsWith('src/host/commands/configurationCommands.ts')), 'the commands bundle should hold the handlers');
    assert.ok(extension.inputs.some((i) => i.endsWith('src/host/commands/onFirstCall.ts')), 'activation should register the stand-ins');
    assert.ok(extension.kb < 60, `dist/extension.js is ${extension.kb.toFixed(1)} KB`);
  });

  it('shares no module that keeps state with the commands bundle, but the prompt seam activate() tells about answers', () => {
    // Each bundle has its own copy of what both import: a module with a slot (a panel's single instance) must live in one.
    // core/noticeGate keeps its one gate on globalThis, which both copies share (its unit test loads a second copy).
    const shared = commands.inputs.filter((i) => extension.inputs.includes(i));
    const stateless = /^vscode-once:vscode$|src\/(core\/(lifecycle|errors|noticeGate|providers\/(presets|displayNames))|protocol\/money|host\/(budgetStop|counts|features|keyDestination|promptSeam|chat\/ids|endpoint\/clientText|views\/(auditLogDocument|ollamaDetailsDocuments|gatewayBudgetText)|webview\/(page|pages|registration)))\.ts$/;
    assert.deepEqual(shared.filter((i) => !stateless.test(i)), []);
  });

  it('requires VS Code\'s API once per bundle: every file shares one namespace object, not a copy of 200+ names each', () => {
    // A copy per importing file made loading dist/extension.js take about 15 ms of activation (29 copies).
    for (const [name, built] of [['dist/extension.js', extension], ['dist/commands.js', commands]] as const) {
      assert.equal(built.text.split('require("vscode")').length - 1, 1, `${name} requires "vscode" more than once`);
    }
  });
});

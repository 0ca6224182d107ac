import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

describe('the packaged .vsix, installed into the real VS Code server', () => {
  it('is loaded from the extensions folder, not from the source tree', () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    assert.ok(extension, 'the installed extension is not known to VS Code');
    assert.match(extension.extensionPath, /[/\\]extensions[/\\]modelmanager\.model-manager-\d+\.\d+\.\d+/);
    assert.equal(existsSync(join(extension.extensionPath, 'src')), false, 'the VSIX should not carry the sources');
    assert.equal(existsSync(join(extension.extensionPath, 'node_modules')), false, 'the VSIX should carry only the bundle');
    assert.ok(existsSync(join(extension.extensionPath, 'dist', 'extension.js')));
  });

  it('ships no source maps, and every webview chunk the pages import', () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    assert.ok(extension);
    const files = readdirSync(extension.extensionPath, { recursive: true, encoding: 'utf8' });
    assert.deepEqual(files.filter((f) => f.endsWith('.map')), []);
    const webview = join(extension.extensionPath, 'dist', 'webview');
    const imported = files
      .filter((f) => /^dist[/\\]webview[/\\].*\.js$/.test(f))
      .flatMap((f) => [...readFileSync(join(extension.extensionPath, f), 'utf8').matchAll(/(?:from|import)\s*\(?"\.{1,2}\/([^"]+\.js)"/g)].map((m) => join(dirname(join(extension.extensionPath, f)), m[1] ?? '')));
    assert.ok(imported.length > 0, 'the editor page should import chunks');
    assert.deepEqual(imported.filter((path) => !existsSync(path)).map((path) => path.slice(webview.length)), []);
  });

  it('registers its commands at activation and loads their handlers from dist/commands.js on the first call', async () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    assert.ok(extension);
    await extension.activate();
    const packaged = join(extension.extensionPath, 'dist', 'commands.js');
    assert.ok(existsSync(packaged), 'the VSIX should carry dist/commands.js');
    // Node keys its module cache by the real path (the test host's folders are reached through a symlink).
    const bundle = realpathSync(packaged);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('modelManager.showLogs'), 'the commands should be registered at activation');
    // The extension host's one module cache: the handlers' bundle is not loaded until a command runs.
    assert.equal(require.cache[bundle], undefined, 'activation should not load the commands');
    const state = await vscode.commands.executeCommand<{ viewType: string; protocolVersion: number }>('modelManager.open');
    assert.equal(state.viewType, 'modelManager.panel', 'the first call should run on the loaded handler and return its result');
    assert.ok(require.cache[bundle], 'the first call should have loaded dist/commands.js');
  });

  it('activates and opens its panel', async () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    await extension?.activate();
    assert.equal(extension?.isActive, true);
    const state = await vscode.commands.executeCommand<{ viewType: string; protocolVersion: number }>('modelManager.open');
    assert.equal(state.viewType, 'modelManager.panel');
    assert.equal(state.protocolVersion, 5);
  });
});

/** Presses Enter in whatever quick input is open until `pending` settles, as a user accepting the offered answers would. */
async function acceptUntilSettled<T>(pending: Thenable<T>): Promise<T> {
  const state = { settled: false };
  const result = Promise.resolve(pending).finally(() => {
    state.settled = true;
  });
  const deadline = performance.now() + 60_000;
  while (!state.settled && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

describe('the packaged .vsix with everything it loads on first use', () => {
  it('creates a configuration from its catalog templates, tests it through its bundled undici and ships a working YAML reader', async function () {
    this.timeout(120_000);
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    assert.ok(extension);
    // Commands take nothing but an id from their caller: the name is asked, offered filled in, and accepted with Enter.
    const created = await acceptUntilSettled(vscode.commands.executeCommand<{ id: string; provider: string; baseUrl: string } | undefined>('modelManager.createFromTemplate', 'builtin:ollama:llama3.2'));
    assert.equal(created?.provider, 'ollama', 'the catalog-seeded templates should be there');

    // A real request to the template's local address: whether an Ollama answers there or not, a result (not a
    // missing-module error) shows that the bundled HTTP client loaded and ran.
    const result = await vscode.commands.executeCommand<{ ok: boolean; latencyMs: number } | undefined>('modelManager.testConnection', created.id);
    assert.ok(result, 'the connection test ran');
    assert.equal(typeof result.latencyMs, 'number');

    const { parse } = (await import(join(extension.extensionPath, 'dist', 'vendor', 'yaml.js'))) as { parse: (text: string) => unknown };
    assert.deepEqual(parse('models:\n  - name: From YAML\n    provider: ollama\n'), { models: [{ name: 'From YAML', provider: 'ollama' }] });
  });

  it('counts tokens with its bundled tokenizer (o200k ranks loaded from dist/vendor by the worker the first count starts)', async function () {
    this.timeout(120_000);
    // The configuration the test above made from the Ollama template: counted as o200k times Ollama's seed ratio.
    let models: vscode.LanguageModelChat[] = [];
    for (let i = 0; i < 200 && models.length === 0; i++) {
      models = await vscode.lm.selectChatModels({ vendor: 'model-manager' });
      if (models.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [model] = models;
    assert.ok(model, 'the configuration is a chat model');
    // The first count starts the worker (dist/tokenCountWorker.js) and is an estimate: 45 characters / 4 × 1.1 = 13.
    // Once the worker has loaded the ranks from dist/vendor the count is exact: 17 o200k tokens × Ollama's 1.1 = 19.
    const text = 'Привет! Как дела? こんにちは、世界。Grüße aus München.';
    const exact = Math.ceil(17 * 1.1);
    let count = await model.countTokens(text);
    for (let i = 0; i < 600 && count !== exact; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      count = await model.countTokens(text);
    }
    assert.equal(count, exact, 'the packaged worker counts o200k exactly');
  });
});

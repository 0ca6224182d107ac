import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

  it('activates and opens its panel', async () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    await extension?.activate();
    assert.equal(extension?.isActive, true);
    const state = await vscode.commands.executeCommand<{ viewType: string; protocolVersion: number }>('modelManager.open');
    assert.equal(state.viewType, 'modelManager.panel');
    assert.equal(state.protocolVersion, 3);
  });
});

describe('the packaged .vsix with everything it loads on first use', () => {
  it('talks to a provider through its bundled undici, imports YAML and reads its model catalog', async () => {
    const { startOpenAIEmulator } = await import('../emulators');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const key = 'sk-vsix-check-5e6f7a8b';
    const emulator = await startOpenAIEmulator({ apiKey: key });
    try {
      const created = await vscode.commands.executeCommand<{ id: string }>('modelManager.addConfiguration', {
        name: 'Packaged check',
        provider: 'openai',
        settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` },
        apiKey: key,
      });
      const result = await vscode.commands.executeCommand<{ ok: boolean; hint: string }>('modelManager.testConnection', created.id, { quiet: true });
      assert.equal(result.ok, true, result.hint);

      const file = join(mkdtempSync(join(tmpdir(), 'mm-vsix-')), 'config.yaml');
      writeFileSync(file, 'models:\n  - name: From YAML\n    provider: ollama\n    model: llama3.2\n');
      const imported = await vscode.commands.executeCommand<{ created: unknown[] }>('modelManager.importConfigurations', vscode.Uri.file(file));
      assert.equal(imported.created.length, 1);

      const fromTemplate = await vscode.commands.executeCommand<{ provider: string } | undefined>('modelManager.createFromTemplate', 'builtin:ollama:llama3.2');
      assert.equal(fromTemplate?.provider, 'ollama', 'the catalog-seeded templates should be there');
    } finally {
      await emulator.close();
    }
  });
});

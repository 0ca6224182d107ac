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
    assert.equal(state.protocolVersion, 1);
  });
});

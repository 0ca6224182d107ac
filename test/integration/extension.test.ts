import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { testApi } from './api';

const EXTENSION_ID = 'modelmanager.model-manager';

interface PanelState {
  viewType: string;
  visible: boolean;
  protocolVersion: number;
}

describe('Model Manager in the real VS Code extension host', () => {
  it('runs inside VS Code 1.139', () => {
    assert.ok(vscode.version.startsWith('1.139.'), `expected VS Code 1.139.x, got ${vscode.version}`);
  });

  it('activates, in Restricted Mode too', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
    // The test workspace is not trusted: the extension declares untrusted-workspace support and must still run.
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('contributes its commands to the palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['modelManager.open', 'modelManager.showLogs']) {
      assert.ok(commands.includes(id), `${id} is not registered`);
    }
  });

  it('opens the Model Manager panel, whose script runs under the strict CSP and greets the host', async () => {
    const state = await vscode.commands.executeCommand<PanelState>('modelManager.open');
    assert.deepEqual(state, { viewType: 'modelManager.panel', visible: true, protocolVersion: 5 });
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const panels = tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('modelManager.panel'));
    assert.equal(panels.length, 1);
  });

  it('reveals the existing panel instead of opening a second one', async () => {
    await vscode.commands.executeCommand('modelManager.open');
    await vscode.commands.executeCommand('modelManager.open');
    const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
    const panels = tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('modelManager.panel'));
    assert.equal(panels.length, 1);
  });

  it('sets up each feature in its own try/catch: one that fails is named, and the ones after it still work', async () => {
    const api = await testApi();
    // A real failure, not a stub: VS Code refuses a command id that is already registered.
    let later: vscode.Disposable | undefined;
    const failed = api.registerFeatures([
      ['a feature whose command is already taken', () => [vscode.commands.registerCommand('modelManager.refresh', () => 'second')]],
      ['a feature after it', () => [(later = vscode.commands.registerCommand('modelManagerTest.afterFailure', () => 'ran'))]],
    ]);
    assert.deepEqual(failed, ['a feature whose command is already taken']);
    assert.equal(await vscode.commands.executeCommand<string>('modelManagerTest.afterFailure'), 'ran');
    later?.dispose();
    // Activation went through the same path: every contributed command is registered.
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.deepEqual(contributed.filter((id) => !registered.has(id)), []);
  });
});

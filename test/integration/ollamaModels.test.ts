import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TreeNode } from '../../src/host/views/ConfigurationsTree';
import { startOllamaEmulator, type OllamaEmulator } from '../emulators';
import { testApi } from './api';
import { pick, press, type, withAnswers } from './prompts';
import { treeItems } from './tree';

describe('Delete Model and Show Model Details on an Ollama server in the real extension host', function () {
  this.timeout(90_000);
  let ollama: OllamaEmulator;
  const session = async () => (await testApi()).services.open();
  const installed = async (): Promise<string[]> => (await treeItems()).filter(({ node }) => node.kind === 'model').map(({ item }) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''))).sort();
  const modelNode = async (id: string): Promise<TreeNode> => {
    const found = (await treeItems()).find(({ node }) => node.kind === 'model' && node.model.id === id);
    assert.ok(found, `the tree should list ${id}`);
    return found.node;
  };

  before(async () => {
    ollama = await startOllamaEmulator();
    const { configurations } = await session();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await configurations.createConfiguration({ name: 'Model shelf', provider: 'ollama', settings: { baseUrl: ollama.url, model: 'gemma3:1b' } });
  });

  after(async () => {
    const { configurations } = await session();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await ollama.close();
  });

  it('offers both on the tree\'s installed-model nodes', () => {
    const menus = (vscode.extensions.getExtension('modelmanager.model-manager')?.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus['view/item/context'] ?? [];
    for (const command of ['modelManager.deleteOllamaModel', 'modelManager.showOllamaModelDetails']) {
      assert.ok(menus.some((m) => m.command === command && m.when?.includes('viewItem == ollamaModel')), command);
    }
  });

  it('shows a model\'s family, parameters, quantisation, context length, capabilities, licence, size and modified date', async () => {
    const markdown = await vscode.commands.executeCommand<string>('modelManager.showOllamaModelDetails', await modelNode('gemma3:1b'));
    for (const expected of ['# gemma3:1b', '| Family | gemma3 |', '| Parameters | 999.89M |', '| Quantisation | Q4\\_K\\_M |', '| Context length | 32,768 tokens |', '| Capabilities | completion |', '| Licence | Gemma Terms of Use |', '| Size on disk | 815.3 MB |', '| Modified | 2025-08-20 13:47 UTC |']) {
      assert.ok(markdown.includes(expected), `the details should hold "${expected}":\n${markdown}`);
    }
    const shown = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'model-manager-ollama');
    assert.equal(shown?.getText(), markdown, 'the details open as a read-only document');
    assert.ok(ollama.requests.some((r) => r.method === 'POST' && r.path === '/api/show'));
  });

  it('asks before deleting, says how much disk it frees, and the tree no longer lists the model', async () => {
    assert.deepEqual(await installed(), ['gemma3:1b', 'llama3.2:latest']);
    const kept = await withAnswers([() => undefined], () => vscode.commands.executeCommand<boolean>('modelManager.deleteOllamaModel', undefined));
    assert.equal(kept, undefined, 'dismissing the server pick deletes nothing');
    const deleted = await withAnswers([press('Delete Model')], async (script) => {
      const outcome = await vscode.commands.executeCommand<boolean>('modelManager.deleteOllamaModel', await modelNode('llama3.2:latest'));
      const question = script.asked[0];
      assert.ok(question?.kind === 'message' && question.options.modal === true, 'a modal confirmation');
      assert.match(question.message, /Delete llama3\.2:latest from "Model shelf"\?/);
      assert.match(question.options.detail ?? '', /frees 2\.0 GB of disk/);
      return outcome;
    });
    assert.equal(deleted, true);
    assert.ok(ollama.requests.some((r) => r.method === 'DELETE' && r.path === '/api/delete'));
    assert.deepEqual(await installed(), ['gemma3:1b'], 'the list is refreshed after a delete');
  });

  it('keeps the model when the confirmation is dismissed, and picks server and model from the palette', async () => {
    const before = ollama.requests.filter((r) => r.method === 'DELETE').length;
    const outcome = await withAnswers([pick('Model shelf'), pick('gemma3:1b'), () => undefined], () => vscode.commands.executeCommand<boolean>('modelManager.deleteOllamaModel'));
    assert.equal(outcome, false);
    assert.equal(ollama.requests.filter((r) => r.method === 'DELETE').length, before);
    assert.deepEqual(await installed(), ['gemma3:1b']);
  });

  it('asks for the server when another extension passes null or a node of another kind, as with no argument', async () => {
    for (const arg of [null, { kind: 'configuration' }, { kind: 'model', configuration: null, model: null }]) {
      const outcome = await withAnswers([() => undefined], async (script) => {
        const result = await vscode.commands.executeCommand<string | undefined>('modelManager.showOllamaModelDetails', arg);
        assert.equal(script.asked[0]?.kind, 'quickPick', `${JSON.stringify(arg)}: the server is asked, not an error shown`);
        return result;
      });
      assert.equal(outcome, undefined);
    }
  });

  it('lists a pulled model right after the pull', async () => {
    const node = await modelNode('gemma3:1b');
    const configurationId = node.kind === 'model' ? node.configuration.id : '';
    await withAnswers([type('llama3.2:latest')], () => vscode.commands.executeCommand('modelManager.pullOllamaModel', configurationId));
    assert.deepEqual(await installed(), ['gemma3:1b', 'llama3.2:latest']);
  });
});

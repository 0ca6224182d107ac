import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestResult } from '../../src/core/providers';
import type { AIConfiguration } from '../../src/core/store';
import type { UsageMetrics } from '../../src/core/usage';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { keyVersionOf } from '../../src/core/crypto/envelope';
import { testApi } from './api';
import { pick, press, type, withAnswers } from './prompts';
import { treeItems } from './tree';
import type { TreeNode } from '../../src/host/views/ConfigurationsTree';

const CANARY = 'sk-canary-commands-31f4a9e2b7c6';

async function itemOf(name: string): Promise<vscode.TreeItem> {
  const found = (await treeItems()).find(({ node }) => node.kind === 'configuration' && node.configuration.name === name);
  assert.ok(found, `no tree item for "${name}"`);
  return found.item;
}

describe('every Model Manager command, end to end against the emulators', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: CANARY });
    ollama = await startOllamaEmulator();
    const { services } = await testApi();
    const { configurations } = await services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
  });

  after(async () => {
    await openai.close();
    await ollama.close();
  });

  let id = '';

  it('adds a configuration from the answers to its questions, which appears in the tree under its provider, never tested', async () => {
    const created = await withAnswers(
      [pick('Other OpenAI-compatible server…'), type('Work OpenAI'), type(`${openai.url}/v1`), type(CANARY), pick('gpt-4o-mini')],
      () => vscode.commands.executeCommand<AIConfiguration>('modelManager.addConfiguration'),
    );
    id = created.id;
    const items = await treeItems();
    assert.ok(items.some(({ node }) => node.kind === 'provider' && node.provider.id === 'openai-compatible'));
    const item = await itemOf('Work OpenAI');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-large-outline');
    assert.match(String(item.description), /gpt-4o-mini/);
  });

  it('tests the connection for real: the item turns to success and the tooltip says when', async () => {
    const result = await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', id);
    assert.equal(result.ok, true, result.hint);
    assert.ok(openai.requests.some((r) => r.path === '/v1/models' && r.headers.authorization === `Bearer ${CANARY}`));
    const item = await itemOf('Work OpenAI');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'pass');
    assert.match((item.tooltip as vscode.MarkdownString).value, /Last test: passed \(/);
  });

  it('edits a setting, refusing a bad value with the provider\'s rule', async () => {
    const updated = await withAnswers([pick('temperature'), type('0.2')], () => vscode.commands.executeCommand<AIConfiguration>('modelManager.editConfiguration', id));
    assert.equal(updated.config.temperature, 0.2);
    let problem: unknown;
    const refused = await withAnswers(
      [
        pick('temperature'),
        async (request) => {
          assert.equal(request.kind, 'inputBox');
          problem = await request.options.validateInput?.('9');
          return undefined;
        },
      ],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.editConfiguration', id),
    );
    assert.equal(refused, undefined);
    assert.match(JSON.stringify(problem), /temperature/, 'the input box names the rule as the value is typed');
    const { services } = await testApi();
    assert.equal((await services.open()).configurations.getConfiguration(id).config.temperature, 0.2);
  });

  it('rotates the key: a wrong key fails the next test with the provider\'s 401, the right one passes again', async () => {
    const rotate = (...answers: Parameters<typeof withAnswers>[0]) => withAnswers(answers, () => vscode.commands.executeCommand<AIConfiguration>('modelManager.rotateApiKey', id));
    await rotate(pick('Enter a new key'), type('sk-wrong-0000'));
    const failed = await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', id);
    assert.equal(failed.ok, false);
    assert.equal(failed.failure?.status, 401);
    const failedItem = await itemOf('Work OpenAI');
    assert.equal((failedItem.iconPath as vscode.ThemeIcon).id, 'error');
    // The hover gives the reason the Test All message promises, and the model as code without escaping backslashes.
    const hover = (failedItem.tooltip as vscode.MarkdownString).value;
    assert.match(hover, /Last test: failed \([^)]*\): OpenAI-compatible API rejected the key \(401 invalid_api_key\)\. Check the key or its project\./);
    assert.ok(hover.includes('**Work OpenAI** — OpenAI-compatible API · `gpt-4o-mini`'), hover);
    assert.doesNotMatch(hover, /gpt\\-4o/);
    await rotate(pick('Enter a new key'), type(CANARY));
    const before = (await (await testApi()).services.open()).configurations.getConfiguration(id).encryptedApiKey ?? '';
    const resealed = await withAnswers([pick('Re-seal the stored key')], async (script) => {
      const result = await vscode.commands.executeCommand<AIConfiguration>('modelManager.rotateApiKey', id);
      const question = script.asked[0];
      assert.ok(question?.kind === 'quickPick');
      // The choice says what happens: a fresh IV under the current key version (a new version is Rotate Encryption Key).
      assert.match(question.items.find((item) => item.label === 'Re-seal the stored key')?.detail ?? '', /fresh random IV under your current key version/);
      return result;
    });
    assert.notEqual(resealed.encryptedApiKey, before, 'a fresh IV');
    assert.equal(keyVersionOf(resealed.encryptedApiKey ?? ''), keyVersionOf(before), 'under the same key version, as the choice says');
    const passed = await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', id);
    assert.equal(passed.ok, true);
  });

  it('shows usage: the connection tests are counted', async () => {
    const { services } = await testApi();
    await (await services.open()).store.flush();
    const usage = await vscode.commands.executeCommand<UsageMetrics>('modelManager.showUsage', id);
    // Three connection tests (one refused with 401), plus the model lists that reached the server (the wizard's, made
    // before the save, counts for the configuration it became; the chat picker's may too).
    assert.ok(usage.requestCount >= 3, `${String(usage.requestCount)} requests`);
    // The refused test is an error; so is any model list the chat picker asked for while the wrong key was set.
    assert.ok(usage.errorCount >= 1 && usage.errorCount < usage.requestCount, `${String(usage.errorCount)} errors`);
    assert.match(((await itemOf('Work OpenAI')).tooltip as vscode.MarkdownString).value, new RegExp(`This month \\(UTC\\): ${String(usage.requestCount)} requests`));
  });

  it('redraws the tree after a new request, so the hover\'s count follows the dashboard\'s, not the last redraw', async () => {
    const { services, tree } = await testApi();
    const session = await services.open();
    // The rows listed, as the view shows them.
    await itemOf('Work OpenAI');
    // A request recorded outside any command (as a chat's is): no test, no refresh of its own.
    await session.usage.recordUsage({ configurationId: id, outcome: 'success', usage: { input: 10, output: 5 } });
    // The hover's count is redrawn about a second after it (a chat records often): its row is, not the whole tree,
    // which makes VS Code forget every row until it has listed them again (an inline action clicked meanwhile reached
    // its command without its row). Other redraws (a health check's) may come first.
    const redrawn = new Promise<TreeNode>((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        reject(new Error('the configuration\'s row was not redrawn within 5 s of a recorded request'));
      }, 5_000);
      const listener = tree.onDidChangeTreeData((changed) => {
        const row = Array.isArray(changed) ? changed.find((node) => node.kind === 'configuration' && node.configuration.id === id) : undefined;
        if (!row) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(row);
      });
    });
    const row = await redrawn;
    await session.store.flush();
    const usage = await vscode.commands.executeCommand<UsageMetrics>('modelManager.showUsage', id);
    const count = new RegExp(`This month \\(UTC\\): ${String(usage.requestCount)} requests`);
    assert.match((tree.getTreeItem(row).tooltip as vscode.MarkdownString).value, count);
    assert.match(((await itemOf('Work OpenAI')).tooltip as vscode.MarkdownString).value, count);
  });

  it('duplicates, sets active, selects the active model, and tests them all', async () => {
    const copy = await vscode.commands.executeCommand<AIConfiguration>('modelManager.duplicateConfiguration', id);
    assert.equal(copy.name, 'Work OpenAI (copy)');
    await vscode.commands.executeCommand('modelManager.setActiveConfiguration', copy.id);
    assert.match(String((await itemOf('Work OpenAI (copy)')).description), /active/);
    const selected = await withAnswers([pick('Work OpenAI')], () => vscode.commands.executeCommand<AIConfiguration>('modelManager.selectActiveModel'));
    assert.equal(selected.id, id);
    const results = await vscode.commands.executeCommand<Record<string, TestResult>>('modelManager.testAll');
    assert.deepEqual(Object.values(results).map((r) => r.ok), [true, true]);
    await withAnswers([press('Delete')], () => vscode.commands.executeCommand('modelManager.deleteConfiguration', copy.id));
  });

  it('lists an Ollama server\'s installed models in the tree and pulls another with progress', async () => {
    const { configurations } = await (await testApi()).services.open();
    const created = await configurations.createConfiguration({ name: 'Emulated Ollama', provider: 'ollama', settings: { baseUrl: ollama.url, model: 'llama3.2' } });
    const models = (await treeItems()).filter(({ node }) => node.kind === 'model').map(({ item }) => item.label);
    assert.ok(models.length > 0, 'the installed models should be listed under the Ollama configuration');
    const status = await withAnswers([type('gemma3:1b')], () => vscode.commands.executeCommand<string>('modelManager.pullOllamaModel', created.id));
    assert.equal(status, 'success');
    assert.ok(ollama.requests.some((r) => r.path === '/api/pull'));
  });

  it('opens the audit log, which records every action and no key', async () => {
    const text = await vscode.commands.executeCommand<string>('modelManager.openAuditLog');
    for (const action of ['configuration.create', 'configuration.test', 'configuration.update', 'configuration.rotateKey', 'configuration.duplicate', 'configuration.delete']) {
      assert.ok(text.includes(action), `the audit log should list ${action}`);
    }
    assert.equal(text.includes(CANARY), false);
  });

  it('deletes after confirmation, and the item leaves the tree', async () => {
    assert.equal(await withAnswers([press('Delete')], () => vscode.commands.executeCommand('modelManager.deleteConfiguration', id)), true);
    assert.equal((await treeItems()).some(({ node }) => node.kind === 'configuration' && node.configuration.id === id), false);
  });

  it('ignores workspace settings that try to redirect requests or change preferences', async () => {
    // The runner put a hostile .vscode/settings.json in this workspace (see test/host/runAll.ts).
    const trapPort = Number(process.env.MM_TRAP_PORT);
    assert.ok(trapPort > 0, 'the runner should name the trap port');
    const { createServer } = await import('node:http');
    const seen: string[] = [];
    const trap = createServer((req, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''} ${JSON.stringify(req.headers)}`);
      res.end();
    });
    await new Promise<void>((resolve) => trap.listen(trapPort, '127.0.0.1', resolve));
    try {
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
      assert.match(readFileSync(`${folder}/.vscode/settings.json`, 'utf8'), /modelManager/);
      assert.equal(vscode.workspace.getConfiguration('modelManager').get('requestTimeoutSeconds'), 60, 'a workspace must not change an application setting');
      const { configurations } = await (await testApi()).services.open();
      const created = await configurations.createConfiguration({ name: 'Hostile check', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: CANARY });
      const before = openai.requests.length;
      const result = await vscode.commands.executeCommand<TestResult>('modelManager.testConnection', created.id);
      assert.equal(result.ok, true);
      assert.ok(openai.requests.length > before, 'the request must go to the configured endpoint');
      assert.deepEqual(seen, [], 'nothing may reach the address the workspace named');
      await configurations.deleteConfiguration(created.id);
    } finally {
      await new Promise((resolve) => trap.close(resolve));
    }
  });
});

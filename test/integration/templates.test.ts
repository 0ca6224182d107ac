import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AIConfiguration, ProviderTemplate } from '../../src/core/store';
import { startOllamaEmulator, type OllamaEmulator } from '../emulators';
import { testApi } from './api';
import { pick, press, type, withAnswers, type Answer } from './prompts';

const CANARY = 'sk-canary-templates-8d0f2b4c6e';

describe('templates of one\'s own in the real extension host', function () {
  this.timeout(90_000);
  let ollama: OllamaEmulator;
  let source: AIConfiguration;
  const session = async () => (await testApi()).services.open();
  const templateRow = async (id: string): Promise<ProviderTemplate | undefined> => (await session()).store.read((r) => r.templates.get(id));

  before(async () => {
    ollama = await startOllamaEmulator();
    const { configurations } = await session();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    source = await configurations.createConfiguration({ name: 'Tuned Ollama', provider: 'ollama', settings: { baseUrl: ollama.url, model: 'llama3.2:latest', temperature: 0.2, numCtx: 4096 }, apiKey: CANARY });
  });

  after(async () => {
    const { configurations, store } = await session();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await store.write((r) => {
      for (const t of r.templates.list()) if (!t.isBuiltin) r.templates.delete(t.id);
    });
    await ollama.close();
  });

  it('saves a configuration as a template, never with its key, and offers it on the tree\'s configurations', async () => {
    const menus = (vscode.extensions.getExtension('modelmanager.model-manager')?.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } }).contributes.menus['view/item/context'] ?? [];
    assert.ok(menus.some((m) => m.command === 'modelManager.saveAsTemplate' && m.when?.includes('viewItem =~ /^configuration:/')));
    const saved = await withAnswers([type('Starter'), type('small local models')], () => vscode.commands.executeCommand<ProviderTemplate>('modelManager.saveAsTemplate', source.id));
    assert.deepEqual({ name: saved.name, description: saved.description, model: saved.model, isBuiltin: saved.isBuiltin }, { name: 'Starter', description: 'small local models', model: 'llama3.2:latest', isBuiltin: false });
    assert.equal(saved.config.numCtx, 4096);
    assert.equal(JSON.stringify(await templateRow(saved.id)).includes(CANARY), false, 'a template never holds the key');
  });

  it('renames, describes and makes a template the default; a new default clears the old one', async () => {
    const { store } = await session();
    const starter = store.read((r) => r.templates.list()).find((t) => t.name === 'Starter');
    assert.ok(starter);
    await withAnswers([pick('Name'), type('Local starter')], () => vscode.commands.executeCommand('modelManager.editTemplate', starter.id));
    await withAnswers([pick('Description'), type('from the tuned one')], () => vscode.commands.executeCommand('modelManager.editTemplate', starter.id));
    await withAnswers([pick('Make Default')], () => vscode.commands.executeCommand('modelManager.editTemplate', starter.id));
    assert.deepEqual(await templateRow(starter.id).then((t) => [t?.name, t?.description, t?.isDefault]), ['Local starter', 'from the tuned one', true]);
    const second = await withAnswers([type('Second starter'), type()], () => vscode.commands.executeCommand<ProviderTemplate>('modelManager.saveAsTemplate', source.id));
    await withAnswers([pick('Second starter'), pick('Make Default')], () => vscode.commands.executeCommand('modelManager.editTemplate'));
    assert.equal((await templateRow(second.id))?.isDefault, true);
    assert.equal((await templateRow(starter.id))?.isDefault, false, 'one default per provider');
    await withAnswers([pick('Settings'), type(JSON.stringify({ baseUrl: ollama.url, model: 'gemma3:1b', temperature: 0.4, numCtx: 2048 }))], () => vscode.commands.executeCommand('modelManager.editTemplate', second.id));
    assert.deepEqual(await templateRow(second.id).then((t) => [t?.model, t?.config.temperature]), ['gemma3:1b', 0.4]);
  });

  it('Add Configuration starts from the provider\'s default template', async () => {
    const offered: Record<string, unknown> = {};
    const keep = (step: string): Answer => (request) => {
      assert.equal(request.kind, 'inputBox');
      offered[step] = request.options.value;
      if (step === 'name') offered.prompt = request.options.prompt;
      return request.options.value ?? '';
    };
    const firstModel: Answer = (request) => {
      assert.equal(request.kind, 'quickPick');
      offered.model = request.items[0]?.label;
      offered.modelNote = request.items[0]?.description;
      return request.items[0];
    };
    const created = await withAnswers([pick('Ollama'), keep('name'), keep('address'), type(''), firstModel], () => vscode.commands.executeCommand<AIConfiguration>('modelManager.addConfiguration'));
    assert.equal(offered.name, 'Second starter');
    assert.match(String(offered.prompt), /default template "Second starter"/);
    assert.equal(offered.address, ollama.url);
    assert.equal(offered.model, 'gemma3:1b');
    assert.match(String(offered.modelNote), /from your default template/);
    assert.deepEqual([created.model, created.config.temperature, created.config.numCtx], ['gemma3:1b', 0.4, 2048]);
  });

  it('leaves built-in templates as they are, saying so', async () => {
    const { store } = await session();
    await vscode.commands.executeCommand('modelManager.createFromTemplate', 'seed-the-built-ins');
    const builtin = store.read((r) => r.templates.list()).find((t) => t.isBuiltin);
    assert.ok(builtin, 'the catalog seeds built-in templates');
    for (const command of ['modelManager.editTemplate', 'modelManager.deleteTemplate']) {
      await withAnswers([(request) => {
        assert.ok(request.kind === 'message' && request.message.includes('built-in template') && request.message.includes('Save as Template'), `a clear refusal, got ${JSON.stringify(request)}`);
        return undefined;
      }], () => vscode.commands.executeCommand(command, builtin.id));
    }
    assert.deepEqual(await templateRow(builtin.id), builtin);
  });

  it('deletes a template of one\'s own after a confirmation', async () => {
    const { store } = await session();
    const starter = store.read((r) => r.templates.list()).find((t) => t.name === 'Local starter');
    assert.ok(starter);
    assert.equal(await withAnswers([pick('Local starter'), () => undefined], () => vscode.commands.executeCommand('modelManager.deleteTemplate')), false);
    assert.ok(await templateRow(starter.id), 'kept when the confirmation is dismissed');
    assert.equal(await withAnswers([press('Delete')], () => vscode.commands.executeCommand('modelManager.deleteTemplate', starter.id)), true);
    assert.equal(await templateRow(starter.id), undefined);
  });
});

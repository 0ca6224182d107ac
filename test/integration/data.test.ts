import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AIConfiguration } from '../../src/core/store';
import type { ImportOutcome } from '../../src/host/commands/dataCommands';
import { testApi } from './api';
import { file as chooseFile, type, withAnswers } from './prompts';

const CANARY = 'sk-canary-data-8b2e4f6a1c3d';

describe('templates, import and export in the real extension host', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mm-data-'));

  before(async () => {
    const { configurations } = await (await testApi()).services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
  });

  it('seeds built-in templates from the model catalog and creates a configuration from one', async () => {
    await vscode.commands.executeCommand('modelManager.createFromTemplate', 'no-such-template');
    const { store, keys } = await (await testApi()).services.open();
    const templates = store.read((r) => r.templates.list());
    const openai = templates.find((t) => t.isBuiltin && t.provider === 'openai');
    assert.ok(openai, 'the catalog should give OpenAI templates');
    assert.ok(templates.some((t) => t.provider === 'ollama'), 'and local Ollama ones');
    assert.match(openai.description, /\$/, 'a template says what it costs');
    const created = await withAnswers([type(), type(CANARY)], () => vscode.commands.executeCommand<AIConfiguration>('modelManager.createFromTemplate', openai.id));
    assert.equal(created.model, openai.model);
    assert.equal(keys.describeApiKey(created.id).lastFour, CANARY.slice(-4));
  });

  it('exports a bundle without any key, and imports it back', async () => {
    const { configurations } = await (await testApi()).services.open();
    const file = vscode.Uri.file(join(folder, 'bundle.json'));
    await withAnswers([chooseFile(file)], () => vscode.commands.executeCommand('modelManager.exportConfigurations'));
    const text = readFileSync(file.fsPath, 'utf8');
    assert.match(text, /model-manager-bundle/);
    assert.equal(text.includes(CANARY), false, 'an export must never carry a key');
    assert.equal(text.includes('mm1.'), false, 'nor a sealed key');
    const before = configurations.listConfigurations().length;
    const outcome = await withAnswers([chooseFile(file)], () => vscode.commands.executeCommand<ImportOutcome>('modelManager.importConfigurations'));
    assert.equal(outcome.created.length, before);
    assert.match(outcome.created[0]?.name ?? '', /\(2\)$/, 'a clashing name is renamed, not overwritten');
    assert.equal(outcome.created[0]?.encryptedApiKey, null);
  });

  it('imports Continue\'s config.yaml, moving a plain-text key into encryption and reporting what it could not take', async () => {
    const { keys } = await (await testApi()).services.open();
    const file = join(folder, 'config.yaml');
    writeFileSync(file, [
      'name: My config',
      'version: 1.0.0',
      'schema: v1',
      'models:',
      '  - name: Continue GPT',
      '    provider: openai',
      '    model: gpt-4o-mini',
      `    apiKey: ${CANARY}`,
      '    defaultCompletionOptions:',
      '      temperature: 0.3',
      '  - name: Local Llama',
      '    provider: ollama',
      '    model: llama3.2',
      '  - name: Bedrock thing',
      '    provider: bedrock',
      '    model: anthropic.claude',
      '',
    ].join('\n'));
    const outcome = await withAnswers([chooseFile(vscode.Uri.file(file))], () => vscode.commands.executeCommand<ImportOutcome>('modelManager.importConfigurations'));
    assert.deepEqual(outcome.created.map((c) => c.name).sort(), ['Continue GPT', 'Local Llama']);
    assert.equal(outcome.rejected.length, 1);
    assert.match(outcome.rejected[0]?.reasons.join(' ') ?? '', /bedrock/i);
    const gpt = outcome.created.find((c) => c.name === 'Continue GPT');
    assert.ok(gpt);
    assert.equal(gpt.config.temperature, 0.3);
    assert.equal(keys.describeApiKey(gpt.id).lastFour, CANARY.slice(-4), 'the key was sealed, not dropped');
    assert.equal(JSON.stringify(outcome).includes(CANARY), false);
  });
});

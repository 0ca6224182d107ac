import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AIConfiguration } from '../../src/core/store';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { clearConfigurations, suiteWithEmulators } from './suite';
import { file, pick, type, withAnswers } from './prompts';

const CANARY = 'sk-canary-auditexport-5b7d9f1e3a';
const REPLACEMENT = 'sk-canary-auditexport-new-2c4e6a8b';

describe('Export Audit Log in the real extension host', function () {
  this.timeout(90_000);
  const folder = mkdtempSync(join(tmpdir(), 'mm-audit-'));
  let emulator: OpenAIEmulator;
  const session = async () => (await testApi()).services.open();

  suiteWithEmulators({ openai: () => startOpenAIEmulator({ apiKey: CANARY }) }, {
    setUp: async (started) => {
      emulator = started.openai;
      await clearConfigurations(await session());
    },
    tearDown: async () => {
      const current = await session();
      for (const b of current.budgets.listBudgets()) await current.budgets.deleteBudget(b.id);
      await clearConfigurations(current);
    },
  });

  it('writes the whole log as CSV or JSON Lines to the chosen file, with every audited path in it and never a key', async () => {
    const { configurations, budgets, routeGroups } = await session();
    const created = await configurations.createConfiguration({ name: 'Audited, "quoted"', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: CANARY });
    await vscode.commands.executeCommand('modelManager.testConnection', created.id);
    await withAnswers([pick('Enter a new key'), type(REPLACEMENT)], () => vscode.commands.executeCommand<AIConfiguration>('modelManager.rotateApiKey', created.id));
    await withAnswers([pick('Re-seal the stored key')], () => vscode.commands.executeCommand('modelManager.rotateApiKey', created.id));
    // The user agreed to send the stored key to the new server (the palette and editor ask).
    await configurations.updateConfiguration(created.id, { settings: { model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:9/v1' }, sendStoredKeyTo: 'http://127.0.0.1:9' });
    const budget = await budgets.saveBudget({ name: 'Audit stop', period: 'month', limitTokens: 1, hardStop: true, configurationId: created.id });
    const group = await routeGroups.create({ name: 'Audit group', strategy: 'fallback', members: [{ configurationId: created.id, weight: 1 }] });
    await withAnswers([file(vscode.Uri.file(join(folder, 'bundle.json')))], () => vscode.commands.executeCommand('modelManager.exportConfigurations'));
    await withAnswers([file(vscode.Uri.file(join(folder, 'bundle.json')))], () => vscode.commands.executeCommand('modelManager.importConfigurations'));
    await budgets.deleteBudget(budget.id);
    await routeGroups.delete(group.id);

    const csvFile = vscode.Uri.file(join(folder, 'audit.csv'));
    const written = await withAnswers([pick('CSV'), file(csvFile)], () => vscode.commands.executeCommand<vscode.Uri>('modelManager.exportAuditLog'));
    assert.equal(written.fsPath, csvFile.fsPath);
    const csv = readFileSync(csvFile.fsPath, 'utf8');
    assert.match(csv, /^at \(UTC\),action,target type,target id,target name,details\r\n/);
    for (const action of ['configuration.create', 'configuration.test', 'configuration.rotateKey', 'configuration.endpoint', 'budget.create', 'budget.delete', 'routeGroup.create', 'routeGroup.delete', 'configurations.export', 'configurations.import']) {
      assert.ok(csv.includes(`,${action},`), `the export should hold ${action}`);
    }
    assert.ok(csv.includes('"Audited, ""quoted"""'), 'a name with a comma and quotes is one quoted cell');

    const jsonFile = vscode.Uri.file(join(folder, 'audit.jsonl'));
    await withAnswers([pick('JSON Lines'), file(jsonFile)], () => vscode.commands.executeCommand('modelManager.exportAuditLog'));
    const lines = readFileSync(jsonFile.fsPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { action: string; at: string });
    assert.ok(lines.some((l) => l.action === 'audit.export'), 'the first export is itself in the log');
    assert.deepEqual(lines.map((l) => l.at), [...lines.map((l) => l.at)].sort(), 'oldest first');

    for (const text of [csv, readFileSync(jsonFile.fsPath, 'utf8')]) {
      assert.equal(text.includes('sk-canary-'), false, 'an audit export must never carry a key');
      assert.equal(text.includes('mm1.'), false, 'nor a sealed one');
    }
  });

  it('writes nothing when the user dismisses the format or the file', async () => {
    assert.equal(await withAnswers([() => undefined], () => vscode.commands.executeCommand('modelManager.exportAuditLog')), undefined);
    assert.equal(await withAnswers([pick('CSV'), () => undefined], () => vscode.commands.executeCommand('modelManager.exportAuditLog')), undefined);
  });

  it('declares the audit retention as an application setting with bounds', () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    const properties = (extension?.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string; minimum?: number; maximum?: number; default?: number }> } } }).contributes.configuration.properties;
    const setting = properties['modelManager.auditRetentionDays'];
    assert.equal(setting?.scope, 'application');
    assert.equal(setting.minimum, 1);
    assert.equal(setting.maximum, 3650);
    assert.equal(vscode.workspace.getConfiguration('modelManager').get('auditRetentionDays'), 365);
  });

});

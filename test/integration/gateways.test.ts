import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { GatewayImportOutcome } from '../../src/core/gateways';
import { until } from '../helpers/until';
import { testApi } from './api';
import { file, pickAll, press, withAnswers } from './prompts';

const CANARY = 'sk-canary-gateway-3e5a7c9b1d2f';

describe('Export for LiteLLM Proxy / Portkey Gateway and Import from LiteLLM config.yaml in the real extension host', function () {
  this.timeout(90_000);
  const folder = mkdtempSync(join(tmpdir(), 'mm-gateway-'));
  const session = async () => (await testApi()).services.open();

  async function clear(): Promise<void> {
    const { configurations, routeGroups } = await session();
    for (const g of routeGroups.list()) await routeGroups.delete(g.id);
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
  }

  before(clear);
  after(clear);

  it('exports the picked configurations and group without a key, lists and copies the variables to set, records the export, and imports the file back', async () => {
    const s = await session();
    const work = await s.configurations.createConfiguration({ name: 'Work', provider: 'openai', settings: { model: 'gpt-4o-mini', temperature: 0.4 }, apiKey: CANARY });
    const local = await s.configurations.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:11434' } });
    await s.routeGroups.create({ name: 'Team fallback', strategy: 'fallback', members: [{ configurationId: work.id }, { configurationId: local.id }] });

    const litellm = vscode.Uri.file(join(folder, 'config.yaml'));
    await withAnswers([pickAll('Work', 'Local', 'Team fallback'), file(litellm), press('Copy Variable Names')], () => vscode.commands.executeCommand('modelManager.exportForLiteLLM'));
    const yaml = readFileSync(litellm.fsPath, 'utf8');
    assert.ok(!yaml.includes(CANARY), 'the LiteLLM export holds no key');
    assert.match(yaml, /api_key: os\.environ\/WORK_API_KEY/);
    assert.match(yaml, /fallbacks:\n\s+- Team fallback:\n\s+- Local/);
    await assertClipboard('export WORK_API_KEY=');

    const portkey = vscode.Uri.file(join(folder, 'portkey.json'));
    await withAnswers([pickAll('Team fallback'), file(portkey), press('Copy Variable Names')], () => vscode.commands.executeCommand('modelManager.exportForPortkey'));
    const json = readFileSync(portkey.fsPath, 'utf8');
    assert.ok(!json.includes(CANARY), 'the Portkey export holds no key');
    assert.equal((JSON.parse(json) as { strategy: { mode: string } }).strategy.mode, 'fallback');
    assert.match(json, /"api_key": "<WORK_API_KEY>"/);
    await assertClipboard('<WORK_API_KEY>');

    await clear();
    const outcome = await withAnswers([file(litellm), (request) => (assert.equal(request.kind, 'message'), undefined)], () => vscode.commands.executeCommand<GatewayImportOutcome>('modelManager.importLiteLLMConfig'));
    assert.deepEqual(outcome.created.map((c) => c.name).sort(), ['Local', 'Work']);
    assert.deepEqual(outcome.groups.map((g) => [g.name, g.strategy, g.members.length]), [['Team fallback', 'fallback', 2]]);
    assert.ok(outcome.created.every((c) => c.encryptedApiKey === null), 'no key came in: the file names only environment variables');

    const { store, userId } = await session();
    const audit = store.read((r) => r.audit.all(userId));
    const exports = audit.filter((a) => a.action === 'configurations.export').map((a) => a.targetType);
    assert.ok(exports.includes('litellm') && exports.includes('portkey'), `both exports are audited: ${exports.join(', ')}`);
    assert.ok(audit.some((a) => a.action === 'configurations.import' && JSON.stringify(a.details).includes('litellm')), 'the import is audited with its format');
    assert.ok(!JSON.stringify(audit).includes(CANARY), 'no key in the audit log');
  });
});

async function assertClipboard(expected: string): Promise<void> {
  // The Copy button's handler runs after the command has returned.
  await until(`the clipboard to hold ${expected}`, async () => (await vscode.env.clipboard.readText()).includes(expected), { timeoutMs: 10_000 });
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AIConfiguration } from '../../src/core/store';
import type { HealthStatus } from '../../src/core/usage';
import type { StoreSession } from '../../src/core/session';
import { budgetUri } from '../../src/host/views/budgetDecorations';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';

async function configurationItem(name: string): Promise<vscode.TreeItem> {
  const { tree } = await testApi();
  for (const provider of await tree.getChildren()) {
    for (const child of await tree.getChildren(provider)) {
      if (child.kind === 'configuration' && child.configuration.name === name) return tree.getTreeItem(child);
    }
  }
  assert.fail(`no tree item for "${name}"`);
}

describe('health checks and budget badges in the extension', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  let session: StoreSession;
  let first: AIConfiguration;
  let second: AIConfiguration;
  let local: AIConfiguration;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-health-7a8b' });
    ollama = await startOllamaEmulator();
    const { services } = await testApi();
    session = await services.open();
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    const settings = { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` };
    first = await session.configurations.createConfiguration({ name: 'Health A', provider: 'openai', settings, apiKey: openai.apiKey });
    second = await session.configurations.createConfiguration({ name: 'Health B', provider: 'openai', settings: { ...settings, model: 'gpt-4o' }, apiKey: openai.apiKey });
    local = await session.configurations.createConfiguration({ name: 'Health Local', provider: 'ollama', settings: { model: 'gemma3:1b', baseUrl: ollama.url } });
  });

  after(async () => {
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    for (const c of [first, second, local]) await session.configurations.deleteConfiguration(c.id).catch(() => undefined);
    await openai.close();
    await ollama.close();
  });

  it('checks each distinct endpoint and key once, with the cheapest call, and records it', async () => {
    const before = { openai: openai.requests.length, ollama: ollama.requests.length };
    const summary = await vscode.commands.executeCommand<HealthStatus[]>('modelManager.checkHealth');
    const mine = summary.filter((s) => [first.id, second.id, local.id].includes(s.configurationId));
    assert.deepEqual(mine.map((s) => s.state), ['healthy', 'healthy', 'healthy']);
    assert.deepEqual(openai.requests.slice(before.openai).map((r) => `${r.method} ${r.path}`), ['GET /v1/models'], 'two configurations, one endpoint and key: one check');
    // VS Code's chat may ask for the new Ollama model's details (POST /api/show) at any moment: not a health check.
    assert.deepEqual(ollama.requests.slice(before.ollama).map((r) => `${r.method} ${r.path}`).filter((r) => r !== 'POST /api/show'), ['GET /api/tags']);
    assert.ok(mine.every((s) => s.lastCheckedAt !== null && s.latencyMs !== null && s.errorRate === 0));
    await session.store.flush();
    const recorded = session.usage.getUsageStats(first.id, 'day');
    assert.equal(recorded.requestCount, 1, 'the check is a request of the first configuration sharing the endpoint');
  });

  it('marks a configuration unreachable in the tree when its check fails, with the provider\'s error', async () => {
    openai.inject({ status: 500 }, 10);
    const summary = await session.health.checkNow();
    const a = summary.find((s) => s.configurationId === first.id);
    assert.equal(a?.state, 'unhealthy');
    assert.match(a.error ?? '', /500/);
    assert.equal(summary.find((s) => s.configurationId === local.id)?.state, 'healthy');
    const item = await configurationItem('Health A');
    assert.match(String(item.description), /unreachable/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'debug-disconnect');
    assert.match((item.tooltip as vscode.MarkdownString).value, /Health check: failed/);
    assert.doesNotMatch(String((await configurationItem('Health Local')).description), /unreachable/);
  });

  it('badges a configuration in the tree with the budget threshold it reached', async () => {
    const { budgetDecorations } = await testApi();
    const usage = session.usage.getUsageStats(local.id, 'month');
    assert.equal(usage.costUSD, 0);
    // A token budget on the local model: its health check had no tokens; record a chat's worth directly.
    await session.usage.recordUsage({ configurationId: local.id, outcome: 'success', usage: { input: 700, output: 150 }, reason: 'chat' });
    await session.budgets.saveBudget({ configurationId: local.id, name: 'Local tokens', period: 'day', limitTokens: 1000 });
    await configurationItem('Health Local'); // the listing computes the badges
    const badge = budgetDecorations.provideFileDecoration(budgetUri(local.id));
    assert.equal(badge?.badge, '80');
    assert.match(badge.tooltip ?? '', /Local tokens.*85 % used/);
    await session.usage.recordUsage({ configurationId: local.id, outcome: 'success', usage: { input: 100, output: 100 }, reason: 'chat' });
    await configurationItem('Health Local');
    assert.equal(budgetDecorations.provideFileDecoration(budgetUri(local.id))?.badge, '!');
    assert.equal(budgetDecorations.provideFileDecoration(budgetUri(first.id)), undefined, 'no badge without a budget');
  });
});

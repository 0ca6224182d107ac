import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestResult } from '../../src/core/providers';
import type { AIConfiguration } from '../../src/core/store';
import type { StoreSession } from '../../src/core/session';
import type { RpcResponse } from '../../src/protocol';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { errorOf, resultOf } from './suite';

describe('the editor\'s connection tests in the real VS Code: recorded, refused by a used-up hard stop, cancellable', function () {
  this.timeout(90_000);
  let openai: OpenAIEmulator;
  let session: StoreSession;
  let send: (raw: unknown) => Promise<RpcResponse | undefined>;
  let next = 9_000;
  const call = (method: string, params: unknown): Promise<RpcResponse | undefined> => send({ kind: 'request', id: ++next, method, params });
  const settings = () => ({ model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` });
  let saved: { id: string } | undefined;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: 'sk-editor-tests-4b5c' });
    const api = await testApi();
    send = (raw) => api.panel.send(raw);
    session = await api.services.open();
    // Test All below tests every configuration: start from none.
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
  });

  after(async () => {
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id).catch(() => undefined);
    await openai.close();
  });

  it('a wizard test of new settings is recorded at once (request, tokens, cost, audit log), and saving them keeps those records and the outcome', async () => {
    const draft = { provider: 'openai', settings: settings(), apiKey: openai.apiKey };
    const tested = resultOf(await call('configurations.test', { draft })) as TestResult;
    assert.equal(tested.ok, true, tested.hint);
    const entry = session.store.read((r) => r.audit.list(session.userId)).find((e) => e.action === 'configuration.test' && e.details.unsaved === true);
    assert.ok(entry?.targetId, 'the test is in the audit log');
    assert.ok(!JSON.stringify(entry).includes(openai.apiKey), 'never the key');
    const recorded = session.usage.getUsageStats(entry.targetId);
    assert.equal(recorded.requestCount, 1, 'the request is counted');
    assert.ok(recorded.inputTokens + recorded.outputTokens > 0, 'with the tokens it billed');
    assert.ok(recorded.costUSD > 0, 'and their cost');

    const created = resultOf(await call('configurations.create', { name: 'Editor Tested', ...draft })) as { id: string; testStatus: string | null };
    assert.equal(created.id, entry.targetId, 'the configuration takes over the records of its test');
    assert.equal(created.testStatus, 'success');
    assert.equal(session.usage.getUsageStats(created.id).requestCount, 1);
    saved = created;
  });

  it('a test of the edit screen is recorded against the configuration and, for its saved settings, sets its last test', async () => {
    assert.ok(saved);
    await session.store.write((r) => r.configurations.update(session.userId, saved?.id ?? '', { testStatus: null, lastTestedAt: null }));
    const before = session.usage.getUsageStats(saved.id).requestCount;
    const tested = resultOf(await call('configurations.test', { draft: { provider: 'openai', settings: settings(), configurationId: saved.id } })) as TestResult;
    assert.equal(tested.ok, true, tested.hint);
    assert.equal(session.usage.getUsageStats(saved.id).requestCount, before + 1);
    const row = session.configurations.getConfiguration(saved.id);
    assert.equal(row.testStatus, 'success');
    assert.ok(row.lastTestedAt);
  });

  it('a test in the panel can be stopped: it answers "cancelled" long before the answer timeout', async () => {
    openai.inject({ path: /\/v1\/models/, stall: 'headers' });
    const asked = openai.requests.length;
    const id = ++next;
    const started = performance.now();
    const answer = send({ kind: 'request', id, method: 'configurations.test', params: { draft: { provider: 'openai', settings: settings(), apiKey: openai.apiKey } } });
    // Stopped once the (stalled) model list has reached the server; unstopped, it would wait the 60 s answer timeout.
    for (const deadline = performance.now() + 10_000; !openai.requests.slice(asked).some((r) => r.path === '/v1/models') && performance.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(await send({ kind: 'cancel', id }), undefined, 'a cancel has no answer of its own');
    assert.equal(errorOf(await answer).code, 'cancelled');
    assert.ok(performance.now() - started < 30_000, 'stopped, not timed out');
  });

  it('after a hard-stop budget is used up, the editor\'s tests, Test Connection and Test All are refused with its message and the emulator receives nothing', async () => {
    assert.ok(saved);
    const configuration: AIConfiguration = session.configurations.getConfiguration(saved.id);
    await session.budgets.saveBudget({ configurationId: configuration.id, name: 'Editor cap', period: 'month', limitTokens: 1, hardStop: true });
    await session.budgets.settled();
    assert.equal(session.budgets.checkBudget(configuration.id).allowed, false, 'the tests above used more than one token');
    const sent = openai.requests.length;

    const edit = errorOf(await call('configurations.test', { draft: { provider: 'openai', settings: settings(), configurationId: configuration.id } }));
    assert.equal(edit.code, 'budget');
    assert.match(edit.message, /"Editor Tested" is paused: the monthly budget "Editor cap" is used up/);
    const stored = errorOf(await call('configurations.test', { id: configuration.id }));
    assert.equal(stored.code, 'budget');

    const command = await vscode.commands.executeCommand<TestResult | undefined>('modelManager.testConnection', configuration.id);
    assert.equal(command, undefined, 'Test Connection ran no test');
    const all = await vscode.commands.executeCommand<Record<string, TestResult | string>>('modelManager.testAll');
    const refused = all[configuration.id];
    assert.equal(typeof refused, 'string', 'Test All ran no test of it');
    assert.match(refused as string, /"Editor cap" is used up/);

    assert.equal(openai.requests.length, sent, 'nothing reached the provider');
    assert.equal(session.configurations.getConfiguration(configuration.id).lastTestedAt, configuration.lastTestedAt, 'no test happened');
  });
});

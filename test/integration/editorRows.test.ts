import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { StoreSession } from '../../src/core/session';
import type { UsageMetrics } from '../../src/core/usage';
import type { ConfigurationView, RpcResponse } from '../../src/protocol';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { until } from '../helpers/until';
import { testApi } from './api';
import { errorOf, resultOf } from './suite';

const DAY_MS = 86_400_000;

describe('the editor\'s handlers for the remaining rows: Ollama models, usage periods, rotate key, pending tests', function () {
  this.timeout(120_000);
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  let session: StoreSession;
  let send: (raw: unknown) => Promise<RpcResponse | undefined>;
  let next = 41_000;
  const call = (method: string, params: unknown): Promise<RpcResponse | undefined> => send({ kind: 'request', id: ++next, method, params });
  let openaiId = '';
  let ollamaId = '';

  before(async () => {
    [openai, ollama] = await Promise.all([startOpenAIEmulator({ apiKey: 'sk-editor-rows-integration-8c1e' }), startOllamaEmulator()]);
    const api = await testApi();
    send = (raw) => api.panel.send(raw);
    session = await api.services.open();
    openaiId = (await session.configurations.createConfiguration({ name: 'Rows Handlers OpenAI', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: openai.apiKey })).id;
    ollamaId = (await session.configurations.createConfiguration({ name: 'Rows Handlers Ollama', provider: 'ollama', settings: { model: 'gemma3:1b', baseUrl: ollama.url } })).id;
  });

  after(async () => {
    for (const id of [openaiId, ollamaId]) await session.configurations.deleteConfiguration(id).catch(() => undefined);
    await Promise.all([openai.close(), ollama.close()]);
  });

  it('ollama.installed, ollama.details and ollama.delete: sizes and users, the details, and a delete recorded in the audit log', async () => {
    const installed = (resultOf(await call('ollama.installed', { configurationId: ollamaId })) as { id: string; sizeBytes?: number; usedBy: string[] }[]);
    assert.deepEqual(installed.map((m) => [m.id, m.sizeBytes]), [['gemma3:1b', 815319791], ['llama3.2:latest', 2019393189]]);
    assert.deepEqual(installed[0]?.usedBy, ['Rows Handlers Ollama']);
    const details = (resultOf(await call('ollama.details', { configurationId: ollamaId, model: 'gemma3:1b' })) as Record<string, unknown>);
    assert.equal(details.family, 'gemma3');
    assert.equal(details.parameterSize, '999.89M');
    assert.equal(details.quantization, 'Q4_K_M');
    assert.equal(typeof details.contextLength, 'number');
    assert.deepEqual(details.capabilities, ['completion']);
    assert.equal(details.license, 'Gemma Terms of Use');
    assert.equal(details.modifiedAt, '2025-08-20T13:47:57.000000000Z');

    const deleted = (resultOf(await call('ollama.delete', { configurationId: ollamaId, model: 'llama3.2:latest' })) as { deleted: boolean; sizeBytes?: number });
    assert.deepEqual(deleted, { deleted: true, sizeBytes: 2019393189 });
    const after = (resultOf(await call('ollama.installed', { configurationId: ollamaId })) as { id: string }[]);
    assert.deepEqual(after.map((m) => m.id), ['gemma3:1b'], 'the list is read afresh after the delete');
    const entry = session.store.read((r) => r.audit.list(session.userId)).find((e) => e.action === 'ollama.deleteModel' && e.targetId === ollamaId);
    assert.deepEqual(entry?.details, { model: 'llama3.2:latest', sizeBytes: 2019393189 });
    assert.equal(errorOf(await call('ollama.delete', { configurationId: ollamaId, model: 'llama3.2:latest' })).code, 'not-found', 'a model already gone is refused');
    assert.equal(errorOf(await call('ollama.installed', { configurationId: openaiId })).code, 'validation', 'only an Ollama server has installed models');
  });

  it('configurations.usage takes day, week, month or a custom range on the session\'s clock and says the window it counted', async () => {
    await session.providerAccess.testConfiguration(openaiId);
    await session.store.flush();
    const now = session.now();
    const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    const usage = async (period: unknown) => (resultOf(await call('configurations.usage', { id: openaiId, period })) as { requestCount: number; from: string; to: string });
    const day = await usage('day');
    assert.deepEqual([day.from, day.to], [new Date(today).toISOString(), new Date(today + DAY_MS).toISOString()]);
    assert.ok(day.requestCount >= 1, 'today holds the test just made');
    const week = await usage('week');
    assert.equal(week.from, new Date(today - 6 * DAY_MS).toISOString());
    const month = await usage('month');
    assert.equal(month.from, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)).toISOString());
    const past = await usage({ from: new Date(today - 60 * DAY_MS).toISOString(), to: new Date(today - 40 * DAY_MS).toISOString() });
    assert.equal(past.requestCount, 0, 'a range before the configuration existed counts nothing');
    assert.equal(errorOf(await call('configurations.usage', { id: openaiId, period: { from: new Date(today).toISOString(), to: new Date(today - DAY_MS).toISOString() } })).code, 'validation');

    const shownDay = await vscode.commands.executeCommand<UsageMetrics>('modelManager.showUsage', openaiId, 'day');
    assert.equal(shownDay.requestCount, day.requestCount, 'Show Usage for today counts what the panel counts');
    const shownPast = await vscode.commands.executeCommand<UsageMetrics>('modelManager.showUsage', openaiId, { from: past.from, to: past.to });
    assert.equal(shownPast.requestCount, 0, 'Show Usage for a past range');
  });

  it('configurations.rotateKey replaces the key, answers only "set (…abcd)" and records the rotation in the audit log without the key', async () => {
    const newKey = 'sk-rotated-through-the-editor-5k2m';
    const response = await call('configurations.rotateKey', { id: openaiId, apiKey: newKey });
    const rotated = (resultOf(response) as ConfigurationView);
    assert.deepEqual(rotated.apiKey, { set: true, readable: true, lastFour: '5k2m' });
    assert.ok(!JSON.stringify(response).includes(newKey), 'the key never goes back to the page');
    assert.equal(session.keys.storedKeyOf(session.configurations.getConfiguration(openaiId)), newKey);
    const entry = session.store.read((r) => r.audit.list(session.userId)).find((e) => e.action === 'configuration.rotateKey' && e.targetId === openaiId);
    assert.deepEqual(entry?.details, { replaced: true });
    assert.ok(!JSON.stringify(session.store.read((r) => r.audit.list(session.userId))).includes(newKey), 'never in the audit log');
    assert.equal(errorOf(await call('configurations.rotateKey', { id: openaiId, apiKey: '   ' })).code, 'validation', 'an empty key is refused');
    resultOf(await call('configurations.rotateKey', { id: openaiId, apiKey: openai.apiKey }));
  });

  it('testStatus is pending while a test runs, and ends in the real result when the test passes, is cancelled or throws', async () => {
    const status = async () => (resultOf(await call('configurations.get', { id: openaiId })) as ConfigurationView).testStatus;
    const before = await status();

    openai.inject({ path: /\/chat\/completions/, delayMs: 3_000 });
    const passing = call('configurations.test', { id: openaiId });
    await until('the test to show as pending', async () => (await status()) === 'pending', { timeoutMs: 10_000, intervalMs: 50 });
    const listed = (resultOf(await call('configurations.list', {})) as ConfigurationView[]).find((c) => c.id === openaiId);
    assert.equal(listed?.testStatus, 'pending', 'the list says it too');
    resultOf(await passing);
    assert.equal(await status(), 'success');

    openai.inject({ path: /\/chat\/completions/, stall: 'headers' });
    const chatsBefore = openai.requests.filter((r) => r.path.includes('/chat/completions')).length;
    const closedBefore = openai.closedByClient.length;
    const id = ++next;
    const stopped = send({ kind: 'request', id, method: 'configurations.test', params: { id: openaiId } });
    await until('the stalled test to show as pending', async () => (await status()) === 'pending', { timeoutMs: 10_000, intervalMs: 50 });
    // Cancel only once the stalled chat is at the emulator: cancelled earlier, the stall would catch the next test.
    await until('the stalled chat to reach the emulator', () => openai.requests.filter((r) => r.path.includes('/chat/completions')).length > chatsBefore, { timeoutMs: 10_000, intervalMs: 20 });
    await send({ kind: 'cancel', id });
    await stopped;
    await until('the cancel to close the stalled request', () => openai.closedByClient.slice(closedBefore).some((path) => path.includes('/chat/completions')), { timeoutMs: 10_000, intervalMs: 20 });
    assert.notEqual(await status(), 'pending', 'a cancelled test does not stay pending');

    // The per-minute limit refuses a test by throwing: the status still ends.
    let refused: { code: string } | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      const answer = await call('configurations.test', { id: openaiId });
      if (answer && !answer.ok) refused = answer.error;
    }
    assert.equal(refused?.code, 'rate-limited');
    assert.notEqual(await status(), 'pending', 'a test that threw does not stay pending');
    assert.notEqual(before, 'pending');
  });
});

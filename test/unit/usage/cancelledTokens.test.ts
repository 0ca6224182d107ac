import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { InMemoryKeySource } from '../../../src/core/crypto';
import { configurationGroupId, sentText, TokenCounter } from '../../../src/core/chat';
import type { ChatRequest } from '../../../src/core/providers';
import { openSession, type StoreSession } from '../../../src/core/session';
import { handlePanelMessage } from '../../../src/panelHandlers/PanelApi';
import { parseResult, type MethodName } from '../../../src/protocol';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { capturingLogger, repoRoot, wasmPath } from '../store/helpers';
import { useTempFolder } from '../helpers/tempStore';

const KEY = 'sk-cancelled-tokens-5e7a9c1b3d';
const request: ChatRequest = { messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Explain, at length, why the sky is blue and sunsets are red.' }] };

describe('a chat cancelled mid-answer still counts its tokens, marked estimated', function () {
  this.timeout(30_000);
  const folder = useTempFolder();
  let emulator: OpenAIEmulator;
  let session: StoreSession;
  let close: () => Promise<void>;
  let configurationId: string;

  beforeEach(async () => {
    emulator = await startOpenAIEmulator({ apiKey: KEY });
    const opened = await openSession({
      databasePath: join(folder.path, 'model-manager.sqlite'),
      wasmPath,
      catalogPath: join(repoRoot, 'dist', 'model-catalog.json'),
      logger: capturingLogger(),
      now: () => new Date('2026-03-10T12:00:00Z'),
      settings: { requestTimeoutSeconds: 60, usageRetentionDays: 90, healthCheckIntervalMinutes: 0 },
      keychain: new InMemoryKeySource(),
      passphraseKey: () => Promise.reject(new Error('not asked')),
    });
    assert.ok(opened.ok);
    session = opened.session;
    close = () => opened.close();
    configurationId = (await session.configurations.createConfiguration({ name: 'Cancelled', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: KEY })).id;
  });

  afterEach(async () => {
    await close();
    await emulator.close();
  });

  /** Reads the answer until `stopAfter` characters of text have arrived, then stops (as the Stop button does). */
  async function chatAndStop(how: 'abort' | 'stop reading', stopAfter = 1): Promise<string> {
    const abort = new AbortController();
    let text = '';
    try {
      for await (const event of session.router.chat(configurationGroupId(configurationId), request, { signal: abort.signal })) {
        if (event.type === 'text') text += event.text;
        if (text.length >= stopAfter) {
          if (how === 'stop reading') break;
          abort.abort();
        }
      }
    } catch {
      // The abort ends the stream with a cancellation: expected.
    }
    await session.usage.settled();
    return text;
  }

  for (const how of ['abort', 'stop reading'] as const) {
    it(`records the local count of what was sent and produced (${how})`, async () => {
      emulator.inject({ path: /completions$/, stallAfterEvents: 2 });
      const produced = await chatAndStop(how);
      assert.ok(produced.length > 0);
      const counter = new TokenCounter();
      try {
        await counter.whenExact();
        const input = await counter.count(configurationId, { provider: 'openai', model: 'gpt-4o-mini' }, sentText(request));
        const output = await counter.count(configurationId, { provider: 'openai', model: 'gpt-4o-mini' }, produced);
        const rows = session.store.read((r) => r.requestLog.latest(session.userId, configurationId, 5));
        assert.equal(rows.length, 1);
        const [row] = rows;
        assert.equal(row?.outcome, 'cancelled');
        assert.equal(row.tokensEstimated, true);
        assert.ok(row.inputTokens !== undefined && row.inputTokens >= input - 2 && row.inputTokens <= input + 2, `input ${String(row.inputTokens)} vs counted ${String(input)}`);
        assert.ok(row.outputTokens !== undefined && row.outputTokens >= 1 && row.outputTokens <= output + 2, `output ${String(row.outputTokens)} vs counted ${String(output)}`);
        assert.ok((row.costUsd ?? 0) > 0, 'priced like any other tokens');
        const stats = session.usage.getUsageStats(configurationId);
        assert.equal(stats.inputTokens, row.inputTokens);
      } finally {
        counter.dispose();
      }
    });
  }

  it('is said to be estimated in the editor\'s usage panel and on the dashboard', async () => {
    const call = async (method: MethodName, params: unknown): Promise<unknown> => {
      const response = await handlePanelMessage({ session, templates: () => Promise.resolve([]) }, { kind: 'request', id: 1, method, params }, () => undefined);
      assert.ok(response?.ok, JSON.stringify(response));
      return response.result;
    };
    await chatAndStop('abort', Number.POSITIVE_INFINITY);
    assert.equal(parseResult('configurations.usage', await call('configurations.usage', { id: configurationId }))?.estimatedRequests, 0);
    emulator.inject({ path: /completions$/, stallAfterEvents: 2 });
    await chatAndStop('abort');
    const panel = parseResult('configurations.usage', await call('configurations.usage', { id: configurationId }));
    assert.deepEqual([panel?.requestCount, panel?.estimatedRequests], [2, 1]);
    const report = parseResult('usage.report', await call('usage.report', { period: '7d' }));
    assert.equal(report?.estimatedRequests, 1);
    assert.equal(parseResult('usage.report', await call('usage.report', { period: '7d', client: 'vscode' }))?.estimatedRequests, undefined, 'not said for one client, whose count it is not');
  });

  it('keeps the tokens the provider reported, not estimated, for an answer that finished', async () => {
    await chatAndStop('abort', Number.POSITIVE_INFINITY);
    const [row] = session.store.read((r) => r.requestLog.latest(session.userId, configurationId, 5));
    assert.equal(row?.outcome, 'success');
    assert.equal(row.tokensEstimated, false);
  });

  it('counts nothing for a request cancelled before any answer', async () => {
    emulator.inject({ path: /completions$/, stall: 'headers' });
    const abort = new AbortController();
    const run = (async () => {
      let events = 0;
      for await (const event of session.router.chat(configurationGroupId(configurationId), request, { signal: abort.signal })) events += event.type === 'text' ? 1 : 0;
      return events;
    })();
    while (!emulator.requests.some((r) => r.path.endsWith('completions'))) await new Promise((resolve) => setTimeout(resolve, 10));
    abort.abort();
    await run.catch(() => undefined);
    await session.usage.settled();
    const [row] = session.store.read((r) => r.requestLog.latest(session.userId, configurationId, 5));
    assert.equal(row?.outcome, 'cancelled');
    assert.deepEqual([row.inputTokens, row.outputTokens, row.tokensEstimated], [0, 0, false]);
  });
});

import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderError, ProviderRegistry, type AIProvider } from '../../../src/core/providers';
import { createConfigurationServices, type ConfigurationServices } from '../../../src/core/services';
import { handlePanelMessage, PanelRequests } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { capturingLogger, open, tempFolder } from '../store/helpers';
import { until } from '../../helpers/until';

/** How the chat endpoint misbehaves; the model list always answers at once. */
type Mode = 'keep-alive' | 'trickle' | 'tokens' | 'empty' | 'anthropic-empty' | 'gemini-empty' | 'ollama-empty';

interface SlowServer {
  readonly url: string;
  mode: Mode;
  /** Chat responses the client closed before they ended. */
  readonly closedByClient: () => number;
  readonly chats: () => number;
  close(): Promise<void>;
}

const event = (text: string): string => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: text } }] })}\n\n`;

/** An OpenAI-compatible loopback server whose streamed chats send keep-alive comments only, trickle bytes, or keep producing tokens. */
async function startSlowServer(): Promise<SlowServer> {
  let closed = 0;
  let chats = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (req.url?.endsWith('/models')) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'slow-model', object: 'model' }] }));
      return;
    }
    chats++;
    const mode = state.mode;
    res.writeHead(200, { 'content-type': mode === 'ollama-empty' ? 'application/x-ndjson' : 'text/event-stream', 'cache-control': 'no-cache' });
    // A trickled event: one byte at a time, so that an event is never complete within the idle limit.
    const trickle = event('never completes in time');
    let sent = 0;
    let tokens = 0;
    const timer = setInterval(() => {
      if (mode === 'keep-alive') res.write(': keep-alive\n\n');
      else if (mode === 'anthropic-empty') res.write(`event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`);
      else if (mode === 'gemini-empty') res.write(`data: ${JSON.stringify({ candidates: [{ content: { role: 'model', parts: [] } }] })}\n\n`);
      else if (mode === 'ollama-empty') res.write(`${JSON.stringify({ model: 'm', message: { role: 'assistant', content: '' }, done: false })}\n`);
      else if (mode === 'empty') res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {} }] })}\n\n`);
      else if (mode === 'trickle') res.write(trickle.charAt(sent++ % trickle.length));
      else if (++tokens <= 15) res.write(event('tok '));
      else {
        res.end(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
        clearInterval(timer);
      }
    }, 100);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
      if (!res.writableEnded) closed++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: SlowServer = {
    url: `http://127.0.0.1:${String(port)}/v1`,
    mode: 'keep-alive',
    closedByClient: () => closed,
    chats: () => chats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  return state;
}

async function chatFailure(provider: AIProvider, target: { config: unknown }): Promise<ProviderError> {
  try {
    const events = provider.chat(target, { messages: [{ role: 'user', content: 'hi' }] }, { retry: false });
    for await (const e of events) assert.ok(e.type !== 'finish', 'the stream must not finish');
  } catch (error) {
    assert.ok(error instanceof ProviderError, String(error));
    return error;
  }
  assert.fail('the chat should have failed');
}

describe('slow servers: keep-alives and trickled bytes do not hold a request open', function () {
  this.timeout(30_000);
  let server: SlowServer;
  // Short limits for the test; the upper bounds asserted below are generous, far under the fixed 900 s of old.
  const http = new HttpClient({ timeouts: { headersMs: 800, bodyMs: 800, totalMs: 60_000 }, retry: { maxAttempts: 1 } });
  const registry = new ProviderRegistry({ http });
  let provider: AIProvider;
  let target: { config: unknown };

  before(async () => {
    server = await startSlowServer();
    provider = await registry.get('openai-compatible');
    const parsed = await registry.parseConfig('openai-compatible', { model: 'slow-model', baseUrl: server.url });
    assert.ok(parsed.ok);
    target = { config: parsed.config };
  });
  after(async () => {
    await http.close();
    await server.close();
  });

  it('a chat whose stream sends only keep-alive comments ends with a clear timeout, not after the total limit', async () => {
    server.mode = 'keep-alive';
    const started = performance.now();
    const error = await chatFailure(provider, target);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /sent no content for 0\.8 s/);
    assert.ok(performance.now() - started < 15_000, 'ended long before the 60 s total');
  });

  it('a chat whose server trickles one byte at a time, never a whole event, ends with a clear timeout', async () => {
    server.mode = 'trickle';
    const started = performance.now();
    const error = await chatFailure(provider, target);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /sent no content for 0\.8 s/);
    assert.ok(performance.now() - started < 15_000);
  });

  it('a chat whose stream sends only empty events (no text, no tool call, no end) ends with a clear timeout', async () => {
    server.mode = 'empty';
    const started = performance.now();
    const error = await chatFailure(provider, target);
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /sent no content for 0\.8 s/);
    assert.ok(performance.now() - started < 15_000, 'ended long before the 60 s total');
  });

  it('an Anthropic chat whose stream sends only events without content ends with a clear timeout', async () => {
    server.mode = 'anthropic-empty';
    const anthropic = await registry.get('anthropic');
    const parsed = await registry.parseConfig('anthropic', { model: 'claude-x', baseUrl: server.url.replace(/\/v1$/, '') });
    assert.ok(parsed.ok);
    const started = performance.now();
    const error = await chatFailure(anthropic, { config: parsed.config, apiKey: 'k' } as { config: unknown });
    assert.equal(error.kind, 'timeout');
    assert.match(error.message, /sent no content for 0\.8 s/);
    assert.ok(performance.now() - started < 15_000, 'ended long before the 60 s total');
  });

  for (const [mode, providerId, settings] of [
    ['gemini-empty', 'gemini', { model: 'gemini-x' }],
    ['ollama-empty', 'ollama', { model: 'llama3.2' }],
  ] as const) {
    it(`a ${providerId} chat whose stream sends only messages without content ends with a clear timeout`, async () => {
      server.mode = mode;
      const other = await registry.get(providerId);
      const parsed = await registry.parseConfig(providerId, { ...settings, baseUrl: server.url.replace(/\/v1$/, '') });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      const started = performance.now();
      const error = await chatFailure(other, { config: parsed.config, apiKey: 'k' } as { config: unknown });
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /sent no content for 0\.8 s/);
      assert.ok(performance.now() - started < 15_000, 'ended long before the 60 s total');
    });
  }

  it('an answer that keeps producing tokens may run longer than the idle limit', async () => {
    server.mode = 'tokens';
    let text = '';
    for await (const e of provider.chat(target, { messages: [{ role: 'user', content: 'hi' }] }, { retry: false })) if (e.type === 'text') text += e.text;
    assert.equal(text, 'tok '.repeat(15), 'fifteen tokens over 1.5 s, each within 0.8 s of the last');
  });

  describe('a connection test as a whole', () => {
    let services: ConfigurationServices;
    let folder: { path: string; remove(): void };
    let close: () => Promise<void>;
    // An idle limit far beyond the test's bound: the bound alone must end the test.
    const lenient = new HttpClient({ timeouts: { headersMs: 60_000, bodyMs: 60_000, totalMs: 600_000 }, retry: { maxAttempts: 1 } });

    before(async () => {
      folder = tempFolder();
      const logger = capturingLogger();
      const { store } = await open(`${folder.path}/mm.sqlite`, { logger });
      const user = await store.write((r) => r.users.ensureLocalUser());
      const encryption = new EncryptionService(store, new InMemoryKeySource(), { logger });
      await encryption.initialize();
      services = createConfigurationServices({ store, encryption, userId: user.id, providers: new ProviderRegistry({ http: lenient, logger }), logger, callsPerMinute: 100, connectionTestMs: 2_000 });
      close = async () => {
        services.dispose();
        await store.close();
        await lenient.close();
        folder.remove();
      };
    });
    after(async () => {
      await close();
    });

    for (const mode of ['keep-alive', 'trickle'] as const) {
      it(`ends at its bound with a timeout failure when the server sends ${mode === 'keep-alive' ? 'only keep-alive comments' : 'one byte at a time'}`, async () => {
        server.mode = mode;
        const closedBefore = server.closedByClient();
        const started = performance.now();
        const result = await services.providerAccess.testDraft({ provider: 'openai-compatible', settings: { model: 'slow-model', baseUrl: server.url } });
        assert.equal(result.ok, false);
        assert.equal(result.failure?.kind, 'timeout');
        assert.match(result.failure.message, /did not finish within 2 s/);
        assert.ok(performance.now() - started < 20_000, 'ended long before the 60 s idle limit');
        await until('the stream to be closed', () => server.closedByClient() > closedBefore);
      });
    }

    it('a test from the panel is stopped by a cancel message: it answers "cancelled" and the provider connection is closed', async () => {
      server.mode = 'keep-alive';
      const session = { configurations: services.configurations, providerAccess: services.providerAccess, keys: services.keys } as unknown as StoreSession;
      const requests = new PanelRequests();
      const closedBefore = server.closedByClient();
      const chatsBefore = server.chats();
      const answer = handlePanelMessage({ session, templates: () => Promise.resolve([]) }, {
        kind: 'request',
        id: 7,
        method: 'configurations.test',
        params: { draft: { provider: 'openai-compatible', settings: { model: 'slow-model', baseUrl: server.url } } },
      }, () => undefined, requests);
      await until('the test to reach the streaming step', () => server.chats() > chatsBefore);
      assert.equal(await handlePanelMessage({ session, templates: () => Promise.resolve([]) }, { kind: 'cancel', id: 7 }, () => undefined, requests), undefined, 'a cancel has no answer of its own');
      const response = await answer;
      assert.ok(response && !response.ok, 'an error answer');
      assert.equal(response.error.code, 'cancelled');
      await until('the stream to be closed', () => server.closedByClient() > closedBefore);
      assert.equal(requests.size, 0);
    });

    it('a malformed cancel message is not a cancel: it is dropped and stops nothing', () => {
      const requests = new PanelRequests();
      assert.equal(requests.cancel({ kind: 'cancel', id: -1 }), false);
      assert.equal(requests.cancel({ kind: 'cancel', id: 1, extra: true }), false);
      assert.equal(requests.cancel({ kind: 'cancel' }), false);
      assert.equal(requests.cancel({ kind: 'cancel', id: 3 }), true, 'a well-formed one for an id that is not running is accepted and does nothing');
    });
  });
});

import * as assert from 'node:assert/strict';
import { HttpClient } from '../../../src/core/http';
import type { AIProvider, ProviderTarget } from '../../../src/core/providers';
import type { Emulator } from '../../emulators';
import { until } from '../../helpers/until';
import type { Subject } from '../helpers/providerSubject';
import { closedPort, collectChat, hello, LOAD_SLACK_MS, rejectsWith, testLimits, testTimeouts } from './harness';

/** Every adapter × {test, list, chat streaming, chat non-streaming, cancel, every fault}, against its emulator. */
export function describeContract<C>(subject: Subject<C>): void {
  describe(`${subject.name} adapter against its emulator`, () => {
    let emulator: Emulator;
    let provider: AIProvider<C>;
    let target: ProviderTarget<C>;
    let http: HttpClient;

    before(async () => {
      ({ emulator, provider, target, http } = await subject.start());
    });
    after(async () => {
      await http.close();
      await emulator.close();
    });

    const chatRequests = (): number => emulator.requests.filter((r) => subject.chatPath.test(r.path)).length;

    describe('testConnection', () => {
      it('reports reachable, authenticated, model found and streaming for a good configuration', async () => {
        const result = await provider.testConnection(target);
        assert.equal(result.ok, true, result.hint);
        assert.deepEqual([result.reachable, result.authenticated, result.modelFound, result.streaming], [true, true, true, true]);
        assert.ok(result.latencyMs >= 0 && result.latencyMs < 1_000 + LOAD_SLACK_MS);
        // The streamed one-token reply is billed: its usage (the recording's, sent at the end) comes back.
        assert.ok(result.usage && result.usage.input > 0, 'the test reports the tokens its reply used');
      });

      it('stops reading a reply that never ends once streaming is proven, within the grace for its usage', async () => {
        emulator.inject({ endless: true, path: subject.chatPath });
        const started = performance.now();
        // A grace shorter than the test client's timeouts: the cut-off, not a timeout, ends the reading.
        const result = await provider.testConnection(target, { usageGraceMs: 150 });
        assert.equal(result.ok, true, result.hint);
        const took = performance.now() - started;
        assert.ok(took >= 150 && took < 1_000, `took ${String(took)} ms`);
        await until('the client to close the stream', () => emulator.closedByClient.length > 0, LOAD_SLACK_MS);
      });

      it('reports an unknown model without streaming', async () => {
        const result = await provider.testConnection(subject.withModel(target, 'no-such-model-1'));
        assert.equal(result.ok, false);
        assert.equal(result.modelFound, false);
        assert.match(result.hint, /no-such-model-1/);
      });

      if (subject.withKey) {
        const withKey = subject.withKey.bind(subject);
        it('reports a rejected key as not authenticated, with the provider code and a hint, and no key in sight', async () => {
          const wrong = 'wrong-key-abcdefghijklmnop';
          const result = await provider.testConnection(withKey(target, wrong));
          assert.equal(result.ok, false);
          assert.equal(result.reachable, true);
          assert.equal(result.authenticated, false);
          assert.equal(result.failure?.kind, 'auth');
          assert.ok(result.failure.code, 'provider error code');
          assert.equal(result.hint, 'Check the key or its project.');
          assert.ok(!JSON.stringify(result).includes(wrong), 'the key leaked into the result');
        });
      }

      it('tells a refused connection apart', async () => {
        const result = await provider.testConnection(subject.withBaseUrl(target, `http://127.0.0.1:${String(await closedPort())}${subject.basePath}`));
        assert.equal(result.failure?.kind, 'refused');
        assert.equal(result.reachable, false);
      });

      it('tells a TLS failure apart (https to a plain HTTP server)', async () => {
        const result = await provider.testConnection(subject.withBaseUrl(target, `${emulator.url.replace('http:', 'https:')}${subject.basePath}`));
        assert.equal(result.failure?.kind, 'tls');
      });

      it('tells a timeout apart', async () => {
        emulator.inject({ stall: 'headers' });
        const started = performance.now();
        const result = await provider.testConnection(target);
        assert.equal(result.failure?.kind, 'timeout');
        assert.ok(performance.now() - started < testTimeouts.headersMs + LOAD_SLACK_MS);
      });

      it('tells 429 apart, with the Retry-After, without retrying', async () => {
        emulator.inject({ status: 429, retryAfter: '7' });
        const before = emulator.requests.length;
        const result = await provider.testConnection(target);
        assert.equal(result.failure?.kind, 'rate-limited');
        assert.equal(result.failure.retryAfterMs, 7_000);
        assert.match(result.hint, /^Retry in 7 s/);
        assert.equal(emulator.requests.length - before, 1);
      });

      it('tells a 5xx apart', async () => {
        emulator.inject({ status: 503 });
        const result = await provider.testConnection(target);
        assert.equal(result.failure?.kind, 'server');
        assert.equal(result.failure.status, 503);
      });

      it('tells a 403 apart', async () => {
        emulator.inject({ status: 403 });
        const result = await provider.testConnection(target);
        assert.equal(result.failure?.kind, 'forbidden');
        assert.equal(result.authenticated, false);
      });
    });

    describe('listModels', () => {
      it('lists the models, including the configured one', async () => {
        const models = await provider.listModels(target, { refresh: true });
        assert.ok(models.length > 0);
        assert.ok(models.every((m) => typeof m.id === 'string' && m.id !== ''));
      });

      it('serves a second call from the cache and coalesces identical calls in flight', async () => {
        const before = emulator.requests.length;
        const [a, b] = await Promise.all([provider.listModels(target, { refresh: true }), provider.listModels(target, { refresh: true })]);
        const fetched = emulator.requests.length - before;
        assert.equal(a, b);
        const c = await provider.listModels(target);
        assert.equal(c, a);
        assert.equal(emulator.requests.length - before, fetched);
      });
    });

    describe('chat', () => {
      it('streams the recorded text, usage and finish reason', async () => {
        const outcome = await collectChat(provider, target, hello);
        assert.equal(outcome.text, subject.streamedText);
        assert.ok(outcome.usage, 'usage');
        assert.ok(outcome.finish, 'finish');
        assert.equal(outcome.events.at(-1)?.type, 'finish');
      });

      it('answers without streaming, as the same kinds of events', async () => {
        const outcome = await collectChat(provider, target, { ...hello, stream: false });
        assert.ok(outcome.text.length > 0);
        assert.ok(outcome.usage);
        assert.ok(outcome.finish);
      });

      it('is cancelled by its AbortSignal, which closes the upstream connection', async () => {
        const controller = new AbortController();
        emulator.inject({ endless: true });
        const before = emulator.closedByClient.length;
        const run = (async () => {
          for await (const event of provider.chat(target, hello, { signal: controller.signal })) {
            if (event.type === 'text') controller.abort();
          }
        })();
        await rejectsWith(run, 'cancelled');
        await until('the client to close the stream', () => emulator.closedByClient.length > before, LOAD_SLACK_MS);
      });

      it('closes the upstream connection when the consumer stops reading', async () => {
        emulator.inject({ endless: true });
        const before = emulator.closedByClient.length;
        for await (const event of provider.chat(target, hello)) {
          if (event.type === 'text') break;
        }
        await until('the client to close the stream', () => emulator.closedByClient.length > before, LOAD_SLACK_MS);
      });
    });

    describe('faults', () => {
      const chat = (request = hello) => collectChat(provider, target, request, { retry: false });

      it('retries a 503 that names its Retry-After, and then succeeds', async () => {
        emulator.inject({ status: 503, retryAfter: '0' });
        const before = chatRequests();
        const outcome = await collectChat(provider, target, hello);
        assert.equal(outcome.text, subject.streamedText);
        assert.equal(chatRequests() - before, 2);
      });

      it('honours Retry-After on a 429 before retrying', async () => {
        emulator.inject({ status: 429, retryAfter: '1' });
        const started = performance.now();
        await collectChat(provider, target, hello);
        assert.ok(performance.now() - started >= 950, 'waited the Retry-After');
      });

      it('never repeats a chat that failed with a 500: the provider may have started (and billed) it', async () => {
        emulator.inject({ status: 500 });
        const before = chatRequests();
        await rejectsWith(collectChat(provider, target, hello), 'server');
        assert.equal(chatRequests() - before, 1);
      });

      it('gives up after its attempts on repeated 429s with Retry-After', async () => {
        emulator.inject({ status: 429, retryAfter: '0' }, 3);
        const before = chatRequests();
        await rejectsWith(collectChat(provider, target, hello), 'rate-limited');
        assert.equal(chatRequests() - before, 3);
      });

      for (const status of [400, 401, 403, 404]) {
        it(`never retries a ${String(status)}`, async () => {
          emulator.inject({ status });
          const before = chatRequests();
          await assert.rejects(collectChat(provider, target, hello));
          assert.equal(chatRequests() - before, 1);
        });
      }

      it('tolerates a delay shorter than the timeout', async () => {
        emulator.inject({ delayMs: 100 });
        assert.equal((await chat()).text, subject.streamedText);
      });

      it('ends a stall before the headers with a timeout', async () => {
        emulator.inject({ stall: 'headers' });
        await rejectsWith(chat(), 'timeout', testTimeouts.headersMs + LOAD_SLACK_MS);
      });

      it('ends a stall mid-stream with a timeout', async () => {
        emulator.inject({ stall: 'body' });
        await rejectsWith(chat(), 'timeout', testTimeouts.bodyMs + LOAD_SLACK_MS);
      });

      it('ends a stall mid-body of a non-streamed answer with a timeout', async () => {
        emulator.inject({ stall: 'body' });
        await rejectsWith(chat({ ...hello, stream: false }), 'timeout', testTimeouts.bodyMs + LOAD_SLACK_MS);
      });

      it('reports a stream dropped mid-way as an error, not a short answer', async () => {
        emulator.inject({ dropAfterEvents: 2 });
        const error = await rejectsWith(chat(), 'network');
        assert.match(error.hint, /connection dropped/);
      });

      it('reports malformed JSON in the stream', async () => {
        emulator.inject({ malformedJson: true });
        const error = await rejectsWith(chat(), 'bad-response');
        assert.match(error.message, /not valid JSON/);
      });

      it('reports malformed JSON in a non-streamed answer', async () => {
        emulator.inject({ malformedJson: true });
        await rejectsWith(chat({ ...hello, stream: false }), 'bad-response');
      });

      it('stops a 100 MB answer at the size limit', async () => {
        emulator.inject({ oversizeBytes: 100 * 1024 * 1024 });
        const before = process.memoryUsage().rss;
        await rejectsWith(chat({ ...hello, stream: false }), 'too-large');
        assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory stayed bounded');
      });

      it('stops a 100 MB stream event at the event size limit', async () => {
        emulator.inject({ oversizeBytes: 100 * 1024 * 1024 });
        await rejectsWith(chat(), 'too-large');
      });

      it('ends an endless stream within the total timeout or size limit', async () => {
        // A client of its own with a short total limit: the same bound, reached in 1.5 s instead of the usual 6 s.
        const totalMs = 1_500;
        const brief = new HttpClient({ timeouts: { ...testTimeouts, totalMs }, limits: testLimits, retry: { maxAttempts: 1 } });
        try {
          emulator.inject({ endless: true });
          const started = performance.now();
          await assert.rejects(collectChat(subject.createProvider({ http: brief }), target, hello, { retry: false }));
          assert.ok(performance.now() - started < totalMs + LOAD_SLACK_MS);
        } finally {
          await brief.close();
        }
      });

      it('rejects a wrong content type with a hint about the base URL', async () => {
        emulator.inject({ contentType: 'text/html; charset=utf-8' });
        const error = await rejectsWith(chat(), 'bad-response');
        assert.match(error.message, /text\/html/);
      });

      it('decodes gzip and brotli responses, streamed or not', async () => {
        emulator.inject({ encoding: 'gzip' });
        assert.equal((await chat()).text, subject.streamedText);
        emulator.inject({ encoding: 'br' });
        assert.equal((await chat()).text, subject.streamedText);
        emulator.inject({ encoding: 'gzip' });
        assert.ok((await chat({ ...hello, stream: false })).text.length > 0);
      });

      it('fails listing models on a fault like any other call', async () => {
        emulator.inject({ malformedJson: true });
        await rejectsWith(provider.listModels(target, { refresh: true, retry: false }), 'bad-response');
      });
    });
  });
}

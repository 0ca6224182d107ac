import * as assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import type { HttpClient } from '../../../src/core/http';
import { ProviderError } from '../../../src/core/providers';
import { createProvider, OpenAIConfig } from '../../../src/core/providers/openai';
import { collectChat, hello, rejectsWith, testClient, testTimeouts } from './harness';

const CANARY = 'sk-canary-0123456789abcdefXYZ';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface Scripted {
  readonly url: string;
  handle: Handler;
  /** Chat responses the client closed before they ended. */
  readonly closedByClient: () => number;
  readonly paths: string[];
  close(): Promise<void>;
}

/** A loopback server whose every answer is written by the test. */
async function scripted(): Promise<Scripted> {
  let closed = 0;
  const paths: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    req.resume();
    paths.push(req.url ?? '');
    res.on('close', () => {
      if (!res.writableEnded) closed++;
    });
    state.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: Scripted = {
    url: `http://127.0.0.1:${String(port)}/v1`,
    handle: (_req, res) => res.writeHead(500).end(),
    closedByClient: () => closed,
    paths,
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

const sse = (data: unknown): string => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
const delta = (content: string): string => sse({ choices: [{ index: 0, delta: { content } }] });
const stop = sse({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });

/** Writes the parts one per write, each after a short pause, so that each arrives as its own read. */
function trickle(res: ServerResponse, parts: readonly (string | Buffer)[], end = true): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  let i = 0;
  const timer = setInterval(() => {
    if (res.destroyed) {
      clearInterval(timer);
      return;
    }
    if (i < parts.length) {
      res.write(parts[i++]);
      return;
    }
    clearInterval(timer);
    if (end) res.end();
  }, 2);
}

/** An endless stream of the same frame, every 50 ms, until the client goes away. */
function endless(res: ServerResponse, frame: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const timer = setInterval(() => {
    if (res.destroyed) clearInterval(timer);
    else res.write(frame);
  }, 50);
  res.on('close', () => {
    clearInterval(timer);
  });
}

describe('the OpenAI adapter facing a hostile stream', () => {
  let server: Scripted;
  let http: HttpClient;
  const target = (model = 'gpt-4.1-nano'): { config: OpenAIConfig; apiKey: string } => ({ config: z.parse(OpenAIConfig, { baseUrl: server.url, model }), apiKey: CANARY });

  beforeEach(async () => {
    server = await scripted();
    http = testClient();
  });

  afterEach(async () => {
    await server.close();
    await http.close();
  });

  it('reads an answer trickled one byte per read, a UTF-8 character and a CRLF split across reads', async () => {
    const text = 'héllo 🙂 wörld';
    const body = Buffer.from(`${delta(text).replace(/\n/g, '\r\n')}${stop.replace(/\n/g, '\r\n')}data: [DONE]\r\n\r\n`);
    server.handle = (_req, res) => {
      trickle(res, [...body].map((b) => Buffer.from([b])));
    };
    const outcome = await collectChat(createProvider({ http }), target(), hello);
    assert.equal(outcome.text, text);
    assert.equal(outcome.finish?.reason, 'stop');
  });

  for (const [what, frame] of [
    ['empty lines', '\n\n\n'],
    ['comments', ': keep-alive\n\n'],
    ['empty deltas', delta('')],
    ['empty reasoning deltas', sse({ choices: [{ index: 0, delta: { reasoning_content: '' } }] })],
    ['finish reasons with nothing else', sse({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })],
  ] as const) {
    it(`times out on an endless stream of ${what}`, async () => {
      server.handle = (_req, res) => {
        endless(res, frame);
      };
      // The idle limit (bodyMs), not the total deadline: in use that is 15 minutes of a stream that says nothing.
      await rejectsWith(collectChat(createProvider({ http }), target(), hello, { retry: false }), 'timeout', testTimeouts.totalMs - 1_000);
    });
  }

  it('times out when the stream goes on and on after [DONE]', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`${delta('hi')}${stop}data: [DONE]\n\n`);
      const timer = setInterval(() => res.write(': more\n\n'), 50);
      res.on('close', () => {
        clearInterval(timer);
      });
    };
    // The answer was complete at [DONE]: a server that then never closes must not hold it (or turn it into an error).
    const outcome = await collectChat(createProvider({ http }), target(), hello, { retry: false });
    assert.equal(outcome.text, 'hi');
  });

  it('refuses one event over maxEventBytes, whether it comes in one read or many', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(delta('x'.repeat(300 * 1024)));
    };
    await rejectsWith(collectChat(createProvider({ http }), target(), hello, { retry: false }), 'too-large');
    server.handle = (_req, res) => {
      const lines = Array.from({ length: 40 }, () => `data: ${'y'.repeat(8 * 1024)}\n`);
      trickle(res, lines);
    };
    await rejectsWith(collectChat(createProvider({ http }), target(), hello, { retry: false }), 'too-large');
  });

  it('takes the last event of a stream that ends without [DONE] or a final newline', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${delta('hi')}data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}`);
    };
    const outcome = await collectChat(createProvider({ http }), target(), hello, { retry: false });
    assert.equal(outcome.text, 'hi');
    assert.equal(outcome.finish?.reason, 'stop');
  });

  it('says a stream that ends mid-event ended early', async () => {
    server.handle = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${delta('hi')}data: {"choices":[{"index":0,"del`);
    };
    const error = await rejectsWith(collectChat(createProvider({ http }), target(), hello, { retry: false }), 'bad-response');
    assert.doesNotMatch(error.message, /canary/);
  });

  describe('a canary key echoed by the provider', () => {
    const echoes = {
      message: `Incorrect API key provided: ${CANARY}.`,
      type: CANARY,
      code: CANARY,
      param: CANARY,
    };

    function assertClean(error: unknown): void {
      const text = JSON.stringify({ message: (error as Error).message, ...(error as object) });
      assert.doesNotMatch(text, /canary/i, text);
    }

    it('never reaches the error of a 4xx or 5xx JSON body', async () => {
      for (const status of [400, 401, 429, 500]) {
        server.handle = (_req, res) => {
          res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' }).end(JSON.stringify({ error: echoes, key: CANARY }));
        };
        const error = await collectChat(createProvider({ http }), target(), hello, { retry: false }).then(
          () => assert.fail('no error'),
          (e: unknown) => e,
        );
        assertClean(error);
      }
    });

    it('never reaches the error of a text error body', async () => {
      server.handle = (_req, res) => {
        res.writeHead(502, { 'content-type': 'text/plain' }).end(`bad gateway for key ${CANARY}`);
      };
      assertClean(await collectChat(createProvider({ http }), target(), hello, { retry: false }).then(() => assert.fail('no error'), (e: unknown) => e));
    });

    it('never reaches the error of a mid-stream error chunk, before or after text', async () => {
      for (const before of ['', delta('partial ')]) {
        server.handle = (_req, res) => {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.end(`${before}${sse({ error: echoes })}`);
        };
        assertClean(await collectChat(createProvider({ http }), target(), hello, { retry: false }).then(() => assert.fail('no error'), (e: unknown) => e));
      }
    });

    it('never reaches the answer, its reasoning, a tool call or the finish reason, however the stream splits it', async () => {
      const answer = `Your key is ${CANARY} and in hex ${Buffer.from(CANARY).toString('hex')}; bye.`;
      const pieces = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));
      for (const size of [1, 3, 7, 64]) {
        server.handle = (_req, res) => {
          trickle(res, [
            ...pieces(`thinking about ${CANARY}`, size).map((p) => sse({ choices: [{ index: 0, delta: { reasoning_content: p } }] })),
            ...pieces(answer, size).map(delta),
            sse({ choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: `call_${CANARY}`, type: 'function', function: { name: `fn_${CANARY}`, arguments: `{"key":"${CANARY}"}` } }] } }] }),
            sse({ choices: [{ index: 0, delta: {}, finish_reason: CANARY }] }),
            'data: [DONE]\n\n',
          ]);
        };
        const outcome = await collectChat(createProvider({ http }), target(), hello, { retry: false });
        const seen = JSON.stringify(outcome.events);
        assert.doesNotMatch(seen, /canary|0123456789abcdef/i, `pieces of ${String(size)}: ${seen}`);
        assert.equal(outcome.text, 'Your key is [redacted] and in hex [redacted]; bye.');
        const reasoning = outcome.events.map((e) => (e.type === 'reasoning' ? e.text : '')).join('');
        assert.equal(reasoning, 'thinking about [redacted]');
        const call = outcome.events.find((e) => e.type === 'tool-call');
        assert.deepEqual(call?.type === 'tool-call' ? call.call.arguments : undefined, '{"key":"[redacted]"}');
      }
    });

    it('never reaches a model list: an id, a name or an owner that quotes it', async () => {
      server.handle = (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: `gpt-${CANARY}`, object: 'model', owned_by: CANARY }, { id: 'gpt-4o-mini', object: 'model', owned_by: 'openai' }] }));
      };
      const models = await createProvider({ http }).listModels(target(), { retry: false });
      assert.doesNotMatch(JSON.stringify(models), /canary/i);
      assert.deepEqual(models.map((m) => m.id).sort(), ['gpt-4o-mini', 'gpt-[redacted]']);
    });

    it('never reaches the error of a broken JSON event that quotes it', async () => {
      server.handle = (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`data: {"key":"${CANARY}"\n\n`);
      };
      assertClean(await collectChat(createProvider({ http }), target(), hello, { retry: false }).then(() => assert.fail('no error'), (e: unknown) => e));
    });
  });

  it('falls back once to the Responses API on a 404 that names it, and reports the fallback\'s own failure', async () => {
    server.handle = (req, res) => {
      if (req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'This model is only supported in v1/responses and not in v1/chat/completions.', type: 'invalid_request_error', code: null } }));
      } else {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' }).end(JSON.stringify({ error: { message: 'Rate limit reached for the responses model', type: 'requests', code: 'rate_limit_exceeded' } }));
      }
    };
    const error = await rejectsWith(collectChat(createProvider({ http }), target('gpt-new-responses-only'), hello, { retry: false }), 'rate-limited');
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limit_exceeded');
    assert.equal(error.retryAfterMs, 7000);
    assert.match(error.message, /Rate limit reached for the responses model/);
    assert.deepEqual(server.paths, ['/v1/chat/completions', '/v1/responses']);
  });

  it('asks the Responses API directly once a model was found there, and never falls back on a 404 that does not name it', async () => {
    let named = true;
    server.handle = (req, res) => {
      if (req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: named ? 'Only supported in v1/responses.' : 'The model does not exist.', type: 'invalid_request_error', code: named ? null : 'model_not_found' } }));
      } else {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(`event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', delta: 'hi' })}\n\nevent: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 3, output_tokens: 1 } } })}\n\n`);
      }
    };
    const openai = createProvider({ http });
    assert.equal((await collectChat(openai, target('gpt-learned'), hello, { retry: false })).text, 'hi');
    assert.equal((await collectChat(openai, target('gpt-learned'), hello, { retry: false })).text, 'hi');
    assert.deepEqual(server.paths, ['/v1/chat/completions', '/v1/responses', '/v1/responses']);
    server.paths.length = 0;
    named = false;
    await rejectsWith(collectChat(openai, target('gpt-missing'), hello, { retry: false }), 'unknown-model');
    assert.deepEqual(server.paths, ['/v1/chat/completions']);
  });

  it('refuses an image whose bytes are not its declared type before anything is sent, on the chat and the Responses paths', async () => {
    const request = { messages: [{ role: 'user' as const, content: 'What is this?', images: [{ mimeType: 'image/png', data: Buffer.from('GIF89a not a png at all').toString('base64') }] }] };
    for (const model of ['gpt-4.1-nano', 'gpt-new-responses-only']) {
      const error = await collectChat(createProvider({ http }), target(model), request, { retry: false }).then(() => assert.fail('the image was sent'), (e: unknown) => e);
      assert.ok(error instanceof ProviderError, String(error));
      assert.match(error.message, /not sent/);
    }
    assert.deepEqual(server.paths, []);
  });
});

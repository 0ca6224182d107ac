import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startEndpoint, type EndpointDeps, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { RoutingError } from '../../../src/core/routing/errors';
import type { ChatEvent } from '../../../src/core/providers';
import { until } from '../../helpers/until';

const TOKEN = 'mm-client-canary-hostile-41c9';

interface RawAnswer {
  readonly status: number;
  readonly body: string;
  readonly closed?: boolean;
}

/**
 * Requests no SDK would send, written on a plain socket: what the endpoint answers (or that it answers at all) when a
 * client trickles its body, nests JSON past any sensible depth, or its upstream fails in an unusual way.
 */
describe('the local endpoint, with hostile clients', () => {
  let endpoint: RunningEndpoint;
  let chat: EndpointDeps['chat'];
  let countTokens: EndpointDeps['countTokens'];

  before(async () => {
    const deps: EndpointDeps = {
      models: () => [{ id: 'team-gpt', groupId: 'configuration:gpt', created: 1_700_000_000 }],
      chat: (groupId, request, options) => chat(groupId, request, options),
      authenticate: (token) => Promise.resolve(token === TOKEN ? { id: 'c1', name: 'test client', scope: 'chat' as const } : undefined),
      countTokens: (groupId, request) => countTokens(groupId, request),
      maxBodyBytes: 1024 * 1024,
      bodyTimeoutMs: 300,
    };
    endpoint = await startEndpoint(deps, { port: 0 });
  });

  after(async () => {
    await endpoint.close();
  });

  beforeEach(() => {
    countTokens = () => Promise.resolve(1);
    chat = async function* (): AsyncIterable<ChatEvent> {
      await Promise.resolve();
      yield { type: 'text', text: 'hello' };
      yield { type: 'finish', reason: 'stop', providerReason: 'stop' };
    };
  });

  /** Sends `head` and `body` as written, resolves with the status and body of the answer when the server closes or answers. */
  function raw(head: string, body: string, options: { readonly endAfterBody?: boolean; readonly tolerateReset?: boolean } = {}): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const socket = connect(endpoint.port, '127.0.0.1', () => {
        socket.write(head + '\r\n' + body);
        if (options.endAfterBody === true) socket.end();
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        text += chunk;
      });
      socket.on('error', (error) => {
        if (options.tolerateReset !== true) reject(error);
      });
      socket.on('close', () => {
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        resolve({ status, body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n'), closed: true });
      });
    });
  }

  function post(path: string, body: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
    const all = { host: `127.0.0.1:${String(endpoint.port)}`, authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...headers };
    const head = `POST ${path} HTTP/1.1\r\n` + Object.entries(all).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    return raw(head, body);
  }

  it('answers 408 to a client that never finishes its body instead of waiting for it forever', async function () {
    this.timeout(20_000);
    const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${String(endpoint.port)}\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n`;
    const answer = await raw(head, '{"model":');
    assert.equal(answer.status, 408);
    assert.ok(!answer.body.includes(TOKEN));
  });

  it('refuses JSON nested past any request\'s need with 400, in each API\'s shape', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const openai = await post('/v1/chat/completions', `{"model":"team-gpt","messages":[{"role":"assistant","content":"","tool_calls":[{"id":"a","function":{"name":"f","arguments":${deep}}}]}]}`);
    assert.equal(openai.status, 400);
    assert.match((JSON.parse(openai.body) as { error: { message: string } }).error.message, /nested/);
    const anthropic = await post('/v1/messages', `{"model":"team-gpt","max_tokens":10,"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"a","name":"f","input":{"x":${deep}}}]}]}`);
    assert.equal(anthropic.status, 400);
    assert.equal((JSON.parse(anthropic.body) as { error: { type: string } }).error.type, 'invalid_request_error');
  });

  it('keeps a request whose JSON is nested as tool schemas are', async () => {
    const schema = '{"type":"object","properties":{"a":'.repeat(20) + '{"type":"string"}' + '}}'.repeat(20);
    const answer = await post('/v1/chat/completions', `{"model":"team-gpt","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`);
    assert.equal(answer.status, 200);
  });

  it('gives a router refusal thrown before the answer starts its own status, not a 500', async () => {
    chat = () => {
      throw new RoutingError('budget', 'The budget "Team" is used up for this month.', { retryAfterMs: 5_000 });
    };
    const answer = await post('/v1/chat/completions', '{"model":"team-gpt","messages":[{"role":"user","content":"hi"}]}');
    assert.equal(answer.status, 429);
    assert.deepEqual((JSON.parse(answer.body) as { error: { message: string; code: string } }).error, { message: 'The budget "Team" is used up for this month.', type: 'insufficient_quota', param: null, code: 'insufficient_quota' });
  });

  it('answers a token count that fails in Anthropic\'s error shape with its own status, not an OpenAI-shaped 500', async () => {
    countTokens = () => Promise.reject(new RoutingError('unknown-group', 'This model is no longer served: GET /v1/models lists the ones that are.'));
    const body = '{"model":"team-gpt","messages":[{"role":"user","content":"hi"}]}';
    const gone = await post('/v1/messages/count_tokens', body);
    assert.equal(gone.status, 404);
    assert.deepEqual(JSON.parse(gone.body), { type: 'error', error: { type: 'not_found_error', message: 'This model is no longer served: GET /v1/models lists the ones that are.' } });
    countTokens = () => Promise.reject(new Error('the store is closed'));
    const broken = await post('/v1/messages/count_tokens', body);
    assert.equal(broken.status, 500);
    assert.equal((JSON.parse(broken.body) as { type?: string }).type, 'error', broken.body);
  });

  it('accepts the loopback Host in any letter case, as host names are', async () => {
    const answer = await post('/v1/chat/completions', '{"model":"team-gpt","messages":[{"role":"user","content":"hi"}]}', { host: `LocalHost:${String(endpoint.port)}` });
    assert.equal(answer.status, 200);
  });

  it('stops reading the upstream while a streaming client reads nothing, so its memory stays bounded', async function () {
    this.timeout(30_000);
    const piece = 'x'.repeat(64 * 1024);
    const cap = 1000;
    let pulled = 0;
    let stopped = false;
    chat = async function* (): AsyncIterable<ChatEvent> {
      // An upstream as fast as a loopback provider: one network turn per delta, until the cap or the client leaves.
      while (pulled < cap && !stopped) {
        await new Promise((resolve) => setImmediate(resolve));
        pulled++;
        yield { type: 'text', text: piece };
      }
      yield { type: 'finish', reason: 'stop', providerReason: 'stop' };
    };
    const body = '{"model":"team-gpt","stream":true,"messages":[{"role":"user","content":"hi"}]}';
    const socket = connect(endpoint.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.pause();
    socket.write(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${String(endpoint.port)}\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ncontent-length: ${String(body.length)}\r\n\r\n${body}`);
    try {
      await until('the stream to start', () => pulled > 0);
      // Long enough for the whole capped upstream (64 MB) to be pulled if nothing holds it back.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      assert.ok(pulled < cap / 4, `${String(pulled)} deltas of 64 KB were read from the upstream for a client that read none`);
    } finally {
      stopped = true;
      socket.destroy();
    }
  });

  it('refuses every Host that only looks like the loopback address, and an Origin of null', async () => {
    const body = '{"model":"team-gpt","messages":[{"role":"user","content":"hi"}]}';
    const port = String(endpoint.port);
    for (const host of [`127.0.0.1.evil.example:${port}`, `localhost:${port}@evil.example`, `evil.example:${port}`, `localhost.:${port}`, `127.0.0.1:${port}.evil.example`, `[::1]:${port}@evil.example`, `127.0.0.1`, `localhost:${String(endpoint.port + 1)}`]) {
      const answer = await post('/v1/chat/completions', body, { host });
      assert.equal(answer.status, 421, host);
    }
    for (const origin of ['null', `http://127.0.0.1:${port}`, 'vscode-webview://x']) {
      assert.equal((await post('/v1/chat/completions', body, { origin })).status, 403, origin);
    }
  });

  it('ends a chunked body that never finishes with 408, and stops reading one that grows past the limit with 413', async function () {
    this.timeout(20_000);
    const head = `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1:${String(endpoint.port)}\r\nauthorization: Bearer ${TOKEN}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n`;
    const trickled = await raw(head, '9\r\n{"model":\r\n');
    assert.equal(trickled.status, 408);
    // Past the limit the endpoint answers and closes while the client still writes: the answer may be cut by a reset.
    const chunk = 'x'.repeat(64 * 1024);
    const huge = await raw(head, `${(chunk.length).toString(16)}\r\n${chunk}\r\n`.repeat(20), { tolerateReset: true });
    assert.ok(huge.status === 413 || huge.status === 0, String(huge.status));
    assert.ok(huge.closed, 'the connection was closed rather than read to its end');
  });
});

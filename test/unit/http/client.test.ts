import * as assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError, redact, redactHeaders } from '../../../src/core/http';
import { startEmulator, type Emulator } from '../../emulators/server';

async function rejectsKind(promise: Promise<unknown>, kind: HttpError['kind']): Promise<HttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
  assert.equal(error.kind, kind, error.message);
  return error;
}

describe('the HTTP client', () => {
  let emulator: Emulator;
  // Short enough that a stall fails in a second, long enough that a loaded 2-core machine never trips them by itself.
  const http = new HttpClient({ timeouts: { headersMs: 750, bodyMs: 750, totalMs: 6_000 }, limits: { maxResponseBytes: 64 * 1024, maxEventBytes: 1024 }, retry: { maxAttempts: 1 } });

  before(async () => {
    emulator = await startEmulator({ name: 'echo', route: (request) => ({ kind: 'json', body: { path: request.path } }), errorBody: (status) => ({ error: { code: status } }) });
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  const get = (path = '/x', signal?: AbortSignal) => http.send({ method: 'GET', url: new URL(`${emulator.url}${path}`), expect: 'json', signal });

  it('keeps connections alive: ten requests in a row reuse the pool', async () => {
    const before = emulator.connections();
    // undici may open a second socket while the first is being released; it never opens one per request.
    for (let i = 0; i < 10; i++) assert.deepEqual(await (await get()).json(), { path: '/x' });
    assert.ok(emulator.connections() - before <= 2, `${String(emulator.connections() - before)} sockets`);
  });

  it('resolves a lookup failure as a DNS error without touching the network', async () => {
    const offline = new HttpClient({
      lookup: (hostname, _options, callback) => {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      },
      retry: { maxAttempts: 1 },
    });
    try {
      const error = await rejectsKind(offline.send({ method: 'GET', url: new URL('http://api.example.invalid/v1/models'), expect: 'json' }), 'dns');
      assert.match(error.message, /api\.example\.invalid/);
    } finally {
      await offline.close();
    }
  });

  it('never shows a query string (where a key may hide) in its errors', async () => {
    emulator.inject({ stall: 'headers' });
    const error = await rejectsKind(get('/v1/models?key=AIzaSecretSecretSecretSecret00'), 'timeout');
    assert.ok(!error.message.includes('AIzaSecret'));
    assert.ok(!error.message.includes('?'));
  });

  it('gives up on a stalled answer within the headers timeout', async () => {
    emulator.inject({ stall: 'headers' });
    const started = performance.now();
    await rejectsKind(get(), 'timeout');
    // The stall is endless: only the timeout ends it (a stalled event loop on a loaded machine may add seconds).
    assert.ok(performance.now() - started < 750 + 4_000);
  });

  it('stops an oversized body at the limit, counted after decompression', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, ' '));
    assert.ok(bomb.length < 100 * 1024);
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(bomb);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await http.send({ method: 'GET', url: new URL(`http://127.0.0.1:${String(port)}/`), expect: 'json' });
      await rejectsKind(response.json(), 'too-large');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('reads a non-2xx body as the error, with its status and Retry-After', async () => {
    emulator.inject({ status: 429, retryAfter: '3' });
    const error = await rejectsKind(get(), 'status');
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 3_000);
    assert.deepEqual(error.body, { error: { code: 429 } });
  });

  it('is cancelled by the caller’s signal', async () => {
    const controller = new AbortController();
    emulator.inject({ stall: 'headers' });
    setTimeout(() => { controller.abort(); }, 30);
    await rejectsKind(get('/x', controller.signal), 'aborted');
  });
});

describe('redaction', () => {
  it('hides any run of 8 or more characters of a key: a fragment, the key without its prefix or in another case, fully percent-encoded', () => {
    const key = '8f3aZq9XvB7mT2pLk4Rw8Yd1c0de5eab';
    const pct = [...Buffer.from(key)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    const echoes = [key.slice(3), key.slice(0, 16), key.slice(16), key.toUpperCase(), pct, pct.toUpperCase(), `https://x/?k=${key.slice(2)}`];
    for (const echo of echoes) {
      const out = redact(`rejected: ${echo} (see docs)`, [key]);
      assert.ok(!/Zq9XvB7m|T2pLk4Rw|Yd1c0de5|k4rw8yd1|%39%58%76/i.test(out), `${echo} -> ${out}`);
      assert.match(out, /^rejected: .*\[redacted\].* \(see docs\)$/);
    }
    assert.equal(redact('invalid_api_key: the key was refused', [key]), 'invalid_api_key: the key was refused', 'ordinary text untouched');
  });

  it('removes the given secret and anything shaped like a key', () => {
    const text = 'key my-secret-value, Bearer abc.def-123, sk-proj-ABCDEFGHijkl1234, AIzaSyA1234567890abcdefghijk, ?key=xyz&alt=sse';
    const out = redact(text, ['my-secret-value']);
    for (const secret of ['my-secret-value', 'abc.def-123', 'ABCDEFGHijkl1234', 'SyA1234567890', 'xyz']) assert.ok(!out.includes(secret), `${secret} in ${out}`);
    assert.match(out, /alt=sse/);
  });

  it('hides secret-bearing headers', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Bearer x', 'x-api-key': 'k', 'x-goog-api-key': 'g', accept: 'text/event-stream' }), {
      Authorization: '[redacted]',
      'x-api-key': '[redacted]',
      'x-goog-api-key': '[redacted]',
      accept: 'text/event-stream',
    });
  });
});

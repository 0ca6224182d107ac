import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpClient, HttpError } from '../../../src/core/http';
import { startEmulator, type Emulator } from '../../emulators/server';

async function failureOf(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof HttpError, `expected an HttpError, got ${String(error)}`);
  return error;
}

/** A port nothing listens on (yet): taken from the OS, then released. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => {
    probe.close(() => {
      resolve();
    });
  });
  return port;
}

describe('retries never bill a chat twice', () => {
  let emulator: Emulator;
  const http = new HttpClient({ timeouts: { headersMs: 300, bodyMs: 300, totalMs: 5_000 }, retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000 } });

  before(async () => {
    emulator = await startEmulator({ name: 'echo', route: () => ({ kind: 'json', body: { ok: true } }), errorBody: (status) => ({ error: { code: status } }) });
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  const post = () => http.send({ method: 'POST', url: new URL(`${emulator.url}/v1/chat/completions`), json: { model: 'm' }, expect: 'json' });
  const get = () => http.send({ method: 'GET', url: new URL(`${emulator.url}/v1/models`), expect: 'json' });

  it('a chat (POST) that answers too slowly once is sent exactly once: the provider may have started and billed it', async () => {
    const before = emulator.requests.length;
    emulator.inject({ delayMs: 1_500 });
    const error = await failureOf(post());
    assert.equal(error.kind, 'timeout');
    assert.equal(emulator.requests.length - before, 1, 'one request reached the server');
  });

  it('a chat (POST) that fails with a 500, or a 503 without Retry-After, is not repeated', async () => {
    for (const status of [500, 503]) {
      const before = emulator.requests.length;
      emulator.inject({ status });
      assert.equal((await failureOf(post())).status, status);
      assert.equal(emulator.requests.length - before, 1, String(status));
    }
  });

  it('a chat (POST) refused with 429 or 503 and a Retry-After is repeated after the wait', async () => {
    for (const status of [429, 503]) {
      const before = emulator.requests.length;
      emulator.inject({ status, retryAfter: '0' });
      assert.deepEqual(await (await post()).json(), { ok: true });
      assert.equal(emulator.requests.length - before, 2, String(status));
    }
  });

  it('a model list (GET) that answers too slowly once is asked again, and the second answer is used', async () => {
    const before = emulator.requests.length;
    emulator.inject({ delayMs: 1_500 });
    assert.deepEqual(await (await get()).json(), { ok: true });
    assert.equal(emulator.requests.length - before, 2);
  });

  it('after several timed-out attempts the message says how many and how long they really took', async () => {
    emulator.inject({ stall: 'headers' }, 3);
    const slow = new HttpClient({ timeouts: { headersMs: 300 }, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1, maxTotalMs: 10_000 } });
    try {
      const error = await failureOf(slow.send({ method: 'GET', url: new URL(`${emulator.url}/v1/models`), expect: 'json' }));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /did not answer within 0\.3 s\. Tried 3 times over (under a second|\d+ s)\./);
    } finally {
      await slow.close();
    }
  });

  it('a chat (POST) whose connection is refused is retried: it never reached the provider', async () => {
    const port = await freePort();
    let server: Server | undefined;
    let lookups = 0;
    let received = 0;
    // Each attempt opens a new connection and resolves the host again: the second attempt finds the server up.
    const client = new HttpClient({
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000 },
      lookup: (_hostname, options, callback) => {
        lookups++;
        const answer = (): void => {
          if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
          else callback(null, '127.0.0.1', 4);
        };
        if (lookups < 2 || server) {
          answer();
          return;
        }
        server = createServer((_req, res) => {
          received++;
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        });
        server.listen(port, '127.0.0.1', answer);
      },
    });
    try {
      const response = await client.send({ method: 'POST', url: new URL(`http://provider.test:${String(port)}/v1/chat/completions`), json: {}, expect: 'json' });
      assert.deepEqual(await response.json(), { ok: true });
      assert.equal(lookups, 2, 'one refused attempt, then one that connected');
      assert.equal(received, 1);
    } finally {
      await client.close();
      server?.closeAllConnections();
      await new Promise<void>((resolve) => {
        if (server) server.close(() => {
          resolve();
        });
        else resolve();
      });
    }
  });
});

import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mock } from 'node:test';
import { buildSync } from 'esbuild';
import { editorProtocol } from '../../../src/protocol';
import type * as RpcClientTypes from '../../../webview/rpc/RpcClient';

type RpcClientModule = typeof RpcClientTypes;

const root = resolve(__dirname, '..', '..', '..', '..');

/** The webview's client is browser code outside the test build: bundle it on the fly (it needs no DOM). */
function loadClient(): RpcClientModule {
  const [output] = buildSync({ entryPoints: [join(root, 'webview', 'rpc', 'RpcClient.ts')], bundle: true, format: 'cjs', platform: 'node', write: false, logLevel: 'silent' }).outputFiles;
  const file = join(mkdtempSync(join(tmpdir(), 'rpc-client-')), 'RpcClient.js');
  writeFileSync(file, output?.text ?? '');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a freshly bundled file, loaded once
  return require(file) as RpcClientModule;
}

const configuration = {
  id: 'c1',
  name: 'Work',
  provider: 'openai',
  model: 'gpt-4o-mini',
  baseUrl: null,
  settings: { model: 'gpt-4o-mini' },
  isActive: true,
  isSelected: true,
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  lastTestedAt: null,
  testStatus: null,
  apiKey: { set: true, readable: true, lastFour: 'abcd' },
  state: 'untested',
};

describe('the webview RPC client', () => {
  const { RpcClient, RpcRequestError } = loadClient();

  function setup(timeoutLog: string[] = []) {
    const sent: { kind: string; id: number; method: string; params: unknown }[] = [];
    let deliver: (data: unknown) => void = () => undefined;
    const client = new RpcClient(
      editorProtocol,
      {
        send: (m) => sent.push(m as (typeof sent)[number]),
        listen: (l) => {
          deliver = l;
          return () => undefined;
        },
      },
      (message) => timeoutLog.push(message),
    );
    return { client, sent, deliver: (data: unknown) => { deliver(data); } };
  }

  it('sends a request with a fresh id and resolves with the validated result', async () => {
    const { client, sent, deliver } = setup();
    const pending = client.request('configurations.list', {});
    assert.deepEqual(sent[0], { kind: 'request', id: 1, method: 'configurations.list', params: {} });
    deliver({ kind: 'response', id: 1, ok: true, result: [configuration] });
    assert.deepEqual(await pending, [configuration]);
    assert.equal(client.waiting, 0);
  });

  it('rejects with the host refusal, its code and its field errors', async () => {
    const { client, deliver } = setup();
    const pending = client.request('configurations.create', { name: 'x', provider: 'openai', settings: {} });
    deliver({ kind: 'response', id: 1, ok: false, error: { code: 'validation', message: 'Check the settings', fieldErrors: [{ field: 'temperature', message: 'must be at most 2' }] } });
    await assert.rejects(pending, (e: unknown) => e instanceof RpcRequestError && e.error.code === 'validation' && e.error.fieldErrors?.[0]?.field === 'temperature');
  });

  it('drops malformed messages with a log line and never throws', () => {
    const log: string[] = [];
    const { client, deliver } = setup(log);
    void client.request('configurations.list', {}).catch(() => undefined);
    const junk: unknown[] = [
      null,
      42,
      'response',
      { kind: 'response' },
      { kind: 'response', id: '1', ok: true, result: [] },
      JSON.parse('{"__proto__":{"polluted":true},"kind":"notification","event":"configurationsChanged"}'),
      { kind: 'notification', event: 'unknown' },
      { kind: 'progress', id: 1, message: 'x'.repeat(10_000) },
      { kind: 'response', id: 99, ok: true, result: [] },
    ];
    for (const message of junk) assert.doesNotThrow(() => { deliver(message); });
    assert.equal(client.waiting, 1);
    assert.ok(log.length >= junk.length - 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('rejects a result that does not match its method schema', async () => {
    const log: string[] = [];
    const { client, deliver } = setup(log);
    const pending = client.request('configurations.get', { id: 'c1' });
    deliver({ kind: 'response', id: 1, ok: true, result: { ...configuration, apiKey: 'sk-secret' } });
    await assert.rejects(pending, (e: unknown) => e instanceof RpcRequestError && e.error.code === 'internal');
    assert.match(log.join('\n'), /malformed result for configurations\.get/);
  });

  it('passes progress under the request id, and notifications to every listener even when one throws', async () => {
    const { client, deliver } = setup();
    const progress: string[] = [];
    const pending = client.request('configurations.test', { id: 'c1' }, { onProgress: (m) => progress.push(m) });
    deliver({ kind: 'progress', id: 1, message: 'Testing…' });
    deliver({ kind: 'response', id: 1, ok: true, result: { ok: true, reachable: true, authenticated: true, latencyMs: 5, hint: 'ok' } });
    await pending;
    assert.deepEqual(progress, ['Testing…']);
    const seen: string[] = [];
    client.onNotification(() => {
      throw new Error('boom');
    });
    client.onNotification((n) => seen.push(n.event));
    deliver({ kind: 'notification', event: 'configurationsChanged' });
    assert.deepEqual(seen, ['configurationsChanged']);
  });

  it('times out a request the host never answers, and rejects what is pending on dispose', async () => {
    const { client } = setup();
    await assert.rejects(client.request('providers.list', {}, { timeoutMs: 10 }), /did not answer providers\.list in time/);
    const pending = client.request('providers.list', {});
    client.dispose();
    await assert.rejects(pending, /panel closed/);
    assert.equal(client.waiting, 0);
  });

  it('waits for each method as long as the protocol\'s table says: a read gives up at the default, a connection test does not', async () => {
    const { DEFAULT_TIMEOUT_MS, methods } = await import('../../../src/protocol');
    assert.ok(methods['configurations.test'].timeoutMs > 10 * DEFAULT_TIMEOUT_MS, 'a connection test may take minutes');
    mock.timers.enable({ apis: ['setTimeout'] });
    try {
      const { client, sent } = setup();
      const list = client.request('configurations.list', {}).then(() => 'answered', (e: unknown) => (e instanceof RpcRequestError ? e.error.message : 'other'));
      const test = client.request('configurations.test', { id: 'c1' }).then(() => 'answered', () => 'gave up');
      mock.timers.tick(DEFAULT_TIMEOUT_MS + 1);
      assert.match(await list, /did not answer configurations\.list in time/);
      assert.equal(client.waiting, 1, 'the connection test still waits');
      assert.deepEqual(sent.filter((m) => m.kind === 'cancel').map((m) => m.id), [1]);
      mock.timers.tick(methods['configurations.test'].timeoutMs - DEFAULT_TIMEOUT_MS);
      assert.equal(await test, 'gave up', 'even a connection test has its bound');
    } finally {
      mock.timers.reset();
    }
  });

  it('a stopped request tells the host to cancel it (a message the protocol accepts) and rejects as cancelled', async () => {
    const { webviewToHostSchema } = await import('../../../src/protocol');
    const { client, sent, deliver } = setup();
    const stop = new AbortController();
    const pending = client.request('configurations.test', { id: 'c1' }, { signal: stop.signal });
    stop.abort();
    const error = await pending.then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof RpcRequestError);
    assert.equal(error.error.code, 'cancelled');
    assert.deepEqual(sent[1], { kind: 'cancel', id: 1 });
    assert.equal(webviewToHostSchema.safeParse(sent[1]).success, true, 'the host validates it like any message');
    assert.equal(client.waiting, 0);
    // The host's late answer to a stopped request is dropped, not delivered.
    deliver({ kind: 'response', id: 1, ok: false, error: { code: 'cancelled', message: 'Stopped.' } });
  });

  it('a request the page gave up waiting for is cancelled at the host too', async () => {
    const { client, sent } = setup();
    await assert.rejects(client.request('providers.models', { draft: { provider: 'openai', settings: {} } }, { timeoutMs: 10 }), /in time/);
    assert.deepEqual(sent.at(-1), { kind: 'cancel', id: 1 });
  });
});

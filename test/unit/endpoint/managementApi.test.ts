import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { InMemoryKeySource } from '../../../src/core/crypto';
import { managementApi } from '../../../src/core/endpoint/managementApi';
import { startEndpoint, type EndpointClient, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { openSession, type OpenSession } from '../../../src/core/session';
import type { AuditEntry } from '../../../src/core/store';
import { managementDeps } from '../../../src/panelHandlers/managementDeps';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../../emulators';
import { capturingLogger, repoRoot, tempFolder, wasmPath } from '../store/helpers';

/** The provider key under test: it must never come back out, whole, in any answer, log line or audit entry. */
const CANARY_KEY = 'sk-canary-5d1e0c9a7b3f42e8a6c1d0b9e8f7a6c5';
const NEW_KEY = 'sk-canary-rotated-0a9b8c7d6e5f4a3b2c1d0e9f';
const ADMIN_TOKEN = 'mm-admin-token-3c7e1a9f5b2d8e4a';
const CHAT_TOKEN = 'mm-chat-token-8b2d4f6a1c3e5a7b';
const clients: Readonly<Record<string, EndpointClient>> = {
  [ADMIN_TOKEN]: { id: 'client-admin', name: 'deploy script', scope: 'admin' },
  [CHAT_TOKEN]: { id: 'client-chat', name: 'coding agent', scope: 'chat' },
};

interface Issue {
  readonly path: readonly string[];
  readonly message: string;
}

/** The fields the assertions read from an answer (each answer has some of them). */
interface Body {
  readonly error: { readonly message: string; readonly code: string; readonly issues?: readonly Issue[] };
  readonly id: string;
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  readonly baseUrl: string | null;
  readonly updatedAt: string;
  readonly isActive: boolean;
  readonly testStatus: string | null;
  readonly apiKey: { readonly set: boolean; readonly readable: boolean; readonly lastFour?: string; readonly description: string } | 'required' | 'optional' | 'none';
  readonly ok: boolean;
  readonly authenticated: boolean;
  readonly requestCount: number;
  readonly deleted: boolean;
  readonly properties: Readonly<Record<string, unknown>>;
}

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Body;
  /** The same body, for the routes that answer with a list. */
  readonly list: readonly Body[];
}

/** What an answer says about the key: the editor's description. */
function keyText(body: Body): string {
  return typeof body.apiKey === 'object' ? body.apiKey.description : `(no key state: ${body.apiKey})`;
}

function issuePaths(body: Body): string[] {
  return (body.error.issues ?? []).map((i) => i.path.join('.'));
}

/**
 * The management API as a script meets it: a real session over a temporary store file, the editor's handlers behind
 * the endpoint on loopback, the OpenAI and Anthropic emulators as the providers, and plain HTTP requests.
 */
describe('the management API of the local endpoint', () => {
  // A folder of its own, removed after the session closes (useTempFolder's hook would run before this file's close).
  let folder: ReturnType<typeof tempFolder>;
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;
  let opened: OpenSession;
  let endpoint: RunningEndpoint;
  let logger: ReturnType<typeof capturingLogger>;
  /** Every answer's headers and body, for the canary scan. */
  const seen: string[] = [];

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: CANARY_KEY });
    ollama = await startOllamaEmulator();
  });
  after(async () => {
    await openai.close();
    await ollama.close();
  });

  beforeEach(async () => {
    folder = tempFolder();
    logger = capturingLogger();
    seen.length = 0;
    const result = await openSession({
      databasePath: join(folder.path, 'model-manager.sqlite'),
      wasmPath,
      catalogPath: join(repoRoot, 'dist', 'model-catalog.json'),
      logger,
      now: () => new Date('2026-11-27T12:00:00Z'),
      settings: { requestTimeoutSeconds: 30, usageRetentionDays: 90, healthCheckIntervalMinutes: 0 },
      keychain: new InMemoryKeySource(),
      passphraseKey: () => Promise.reject(new Error('no passphrase record exists')),
    });
    if (!result.ok) throw new Error(result.problem.message);
    opened = result;
    endpoint = await startEndpoint(
      {
        models: () => [],
        chat: () => {
          throw new Error('no chat in these tests');
        },
        authenticate: (token) => Promise.resolve(clients[token]),
        countTokens: () => Promise.resolve(0),
        api: managementApi(managementDeps(opened.session, logger)),
        logger,
      },
      { port: 0 },
    );
  });

  afterEach(async () => {
    try {
      await endpoint.close();
      await opened.close();
    } finally {
      folder.remove();
    }
  });

  async function api(method: string, path: string, options: { body?: unknown; raw?: string; contentType?: string; token?: string } = {}): Promise<Answer> {
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${endpoint.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${options.token ?? ADMIN_TOKEN}`,
        ...(body === undefined ? {} : { 'content-type': options.contentType ?? 'application/json' }),
      },
      ...(body === undefined ? {} : { body }),
    });
    const text = await response.text();
    const headers: string[] = [];
    response.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
    seen.push(`${String(response.status)} ${headers.join('\n')} ${text}`);
    const json = (text ? JSON.parse(text) : {}) as Body;
    return { status: response.status, headers: response.headers, text, json, list: json as unknown as readonly Body[] };
  }

  function openaiSettings(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { baseUrl: `${openai.url}/v1`, model: 'gpt-4.1-nano', ...extra };
  }

  async function created(name = 'Work OpenAI', apiKey = CANARY_KEY): Promise<Body> {
    const answer = await api('POST', '/api/configurations', { body: { name, provider: 'openai', settings: openaiSettings(), apiKey } });
    assert.equal(answer.status, 201, answer.text);
    return answer.json;
  }

  function auditEntries(): AuditEntry[] {
    return opened.session.configurations.auditLog(1000);
  }

  it('creates, lists, reads, updates and deletes configurations as JSON, the key only as "set (…abcd)"', async () => {
    const create = await api('POST', '/api/configurations', { body: { name: 'Work OpenAI', provider: 'openai', settings: openaiSettings(), apiKey: CANARY_KEY } });
    assert.equal(create.status, 201, create.text);
    assert.equal(create.headers.get('location'), `/api/configurations/${create.json.id}`);
    assert.equal(create.json.name, 'Work OpenAI');
    assert.deepEqual(create.json.apiKey, { set: true, readable: true, lastFour: CANARY_KEY.slice(-4), description: `set (…${CANARY_KEY.slice(-4)})` });
    const id = create.json.id;

    const list = await api('GET', '/api/configurations');
    assert.equal(list.status, 200);
    assert.deepEqual(list.list.map((c) => c.id), [id]);
    const got = await api('GET', `/api/configurations/${id}`);
    assert.equal(got.json.model, 'gpt-4.1-nano');
    assert.equal(keyText(got.json), `set (…${CANARY_KEY.slice(-4)})`);

    const renamed = await api('PUT', `/api/configurations/${id}`, { body: { name: 'Team OpenAI', baseUpdatedAt: got.json.updatedAt } });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.json.name, 'Team OpenAI');
    // A copy read before that change is stale: its update is refused, not applied over the newer one.
    const stale = await api('PUT', `/api/configurations/${id}`, { body: { isActive: false, baseUpdatedAt: '2020-01-01T00:00:00.000Z' } });
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json.error.code, 'conflict');
    // Without baseUpdatedAt the fields sent change and the others stay.
    const paused = await api('PUT', `/api/configurations/${id}`, { body: { isActive: false } });
    assert.equal(paused.status, 200, paused.text);
    assert.deepEqual([paused.json.isActive, paused.json.name], [false, 'Team OpenAI']);

    const removed = await api('DELETE', `/api/configurations/${id}`);
    assert.deepEqual([removed.status, removed.json], [200, { deleted: true }]);
    const gone = await api('GET', `/api/configurations/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.json.error.code, 'not-found');
    assert.match(gone.json.error.message, /no longer exists/);
  });

  it('refuses what the editor protocol refuses with 400 and the path of each field at fault', async () => {
    const shape = await api('POST', '/api/configurations', { body: { name: 42, provider: 'openai', settings: openaiSettings(), colour: 'blue' } });
    assert.equal(shape.status, 400, shape.text);
    assert.equal(shape.json.error.code, 'invalid-request');
    assert.deepEqual(
      issuePaths(shape.json).sort(),
      ['colour', 'name'],
    );
    assert.match(shape.json.error.message, /^Check /);
    // A setting out of the provider's range is the provider schema's refusal, at the setting.
    const range = await api('POST', '/api/configurations', { body: { name: 'Hot', provider: 'openai', settings: openaiSettings({ temperature: 9 }), apiKey: CANARY_KEY } });
    assert.equal(range.status, 400, range.text);
    assert.equal(range.json.error.code, 'validation');
    assert.deepEqual(issuePaths(range.json), ['temperature']);
    const keyless = await api('POST', '/api/configurations', { body: { name: 'No key', provider: 'openai', settings: openaiSettings() } });
    assert.equal(keyless.status, 400);
    assert.deepEqual(issuePaths(keyless.json), ['apiKey']);
    const { id } = await created();
    const idInBody = await api('PUT', `/api/configurations/${id}`, { body: { id: 'another', name: 'X' } });
    assert.equal(idInBody.status, 400);
    assert.deepEqual(idInBody.json.error.issues, [{ path: ['id'], message: 'must match the path' }]);
    const testExtra = await api('POST', `/api/configurations/${id}/test`, { body: { verbose: true } });
    assert.equal(testExtra.status, 400);
    assert.deepEqual(issuePaths(testExtra.json), ['verbose']);
  });

  it('refuses a key pasted into a plain setting (an extra parameter, a list item) with 400 at that setting, so it is never stored unsealed', async () => {
    const compatible = (extraParams: Record<string, unknown>): Record<string, unknown> => ({ baseUrl: `${openai.url}/v1`, model: 'gpt-4.1-nano', extraParams });
    const pasted = await api('POST', '/api/configurations', { body: { name: 'Pasted', provider: 'openai-compatible', settings: compatible({ top_k: 3, plugins: [{ id: 'web', auth: `Bearer ${NEW_KEY}` }] }), apiKey: CANARY_KEY } });
    assert.equal(pasted.status, 400, pasted.text);
    assert.equal(pasted.json.error.code, 'validation');
    assert.deepEqual(issuePaths(pasted.json), ['extraParams.plugins.0.auth']);
    assert.match(pasted.json.error.message, /looks like a key/);
    const { id } = await created();
    const moved = await api('PUT', `/api/configurations/${id}`, { body: { settings: openaiSettings({ organization: NEW_KEY }) } });
    assert.equal(moved.status, 400, moved.text);
    assert.deepEqual(issuePaths(moved.json), ['organization']);
    const database = readFileSync(join(folder.path, 'model-manager.sqlite'));
    assert.ok(!database.includes(NEW_KEY) && !(await api('GET', '/api/configurations')).text.includes(NEW_KEY), 'the pasted key was stored nowhere');
    const fine = await api('POST', '/api/configurations', { body: { name: 'Fine', provider: 'openai-compatible', settings: compatible({ top_k: 3, tokenizer: 'o200k', keep_alive: '5m' }), apiKey: CANARY_KEY } });
    assert.equal(fine.status, 201, fine.text);
  });

  it('answers a name another configuration has with 409', async () => {
    await created('Work OpenAI');
    const clash = await api('POST', '/api/configurations', { body: { name: 'work openai', provider: 'openai', settings: openaiSettings(), apiKey: CANARY_KEY } });
    assert.equal(clash.status, 409, clash.text);
    assert.equal(clash.json.error.code, 'duplicate-name');
    assert.match(clash.json.error.message, /already exists/);
  });

  it('answers an unknown route 404, a method a route does not take 405 with Allow, a body that is not JSON 415 or 400', async () => {
    const unknown = await api('GET', '/api/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'not-found');
    const patch = await api('PATCH', '/api/configurations', { body: {} });
    assert.equal(patch.status, 405);
    assert.equal(patch.headers.get('allow'), 'GET, POST');
    assert.equal(patch.json.error.code, 'method-not-allowed');
    const one = await api('POST', '/api/configurations/abc');
    assert.deepEqual([one.status, one.headers.get('allow')], [405, 'GET, PUT, DELETE']);
    const form = await api('POST', '/api/configurations', { raw: 'name=Work', contentType: 'application/x-www-form-urlencoded' });
    assert.equal(form.status, 415);
    assert.equal(form.json.error.code, 'unsupported-media-type');
    const broken = await api('POST', '/api/configurations', { raw: '{"name": ' });
    assert.deepEqual([broken.status, broken.json.error.code], [400, 'invalid-json']);
    const array = await api('POST', '/api/configurations', { raw: '[]' });
    assert.deepEqual([array.status, array.json.error.code], [400, 'invalid-request']);
    const query = await api('GET', '/api/configurations?limit=5');
    assert.equal(query.status, 400);
    assert.deepEqual(query.json.error.issues, [{ path: ['limit'], message: 'not a parameter of this route' }]);
  });

  it('refuses a body over 1 MB with 413 and creates nothing', async () => {
    const big = JSON.stringify({ name: 'Big', provider: 'openai', settings: openaiSettings({ note: 'x'.repeat(2 * 1024 * 1024) }), apiKey: CANARY_KEY });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: endpoint.port, method: 'POST', path: '/api/configurations', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(big);
    });
    assert.equal(status, 413);
    assert.deepEqual((await api('GET', '/api/configurations')).list, []);
  });

  it('tests a configuration against its provider, and records each change with the client that made it', async () => {
    const { id } = await created();
    const test = await api('POST', `/api/configurations/${id}/test`);
    assert.equal(test.status, 200, test.text);
    assert.equal(test.json.ok, true, test.text);
    assert.equal(test.json.authenticated, true);
    assert.equal((await api('GET', `/api/configurations/${id}`)).json.testStatus, 'success');
    await api('DELETE', `/api/configurations/${id}`);
    const byClient = auditEntries().filter((e) => e.action.startsWith('api.')).reverse();
    assert.deepEqual(
      byClient.map((e) => [e.action, e.targetId, e.details.client, e.details.clientId, e.details.status]),
      [
        ['api.configuration.create', id, 'deploy script', 'client-admin', 201],
        ['api.configuration.test', id, 'deploy script', 'client-admin', 200],
        ['api.configuration.delete', id, 'deploy script', 'client-admin', 200],
      ],
    );
    // The services' own entries are there too, as for a change made in the editor.
    assert.ok(auditEntries().some((e) => e.action === 'configuration.test' && e.targetId === id));
  });

  it('reports usage for a named period or a from–to range, and refuses a period it does not know or a range that ends before it starts', async () => {
    const { id } = await created();
    await api('POST', `/api/configurations/${id}/test`);
    const day = await api('GET', `/api/configurations/${id}/usage?period=day`);
    assert.equal(day.status, 200, day.text);
    assert.equal(day.json.requestCount, 1);
    const range = await api('GET', `/api/configurations/${id}/usage?from=2026-11-01&to=2026-12-01`);
    assert.equal(range.status, 200, range.text);
    assert.equal(range.json.requestCount, 1);
    // A script asking for "everything" with an end past the year 9999 still counts what there is.
    const ever = await api('GET', `/api/configurations/${id}/usage?from=2000-01-01&to=${encodeURIComponent('+275760-09-13T00:00:00Z')}`);
    assert.equal(ever.status, 200, ever.text);
    assert.equal(ever.json.requestCount, 1);
    const before = await api('GET', `/api/configurations/${id}/usage?from=2026-10-01&to=2026-11-01`);
    assert.equal(before.json.requestCount, 0);
    const month = await api('GET', `/api/configurations/${id}/usage`);
    assert.equal(month.json.requestCount, 1);
    const year = await api('GET', `/api/configurations/${id}/usage?period=year`);
    assert.equal(year.status, 400);
    assert.deepEqual(year.json.error.issues?.[0]?.path, ['period']);
    const backwards = await api('GET', `/api/configurations/${id}/usage?from=2026-12-01&to=2026-11-01`);
    assert.equal(backwards.status, 400, backwards.text);
    assert.match(backwards.json.error.message, /ends before it starts/);
    const half = await api('GET', `/api/configurations/${id}/usage?from=2026-12-01`);
    assert.equal(half.status, 400);
    const missing = await api('GET', '/api/configurations/nope/usage?period=day');
    assert.equal(missing.status, 404);
  });

  it('rotates the key: a new key replaces the stored one and only its last four characters come back', async () => {
    const { id } = await created();
    const resealed = await api('POST', `/api/configurations/${id}/rotate-key`);
    assert.equal(resealed.status, 200, resealed.text);
    assert.equal(keyText(resealed.json), `set (…${CANARY_KEY.slice(-4)})`);
    const replaced = await api('POST', `/api/configurations/${id}/rotate-key`, { body: { apiKey: NEW_KEY } });
    assert.equal(replaced.status, 200, replaced.text);
    assert.equal(keyText(replaced.json), `set (…${NEW_KEY.slice(-4)})`);
    const empty = await api('POST', `/api/configurations/${id}/rotate-key`, { body: { apiKey: '  ' } });
    assert.equal(empty.status, 400);
    assert.deepEqual(issuePaths(empty.json), ['apiKey']);
    assert.deepEqual(
      auditEntries().filter((e) => e.action === 'api.configuration.rotateKey').map((e) => e.details.status).reverse(),
      [200, 200, 400],
    );
  });

  it('lists the providers, a provider\'s settings schema and its models, and answers an unknown provider 404', async () => {
    const providers = await api('GET', '/api/providers');
    assert.equal(providers.status, 200);
    assert.ok(providers.list.some((p) => p.id === 'openai' && p.apiKey === 'required'));
    const schema = await api('GET', '/api/providers/openai/schema');
    assert.equal(schema.status, 200);
    assert.equal(typeof schema.json.properties.model, 'object', schema.text);
    const { id } = await created();
    const models = await api('GET', `/api/providers/openai/models?configuration=${id}`);
    assert.equal(models.status, 200, models.text);
    assert.ok(models.list.some((m) => m.id === 'gpt-4.1-nano'), models.text);
    // A server that needs no key is asked at the address given.
    const local = await api('GET', `/api/providers/ollama/models?baseUrl=${encodeURIComponent(ollama.url)}`);
    assert.equal(local.status, 200, local.text);
    assert.ok(local.list.length > 0, local.text);
    // Without a configuration no key goes with the request: the provider's refusal is a 502, not the client's 401.
    const keyless = await api('GET', `/api/providers/openai/models?baseUrl=${encodeURIComponent(`${openai.url}/v1`)}`);
    assert.equal(keyless.status, 502, keyless.text);
    assert.equal(keyless.json.error.code, 'provider');
    const wrongProvider = await api('GET', `/api/providers/anthropic/models?configuration=${id}`);
    assert.equal(wrongProvider.status, 400);
    assert.match(wrongProvider.json.error.message, /is a openai configuration/);
    assert.equal((await api('GET', '/api/providers/nonesuch/schema')).status, 404);
    assert.equal((await api('GET', '/api/providers/nonesuch/models')).status, 404);
  });

  it('refuses a chat-scoped token with 403 that names its scope, and records the refused change', async () => {
    const { id } = await created();
    const read = await api('GET', '/api/configurations', { token: CHAT_TOKEN });
    assert.equal(read.status, 403);
    assert.equal(read.json.error.code, 'scope');
    assert.match(read.json.error.message, /"chat" scope.*"admin" scope/);
    const remove = await api('DELETE', `/api/configurations/${id}`, { token: CHAT_TOKEN });
    assert.equal(remove.status, 403);
    assert.equal((await api('GET', `/api/configurations/${id}`)).status, 200, 'the configuration is still there');
    const refused = auditEntries().find((e) => e.action === 'api.refused');
    assert.deepEqual([refused?.details.client, refused?.details.status, refused?.targetId], ['coding agent', 403, id]);
    const noToken = await fetch(`${endpoint.url}/api/configurations`);
    assert.equal(noToken.status, 401);
  });

  it('never writes a key a script put in the path to the audit log, nor echoes it: the route is recorded, and only an id that names a configuration', async () => {
    const { id } = await created();
    const answers = [
      await api('POST', `/api/configurations/${id}/rotate-key/${NEW_KEY}`, { body: { apiKey: NEW_KEY } }),
      await api('POST', `/api/configurations/${NEW_KEY}/rotate-key`, { body: { apiKey: NEW_KEY } }),
      await api('PUT', `/api/configurations/${encodeURIComponent(NEW_KEY)}`, { body: { name: 'x' } }),
      await api('DELETE', `/api/${NEW_KEY}`),
      await api('POST', `/api/configurations/${id}/test`, { token: CHAT_TOKEN }),
    ];
    assert.deepEqual(answers.map((a) => a.status), [404, 404, 404, 404, 403]);
    const entries = auditEntries().filter((e) => e.action.startsWith('api.') && e.action !== 'api.configuration.create');
    assert.equal(entries.length, 5);
    const text = JSON.stringify(entries) + answers.map((a) => a.text).join('\n');
    for (let i = 0; i + 8 <= NEW_KEY.length; i++) assert.ok(!text.includes(NEW_KEY.slice(i, i + 8)), `"${NEW_KEY.slice(i, i + 8)}" of the key is in: ${text}`);
    assert.deepEqual(entries.map((e) => [e.action, e.targetId, e.details.request, e.details.status]).reverse(), [
      ['api.refused', id, 'POST (not a route of the management API)', 404],
      ['api.configuration.rotateKey', null, 'POST /api/configurations/:id/rotate-key', 404],
      ['api.configuration.update', null, 'PUT /api/configurations/:id', 404],
      ['api.refused', null, 'DELETE (not a route of the management API)', 404],
      ['api.refused', id, 'POST /api/configurations/:id/test', 403],
    ]);
  });

  describe('cannot be used to read a key', () => {
    let listener: Server;
    let listenerUrl: string;
    const heard: string[] = [];


    beforeEach(async () => {
      heard.length = 0;
      listener = createServer((req, res) => {
        heard.push(`${req.method ?? ''} ${req.url ?? ''} ${String(req.headers.authorization)}`);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"gpt-4.1-nano","object":"model"}]}');
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      listenerUrl = `http://127.0.0.1:${String((listener.address() as AddressInfo).port)}/v1`;
    });
    afterEach(async () => {
      await new Promise<void>((resolve) => {
        listener.close(() => {
          resolve();
        });
        listener.closeAllConnections();
      });
    });

    it('a new address for a configuration with a key needs the key again, so the stored one never goes there', async () => {
      const { id } = await created();
      const moved = await api('PUT', `/api/configurations/${id}`, { body: { settings: openaiSettings({ baseUrl: listenerUrl }) } });
      assert.equal(moved.status, 400, moved.text);
      assert.equal(moved.json.error.code, 'key-required');
      assert.deepEqual(moved.json.error.issues, [{ path: ['apiKey'], message: 'required when the address changes' }]);
      assert.equal((await api('GET', `/api/configurations/${id}`)).json.baseUrl, `${openai.url}/v1`, 'the address did not change');
      // The test still goes to the saved address with the stored key.
      assert.equal((await api('POST', `/api/configurations/${id}/test`)).json.ok, true);
      // A model list goes to the configuration's own address only.
      const redirected = await api('GET', `/api/providers/openai/models?configuration=${id}&baseUrl=${encodeURIComponent(listenerUrl)}`);
      assert.equal(redirected.status, 400);
      assert.deepEqual([...heard], []);

      // Settings that would be refused are refused before the key is touched.
      const bad = await api('PUT', `/api/configurations/${id}`, { body: { settings: { baseUrl: listenerUrl, model: 7 }, apiKey: NEW_KEY } });
      assert.equal(bad.status, 400, bad.text);
      assert.deepEqual(issuePaths(bad.json), ['model']);
      assert.equal(keyText((await api('GET', `/api/configurations/${id}`)).json), `set (…${CANARY_KEY.slice(-4)})`);

      // A move refused for another reason (a stale copy, a name the service refuses) leaves the stored key as it was.
      const stale = await api('PUT', `/api/configurations/${id}`, { body: { settings: openaiSettings({ baseUrl: listenerUrl }), apiKey: NEW_KEY, baseUpdatedAt: '2020-01-01T00:00:00.000Z' } });
      assert.equal(stale.status, 409, stale.text);
      const badName = await api('PUT', `/api/configurations/${id}`, { body: { name: 'two\nlines', settings: openaiSettings({ baseUrl: listenerUrl }), apiKey: NEW_KEY } });
      assert.equal(badName.status, 400, badName.text);
      const after = (await api('GET', `/api/configurations/${id}`)).json;
      assert.equal(keyText(after), `set (…${CANARY_KEY.slice(-4)})`);
      assert.equal(after.baseUrl, `${openai.url}/v1`);

      // With a key of the client's own, the move is allowed, and only that key ever reaches the new address.
      const withKey = await api('PUT', `/api/configurations/${id}`, { body: { settings: openaiSettings({ baseUrl: listenerUrl }), apiKey: NEW_KEY } });
      assert.equal(withKey.status, 200, withKey.text);
      assert.equal(keyText(withKey.json), `set (…${NEW_KEY.slice(-4)})`);
      await api('POST', `/api/configurations/${id}/test`);
      assert.ok(heard.length > 0, 'the test reached the new address');
      assert.ok(heard.every((line) => line.endsWith(`Bearer ${NEW_KEY}`) && !line.includes(CANARY_KEY)), heard.join('\n'));
    });

    it('a change that keeps the address keeps the stored key without asking for it again', async () => {
      const { id } = await created();
      const same = await api('PUT', `/api/configurations/${id}`, { body: { settings: openaiSettings({ temperature: 0.2 }) } });
      assert.equal(same.status, 200, same.text);
      assert.equal(keyText(same.json), `set (…${CANARY_KEY.slice(-4)})`);
    });
  });

  it('changes the model of a configuration at its provider\'s default address without asking for the key again', async () => {
    const made = await api('POST', '/api/configurations', { body: { name: 'Default OpenAI', provider: 'openai', settings: { model: 'gpt-4.1-nano' }, apiKey: CANARY_KEY } });
    assert.equal(made.status, 201, made.text);
    assert.equal(made.json.baseUrl, 'https://api.openai.com/v1');
    const changed = await api('PUT', `/api/configurations/${made.json.id}`, { body: { settings: { model: 'gpt-4o-mini' } } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.json.model, 'gpt-4o-mini');
    assert.equal(keyText(changed.json), `set (…${CANARY_KEY.slice(-4)})`);
  });

  it('still lists and reads a configuration whose name was damaged in the store beyond the schema\'s 200 characters: cut with an ellipsis', async () => {
    const { session } = opened;
    const damaged = await session.store.write((r) => r.configurations.create(session.userId, { name: `D${'x'.repeat(9_999)}`, provider: 'ollama', model: 'llama3.2', baseUrl: 'http://127.0.0.1:9', config: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } }));
    const list = await api('GET', '/api/configurations');
    assert.equal(list.status, 200, list.text.slice(0, 300));
    const one = await api('GET', `/api/configurations/${damaged.id}`);
    assert.equal(one.status, 200, one.text.slice(0, 300));
    for (const name of [list.list.find((c) => c.id === damaged.id)?.name, one.json.name]) {
      assert.equal(name?.length, 200);
      assert.ok(name.startsWith('Dxxx') && name.endsWith('…'), name.slice(-5));
    }
  });

  it('never lets a canary key out, whole, through any answer, log line, audit entry or the database file', async () => {
    const { id } = await created();
    await api('GET', '/api/configurations');
    await api('GET', `/api/configurations/${id}`);
    await api('POST', `/api/configurations/${id}/test`);
    await api('POST', `/api/configurations/${id}/rotate-key`);
    await api('GET', `/api/configurations/${id}/usage?period=month`);
    await api('GET', `/api/providers/openai/models?configuration=${id}`);
    // Refusals that carry the key: too long, beside a field that is refused, with a name that is taken.
    await api('POST', '/api/configurations', { body: { name: 'Long key', provider: 'openai', settings: openaiSettings(), apiKey: CANARY_KEY.repeat(30) } });
    await api('POST', '/api/configurations', { body: { name: 'Bad', provider: 'openai', settings: openaiSettings({ temperature: 9 }), apiKey: CANARY_KEY } });
    await api('POST', '/api/configurations', { body: { name: 'Work OpenAI', provider: 'openai', settings: openaiSettings(), apiKey: CANARY_KEY } });
    await api('POST', `/api/configurations/${id}/rotate-key`, { body: { apiKey: CANARY_KEY, extra: CANARY_KEY } });
    await api('PUT', `/api/configurations/${id}`, { body: { apiKey: CANARY_KEY, settings: { model: 7 } } });
    await api('POST', `/api/configurations/${id}/rotate-key`, { body: { apiKey: CANARY_KEY }, token: CHAT_TOKEN });
    const audit = JSON.stringify(auditEntries());
    await opened.session.usage.settled();
    const bytes = readFileSync(join(folder.path, 'model-manager.sqlite')).toString('latin1');
    const places: Record<string, string> = { answers: seen.join('\n'), log: logger.lines.join('\n'), audit, database: bytes };
    assert.ok(seen.length >= 12, 'every answer was kept for the scan');
    for (const [place, text] of Object.entries(places)) {
      // A quarter of the key is already more than anything may show (the last four characters are what a screen shows).
      for (const part of [CANARY_KEY, CANARY_KEY.slice(0, 12), CANARY_KEY.slice(12, 24)]) assert.ok(!text.includes(part), `${place} holds part of the key`);
    }
  });
});

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportUserData, importUserData } from '../../../src/core/importExport/transfer';
import { ProviderRegistry } from '../../../src/core/providers';
import { HttpClient } from '../../../src/core/http';
import { ConfigurationError } from '../../../src/core/services';
import { isCredentialName } from '../../../src/core/services/plainCredentials';
import type { StoreSession } from '../../../src/core/session';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

const API_KEY = 'sk-plain-settings-api-3c5e7a9b1d2f4680';
// Key-shaped and not: each must stay out of the database, the audit log, the log and an export.
const CANARY = 'sk-canary-plainsettings-8d6b4f2a0c9e7153';
const PASSWORD = 'pwCanaryUserInfo5a7c9e1b3d';

async function refusal(promise: Promise<unknown>): Promise<ConfigurationError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${String(error)}`);
    assert.equal(error.kind, 'validation', error.message);
    assert.equal(error.message.includes(CANARY) || error.message.includes(PASSWORD), false, error.message);
    return error;
  }
  assert.fail('expected the settings to be refused');
}

function assertNowhere(f: ServiceFixture, extra: readonly string[] = []): void {
  const files = readdirSync(f.folder);
  const haystack = [...files.map((n) => readFileSync(join(f.folder, n)).toString('latin1')), JSON.stringify(f.store.read((r) => r.audit.list(f.userId, 1000))), ...f.lines, ...extra].join('\n');
  assert.ok(haystack.length > 1000);
  for (const secret of [CANARY, PASSWORD]) assert.equal(haystack.includes(secret), false, `found ${secret.slice(0, 8)}… in the files, the audit log, the log or an export`);
}

describe('credentials in settings other than the key and the headers', function () {
  this.timeout(30_000);
  let f: ServiceFixture;
  let emulator: OpenAIEmulator;

  beforeEach(async () => {
    f = await serviceFixture();
    emulator = await startOpenAIEmulator({ apiKey: API_KEY });
  });

  afterEach(async () => {
    await emulator.close();
    await f.close();
  });

  const settings = (extra: Record<string, unknown>) => ({ baseUrl: `${emulator.url}/v1`, model: 'gpt-4o-mini', ...extra });
  const create = (extra: Record<string, unknown>) => f.service.createConfiguration({ name: 'Gateway', provider: 'openai-compatible', settings: settings(extra), apiKey: API_KEY });

  it('names credential settings by their words, not by a substring', () => {
    for (const name of ['api_key', 'apiKey', 'x-api-key', 'key', 'access_token', 'authToken', 'client_secret', 'password', 'Authorization', 'session_cookie', 'secretAccessKey']) assert.ok(isCredentialName(name), name);
    for (const name of ['prompt_cache_key', 'promptCacheKey', 'max_tokens', 'max_completion_tokens', 'maxOutputTokens', 'token_limit', 'thinking_token_budget', 'keywords', 'monkey', 'temperature', 'idempotency_key']) assert.equal(isCredentialName(name), false, name);
  });

  it('refuses a parameter named like a key, naming the field and saving nothing', async () => {
    const error = await refusal(create({ extraParams: { api_key: CANARY, max_tokens: 100 } }));
    assert.deepEqual(error.details.fieldErrors?.map((e) => e.field), ['extraParams.api_key']);
    assert.match(error.message, /extraParams\.api_key/);
    assert.match(error.message, /API key|custom header/);
    assert.deepEqual(f.service.listConfigurations(), []);
    await f.store.flush();
    assertNowhere(f);
  });

  it('refuses a key-shaped value whatever its parameter is called', async () => {
    const error = await refusal(create({ extraParams: { metadata: { tenant: CANARY } } }));
    assert.deepEqual(error.details.fieldErrors?.map((e) => e.field), ['extraParams.metadata.tenant']);
  });

  it('refuses a server address with user:password@, naming the address', async () => {
    const url = new URL(`${emulator.url}/v1`);
    url.username = 'gateway';
    url.password = PASSWORD;
    const error = await refusal(f.service.createConfiguration({ name: 'Gateway', provider: 'openai-compatible', settings: { baseUrl: url.toString(), model: 'gpt-4o-mini' }, apiKey: API_KEY }));
    assert.deepEqual(error.details.fieldErrors?.map((e) => e.field), ['baseUrl']);
    assert.match(error.message, /user:password@/);
    await f.store.flush();
    assertNowhere(f);
  });

  it('keeps parameters that only sound like keys (prompt_cache_key, max_tokens)', async () => {
    const created = await create({ extraParams: { prompt_cache_key: 'team-a', max_tokens: 100 } });
    assert.deepEqual(created.config.extraParams, { prompt_cache_key: 'team-a', max_tokens: 100 });
  });

  it('refuses an update that would add one, leaving the saved settings as they were', async () => {
    const created = await create({ extraParams: { prompt_cache_key: 'team-a' } });
    const error = await refusal(f.service.updateConfiguration(created.id, { settings: settings({ extraParams: { prompt_cache_key: 'team-a', access_token: CANARY } }) }));
    assert.deepEqual(error.details.fieldErrors?.map((e) => e.field), ['extraParams.access_token']);
    assert.deepEqual(f.service.getConfiguration(created.id).config, created.config);
    await f.store.flush();
    await f.store.write((r) => {
      r.meta.set('second save', 'so the backup is a file written after the refusal');
    });
    assertNowhere(f);
  });

  it('lets no imported credential into the database, the audit log or an export', async () => {
    const http = new HttpClient();
    const session = { configurations: f.service, providers: new ProviderRegistry({ http }), store: f.store, now: () => new Date(f.clock.now) } as unknown as StoreSession;
    const bundle = {
      format: 'model-manager-bundle',
      version: 1,
      configurations: [
        { name: 'Imported', provider: 'openai-compatible', model: 'gpt-4o-mini', baseUrl: `http://gateway:${PASSWORD}@127.0.0.1:9/v1`, config: { extraParams: { api_key: CANARY, tenant: CANARY } } },
      ],
    };
    try {
      const outcome = await importUserData(session, JSON.stringify(bundle));
      const text = JSON.stringify(outcome);
      assert.equal(text.includes(CANARY) || text.includes(PASSWORD), false, text);
      const exported = exportUserData(session, new Date(f.clock.now));
      await f.store.flush();
      assertNowhere(f, [exported.text]);
    } finally {
      await http.close();
    }
  });
});

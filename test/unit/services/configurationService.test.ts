import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../../../src/core/services';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

const CANARY = 'sk-canary-service-9f8e7d6c5b4a';

async function rejectsWith(promise: Promise<unknown>, kind: string, message?: RegExp): Promise<ConfigurationError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${String(error)}`);
    assert.equal(error.kind, kind, error.message);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail(`expected a ${kind} refusal`);
}

describe('ConfigurationService', () => {
  let f: ServiceFixture;
  let emulator: OpenAIEmulator;

  beforeEach(async () => {
    f = await serviceFixture();
    emulator = await startOpenAIEmulator({ apiKey: CANARY });
  });

  afterEach(async () => {
    await emulator.close();
    await f.close();
  });

  const openai = (name = 'Work OpenAI', model = 'gpt-4o-mini') =>
    f.service.createConfiguration({ name, provider: 'openai', settings: { model, baseUrl: `${emulator.url}/v1`, temperature: 0.7 }, apiKey: CANARY });

  it('creates a configuration with its key sealed, model and endpoint in their columns, and an audit entry', async () => {
    const created = await openai();
    assert.equal(created.model, 'gpt-4o-mini');
    assert.equal(created.baseUrl, `${emulator.url}/v1`);
    assert.equal(created.config.temperature, 0.7);
    assert.match(created.encryptedApiKey ?? '', /^mm1\./);
    assert.deepEqual(f.keys.describeApiKey(created.id), { set: true, lastFour: CANARY.slice(-4), readable: true });
    const audit = f.store.read((r) => r.audit.list(f.userId));
    assert.equal(audit[0]?.action, 'configuration.create');
  });

  it('refuses bad settings with field-level errors and saves nothing', async () => {
    const error = await rejectsWith(
      f.service.createConfiguration({ name: 'Bad', provider: 'openai', settings: { model: 'gpt-4o', temperature: 3 }, apiKey: 'sk-x' }),
      'validation',
      /temperature/,
    );
    assert.equal(error.details.fieldErrors?.[0]?.field, 'temperature');
    assert.deepEqual(f.service.listConfigurations(), []);
  });

  it('refuses a setting the provider does not have, naming it, rather than dropping the value in silence', async () => {
    const error = await rejectsWith(
      f.service.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', repeat_penalty: 1.3 } }),
      'validation',
      /repeat_penalty: is not a setting of this provider/,
    );
    assert.deepEqual(error.details.fieldErrors, [{ field: 'repeat_penalty', message: 'is not a setting of this provider' }]);
    const saved = await f.service.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', repeatPenalty: 1.3, seed: 11 } });
    assert.deepEqual([saved.config.repeatPenalty, saved.config.seed], [1.3, 11]);
  });

  it('refuses a missing key for a provider that needs one, an unknown provider and an empty name', async () => {
    await rejectsWith(f.service.createConfiguration({ name: 'No key', provider: 'openai', settings: { model: 'gpt-4o' } }), 'validation', /needs an API key/);
    await rejectsWith(f.service.createConfiguration({ name: 'X', provider: 'watsonx', settings: {} }), 'validation', /Unknown provider/);
    await rejectsWith(f.service.createConfiguration({ name: '  ', provider: 'ollama', settings: { model: 'llama3.2' } }), 'validation', /name/);
  });

  it('saves an imported configuration whose key will be entered later, and says so when it is used', async () => {
    const created = await f.service.createConfiguration({ name: 'Imported', provider: 'openai', settings: { model: 'gpt-4o', baseUrl: `${emulator.url}/v1` }, keyLater: true });
    assert.equal(created.encryptedApiKey, null);
    assert.deepEqual(f.keys.describeApiKey(created.id), { set: false, readable: true });
    const result = await f.providerAccess.testConfiguration(created.id);
    assert.equal(result.ok, false);
    assert.equal(result.authenticated, false);
  });

  it('keeps the outcome of the wizard\'s test when exactly those settings are saved right after, and only then', async () => {
    const settings = { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` };
    assert.equal((await f.providerAccess.testDraft({ provider: 'openai', settings, apiKey: CANARY })).ok, true);
    const saved = await f.service.createConfiguration({ name: 'Tested in the wizard', provider: 'openai', settings, apiKey: CANARY });
    assert.equal(saved.testStatus, 'success');
    assert.equal(saved.lastTestedAt, new Date(f.clock.now).toISOString());
    await f.providerAccess.testDraft({ provider: 'openai', settings, apiKey: CANARY });
    const otherKey = await f.service.createConfiguration({ name: 'Other key', provider: 'openai', settings, apiKey: 'sk-another-key-0000' });
    assert.equal(otherKey.testStatus, null, 'a different key was not tested');
    f.clock.now += 6 * 60_000;
    const late = await f.service.createConfiguration({ name: 'Saved later', provider: 'openai', settings, apiKey: CANARY });
    assert.equal(late.testStatus, null, 'an old test does not count');
  });

  it('keeps names unique per user, whatever their case', async () => {
    await openai('Work OpenAI');
    await rejectsWith(openai('work openai'), 'duplicate-name', /already exists/);
  });

  it('refuses a configuration named like a route group, on create and on rename (chat picks both by name)', async () => {
    const kept = await openai('Kept');
    await f.store.write((r) => r.routeGroups.create(f.userId, { name: 'Fast Pair', strategy: 'fallback', members: [{ configurationId: kept.id }] }));
    await rejectsWith(openai('fast pair'), 'duplicate-name', /A route group is named "Fast Pair"/);
    await rejectsWith(f.service.updateConfiguration(kept.id, { name: 'FAST PAIR' }), 'duplicate-name', /route group/);
  });

  it('refuses an edit made on a stale copy and says what changed meanwhile', async () => {
    const created = await openai();
    const staleCopy = f.service.getConfiguration(created.id);
    f.clock.now += 1000;
    await f.service.updateConfiguration(created.id, { settings: { model: 'gpt-4.1-mini', baseUrl: `${emulator.url}/v1` } });
    f.clock.now += 1000;
    const error = await rejectsWith(f.service.updateConfiguration(created.id, { name: 'Renamed' }, staleCopy), 'conflict', /another window/);
    assert.deepEqual(error.details.changes?.map((c) => c.field), ['model', 'settings']);
    assert.equal(f.service.getConfiguration(created.id).name, 'Work OpenAI');
  });

  it('tests a connection for real, records success on the configuration, in the audit log and in request_log', async () => {
    const created = await openai();
    const result = await f.providerAccess.testConfiguration(created.id);
    assert.equal(result.ok, true, result.hint);
    assert.equal(result.authenticated, true);
    assert.equal(result.modelFound, true);
    const row = f.service.getConfiguration(created.id);
    assert.equal(row.testStatus, 'success');
    assert.equal(row.lastTestedAt, new Date(f.clock.now).toISOString());
    await f.store.flush();
    const logged = f.store.read((r) => r.usage.forConfiguration(f.userId, created.id, new Date(f.clock.now - 60_000), new Date(f.clock.now + 60_000)));
    assert.equal(logged.requestCount, 1);
    assert.ok(emulator.requests.some((r) => r.path === '/v1/models'));
  });

  it('records a failed test with the provider\'s own error and a hint', async () => {
    const created = await openai();
    await f.keys.rotateApiKey(created.id, 'sk-wrong-key-0000');
    const result = await f.providerAccess.testConfiguration(created.id);
    assert.equal(result.ok, false);
    assert.equal(result.failure?.status, 401);
    assert.equal(result.failure.code, 'invalid_api_key');
    assert.equal(f.service.getConfiguration(created.id).testStatus, 'failed');
  });

  it('limits connection tests to five a minute per configuration and says when to try again', async () => {
    const created = await openai();
    for (let i = 0; i < 5; i++) await f.providerAccess.testConfiguration(created.id);
    const error = await rejectsWith(f.providerAccess.testConfiguration(created.id), 'rate-limited', /Try again in \d+ s/);
    assert.ok((error.details.retryAfterMs ?? 0) > 0);
    f.clock.now += 61_000;
    assert.equal((await f.providerAccess.testConfiguration(created.id)).ok, true);
  });

  it('rotates a key: re-seals it without a new key, replaces it with one, and never logs either', async () => {
    const created = await openai();
    const resealed = await f.keys.rotateApiKey(created.id);
    assert.notEqual(resealed.encryptedApiKey, created.encryptedApiKey);
    assert.equal(f.keys.describeApiKey(created.id).lastFour, CANARY.slice(-4));
    await f.keys.rotateApiKey(created.id, 'sk-replacement-key-wxyz');
    assert.equal(f.keys.describeApiKey(created.id).lastFour, 'wxyz');
    assert.equal(f.service.getConfiguration(created.id).testStatus, null);
    await rejectsWith(f.keys.rotateApiKey(created.id, '   '), 'validation', /empty/);
  });

  it('duplicates under a free name with the key re-sealed for the copy, and deletes with an audit entry', async () => {
    const created = await openai();
    const copy = await f.service.duplicateConfiguration(created.id);
    assert.equal(copy.name, 'Work OpenAI (copy)');
    assert.notEqual(copy.encryptedApiKey, created.encryptedApiKey);
    assert.equal(f.keys.describeApiKey(copy.id).lastFour, CANARY.slice(-4));
    await f.service.setActiveConfiguration(copy.id);
    await f.service.deleteConfiguration(copy.id);
    assert.equal(f.service.getActiveConfiguration(), undefined, 'deleting the active configuration clears the choice');
    await rejectsWith(f.service.deleteConfiguration(copy.id), 'not-found');
    assert.equal(f.store.read((r) => r.audit.list(f.userId))[0]?.action, 'configuration.delete');
  });

  it('fires change events for every change', async () => {
    const seen: string[] = [];
    f.service.onDidChange((e) => seen.push(e.kind));
    const created = await openai();
    await f.service.updateConfiguration(created.id, { isActive: false });
    await f.providerAccess.testConfiguration(created.id);
    await f.service.setActiveConfiguration(created.id);
    await f.keys.rotateApiKey(created.id);
    await f.service.deleteConfiguration(created.id);
    assert.deepEqual(seen, ['created', 'updated', 'testing', 'tested', 'active-changed', 'key-rotated', 'deleted']);
  });

  it('never writes the canary key to the database, its backup, the audit log, the log or an error message', async () => {
    const created = await openai();
    await f.providerAccess.testConfiguration(created.id);
    await f.keys.rotateApiKey(created.id);
    const copy = await f.service.duplicateConfiguration(created.id);
    await f.service.updateConfiguration(copy.id, { name: 'Second' });
    await rejectsWith(openai('Second'), 'duplicate-name');
    await f.store.flush();
    const haystack = [
      ...readdirSync(f.folder).map((name) => readFileSync(join(f.folder, name)).toString('latin1')),
      JSON.stringify(f.store.read((r) => r.audit.list(f.userId))),
      ...f.lines,
    ].join('\n');
    assert.ok(haystack.length > 1000, 'the scan must see the files');
    for (const form of [CANARY, Buffer.from(CANARY).toString('base64'), Buffer.from(CANARY).toString('hex')]) {
      assert.equal(haystack.includes(form), false, `found the key (${form.slice(0, 6)}…)`);
    }
  });
});

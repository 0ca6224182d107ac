import * as assert from 'node:assert/strict';
import { ConfigurationError, settingsOf } from '../../../src/core/services';
import type { AIConfiguration } from '../../../src/core/store';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

const KEY = 'sk-stored-for-first-server-4b6d8f0a2c';
const NEW_KEY = 'sk-entered-for-second-server-7e9a1c3b5d';

async function refusedFor(promise: Promise<unknown>, destination: string): Promise<ConfigurationError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ConfigurationError, `expected a ConfigurationError, got ${String(error)}`);
    assert.equal(error.details.keyDestination, destination, error.message);
    assert.ok(error.message.includes(destination), error.message);
    assert.equal(error.message.includes(KEY), false);
    return error;
  }
  assert.fail('expected the stored key to be kept from the new server');
}

describe('the stored key and a changed server address', function () {
  this.timeout(30_000);
  let f: ServiceFixture;
  let first: OpenAIEmulator;
  let second: OpenAIEmulator;

  beforeEach(async () => {
    f = await serviceFixture();
    first = await startOpenAIEmulator({ apiKey: KEY });
    second = await startOpenAIEmulator({ apiKey: KEY });
  });

  afterEach(async () => {
    await second.close();
    await first.close();
    await f.close();
  });

  const create = () => f.service.createConfiguration({ name: 'Team proxy', provider: 'openai-compatible', settings: { baseUrl: `${first.url}/v1`, model: 'gpt-4o-mini' }, apiKey: KEY });
  const moved = (row: AIConfiguration) => ({ ...settingsOf(row), baseUrl: `${second.url}/v1` });
  const sentKeyTo = (emulator: OpenAIEmulator) => emulator.requests.some((r) => JSON.stringify(r.headers).includes(KEY));
  const origin = (emulator: OpenAIEmulator) => new URL(emulator.url).origin;

  it('refuses to save an address on another server with the stored key, unasked, and saves nothing', async () => {
    const created = await create();
    const error = await refusedFor(f.service.updateConfiguration(created.id, { settings: moved(created) }), origin(second));
    assert.match(error.message, /Team proxy/);
    assert.deepEqual(error.details.fieldErrors?.map((e) => e.field), ['baseUrl']);
    assert.equal(f.service.getConfiguration(created.id).baseUrl, `${first.url}/v1`);
    // A confirmation for another server is no confirmation for this one.
    await refusedFor(f.service.updateConfiguration(created.id, { settings: moved(created), sendStoredKeyTo: origin(first) }), origin(second));
  });

  it('saves it when the user agreed to send the stored key there, and the audit log says so', async () => {
    const created = await create();
    const saved = await f.service.updateConfiguration(created.id, { settings: moved(created), sendStoredKeyTo: origin(second) });
    assert.equal(saved.baseUrl, `${second.url}/v1`);
    const result = await f.providerAccess.testConfiguration(saved.id);
    assert.equal(result.ok, true, result.hint);
    assert.ok(sentKeyTo(second));
    const entry = f.store.read((r) => r.audit.latest(f.userId, 'configuration.endpoint', created.id));
    assert.equal(entry?.details.confirmedSendTo, origin(second));
  });

  it('saves it without asking when a new key comes with it, or when only the path changes', async () => {
    const created = await create();
    const samePath = await f.service.updateConfiguration(created.id, { settings: { ...settingsOf(created), baseUrl: `${first.url}/v2` } });
    assert.equal(samePath.baseUrl, `${first.url}/v2`);
    const withKey = await f.service.updateConfiguration(created.id, { settings: moved(created), apiKey: NEW_KEY });
    assert.equal(withKey.baseUrl, `${second.url}/v1`);
    assert.equal(f.keys.storedKeyOf(withKey), NEW_KEY);
  });

  it('lets a configuration without a stored key move freely', async () => {
    const created = await f.service.createConfiguration({ name: 'Keyless', provider: 'openai-compatible', settings: { baseUrl: `${first.url}/v1`, model: 'gpt-4o-mini' } });
    const saved = await f.service.updateConfiguration(created.id, { settings: moved(created) });
    assert.equal(saved.baseUrl, `${second.url}/v1`);
  });

  it('tests and lists the models of a typed, unsaved address on another server without the stored key, unless the user agreed', async () => {
    const created = await create();
    const draft = { provider: 'openai-compatible', settings: moved(created), configurationId: created.id };
    await refusedFor(f.providerAccess.testDraft(draft), origin(second));
    await refusedFor(f.providerAccess.listDraftModels(draft), origin(second));
    assert.equal(second.requests.length, 0, 'nothing was sent to the new server');

    // A key typed for the new server is that server's to see.
    const typed = await f.providerAccess.testDraft({ ...draft, apiKey: KEY });
    assert.equal(typed.ok, true, typed.hint);
    second.requests.length = 0;
    f.clock.now += 61_000;
    const agreed = await f.providerAccess.testDraft({ ...draft, sendStoredKeyTo: origin(second) });
    assert.equal(agreed.ok, true, agreed.hint);
    assert.ok(sentKeyTo(second));
    // The saved address is the stored key's own: tested as before.
    f.clock.now += 61_000;
    assert.equal((await f.providerAccess.testDraft({ ...draft, settings: settingsOf(created) })).ok, true);
  });
});

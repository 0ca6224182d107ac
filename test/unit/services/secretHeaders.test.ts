import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportBundle, serializeBundle } from '../../../src/core/importExport/bundle';
import { SEALED_HEADER_VALUE, SECRET_HEADER_NAME } from '../../../src/core/providers';
import { settingsOf } from '../../../src/core/services';
import { repoRoot } from '../store/helpers';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

const API_KEY = 'sk-gateway-bearer-2f8a6c4e1b9d7350';
// Azure-style and gateway keys that travel in custom headers, not in Authorization.
const HEADER_KEY = 'azHdrCanary7e1c9a3f5b2d8046e0a4c6b1';
const GATEWAY_TOKEN = 'gwTokCanary5d3b1f9e7c2a4860b6d8f0e2';

function assertNowhere(f: ServiceFixture, secrets: readonly string[]): void {
  const files = readdirSync(f.folder);
  assert.ok(files.some((n) => n.endsWith('.bak')), files.join(', '));
  const haystack = [...files.map((n) => readFileSync(join(f.folder, n)).toString('latin1')), JSON.stringify(f.store.read((r) => r.audit.list(f.userId, 1000))), ...f.lines].join('\n');
  assert.ok(haystack.length > 1000);
  for (const secret of secrets) {
    for (const form of [secret, Buffer.from(secret).toString('base64').slice(0, 30), Buffer.from(secret).toString('hex')]) {
      assert.equal(haystack.includes(form), false, `found a header credential (${form.slice(0, 8)}…) in the files, the audit log or the log`);
    }
  }
}

describe('credentials in custom headers', function () {
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

  const create = () =>
    f.service.createConfiguration({
      name: 'Gateway',
      provider: 'openai-compatible',
      settings: { baseUrl: `${emulator.url}/v1`, model: 'gpt-4o-mini', headers: { 'api-key': HEADER_KEY, 'X-Auth-Token': GATEWAY_TOKEN, 'X-Title': 'Model Manager' } },
      apiKey: API_KEY,
    });

  /** The headers the emulator received on its last request. */
  const lastHeaders = () => emulator.requests.at(-1)?.headers ?? {};

  it('are sealed like the API key, never in the database or its backup, and still sent with every request', async () => {
    const created = await create();
    assert.deepEqual(created.config.headers, { 'api-key': SEALED_HEADER_VALUE, 'X-Auth-Token': SEALED_HEADER_VALUE, 'X-Title': 'Model Manager' });
    assert.match(created.encryptedHeaders ?? '', /^mm1\./);
    // What a form or the palette is shown: the placeholder, never the value.
    assert.equal(JSON.stringify(settingsOf(created)).includes(HEADER_KEY), false);

    const result = await f.providerAccess.testConfiguration(created.id);
    assert.equal(result.ok, true, result.hint);
    assert.equal(lastHeaders()['api-key'], HEADER_KEY);
    assert.equal(lastHeaders()['x-auth-token'], GATEWAY_TOKEN);
    assert.equal(lastHeaders()['x-title'], 'Model Manager');

    // The edit form sends the placeholder back: the stored value is kept, for a draft test and for the save.
    f.clock.now += 61_000;
    const draft = await f.providerAccess.testDraft({ provider: 'openai-compatible', settings: settingsOf(created), configurationId: created.id });
    assert.equal(draft.ok, true, draft.hint);
    assert.equal(lastHeaders()['api-key'], HEADER_KEY);
    const renamed = await f.service.updateConfiguration(created.id, { name: 'Gateway (edited)', settings: { ...settingsOf(created), temperature: 0.2 } });
    f.clock.now += 61_000;
    await f.providerAccess.testConfiguration(renamed.id);
    assert.equal(lastHeaders()['api-key'], HEADER_KEY);

    // A copy carries them, sealed for its own row.
    const copy = await f.service.duplicateConfiguration(created.id);
    assert.notEqual(copy.encryptedHeaders, renamed.encryptedHeaders);
    await f.providerAccess.testConfiguration(copy.id);
    assert.equal(lastHeaders()['x-auth-token'], GATEWAY_TOKEN);

    await f.store.flush();
    await f.store.write((r) => {
      r.meta.set('second save', 'so the backup is a file written after the headers were sealed');
    });
    assertNowhere(f, [HEADER_KEY, GATEWAY_TOKEN]);
  });

  it('survive a new key version and a new master key, and can be replaced or removed', async () => {
    const created = await create();
    await f.encryption.rotateUserKey(f.userId);
    const oldMaster = await f.keySource.getMasterSecret();
    assert.ok(oldMaster);
    await f.encryption.migrateEncryption(oldMaster, randomBytes(32));
    await f.providerAccess.testConfiguration(created.id);
    assert.equal(lastHeaders()['api-key'], HEADER_KEY);

    const replaced = await f.service.updateConfiguration(created.id, { settings: { ...settingsOf(created), headers: { 'api-key': 'azHdrReplacement0123456789', 'X-Title': 'Model Manager' } } });
    assert.deepEqual(replaced.config.headers, { 'api-key': SEALED_HEADER_VALUE, 'X-Title': 'Model Manager' });
    f.clock.now += 61_000;
    await f.providerAccess.testConfiguration(created.id);
    assert.equal(lastHeaders()['api-key'], 'azHdrReplacement0123456789');
    assert.equal(lastHeaders()['x-auth-token'], undefined);

    const removed = await f.service.updateConfiguration(created.id, { settings: { ...settingsOf(created), headers: { 'X-Title': 'Model Manager' } } });
    assert.equal(removed.encryptedHeaders, null);
    f.clock.now += 61_000;
    await f.providerAccess.testConfiguration(created.id);
    assert.equal(lastHeaders()['api-key'], undefined);
  });

  it('are kept out of error messages when the server echoes them', async () => {
    const created = await create();
    emulator.inject({ status: 401, body: { error: { message: `Header api-key ${HEADER_KEY} and token ${GATEWAY_TOKEN} refused`, code: HEADER_KEY } } });
    const result = await f.providerAccess.testConfiguration(created.id);
    assert.equal(result.ok, false);
    const text = JSON.stringify(result);
    assert.equal(text.includes(HEADER_KEY) || text.includes(GATEWAY_TOKEN), false, text);
  });

  it('stored in plain settings by an earlier version are sealed when the services open', async () => {
    const created = await create();
    // What an earlier version wrote: the values in the settings, nothing sealed.
    await f.store.write((r) => r.configurations.update(f.userId, created.id, { config: { ...created.config, headers: { 'api-key': HEADER_KEY, 'X-Title': 'Model Manager' } }, encryptedHeaders: null }));
    assert.equal(await f.keys.sealPlainHeaders(), 1);
    assert.equal(await f.keys.sealPlainHeaders(), 0, 'sealed rows are left alone');
    const row = f.service.getConfiguration(created.id);
    assert.deepEqual(row.config.headers, { 'api-key': SEALED_HEADER_VALUE, 'X-Title': 'Model Manager' });
    await f.providerAccess.testConfiguration(created.id);
    assert.equal(lastHeaders()['api-key'], HEADER_KEY);
    await f.store.flush();
    assertNowhere(f, [HEADER_KEY]);
  });

  it('are left out of an export, placeholder included, and listed as left out', async () => {
    const created = await f.service.createConfiguration({
      name: 'Session gateway',
      provider: 'openai-compatible',
      settings: { baseUrl: `${emulator.url}/v1`, model: 'gpt-4o-mini', headers: { 'X-Session-Id': GATEWAY_TOKEN, 'X-Title': 'Model Manager' } },
    });
    const bundle = exportBundle([created], [], new Date(f.clock.now));
    const text = serializeBundle(bundle);
    assert.equal(text.includes(GATEWAY_TOKEN) || text.includes(SEALED_HEADER_VALUE), false, text);
    assert.deepEqual(bundle.configurations[0]?.removedSecrets, ['headers.X-Session-Id']);
  });

  it('are named by one rule that the editor form repeats', () => {
    // The webview is browser code outside the test build: its rule is read from its source.
    const form = readFileSync(join(repoRoot, 'webview', 'components', 'secretHeaders.ts'), 'utf8');
    assert.ok(form.includes(`export const SECRET_HEADER_NAME = ${String(SECRET_HEADER_NAME)};`), 'the form names secret headers by the same rule');
    assert.ok(form.includes(`export const SEALED_HEADER_VALUE = '${SEALED_HEADER_VALUE}';`));
    for (const name of ['api-key', 'x-api-key', 'Authorization', 'Proxy-Authorization', 'X-Auth-Token', 'Cookie', 'Ocp-Apim-Subscription-Key', 'X-Goog-Api-Key', 'x-portkey-config']) assert.ok(SECRET_HEADER_NAME.test(name), name);
    for (const name of ['HTTP-Referer', 'X-Title', 'OpenAI-Beta', 'Accept-Language']) assert.equal(SECRET_HEADER_NAME.test(name), false, name);
  });
});

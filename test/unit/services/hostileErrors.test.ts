import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProviderError, type TestResult } from '../../../src/core/providers';
import { startAnthropicEmulator, startGeminiEmulator, startOpenAIEmulator, type Emulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

// Identifier-shaped on purpose: it passes the code shape, so only the secret check can keep it out.
const KEY = 'mmCanary_7f3a9c2e5b1d4086a9e3c7f1b2d5e8a0';
const b64 = (text: string): string => Buffer.from(text).toString('base64');
const b64url = (text: string): string => Buffer.from(text).toString('base64url');
const hex = (text: string): string => Buffer.from(text).toString('hex');

/** Every form of the key a scan looks for, partial prefixes of the encodings included. */
function forms(): string[] {
  return [KEY, KEY.slice(0, 16), b64(KEY).slice(0, 40), b64url(KEY).slice(0, 40), hex(KEY), hex(KEY).toUpperCase(), KEY.slice(2, 30), b64(`user:${KEY}`).slice(8, 44)];
}

function assertNoKey(where: string, haystack: string): void {
  for (const form of forms()) assert.equal(haystack.includes(form), false, `${where} holds the key (as ${form.slice(0, 10)}…)`);
}

/** Hostile error bodies: the key in each field a provider's error has, as is and encoded. */
const openaiBodies: readonly unknown[] = [
  { error: { code: KEY, message: 'bad key', type: 'invalid_request_error', param: null } },
  { error: { type: KEY, message: 'bad key' } },
  { error: { code: 'invalid_api_key', message: `Incorrect API key provided: ${KEY}.`, param: KEY } },
  { error: { code: hex(KEY), message: `seen ${hex(KEY).toUpperCase()}` } },
  { error: { code: b64url(KEY).slice(0, 60), message: `Basic ${b64(`user:${KEY}`)} and ${b64(KEY)}` } },
  { error: { code: `${KEY}!`, message: encodeURIComponent(`key=${KEY}`), details: { nested: [{ value: KEY }] } } },
  { error: `The key ${KEY} is not valid` },
  // A text body longer than what is kept, with the key across the cut.
  `${'x'.repeat(480)} ${KEY} ${'y'.repeat(100)}`,
];
const geminiBodies: readonly unknown[] = [
  { error: { code: 400, message: `API key not valid: ${KEY}`, status: KEY, details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: KEY, metadata: { key: KEY } }] } },
  { error: { code: 403, message: b64(KEY), status: 'PERMISSION_DENIED', details: [{ reason: hex(KEY) }] } },
];
const anthropicBodies: readonly unknown[] = [
  { type: 'error', error: { type: KEY, message: `invalid x-api-key ${KEY}` } },
  { type: 'error', error: { type: 'authentication_error', message: b64url(KEY) } },
];

describe('hostile provider error bodies', function () {
  this.timeout(60_000);
  let f: ServiceFixture;
  const emulators: Emulator[] = [];

  beforeEach(async () => {
    f = await serviceFixture();
  });

  afterEach(async () => {
    await Promise.all(emulators.splice(0).map((e) => e.close()));
    await f.close();
  });

  /** Every provider-derived text a failed test and a failed model list produce. */
  async function provoke(id: string, emulator: Emulator, bodies: readonly unknown[], status: number): Promise<string[]> {
    const seen: string[] = [];
    for (const body of bodies) {
      const contentType = typeof body === 'string' ? 'text/plain' : undefined;
      emulator.inject({ status, body, ...(contentType ? { contentType } : {}) });
      // A minute apart on the injected clock: connection tests are rate-limited per configuration.
      f.clock.now += 61_000;
      const result: TestResult = await f.providerAccess.testConfiguration(id);
      assert.equal(result.ok, false, 'the hostile answer must fail the test');
      seen.push(JSON.stringify(result), result.hint, result.failure?.message ?? '', result.failure?.code ?? '');
      emulator.inject({ status, body, ...(contentType ? { contentType } : {}) });
      try {
        await f.providerAccess.listModels(id, { refresh: true });
        assert.fail('the model list must fail');
      } catch (error) {
        assert.ok(error instanceof ProviderError, String(error));
        seen.push(error.message, error.hint, error.code ?? '', error.providerMessage ?? '', error.stack ?? '', JSON.stringify(error));
        if (error.code !== undefined) assert.match(error.code, /^[A-Za-z0-9_.-]{1,64}$/);
      }
    }
    return seen;
  }

  it('leave the key in no error field, hint, message, request_log row, audit row, log line, database file or backup', async () => {
    const openai = await startOpenAIEmulator({ apiKey: KEY });
    const gemini = await startGeminiEmulator({ apiKey: KEY });
    const anthropic = await startAnthropicEmulator({ apiKey: KEY });
    emulators.push(openai, gemini, anthropic);
    const create = (name: string, provider: string, model: string, baseUrl: string) =>
      f.service.createConfiguration({ name, provider, settings: { model, baseUrl }, apiKey: KEY });
    const o = await create('OpenAI', 'openai', 'gpt-4o-mini', `${openai.url}/v1`);
    const g = await create('Gemini', 'gemini', 'gemini-2.5-flash', gemini.url);
    const a = await create('Anthropic', 'anthropic', 'claude-sonnet-4-5', anthropic.url);

    const texts = [
      ...(await provoke(o.id, openai, openaiBodies, 401)),
      ...(await provoke(o.id, openai, openaiBodies.slice(0, 2), 400)),
      ...(await provoke(g.id, gemini, geminiBodies, 400)),
      ...(await provoke(a.id, anthropic, anthropicBodies, 401)),
    ];
    await f.store.flush();

    const rows = f.store.read((r) => r.requestLog.count(f.userId));
    assert.ok(rows >= 12, `the failures were logged (${String(rows)} rows)`);
    const audit = f.store.read((r) => r.audit.list(f.userId, 1000));
    assert.ok(audit.filter((e) => e.action === 'configuration.test').length >= 12);
    // A provider code in the right shape is still kept: the check above is not passing by dropping everything.
    assert.ok(texts.some((t) => t.includes('invalid_api_key')), 'a well-formed code survives');

    for (const text of texts) assertNoKey('an error', text);
    assertNoKey('the audit log', JSON.stringify(audit));
    assertNoKey('the log', f.lines.join('\n'));
    const files = readdirSync(f.folder);
    assert.ok(files.some((n) => n.endsWith('.bak')), files.join(', '));
    for (const name of files) assertNoKey(name, readFileSync(join(f.folder, name)).toString('latin1'));
  });

  it('are still seen by the scan when the key is there, so the check above can fail', () => {
    for (const sample of [KEY, b64(KEY), hex(KEY).toUpperCase(), b64(`user:${KEY}`), `prefix ${KEY.slice(0, 32)}`]) {
      assert.throws(() => {
        assertNoKey('a sample', sample);
      });
    }
  });
});

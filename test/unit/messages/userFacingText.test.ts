import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import * as z from 'zod/mini';
import { describeFailure, failureLabel, failureSummary, hintFor, type ProviderErrorKind } from '../../../src/core/providers';
import { createProvider, OpenAIConfig } from '../../../src/core/providers/openai';
import { defaultSettings } from '../../../src/core/routing';
import { classify } from '../../../src/core/routing/classify';
import { excerpt, phrase, sentence } from '../../../src/core/text';
import { providerDisplayName } from '../../../src/core/providers/displayNames';
import { ProviderRegistry } from '../../../src/core/providers/registry';
import { HttpClient } from '../../../src/core/http';
import { builtinTemplates } from '../../../src/core/templates/builtins';
import { packageCatalog } from '../catalog/packageCatalog';
import { route, World } from '../routing/fixture';
import { testClient } from '../providers/harness';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';

/** The repository (the tests run from out/test/unit/messages). */
const root = resolve(__dirname, '..', '..', '..', '..');

/** The sentence Test Connection shows for a failed test (connectionCommands.testFailureMessage, without l10n). */
function testFailureText(name: string, result: { readonly failure?: { kind: string; status?: number; code?: string }; readonly hint: string }): string {
  return `"${name}" failed the connection test (${result.failure ? failureLabel(result.failure) : 'failed'}).${result.hint ? ` ${result.hint}` : ''}`;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

describe('what the messages say, word for word', () => {
  let emulator: OpenAIEmulator;
  const http = testClient();
  const provider = createProvider({ http });
  before(async () => {
    emulator = await startOpenAIEmulator();
  });
  after(async () => {
    await emulator.close();
    await http.close();
  });

  it('a rejected key names its status and code once: "(401 invalid_api_key). Check the key or its project."', async () => {
    const result = await provider.testConnection({ config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: 'sk-wrong-0123456789abcdef' });
    assert.equal(testFailureText('Work', result), '"Work" failed the connection test (401 invalid_api_key). Check the key or its project.');
  });

  it('a refused connection says "nothing is listening there" once', async () => {
    const port = await closedPort();
    const result = await provider.testConnection({ config: z.parse(OpenAIConfig, { baseUrl: `http://127.0.0.1:${String(port)}/v1`, model: 'gpt-4.1-nano' }), apiKey: emulator.apiKey });
    const shown = `${result.failure?.message ?? ''} ${result.hint}`;
    assert.equal(shown.match(/nothing is listening there/g)?.length, 1, shown);
    assert.equal(result.hint, 'Check that the server is running and the port in the base URL.');
    assert.equal(testFailureText('Local', result), '"Local" failed the connection test (connection refused). Check that the server is running and the port in the base URL.');
  });

  it('a route failure reads "server error (500 server_error)", not "500 server_error server"', () => {
    assert.equal(failureSummary({ kind: 'server', status: 500, code: 'server_error' }), 'server error (500 server_error)');
    assert.equal(failureSummary({ kind: 'refused' }), 'connection refused');
    assert.equal(failureSummary({ kind: 'rate-limited', status: 429 }), 'rate limited (429)');
  });

  it('a member that cannot be prepared ("…enter it again.") is listed without a second full stop', async () => {
    const world = new World({ targetOf: () => Promise.reject(new Error('The stored API key cannot be opened: enter it again.')) });
    try {
      const a = { configurationId: 'cfg-a', name: 'a', provider: 'openai', model: 'gpt-4o-mini', weight: 1 };
      const b = { configurationId: 'cfg-b', name: 'b', provider: 'openai', model: 'gpt-4o', weight: 1 };
      world.groups.set('g', { id: 'g', userId: 'user-1', name: 'Pair', strategy: 'fallback', members: [a, b], settings: defaultSettings });
      const result = await route(world.router, 'g');
      assert.equal(result.error?.message, 'Every member failed in "Pair": a (gpt-4o-mini): The stored API key cannot be opened: enter it again; b (gpt-4o): The stored API key cannot be opened: enter it again.');
      assert.equal(classify(new Error('Enter it again.')).summary, 'Enter it again');
      assert.equal(sentence('Enter it again.'), 'Enter it again.');
      assert.equal(sentence('Enter it again'), 'Enter it again.');
      assert.equal(phrase('lowest cost: $0.001. '), 'lowest cost: $0.001');
    } finally {
      await world.close();
    }
  });

  it('a single configuration that fails is named as such, never "Every member failed in"', async () => {
    const world = new World();
    try {
      const a = await world.openai('Work');
      world.groups.set('configuration:cfg-Work', { id: 'configuration:cfg-Work', userId: 'user-1', name: 'Work', strategy: 'fallback', members: [a.member], settings: { ...defaultSettings, cooldownFailures: Number.MAX_SAFE_INTEGER }, single: true });
      a.emulator.inject({ status: 500 }, 5);
      const result = await route(world.router, 'configuration:cfg-Work');
      const message = result.error?.message ?? '';
      assert.doesNotMatch(message, /Every member|member/);
      assert.match(message, /^"Work" could not answer: OpenAI had a server error \(500[^)]*\)/);
      assert.match(message, / The provider had a problem on its side: try again shortly\.$/);
      assert.doesNotMatch(message, /\.\./);
    } finally {
      await world.close();
    }
  });

  it('counts the members a route group tried, not the retries within one', async () => {
    const world = new World();
    try {
      const a = await world.openai('a');
      const b = await world.openai('b');
      // A 429 whose Retry-After fits the retry budget is waited out within the member, then a 500 moves on.
      a.emulator.inject({ status: 429, retryAfter: '0' }, 1);
      a.emulator.inject({ status: 500 }, 5);
      const result = await route(world.router, world.group('fallback', [a, b]));
      assert.equal(result.answeredBy, 'b');
      assert.ok(a.emulator.requests.filter((r) => r.path.endsWith('/chat/completions')).length >= 2, `a was retried within the member: ${a.emulator.requests.map((r) => r.path).join(', ')}`);
      assert.equal(result.notices.length, 2, 'one notice per member tried: "after 1 other member could not"');
      assert.match(result.notices[1]?.reason ?? '', /^moved on from a \(gpt-4o-mini\): server error \(500[^)]*\)$/);
    } finally {
      await world.close();
    }
  });

  it('writes a count with its noun agreeing ("1 configuration", "2 configurations"), never "configuration(s)", in every message of the host and the core', () => {
    // Messages are string literals and template texts; a comment may say "http(s)", a message may not say "key(s)".
    const files = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const found = files.flatMap((file) =>
      readFileSync(join(root, 'src', file), 'utf8')
        .split('\n')
        .map((line, i) => ({ line: line.replace(/\/\/.*$|^\s*\*.*$|^\s*\/\*\*.*$/, ''), at: `${file}:${String(i + 1)}` }))
        .filter(({ line }) => /['`"][^'`"]*[a-z]\((?:s|es|ies)\)/.test(line))
        .map(({ at, line }) => `${at}: ${line.trim()}`),
    );
    assert.deepEqual(found, []);
  });

  it('a Test Route Group reply is shown as plain text, not Markdown', () => {
    assert.equal(excerpt('**Hello** there! Here is `code`:\n\n- one\n- _two_\n\n```js\nx()\n```'), 'Hello there! Here is code: one two x()');
    assert.equal(excerpt('# Hi\n\nSee [the docs](https://example.com).'), 'Hi See the docs.');
    assert.equal(excerpt('word '.repeat(100), 20), 'word word word…');
  });

  it('template descriptions carry no package name or version, no bare setup address, and no dangling separator', () => {
    const templates = builtinTemplates(packageCatalog());
    for (const t of templates) assert.doesNotMatch(t.description, /genai-prices|@\d|Setup: https?:/, t.description);
    const groq = templates.find((t) => t.config.preset === 'groq');
    assert.ok(groq);
    assert.equal(groq.description, 'Groq at https://api.groq.com/openai/v1 (OpenAI-compatible; API key required). Choose a model after creating it.');
    // The picker joins provider and model, and a preset has no model yet: "Groq", not "Groq · ".
    assert.equal([providerDisplayName('openai-compatible', 'groq'), groq.model].filter(Boolean).join(' · '), 'Groq');
  });

  it('an id or failure kind named like an object built-in ("constructor", "toString") is shown as written, never as a function', () => {
    for (const id of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      assert.equal(providerDisplayName(id), id);
      assert.equal(failureSummary({ kind: id }), id);
      assert.equal(describeFailure({ kind: id }, ''), `failed (${id}).`);
      assert.equal(hintFor(id as ProviderErrorKind, {}), '');
    }
  });

  it('names providers as the user knows them, the same names their adapters give', async () => {
    assert.equal(providerDisplayName('openai-compatible', 'openrouter'), 'OpenRouter');
    assert.equal(providerDisplayName('openai-compatible'), 'OpenAI-compatible API');
    assert.equal(providerDisplayName('gemini'), 'Google Gemini');
    const client = new HttpClient();
    try {
      for (const p of await new ProviderRegistry({ http: client }).list()) assert.equal(providerDisplayName(p.id), p.displayName);
    } finally {
      await client.close();
    }
  });
});

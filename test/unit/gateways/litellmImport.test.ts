import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { importLiteLLMConfig, MAX_LITELLM_BYTES } from '../../../src/core/gateways';
import { ImportFileError } from '../../../src/core/importExport/types';
import { repoRoot } from '../store/helpers';
import { realProviders } from '../importExport/setup';
import { CANARY } from './fixtures';

const fixture = (name: string): string => readFileSync(join(repoRoot, 'test', 'fixtures', 'gateways', name), 'utf8');

describe('importing a LiteLLM config.yaml', () => {
  let providers: ReturnType<typeof realProviders>;
  beforeEach(() => {
    providers = realProviders(['Taken']);
  });
  afterEach(() => providers.close());

  it('reads LiteLLM\'s documented quick-start config: the OpenAI-compatible server comes in, Azure and Bedrock are refused by name, the master key is never read', async () => {
    const report = await importLiteLLMConfig(fixture('litellm-proxy-configs.yaml'), providers.options);
    assert.deepEqual(report.imported.map((c) => [c.name, c.provider, c.model, c.baseUrl]), [['vllm-models', 'openai-compatible', 'facebook/opt-125m', 'http://0.0.0.0:4000/v1']]);
    const vllm = report.imported[0];
    assert.equal(vllm?.apiKey, undefined, '"none" is not a key');
    assert.match(vllm?.notes.join(' ') ?? '', /rpm tunes the proxy, not the model/);
    assert.deepEqual(report.rejected.map((r) => r.reasons.join(' ')), [
      'entry 1 ("gpt-4o"): LiteLLM provider "azure" is not one Model Manager speaks (OpenAI, Anthropic, Gemini, Ollama and OpenAI-compatible servers): add it by hand as an OpenAI-compatible server if it has one.',
      'entry 2 ("bedrock-claude-v1"): LiteLLM provider "bedrock" is not one Model Manager speaks (OpenAI, Anthropic, Gemini, Ollama and OpenAI-compatible servers): add it by hand as an OpenAI-compatible server if it has one.',
      'entry 3 ("gpt-4o"): LiteLLM provider "azure" is not one Model Manager speaks (OpenAI, Anthropic, Gemini, Ollama and OpenAI-compatible servers): add it by hand as an OpenAI-compatible server if it has one.',
    ]);
    assert.ok(!inspect(report, { depth: 10 }).includes('sk-1234'), 'general_settings.master_key is not read');
  });

  it('makes fallbacks into a fallback group and a shared model_name into a load-balanced group with its weights', async () => {
    const text = [
      'model_list:',
      '  - model_name: primary',
      '    litellm_params: { model: openai/gpt-4o, api_key: os.environ/OPENAI_API_KEY, temperature: 0.3 }',
      '  - model_name: backup',
      '    litellm_params: { model: anthropic/claude-sonnet-4-5, api_key: os.environ/ANTHROPIC_API_KEY }',
      '  - model_name: pool',
      '    litellm_params: { model: ollama_chat/llama3.2, api_base: "http://10.0.0.2:11434", weight: 4 }',
      '  - model_name: pool',
      '    litellm_params: { model: ollama/qwen3, api_base: "http://10.0.0.3:11434", weight: 1 }',
      'router_settings:',
      '  routing_strategy: least-busy',
      '  allowed_fails: 2',
      '  cooldown_time: 90',
      '  fallbacks: [{ primary: [backup, pool, missing] }]',
    ].join('\n');
    const report = await importLiteLLMConfig(text, providers.options);
    assert.deepEqual(report.imported.map((c) => c.name), ['primary', 'backup', 'pool 1', 'pool 2']);
    assert.deepEqual(report.groups, [
      { name: 'pool', strategy: 'least-busy', members: [{ configuration: 'pool 1', weight: 4 }, { configuration: 'pool 2', weight: 1 }], settings: { cooldownFailures: 2, cooldownWindowSeconds: 60, cooldownSeconds: 90 } },
      { name: 'primary fallbacks', strategy: 'fallback', members: [{ configuration: 'primary' }, { configuration: 'backup' }, { configuration: 'pool 1' }, { configuration: 'pool 2' }], settings: { cooldownFailures: 2, cooldownWindowSeconds: 60, cooldownSeconds: 90 } },
    ]);
    assert.match(report.notes.join(' '), /The fallbacks of primary name missing, which is not an imported model/);
  });

  it('never reads os.environ: a key the file takes from the environment is asked for later, even when the variable is set', async () => {
    const previous = process.env.MM_TEST_GATEWAY_KEY;
    process.env.MM_TEST_GATEWAY_KEY = CANARY;
    try {
      const report = await importLiteLLMConfig('model_list:\n  - model_name: a\n    litellm_params: { model: openai/gpt-4o, api_key: os.environ/MM_TEST_GATEWAY_KEY }\n', providers.options);
      assert.equal(report.imported[0]?.apiKey, undefined);
      assert.ok(!inspect(report, { depth: 10 }).includes(CANARY));
      assert.match(report.imported[0]?.notes.join(' ') ?? '', /environment variable MM_TEST_GATEWAY_KEY\. Enter the key after import/);
      const base = await importLiteLLMConfig('model_list:\n  - model_name: b\n    litellm_params: { model: openai/m, api_base: os.environ/MM_TEST_GATEWAY_KEY }\n', providers.options);
      assert.match(base.rejected[0]?.reasons.join(' ') ?? '', /its api_base comes from the environment variable MM_TEST_GATEWAY_KEY, which Model Manager does not read/);
    } finally {
      if (previous === undefined) delete process.env.MM_TEST_GATEWAY_KEY;
      else process.env.MM_TEST_GATEWAY_KEY = previous;
    }
  });

  it('takes a key written in the file as the Continue import does: sealed later, hidden everywhere, with a note to remove it', async () => {
    const report = await importLiteLLMConfig(`model_list:\n  - model_name: a\n    litellm_params: { model: openai/gpt-4o, api_key: ${CANARY} }\n`, providers.options);
    assert.equal(report.imported[0]?.apiKey?.reveal(), CANARY);
    assert.ok(!inspect(report, { depth: 10 }).includes(CANARY) && !JSON.stringify(report).includes(CANARY));
    assert.match(report.imported[0].notes.join(' '), /will be stored encrypted\. Remove it from config\.yaml/);
  });

  it('never takes a password written into api_base (user:password@) into the stored address', async () => {
    const report = await importLiteLLMConfig(`model_list:\n  - model_name: a\n    litellm_params: { model: openai/m, api_base: "https://team:${CANARY}@proxy.example.com/v1" }\n`, providers.options);
    assert.equal(report.imported[0]?.baseUrl, 'https://proxy.example.com/v1');
    assert.ok(!inspect(report, { depth: 10 }).includes(CANARY) && !JSON.stringify(report).includes(CANARY));
    assert.match(report.imported[0].notes.join(' '), /api_base carries a user name and password/);
  });

  it('refuses hostile YAML with a message the user can act on: an alias bomb, a huge file, wrong types', async () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`), 'model_list: *i'].join('\n');
    await assert.rejects(importLiteLLMConfig(bomb, providers.options), (e: unknown) => e instanceof ImportFileError && e.message.includes('too many YAML aliases'));
    await assert.rejects(importLiteLLMConfig(`# ${'x'.repeat(MAX_LITELLM_BYTES)}\nmodel_list: []`, providers.options), (e: unknown) => e instanceof ImportFileError && e.message.includes('a LiteLLM config.yaml is at most 2 MB'));
    await assert.rejects(importLiteLLMConfig('model_list: gpt-4o', providers.options), (e: unknown) => e instanceof ImportFileError && e.message.includes('"model_list" must be a list'));
    await assert.rejects(importLiteLLMConfig('- just\n- a list', providers.options), (e: unknown) => e instanceof ImportFileError && e.message.includes('expected a mapping with a "model_list"'));
    await assert.rejects(importLiteLLMConfig('model_list: [\n', providers.options), (e: unknown) => e instanceof ImportFileError && e.message.includes('not valid YAML'));
    await assert.rejects(importLiteLLMConfig('!!python/object:os.system {}', providers.options), (e: unknown) => e instanceof ImportFileError);
    // Nested past what the parser's recursion takes: said as what it is, not as the JavaScript engine's stack error.
    const deep = `model_list:\n  - model_name: x\n    litellm_params: { model: openai/gpt-4o, extra_body: { a: ${'['.repeat(20_000)}1${']'.repeat(20_000)} } }\n`;
    await assert.rejects(importLiteLLMConfig(deep, providers.options), (e: unknown) => e instanceof ImportFileError && e.message.includes('nests lists or mappings too deeply') && !/call stack/i.test(e.message));
    const wrong = await importLiteLLMConfig('model_list:\n  - 42\n  - model_name: [x]\n  - model_name: y\n    litellm_params: "openai/gpt-4o"\n  - model_name: z\n    litellm_params: { model: openai/gpt-4o, temperature: hot }\n  - model_name: w\n    litellm_params: { model: openai/gpt-4o, __proto__: { polluted: true } }\nrouter_settings: { fallbacks: "z", allowed_fails: -1 }\n', providers.options);
    assert.deepEqual(wrong.imported, []);
    assert.deepEqual(wrong.rejected.map((r) => r.reasons.join(' ')), [
      'entry 1: is not a model entry (expected model_name and litellm_params).',
      'entry 2: has no model_name: add the name clients ask the proxy for.',
      'entry 3 ("y"): has no litellm_params mapping (with model, api_base, api_key).',
      'entry 4 ("z"): temperature must be a number from 0 to 2.',
      'entry 5 ("w"): contains the key "__proto__", which is not allowed (remove it).',
    ]);
    assert.deepEqual(wrong.notes, ['fallbacks is not a list of {model_name: [fallback model_names]}; no fallback group was made from it.', 'router_settings.allowed_fails is not a positive whole number; the groups keep Model Manager\'s default.']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('keeps a key written in any other field out of the plain settings: extra_body at any depth, a key-shaped value, a secret-named one', async () => {
    const text = [
      'model_list:',
      '  - model_name: vllm',
      `    litellm_params: { model: openai/m, api_base: http://vllm.example/v1, extra_body: { top_k: 20, api_key: ${CANARY}, auth: { session_token: kept-out-too }, plugins: [{ id: web, api_key: kept-out-in-a-list }, ${CANARY}] } }`,
      '  - model_name: gpt',
      `    litellm_params: { model: openai/gpt-4o, organization: ${CANARY} }`,
      '',
    ].join('\n');
    const report = await importLiteLLMConfig(text, providers.options);
    assert.deepEqual(report.imported.map((c) => c.config), [
      { baseUrl: 'http://vllm.example/v1', model: 'm', extraParams: { top_k: 20, auth: {}, plugins: [{ id: 'web' }] } },
      { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o' },
    ]);
    const shown = inspect(report, { depth: 10 });
    assert.ok(!shown.includes(CANARY) && !shown.includes('kept-out-too') && !shown.includes('kept-out-in-a-list'), shown);
    assert.match(report.imported[0]?.notes.join(' ') ?? '', /extraParams\.api_key, extraParams\.auth\.session_token, extraParams\.plugins\.0\.api_key, extraParams\.plugins\.1 look like credentials and were not imported/);
    assert.match(report.imported[1]?.notes.join(' ') ?? '', /organization looks like a credential and was not imported/);
  });

  it('reads any os.environ/ value as an environment reference, and never repeats one that is not a variable name', async () => {
    const text = [
      'model_list:',
      '  - model_name: pasted',
      `    litellm_params: { model: openai/gpt-4o, api_key: "os.environ/${CANARY}" }`,
      '  - model_name: path',
      '    litellm_params: { model: openai/gpt-4.1, api_key: os.environ/../../etc/passwd }',
      '  - model_name: base',
      `    litellm_params: { model: openai/gpt-4o, api_base: "os.environ/${CANARY}" }`,
      '',
    ].join('\n');
    const report = await importLiteLLMConfig(text, providers.options);
    assert.deepEqual(report.imported.map((c) => [c.name, c.apiKey === undefined]), [['pasted', true], ['path', true]]);
    assert.deepEqual(report.imported.map((c) => c.notes), [
      ['API key needed: the proxy reads it from an environment variable (os.environ/…). Enter the key after import.'],
      ['API key needed: the proxy reads it from an environment variable (os.environ/…). Enter the key after import.'],
    ]);
    assert.deepEqual(report.rejected.map((r) => r.reasons.join(' ')), ['entry 3 ("base"): its api_base comes from an environment variable (os.environ/…), which Model Manager does not read: write the value itself and import again.']);
    assert.ok(!inspect(report, { depth: 10 }).includes(CANARY.slice(3, 20)));
  });

  it('reads provider prefixes, parameters and a routing strategy named like an object\'s own property as unknown names', async () => {
    const text = [
      'model_list:',
      '  - model_name: proto',
      '    litellm_params: { model: toString/gpt-4o }',
      '  - model_name: shared',
      '    litellm_params: { model: openai/gpt-4o, valueOf: 2 }',
      '  - model_name: shared',
      '    litellm_params: { model: openai/gpt-4.1 }',
      'router_settings: { routing_strategy: toString }',
      '',
    ].join('\n');
    const report = await importLiteLLMConfig(text, providers.options);
    assert.deepEqual(report.rejected.map((r) => r.reasons.join(' ')), ['entry 1 ("proto"): LiteLLM provider "toString" is not one Model Manager speaks (OpenAI, Anthropic, Gemini, Ollama and OpenAI-compatible servers): add it by hand as an OpenAI-compatible server if it has one.']);
    assert.deepEqual(report.groups.map((g) => [g.name, g.strategy]), [['shared', 'weighted-round-robin']]);
    assert.ok(report.notes.includes('routing_strategy toString has no equivalent here; load-balanced groups use weighted round-robin.'), report.notes.join(' | '));
    assert.deepEqual(report.imported[0]?.config, { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o' });
    assert.match(report.imported[0].notes.join(' '), /valueOf has no equivalent setting here/);
  });
});


import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { createProvider, CustomAPIConfig } from '../../../src/core/providers/openaiCompatible';
import { compatiblePresets } from '../../../src/core/providers';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { collectChat, hello, testClient } from './harness';
import { describeContract } from './contract';
import { openaiCompatibleSubject } from '../helpers/subjects';

const { target } = openaiCompatibleSubject;

describeContract(openaiCompatibleSubject);

describe('OpenAI-compatible adapter', () => {
  let emulator: OpenAIEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startOpenAIEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  it('sends extra headers and extra body parameters, and max_tokens as most servers expect', async () => {
    const t = target(emulator, { headers: { 'X-Title': 'Model Manager' }, extraParams: { top_k: 20, repetition_penalty: 1.1 }, maxTokens: 64 });
    await collectChat(provider, t, hello);
    const request = emulator.requests.at(-1);
    const body = request?.body as Record<string, unknown>;
    assert.equal(request?.headers['x-title'], 'Model Manager');
    assert.equal(body.top_k, 20);
    assert.equal(body.repetition_penalty, 1.1);
    assert.equal(body.max_tokens, 64);
    assert.equal(body.max_completion_tokens, undefined);
  });

  it('names the preset in its errors', async () => {
    const error = await collectChat(provider, { ...target(emulator), apiKey: 'wrong-key-0123456789' }, hello).catch((e: unknown) => e);
    assert.match(String(error), /vLLM rejected the key/);
  });

  it('still tests a server that has no /models, by chatting', async () => {
    const t = { ...target(emulator), config: { ...target(emulator).config } };
    emulator.inject({ status: 404, body: { error: { message: 'Not Found', type: 'invalid_request_error', code: null } } });
    const result = await provider.testConnection(t);
    assert.equal(result.ok, true, result.hint);
    assert.equal(result.streaming, true);
  });

  it('has presets for LM Studio, vLLM, llama.cpp, the LiteLLM and Portkey gateways, OpenRouter, Groq and Together, as data', () => {
    assert.deepEqual(compatiblePresets.map((p) => p.displayName), ['LM Studio', 'vLLM', 'llama.cpp server', 'LiteLLM Proxy', 'Portkey Gateway', 'OpenRouter', 'Groq', 'Together AI']);
    for (const preset of compatiblePresets) assert.ok(z.safeParse(CustomAPIConfig, { baseUrl: preset.baseUrl, model: 'm', preset: preset.id }).success, preset.id);
  });
});

describe('a team gateway as an OpenAI-compatible server', () => {
  let emulator: OpenAIEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  // A fresh server each time: faults the test did not use up must not answer the next test.
  beforeEach(async () => {
    emulator = await startOpenAIEmulator();
  });
  afterEach(() => emulator.close());
  after(() => http.close());

  it('names a LiteLLM budget refusal in the connection test: the gateway\'s budget, not the parameters', async () => {
    // LiteLLM proxy's answer when a virtual key's max_budget is spent (docs.litellm.ai/docs/proxy/users).
    const body = { error: { message: 'Budget has been exceeded! Current cost: 0.0015, Max budget: 0.001', type: 'budget_exceeded', param: null, code: '400' } };
    emulator.inject({ status: 400, body }, 4);
    const result = await provider.testConnection({ ...target(emulator), config: { ...target(emulator).config, preset: 'litellm' } });
    assert.equal(result.ok, false);
    assert.match(result.hint, /budget for this key is used up/);
    assert.doesNotMatch(result.hint, /Check the parameters/);
  });

  it('names a Portkey gateway config error in the connection test', async () => {
    const body = { status: 'failure', message: 'Invalid config passed. "strategy.mode" must be one of [single, loadbalance, fallback, conditional]' };
    emulator.inject({ status: 400, body }, 4);
    const result = await provider.testConnection({ ...target(emulator), config: { ...target(emulator).config, preset: 'portkey' } });
    assert.equal(result.ok, false, JSON.stringify(result));
    assert.match(result.hint, /The gateway refused the request itself \(its config, x-portkey-config\)/);
  });
});

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

import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/mini';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createGemini, GeminiConfig } from '../../../src/core/providers/gemini';
import { createProvider as createOllama, OllamaConfig } from '../../../src/core/providers/ollama';
import { createProvider as createOpenAI, OpenAIConfig } from '../../../src/core/providers/openai';
import type { AIProvider, ProviderTarget, Usage } from '../../../src/core/providers';
import { collectChat, hello, testClient } from './harness';

const sse = (events: readonly unknown[]): string => events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('');
const named = (events: readonly [string, unknown][]): string => events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');

/** Each provider's stream, well formed but for token figures no provider could have meant: negative, fractional, astronomically large. */
const streams: Readonly<Record<string, { readonly type: string; readonly body: string }>> = {
  '/v1/chat/completions': {
    type: 'text/event-stream',
    body: sse([
      { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] },
      { id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { id: 'c', object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: -50, completion_tokens: 1e15, prompt_tokens_details: { cached_tokens: 1e300 }, completion_tokens_details: { reasoning_tokens: -1 } } },
    ]) + 'data: [DONE]\n\n',
  },
  '/v1/responses': {
    type: 'text/event-stream',
    body: sse([
      { type: 'response.output_text.delta', delta: 'Hi' },
      { type: 'response.completed', response: { status: 'completed', usage: { input_tokens: 40, output_tokens: 12.5, input_tokens_details: { cached_tokens: 5000, cache_write_tokens: -3 }, output_tokens_details: { reasoning_tokens: 1e20 } } } },
    ]),
  },
  '/v1/messages': {
    type: 'text/event-stream',
    body: named([
      ['message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], model: 'claude-opus-4-6', usage: { input_tokens: 100, cache_creation_input_tokens: -100, cache_read_input_tokens: 1e18, output_tokens: 1 } } }],
      ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
      ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: -5 } }],
      ['message_stop', { type: 'message_stop' }],
    ]),
  },
  '/v1beta/models/gemini-2.5-flash:streamGenerateContent': {
    type: 'text/event-stream',
    body: sse([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: -7, candidatesTokenCount: 3, thoughtsTokenCount: 1e30, cachedContentTokenCount: 99 } }]),
  },
  '/api/chat': {
    type: 'application/x-ndjson',
    body: `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: 'Hi' }, done: false })}\n${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: '' }, done: true, done_reason: 'stop', prompt_eval_count: -3, eval_count: 1e16 })}\n`,
  },
};

/**
 * A provider (or a proxy in front of one) that reports usage no request could have: every figure that reaches usage
 * rows, costs and budgets must be a whole number of tokens from zero up, the parts within their wholes.
 */
describe('token figures a provider could not have meant', () => {
  let server: Server;
  let url: string;
  const http = testClient();

  before(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      req.resume();
      const stream = streams[path];
      if (!stream) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      res.writeHead(200, { 'content-type': stream.type });
      res.end(stream.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  after(async () => {
    await http.close();
    await new Promise((resolve) => server.close(resolve));
  });

  async function usageOf<C>(provider: AIProvider<C>, target: ProviderTarget<C>): Promise<Usage> {
    const outcome = await collectChat(provider, target, hello);
    assert.equal(outcome.text, 'Hi');
    assert.ok(outcome.usage, 'a usage event');
    return outcome.usage;
  }

  function assertSane(usage: Usage): void {
    for (const [field, value] of Object.entries(usage)) {
      assert.ok(Number.isSafeInteger(value) && value >= 0 && value <= 100_000_000, `${field} is ${String(value)}`);
    }
    assert.ok(usage.cached <= usage.input, `cached ${String(usage.cached)} of ${String(usage.input)} input`);
    assert.ok((usage.cacheWrite ?? 0) <= usage.input - usage.cached, `cache writes ${String(usage.cacheWrite)}`);
    assert.ok((usage.reasoning ?? 0) <= usage.output, `reasoning ${String(usage.reasoning)} of ${String(usage.output)} output`);
  }

  it('counts none of OpenAI\'s Chat Completions figures below zero or beyond any model', async () => {
    const usage = await usageOf(createOpenAI({ http }), { config: z.parse(OpenAIConfig, { baseUrl: `${url}/v1`, model: 'gpt-4o-mini', protocol: 'chat' }), apiKey: 'sk-test-hostile-usage-0000' });
    assertSane(usage);
  });

  it('counts none of the Responses API\'s figures below zero, fractional or beyond any model', async () => {
    const usage = await usageOf(createOpenAI({ http }), { config: z.parse(OpenAIConfig, { baseUrl: `${url}/v1`, model: 'gpt-4o-mini', protocol: 'responses' }), apiKey: 'sk-test-hostile-usage-0000' });
    assertSane(usage);
    assert.equal(usage.input, 40);
  });

  it('keeps Anthropic\'s input whole when the cache write or read figures are nonsense', async () => {
    const usage = await usageOf(createAnthropic({ http }), { config: z.parse(AnthropicConfig, { baseUrl: url, model: 'claude-opus-4-6' }), apiKey: 'sk-ant-test-hostile-0000' });
    assertSane(usage);
    assert.equal(usage.input, 100, 'a negative cache write takes nothing off the input');
  });

  it('counts none of Gemini\'s or Ollama\'s figures below zero or beyond any model', async () => {
    assertSane(await usageOf(createGemini({ http }), { config: z.parse(GeminiConfig, { baseUrl: `${url}/v1beta`, model: 'gemini-2.5-flash' }), apiKey: 'AIzaTestHostileUsage000000000000000000' }));
    assertSane(await usageOf(createOllama({ http }), { config: z.parse(OllamaConfig, { baseUrl: url, model: 'llama3.2' }) }));
  });
});

/** Each provider's stream ending with a stop reason named like a property every JavaScript object has. */
function endingWith(reason: string): Readonly<Record<string, { readonly type: string; readonly body: string }>> {
  return {
    '/v1/chat/completions': { type: 'text/event-stream', body: sse([{ id: 'c', object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: reason }] }]) + 'data: [DONE]\n\n' },
    '/v1/responses': { type: 'text/event-stream', body: sse([{ type: 'response.output_text.delta', delta: 'Hi' }, { type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason } } }]) },
    '/v1/messages': {
      type: 'text/event-stream',
      body: named([
        ['message_start', { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', content: [], model: 'claude-opus-4-6', usage: { input_tokens: 1, output_tokens: 1 } } }],
        ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } }],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ['message_delta', { type: 'message_delta', delta: { stop_reason: reason }, usage: { output_tokens: 1 } }],
        ['message_stop', { type: 'message_stop' }],
      ]),
    },
    '/v1beta/models/gemini-2.5-flash:streamGenerateContent': { type: 'text/event-stream', body: sse([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] }, finishReason: reason, index: 0 }] }]) },
    '/api/chat': { type: 'application/x-ndjson', body: `${JSON.stringify({ model: 'llama3.2', message: { role: 'assistant', content: 'Hi' }, done: true, done_reason: reason })}\n` },
  };
}

describe('stop reasons named like an object\'s own properties', () => {
  let server: Server;
  let url: string;
  let reason = '';
  const http = testClient();

  before(async () => {
    server = createServer((req, res) => {
      req.resume();
      const stream = endingWith(reason)[(req.url ?? '').split('?')[0] ?? ''];
      res.writeHead(stream ? 200 : 404, { 'content-type': stream?.type ?? 'application/json' });
      res.end(stream?.body ?? '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  });
  after(async () => {
    await http.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('end every provider\'s answer as "other", never with a function or an object for a reason', async () => {
    const targets: [string, AIProvider<never>, ProviderTarget<never>][] = [
      ['OpenAI chat', createOpenAI({ http }) as AIProvider<never>, { config: z.parse(OpenAIConfig, { baseUrl: `${url}/v1`, model: 'gpt-4o-mini', protocol: 'chat' }) as never, apiKey: 'sk-test-hostile-usage-0000' }],
      ['OpenAI Responses', createOpenAI({ http }) as AIProvider<never>, { config: z.parse(OpenAIConfig, { baseUrl: `${url}/v1`, model: 'gpt-4o-mini', protocol: 'responses' }) as never, apiKey: 'sk-test-hostile-usage-0000' }],
      ['Anthropic', createAnthropic({ http }) as AIProvider<never>, { config: z.parse(AnthropicConfig, { baseUrl: url, model: 'claude-opus-4-6' }) as never, apiKey: 'sk-ant-test-hostile-0000' }],
      ['Gemini', createGemini({ http }) as AIProvider<never>, { config: z.parse(GeminiConfig, { baseUrl: `${url}/v1beta`, model: 'gemini-2.5-flash' }) as never, apiKey: 'AIzaTestHostileUsage000000000000000000' }],
      ['Ollama', createOllama({ http }) as AIProvider<never>, { config: z.parse(OllamaConfig, { baseUrl: url, model: 'llama3.2' }) as never }],
    ];
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      reason = name;
      for (const [provider, adapter, target] of targets) {
        const outcome = await collectChat(adapter, target, hello);
        assert.equal(outcome.finish?.reason, 'other', `${provider} with the stop reason "${name}"`);
        assert.equal(outcome.finish.providerReason, name);
      }
    }
  });
});


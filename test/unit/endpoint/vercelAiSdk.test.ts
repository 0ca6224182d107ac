import * as assert from 'node:assert/strict';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { APICallError, generateText, jsonSchema, stepCountIs, streamText, tool } from 'ai';
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { startEndpoint, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createOpenAI, OpenAIConfig } from '../../../src/core/providers/openai';
import type { AIProvider, ChatRequest } from '../../../src/core/providers';
import { startAnthropicEmulator, startOpenAIEmulator, type AnthropicEmulator, type OpenAIEmulator } from '../../emulators';
import { testClient } from '../providers/harness';

const TOKEN = 'mm-client-vercel-4e8a2c6f1b3d';

interface WeatherInput {
  readonly location: string;
}

/**
 * The local endpoint driven by a widely used client that no provider wrote: the Vercel AI SDK with its
 * OpenAI-compatible provider, as a script or an agent framework would use it, with the real adapters and the
 * emulators behind.
 */
describe('the local endpoint, with the Vercel AI SDK as its client', () => {
  let openaiUpstream: OpenAIEmulator;
  let anthropicUpstream: AnthropicEmulator;
  let endpoint: RunningEndpoint;
  const http = testClient();
  const openaiAdapter = createOpenAI({ http });
  const anthropicAdapter = createAnthropic({ http });
  const calls: { groupId: string; request: ChatRequest }[] = [];

  before(async () => {
    openaiUpstream = await startOpenAIEmulator();
    anthropicUpstream = await startAnthropicEmulator();
    const upstreams: Record<string, { provider: AIProvider<never>; target: () => { config: never; apiKey: string } }> = {
      'configuration:gpt': {
        provider: openaiAdapter as AIProvider<never>,
        target: () => ({ config: z.parse(OpenAIConfig, { baseUrl: `${openaiUpstream.url}/v1`, model: 'gpt-4.1-nano' }) as never, apiKey: openaiUpstream.apiKey }),
      },
      'configuration:claude': {
        provider: anthropicAdapter as AIProvider<never>,
        target: () => ({ config: z.parse(AnthropicConfig, { baseUrl: anthropicUpstream.url, model: 'claude-opus-4-6' }) as never, apiKey: anthropicUpstream.apiKey }),
      },
    };
    endpoint = await startEndpoint(
      {
        models: () => [
          { id: 'team-gpt', groupId: 'configuration:gpt', created: 1_700_000_000 },
          { id: 'claude-review', groupId: 'configuration:claude', created: 1_700_000_000 },
        ],
        chat(groupId, request, options) {
          calls.push({ groupId, request });
          const upstream = upstreams[groupId];
          if (!upstream) throw new Error(`no upstream ${groupId}`);
          return upstream.provider.chat(upstream.target(), request, { signal: options.signal });
        },
        authenticate: (token) => {
          const a = Buffer.from(token);
          const b = Buffer.from(TOKEN);
          return Promise.resolve(a.length === b.length && timingSafeEqual(a, b) ? { id: 'c1', name: 'vercel script', scope: 'chat' as const } : undefined);
        },
        countTokens: () => Promise.resolve(0),
      },
      { port: 0 },
    );
  });

  after(async () => {
    await endpoint.close();
    await http.close();
    await openaiUpstream.close();
    await anthropicUpstream.close();
  });

  beforeEach(() => {
    calls.length = 0;
    openaiUpstream.use('text');
    anthropicUpstream.use('text');
  });

  function model(id: string, apiKey = TOKEN) {
    return createOpenAICompatible({ name: 'model-manager', baseURL: `${endpoint.url}/v1`, apiKey, includeUsage: true })(id);
  }

  const executed: string[] = [];
  const tools = {
    get_weather: tool({
      description: 'The weather in a city',
      inputSchema: jsonSchema<WeatherInput>({ type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false }),
      execute: ({ location }: WeatherInput) => {
        executed.push(location);
        return Promise.resolve({ temperatureCelsius: 21 });
      },
    }),
  };

  async function directText(stream: boolean): Promise<{ text: string; input: number; output: number }> {
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${openaiUpstream.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: openaiUpstream.apiKey };
    let text = '';
    let usage = { input: 0, output: 0 };
    for await (const event of openaiAdapter.chat(target, { messages: [{ role: 'user', content: 'Say hello' }], stream })) {
      if (event.type === 'text') text += event.text;
      if (event.type === 'usage') usage = event.usage;
    }
    return { text, ...usage };
  }

  it('generateText gets the OpenAI configuration\'s answer and usage, and the tool it offered reaches the provider', async () => {
    const result = await generateText({ model: model('team-gpt'), prompt: 'Say hello', tools, maxRetries: 0 });
    const upstreamBody = openaiUpstream.requests.at(-1)?.body as { tools?: { function: { name: string; parameters: unknown } }[] };
    const direct = await directText(false);
    assert.equal(result.text, direct.text);
    assert.equal(result.finishReason, 'stop');
    assert.deepEqual([result.usage.inputTokens, result.usage.outputTokens], [direct.input, direct.output]);
    assert.deepEqual(calls[0]?.request.tools?.map((t) => t.name), ['get_weather']);
    assert.deepEqual(upstreamBody.tools?.map((t) => t.function.name), ['get_weather']);
    assert.deepEqual(upstreamBody.tools[0]?.function.parameters, { type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false });
  });

  it('streamText streams the text and reports the usage of the last chunk', async () => {
    const result = streamText({ model: model('team-gpt'), prompt: 'Say hello', maxRetries: 0 });
    let text = '';
    for await (const part of result.textStream) text += part;
    const direct = await directText(true);
    assert.equal(text, direct.text);
    const usage = await result.usage;
    assert.deepEqual([usage.inputTokens, usage.outputTokens], [direct.input, direct.output]);
    assert.equal(await result.finishReason, 'stop');
  });

  it('streamText assembles the streamed tool call, runs the tool, and its result goes back to the provider in the next step', async () => {
    openaiUpstream.use('tool-calls');
    executed.length = 0;
    const result = streamText({ model: model('team-gpt'), prompt: 'Weather in Paris?', tools, stopWhen: stepCountIs(2), maxRetries: 0 });
    await result.consumeStream();
    const steps = await result.steps;
    const call = steps[0]?.toolCalls[0];
    assert.equal(call?.toolName, 'get_weather');
    assert.deepEqual(call.input, { location: 'Paris, France' });
    assert.equal(steps[0]?.finishReason, 'tool-calls');
    assert.deepEqual(executed, ['Paris, France', 'Paris, France']);
    // The second step carried the call and its result, which the endpoint passed on to the provider paired.
    const second = calls[1]?.request.messages ?? [];
    const toolMessage = second.find((m) => m.role === 'tool');
    assert.ok(toolMessage, JSON.stringify(second));
    assert.match(JSON.stringify(toolMessage), /temperatureCelsius/);
    assert.match(JSON.stringify(second), new RegExp(call.toolCallId));
  });

  it('streamText to a model served by an Anthropic configuration gets Claude\'s tool use as an OpenAI tool call', async () => {
    anthropicUpstream.use('tool-use');
    executed.length = 0;
    const result = streamText({ model: model('claude-review'), prompt: 'Weather in San Francisco?', tools, maxRetries: 0 });
    await result.consumeStream();
    const calls = await result.toolCalls;
    assert.equal(calls[0]?.toolName, 'get_weather');
    assert.match(JSON.stringify(calls[0].input), /San Francisco/);
    assert.equal(executed.length, 1);
    assert.equal(await result.finishReason, 'tool-calls');
  });

  it('a wrong token is an API call error with status 401, and an unknown model one with 404, as the SDK reports them', async () => {
    await assert.rejects(generateText({ model: model('team-gpt', 'mm-wrong-token'), prompt: 'Say hello', maxRetries: 0 }), (error: unknown) => {
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 401);
      assert.match(error.message, /client token is not valid/);
      return true;
    });
    await assert.rejects(generateText({ model: model('no-such-model'), prompt: 'Say hello', maxRetries: 0 }), (error: unknown) => {
      assert.ok(APICallError.isInstance(error), String(error));
      assert.equal(error.statusCode, 404);
      assert.match(error.message, /GET \/v1\/models lists/);
      return true;
    });
  });
});

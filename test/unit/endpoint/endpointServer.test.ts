import * as assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import * as z from 'zod/mini';
import { TokenEstimator } from '../../../src/core/chat';
import { startEndpoint, type EndpointDeps, type RunningEndpoint } from '../../../src/core/endpoint/EndpointServer';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createOpenAI, OpenAIConfig } from '../../../src/core/providers/openai';
import type { AIProvider, ChatRequest } from '../../../src/core/providers';
import { startAnthropicEmulator, startOpenAIEmulator, type AnthropicEmulator, type OpenAIEmulator } from '../../emulators';
import { until } from '../../helpers/until';
import { testClient } from '../providers/harness';

const TOKEN = 'mm-client-canary-7f3a9c1e5b2d';

/**
 * The local endpoint with the real OpenAI and Anthropic adapters behind it, answered by the loopback emulators, and the
 * providers' official SDKs as its clients: they check that the endpoint speaks each API as the provider does.
 */
describe('the local endpoint, with the official SDKs as clients', () => {
  let openaiUpstream: OpenAIEmulator;
  let anthropicUpstream: AnthropicEmulator;
  let endpoint: RunningEndpoint;
  const http = testClient();
  const openaiAdapter = createOpenAI({ http });
  const anthropicAdapter = createAnthropic({ http });
  const tokens = new TokenEstimator();
  const calls: { groupId: string; request: ChatRequest; signal: AbortSignal }[] = [];

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
    const deps: EndpointDeps = {
      models: () => [
        { id: 'team-gpt', groupId: 'configuration:gpt', created: 1_700_000_000 },
        { id: 'claude-review', groupId: 'configuration:claude', created: 1_700_000_000 },
      ],
      chat(groupId, request, options) {
        calls.push({ groupId, request, signal: options.signal });
        const upstream = upstreams[groupId];
        if (!upstream) throw new Error(`no upstream ${groupId}`);
        return upstream.provider.chat(upstream.target(), request, { signal: options.signal });
      },
      authenticate: (token) => {
        const a = Buffer.from(token);
        const b = Buffer.from(TOKEN);
        return Promise.resolve(a.length === b.length && timingSafeEqual(a, b) ? { id: 'c1', name: 'test client', scope: 'chat' as const } : undefined);
      },
      countTokens: (groupId, request) => Promise.resolve(tokens.count(groupId, request.messages.map((m) => m.content).join('\n'))),
      maxBodyBytes: 1024 * 1024,
    };
    endpoint = await startEndpoint(deps, { port: 0 });
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

  function openai(apiKey = TOKEN): OpenAI {
    return new OpenAI({ apiKey, baseURL: `${endpoint.url}/v1`, maxRetries: 0 });
  }

  function anthropic(apiKey = TOKEN): Anthropic {
    return new Anthropic({ apiKey, baseURL: endpoint.url, maxRetries: 0 });
  }

  it('lists the served configurations and route groups as OpenAI models', async () => {
    const models = await openai().models.list();
    assert.deepEqual(models.data.map((m) => m.id), ['team-gpt', 'claude-review']);
  });

  it('answers an OpenAI chat completion from the OpenAI configuration, with its usage', async () => {
    const completion = await openai().chat.completions.create({ model: 'team-gpt', messages: [{ role: 'user', content: 'Say hello' }] });
    const direct = await openaiUpstreamText(false);
    assert.equal(completion.choices[0]?.message.content, direct.text);
    assert.equal(completion.choices[0].finish_reason, 'stop');
    assert.deepEqual([completion.usage?.prompt_tokens, completion.usage?.completion_tokens], [direct.usage.input, direct.usage.output]);
  });

  it('streams an OpenAI chat completion with the usage in the last chunk when asked', async () => {
    const stream = await openai().chat.completions.create({ model: 'team-gpt', messages: [{ role: 'user', content: 'Say hello' }], stream: true, stream_options: { include_usage: true } });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    const direct = await openaiUpstreamText();
    assert.equal(text, direct.text);
    assert.equal(finish, 'stop');
    assert.equal(usage?.completion_tokens, direct.usage.output);
  });

  it('passes tools through and streams the model\'s tool calls back, which the SDK assembles', async () => {
    openaiUpstream.use('tool-calls');
    const tools: OpenAI.ChatCompletionTool[] = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const runner = openai().chat.completions.stream({ model: 'team-gpt', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools });
    const final = await runner.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    assert.ok(call?.type === 'function', 'a function call came back');
    assert.ok(call.function.name.length > 0 && call.id.length > 0);
    assert.doesNotThrow(() => JSON.parse(call.function.arguments));
    assert.equal(final.choices[0]?.finish_reason, 'tool_calls');
    assert.deepEqual(calls[0]?.request.tools?.map((t) => t.name), ['get_weather']);
  });

  it('answers an Anthropic Messages request from the Anthropic configuration, streamed and not, as the adapter does', async () => {
    const target = { config: z.parse(AnthropicConfig, { baseUrl: anthropicUpstream.url, model: 'claude-opus-4-6' }), apiKey: anthropicUpstream.apiKey };
    for (const stream of [false, true]) {
      let direct = '';
      for await (const event of anthropicAdapter.chat(target, { messages: [{ role: 'user', content: 'Say hello' }], stream, maxTokens: 256 })) if (event.type === 'text') direct += event.text;
      const message = stream
        ? await anthropic().messages.stream({ model: 'claude-review', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }] }).finalMessage()
        : await anthropic().messages.create({ model: 'claude-review', max_tokens: 256, messages: [{ role: 'user', content: 'Say hello' }] });
      const block = message.content[0];
      assert.ok(block?.type === 'text', `a text block (stream: ${String(stream)})`);
      assert.equal(block.text, direct);
      assert.equal(message.stop_reason, 'end_turn');
      assert.ok(message.usage.output_tokens > 0 && message.usage.input_tokens > 0);
    }
  });

  it('answers an Anthropic request from an OpenAI configuration: any API to any configuration', async () => {
    const streamed = await anthropic().messages.stream({ model: 'team-gpt', max_tokens: 256, system: 'Be brief.', messages: [{ role: 'user', content: 'Say hello' }] }).finalMessage();
    const direct = await openaiUpstreamText();
    const block = streamed.content[0];
    assert.ok(block?.type === 'text');
    assert.equal(block.text, direct.text);
    assert.equal(calls[0]?.request.messages[0]?.role, 'system');
  });

  it('streams Anthropic tool use as tool_use blocks with their JSON input, and takes the tool results back', async () => {
    anthropicUpstream.use('tool-use');
    const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }];
    const first = await anthropic().messages.stream({ model: 'claude-review', max_tokens: 512, tools, messages: [{ role: 'user', content: 'Weather in Paris?' }] }).finalMessage();
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.ok(use, 'a tool_use block');
    assert.equal(first.stop_reason, 'tool_use');
    assert.equal(typeof use.input, 'object');
    anthropicUpstream.use('text');
    await anthropic().messages.create({
      model: 'claude-review',
      max_tokens: 512,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: '18 °C, sunny' }] },
      ],
    });
    const sent = calls.at(-1)?.request.messages ?? [];
    const result = sent.find((m) => m.role === 'tool');
    assert.equal(result?.toolCallId, use.id);
    assert.ok(result, 'a tool message');
    assert.equal(result.toolName, use.name, 'the result is paired with its call by id');
    assert.equal(result.content, '18 °C, sunny');
  });

  it('counts tokens for an Anthropic request locally', async () => {
    const counted = await anthropic().messages.countTokens({ model: 'claude-review', messages: [{ role: 'user', content: 'x'.repeat(4000) }] });
    assert.ok(counted.input_tokens > 500 && counted.input_tokens < 4000, String(counted.input_tokens));
  });

  it('refuses a missing or wrong client token with 401 in each API\'s own error shape', async () => {
    await assert.rejects(openai('wrong-token').models.list(), (error: unknown) => error instanceof OpenAI.AuthenticationError && error.message.includes('client token is not valid'));
    await assert.rejects(anthropic('wrong-token').messages.create({ model: 'claude-review', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.AuthenticationError && (error.error as { error?: { type?: string } }).error?.type === 'authentication_error');
    const bare = await raw('GET', '/v1/models', undefined, {});
    assert.equal(bare.status, 401);
    assert.ok(!bare.body.includes(TOKEN));
  });

  it('says which model is unknown with 404, and refuses a bad request with the field at fault', async () => {
    await assert.rejects(openai().chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.NotFoundError && error.code === 'model_not_found' && error.message.includes('GET /v1/models'));
    await assert.rejects(openai().chat.completions.create({ model: 'team-gpt', messages: [{ role: 'user', content: 'hi' }], temperature: 7 }), (error: unknown) => error instanceof OpenAI.BadRequestError && error.param === 'temperature');
    await assert.rejects(anthropic().messages.create({ model: 'claude-review', max_tokens: 0, messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof Anthropic.BadRequestError && error.message.includes('max_tokens'));
  });

  it('passes an upstream failure on as a 502 with the provider\'s reason, never its key', async () => {
    // A chat is sent once (retries are the router's, by its group's policy): that attempt meets a 500.
    const before = openaiUpstream.requests.length;
    openaiUpstream.inject({ status: 500 }, 1);
    await assert.rejects(openai().chat.completions.create({ model: 'team-gpt', messages: [{ role: 'user', content: 'hi' }] }), (error: unknown) => error instanceof OpenAI.InternalServerError && error.status === 502 && error.message.includes('server error') && !error.message.includes(openaiUpstream.apiKey));
    assert.equal(openaiUpstream.requests.length - before, 1);
  });

  it('refuses what a web page could send: a foreign Host (DNS rebinding) and any Origin', async () => {
    const foreign = await raw('GET', '/v1/models', undefined, { host: `evil.example:${String(endpoint.port)}`, authorization: `Bearer ${TOKEN}` });
    assert.equal(foreign.status, 421);
    const browser = await raw('GET', '/v1/models', undefined, { origin: 'https://evil.example', authorization: `Bearer ${TOKEN}` });
    assert.equal(browser.status, 403);
    assert.equal(browser.headers['access-control-allow-origin'], undefined);
  });

  it('refuses a body over the limit without reading all of it', async () => {
    const big = JSON.stringify({ model: 'team-gpt', messages: [{ role: 'user', content: 'x'.repeat(2 * 1024 * 1024) }] });
    const reply = await raw('POST', '/v1/chat/completions', big, { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    assert.equal(reply.status, 413);
    assert.equal(calls.length, 0);
  });

  it('cancels the upstream request when the client goes away mid-stream', async () => {
    openaiUpstream.inject({ endless: true });
    const closedBefore = openaiUpstream.closedByClient.length;
    const controller = new AbortController();
    const stream = await openai().chat.completions.create({ model: 'team-gpt', messages: [{ role: 'user', content: 'Count forever' }], stream: true }, { signal: controller.signal });
    let chunks = 0;
    // The SDK ends its iteration quietly on its own abort.
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) chunks++;
      if (chunks === 1) controller.abort();
    }
    assert.equal(chunks, 1);
    // Cancelled by the endpoint (its signal), not ended by the adapter's own time limit.
    await until('the endpoint to cancel the upstream stream', () => calls.at(-1)?.signal.aborted === true && openaiUpstream.closedByClient.slice(closedBefore).some((p) => p.endsWith('/chat/completions')));
  });

  /** What the OpenAI adapter itself gives for the recording: the endpoint must pass exactly that on. */
  async function openaiUpstreamText(stream = true): Promise<{ text: string; usage: { input: number; output: number } }> {
    let text = '';
    let usage = { input: 0, output: 0 };
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${openaiUpstream.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: openaiUpstream.apiKey };
    for await (const event of openaiAdapter.chat(target, { messages: [{ role: 'user', content: 'Say hello' }], stream })) {
      if (event.type === 'text') text += event.text;
      if (event.type === 'usage') usage = event.usage;
    }
    return { text, usage };
  }

  function raw(method: string, path: string, body: string | undefined, headers: Record<string, string>): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: endpoint.port, method, path, headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), headers: res.headers });
        });
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
});

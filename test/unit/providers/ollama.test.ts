import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { createProvider, OllamaConfig } from '../../../src/core/providers/ollama';
import type { PullProgress } from '../../../src/core/providers';
import { startOllamaEmulator, type OllamaEmulator } from '../../emulators';
import { collectChat, hello, rejectsWith, testClient } from './harness';
import { describeContract } from './contract';
import { ollamaSubject } from '../helpers/subjects';

const { target } = ollamaSubject;

describeContract(ollamaSubject);

describe('Ollama adapter, on the recorded responses', () => {
  let emulator: OllamaEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startOllamaEmulator();
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });
  afterEach(() => {
    emulator.use('stream');
  });

  it('parses usage from the final done object (16 in, 22 out)', async () => {
    const outcome = await collectChat(provider, target(emulator), hello);
    assert.deepEqual(outcome.usage, { input: 16, output: 22, cached: 0 });
    assert.deepEqual(outcome.finish, { type: 'finish', reason: 'stop', providerReason: 'stop' });
  });

  it('maps done_reason length and keeps multi-byte characters whole (50 out)', async () => {
    emulator.use('length');
    const outcome = await collectChat(provider, target(emulator), hello);
    assert.equal(outcome.finish?.reason, 'length');
    assert.equal(outcome.usage?.output, 50);
    assert.ok(!outcome.text.includes('\uFFFD'));
    assert.match(outcome.text, /’/);
  });

  it('sends options and keep_alive as Ollama names them', async () => {
    const t = { config: z.parse(OllamaConfig, { baseUrl: emulator.url, model: 'gemma3:1b', numCtx: 8192, keepAlive: '10m', temperature: 0.5 }) };
    await collectChat(provider, t, { ...hello, maxTokens: 20 });
    const body = emulator.requests.at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body.options, { temperature: 0.5, num_ctx: 8192, num_predict: 20 });
    assert.equal(body.keep_alive, '10m');
    assert.equal(body.stream, true);
  });

  it('sends repeatPenalty and seed as Ollama\'s repeat_penalty and seed, and refuses them out of range', async () => {
    const t = { config: z.parse(OllamaConfig, { baseUrl: emulator.url, model: 'gemma3:1b', repeatPenalty: 1.15, seed: 42 }) };
    await collectChat(provider, t, hello);
    const body = emulator.requests.at(-1)?.body as Record<string, unknown>;
    assert.deepEqual(body.options, { repeat_penalty: 1.15, seed: 42 });
    const refused = (settings: Record<string, unknown>) => z.safeParse(OllamaConfig, { baseUrl: emulator.url, model: 'm', ...settings }).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.deepEqual(refused({ repeatPenalty: 2.5 }), ['repeatPenalty: must be at most 2']);
    assert.deepEqual(refused({ seed: -1 }), ['seed: must be at least 0']);
    assert.deepEqual(refused({ seed: 1.5 }), ['seed: must be a whole number from 0 to 4294967295']);
  });

  it('lists /api/tags with each model’s size, and its context length and capabilities from /api/show', async () => {
    const models = await provider.listModels(target(emulator), { refresh: true });
    assert.deepEqual(models, [
      { id: 'gemma3:1b', sizeBytes: 815319791, contextWindow: 32768, capabilities: ['completion'] },
      { id: 'llama3.2:latest', sizeBytes: 2019393189, contextWindow: 8192, capabilities: ['completion', 'tools'] },
    ]);
  });

  it('lists with one /api/tags request and no /api/show when details are not wanted (health checks), bypassing the cache', async () => {
    await provider.listModels(target(emulator), { refresh: true });
    const before = emulator.requests.length;
    const models = await provider.listModels(target(emulator), { details: false });
    assert.deepEqual(models, [{ id: 'gemma3:1b' }, { id: 'llama3.2:latest' }]);
    assert.deepEqual(emulator.requests.slice(before).map((r) => r.path), ['/api/tags']);
  });

  it('shows a model’s details, its licence and modified date included', async () => {
    const details = await provider.showModel?.(target(emulator), 'llama3.2:latest');
    assert.deepEqual(details, { contextLength: 8192, family: 'llama', parameterSize: '8.0B', quantization: 'Q4_0', capabilities: ['completion', 'tools'], license: undefined, modifiedAt: '2025-05-04T17:37:44.706015396-07:00' });
    const gemma = await provider.showModel?.(target(emulator), 'gemma3:1b');
    assert.match(gemma?.license ?? '', /^Gemma Terms of Use/);
  });

  it('deletes a model, after which the list no longer has it', async () => {
    await provider.deleteModel?.(target(emulator), 'llama3.2:latest');
    assert.deepEqual((await provider.listModels(target(emulator))).map((m) => m.id), ['gemma3:1b']);
    await assert.rejects(provider.deleteModel?.(target(emulator), 'llama3.2:latest') ?? Promise.resolve(), /not found|404/i);
  });

  it('pulls a model with progress summed across layers, ending in success', async () => {
    const progress: PullProgress[] = [];
    for await (const p of provider.pullModel?.(target(emulator), 'gemma3:1b') ?? []) progress.push(p);
    assert.equal(progress[0]?.status, 'pulling manifest');
    const last = progress.at(-1);
    assert.equal(last?.status, 'success');
    assert.equal(last.total, 815310432 + 358 + 8432 + 77 + 492);
    assert.equal(last.completed, last.total);
    assert.ok(progress.every((p, i) => i === 0 || p.completed >= (progress[i - 1]?.completed ?? 0)));
  });

  it('reports a pull cut off before success', async () => {
    emulator.inject({ dropAfterEvents: 3 });
    const run = (async () => {
      const seen: PullProgress[] = [];
      for await (const progress of provider.pullModel?.(target(emulator), 'gemma3:1b') ?? []) seen.push(progress);
      return seen;
    })();
    await rejectsWith(run, 'network');
  });

  it('deletes a model, and says when there is no such model', async () => {
    await provider.deleteModel?.(target(emulator), 'gemma3:1b');
    assert.equal(emulator.requests.at(-1)?.method, 'DELETE');
    const error = await rejectsWith(provider.deleteModel?.(target(emulator), 'nope:latest') ?? Promise.resolve(), 'unknown-model');
    assert.equal(error.status, 404);
  });
});

describe('Ollama adapter, tool calls', () => {
  let emulator: OllamaEmulator;
  const http = testClient();
  const provider = createProvider({ http });

  before(async () => {
    emulator = await startOllamaEmulator();
    emulator.use('tools');
  });
  after(async () => {
    await http.close();
    await emulator.close();
  });

  it('yields the documented tool_calls and sends tools and tool results as Ollama names them', async () => {
    const request = {
      messages: [
        { role: 'user' as const, content: 'Weather in Paris?' },
        { role: 'assistant' as const, content: '', toolCalls: [{ id: 'c1', name: 'get_current_weather', arguments: '{"location":"Paris, FR"}' }] },
        { role: 'tool' as const, content: '22 degrees', toolCallId: 'c1', toolName: 'get_current_weather' },
      ],
      tools: [{ name: 'get_current_weather', parameters: { type: 'object' } }],
    };
    const outcome = await collectChat(provider, target(emulator, 'llama3.2:latest'), request);
    assert.deepEqual(outcome.events.filter((e) => e.type === 'tool-call'), [
      { type: 'tool-call', call: { id: 'call_1', name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' } },
    ]);
    assert.equal(outcome.finish?.reason, 'tool-calls');
    assert.deepEqual(outcome.usage, { input: 122, output: 33, cached: 0 });
    const body = emulator.requests.at(-1)?.body as { messages: unknown[]; tools: unknown[] };
    assert.deepEqual(body.messages[1], { role: 'assistant', content: '', tool_calls: [{ id: 'c1', function: { name: 'get_current_weather', arguments: { location: 'Paris, FR' } } }] });
    assert.deepEqual(body.messages[2], { role: 'tool', content: '22 degrees', tool_name: 'get_current_weather' });
    assert.deepEqual(body.tools, [{ type: 'function', function: { name: 'get_current_weather', parameters: { type: 'object' } } }]);
  });
});

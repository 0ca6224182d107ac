import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AIConfiguration } from '../../src/core/store';
import { startAnthropicEmulator, startOpenAIEmulator, type AnthropicEmulator, type OpenAIEmulator } from '../emulators';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { chunkLines } from '../emulators/recordings';
import { testApi } from './api';
import { until } from '../helpers/until';

const VENDOR = 'model-manager';
const KEY = 'sk-chat-integration-7c1e9a';

/** The reply the OpenAI emulator streams for the 'text' recording, and its usage, straight from the fixture. */
function recordedReply(): { text: string; input: number; output: number } {
  let text = '';
  let input = 0;
  let output = 0;
  for (const line of chunkLines('recorded/openai/vercel-ai__openai-text.chunks.txt')) {
    const chunk = JSON.parse(line) as { choices: { delta?: { content?: string } }[]; usage?: { prompt_tokens: number; completion_tokens: number } | null };
    for (const choice of chunk.choices) text += choice.delta?.content ?? '';
    if (chunk.usage) ({ prompt_tokens: input, completion_tokens: output } = chunk.usage);
  }
  return { text, input, output };
}


async function ourModels(): Promise<vscode.LanguageModelChat[]> {
  return vscode.lm.selectChatModels({ vendor: VENDOR });
}

describe('configured models in VS Code\'s own chat (language-model provider)', () => {
  let openai: OpenAIEmulator;
  let work: AIConfiguration;

  before(async () => {
    openai = await startOpenAIEmulator({ apiKey: KEY });
    const { services } = await testApi();
    const { configurations } = await services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    work = await configurations.createConfiguration({ name: 'Chat OpenAI', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1`, maxTokens: 2048 }, apiKey: KEY });
  });

  after(async () => {
    const { services } = await testApi();
    const { configurations } = await services.open();
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
    await openai.close();
  });

  it('selectChatModels({ vendor }) returns each active configuration with its name, family, limits and tool calling', async () => {
    const models = await until('the configuration among the chat models', async () => {
      const found = (await ourModels()).filter((m) => m.name === 'Chat OpenAI');
      return found.length > 0 ? found : undefined;
    });
    assert.equal(models.length, 1);
    const [model] = models;
    assert.ok(model);
    assert.equal(model.vendor, VENDOR);
    assert.equal(model.id, `configuration:${work.id}`);
    assert.equal(model.family, 'gpt-4o-mini');
    assert.equal(model.version, 'gpt-4o-mini');
    const { services } = await testApi();
    const catalog = await (await services.open()).catalog();
    const window = catalog.lookup('openai', 'gpt-4o-mini')?.contextWindow;
    assert.ok(window, 'the catalog knows gpt-4o-mini\'s context window');
    // VS Code shows input + output as the context size: the input is the window less the configured 2048-token answer.
    assert.equal(model.maxInputTokens, window - 2048);
  });

  it('lists a new configuration as soon as it is added (onDidChangeLanguageModelChatInformation)', async () => {
    const { services } = await testApi();
    const { configurations } = await services.open();
    const second = await configurations.createConfiguration({ name: 'Chat OpenAI two', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    try {
      await until('the second configuration among the chat models', async () => ((await ourModels()).some((m) => m.name === 'Chat OpenAI two') ? true : undefined));
    } finally {
      await configurations.deleteConfiguration(second.id);
    }
    await until('the deleted configuration to leave the chat models', async () => ((await ourModels()).some((m) => m.name === 'Chat OpenAI two') ? undefined : true));
  });

  it('sendRequest streams the emulator\'s recorded reply exactly, in more than one part, and records its usage exactly', async () => {
    openai.use('text');
    const { services } = await testApi();
    const session = await services.open();
    const before = session.usage.getUsageStats(work.id);
    const [model] = (await ourModels()).filter((m) => m.id === `configuration:${work.id}`);
    assert.ok(model);
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Invent a new holiday and describe its traditions.')], {}, new vscode.CancellationTokenSource().token);
    const parts: string[] = [];
    for await (const part of response.text) parts.push(part);
    const expected = recordedReply();
    assert.equal(parts.join(''), expected.text);
    assert.ok(parts.length > 1, 'the reply arrives in parts, as streamed');
    const sent = openai.requests.at(-1)?.body as { messages: { role: string; content: string }[]; stream: boolean };
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.messages.map((m) => [m.role, m.content]), [['user', 'Invent a new holiday and describe its traditions.']]);
    const after = await until('the request in the usage figures', () => {
      const stats = session.usage.getUsageStats(work.id);
      return stats.requestCount === before.requestCount + 1 ? stats : undefined;
    });
    assert.equal(after.inputTokens - before.inputTokens, expected.input);
    assert.equal(after.outputTokens - before.outputTokens, expected.output);
    assert.equal(after.errorCount, before.errorCount);
  });

  it('cancelling the request closes the upstream connection (the emulator sees the client go away)', async () => {
    openai.use('text');
    openai.inject({ endless: true });
    const [model] = (await ourModels()).filter((m) => m.id === `configuration:${work.id}`);
    assert.ok(model);
    const closedBefore = openai.closedByClient.length;
    const source = new vscode.CancellationTokenSource();
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Keep talking.')], {}, source.token);
    let received = '';
    const reading = (async () => {
      try {
        for await (const part of response.text) {
          received += part;
          if (received.length > 0) source.cancel();
        }
      } catch {
        // A cancelled stream may end with a cancellation error; what matters is the upstream connection.
      }
    })();
    await until('the emulator to see the connection closed', () => (openai.closedByClient.length > closedBefore ? true : undefined));
    await reading;
    assert.equal(openai.closedByClient.at(-1), '/v1/chat/completions');
    assert.ok(received.length > 0);
  });

  it('streams tool calls back as LanguageModelToolCallPart with parsed arguments, and sends the tools to the provider', async () => {
    openai.use('tool-calls');
    const [model] = (await ourModels()).filter((m) => m.id === `configuration:${work.id}`);
    assert.ok(model);
    const tools: vscode.LanguageModelChatTool[] = [{ name: 'get_weather', description: 'The weather in a city', inputSchema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } }];
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('What is the weather in Paris?')], { tools }, new vscode.CancellationTokenSource().token);
    const calls: vscode.LanguageModelToolCallPart[] = [];
    for await (const part of response.stream) if (part instanceof vscode.LanguageModelToolCallPart) calls.push(part);
    assert.equal(calls.length, 1);
    const [call] = calls;
    assert.ok(call);
    assert.equal(call.name, 'get_weather');
    assert.equal(call.callId, 'call_DdmO9pD3xa9XTPNJ32zg2hcA');
    assert.deepEqual(call.input, { location: 'Paris, France' });
    const sent = openai.requests.at(-1)?.body as { tools?: { function: { name: string } }[] };
    assert.deepEqual(sent.tools?.map((t) => t.function.name), ['get_weather']);

    // The tool's result goes back as VS Code sends it: the call on an assistant message, the result on a user message.
    openai.use('text');
    const followUp = await model.sendRequest(
      [
        vscode.LanguageModelChatMessage.User('What is the weather in Paris?'),
        vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart('call_DdmO9pD3xa9XTPNJ32zg2hcA', 'get_weather', { location: 'Paris' })]),
        vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('call_DdmO9pD3xa9XTPNJ32zg2hcA', [new vscode.LanguageModelTextPart('18 °C, sunny')])]),
      ],
      { tools },
      new vscode.CancellationTokenSource().token,
    );
    for await (const part of followUp.text) assert.equal(typeof part, 'string');
    const history = (openai.requests.at(-1)?.body as { messages: { role: string; content: unknown; tool_call_id?: string; tool_calls?: { id: string }[] }[] }).messages;
    assert.deepEqual(history.map((m) => m.role), ['user', 'assistant', 'tool']);
    const [, assistant, tool] = history;
    assert.ok(assistant && tool);
    assert.equal(assistant.tool_calls?.[0]?.id, 'call_DdmO9pD3xa9XTPNJ32zg2hcA');
    assert.equal(tool.tool_call_id, 'call_DdmO9pD3xa9XTPNJ32zg2hcA');
    assert.equal(tool.content, '18 °C, sunny');
  });

  it('carries an Anthropic tool turn\'s thinking blocks through VS Code\'s chat: the follow-up with the tool result sends them back first, unchanged', async () => {
    const anthropic: AnthropicEmulator = await startAnthropicEmulator();
    const { services } = await testApi();
    const { configurations } = await services.open();
    const claude = await configurations.createConfiguration({ name: 'Chat thinking', provider: 'anthropic', settings: { model: 'claude-opus-4-6', baseUrl: anthropic.url, maxTokens: 16000, thinkingBudget: 2048 }, apiKey: anthropic.apiKey });
    try {
      const model = await until('the thinking configuration among the chat models', async () => (await ourModels()).find((m) => m.id === `configuration:${claude.id}`));
      const tools: vscode.LanguageModelChatTool[] = [{ name: 'get_weather', description: 'The weather in a city', inputSchema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } }];
      const question = vscode.LanguageModelChatMessage.User('What is the weather in Paris?');
      anthropic.use('thinking-tool-use');
      const response = await model.sendRequest([question], { tools }, new vscode.CancellationTokenSource().token);
      const parts: unknown[] = [];
      for await (const part of response.stream) parts.push(part);
      const call = parts.find((p): p is vscode.LanguageModelToolCallPart => p instanceof vscode.LanguageModelToolCallPart);
      assert.ok(call);
      const said = parts.flatMap((p) => (p instanceof vscode.LanguageModelTextPart ? [p] : []));

      // VS Code sends the turn back as its text and tool call parts only; the provider puts the thinking back.
      anthropic.use('text');
      const followUp = await model.sendRequest(
        [question, vscode.LanguageModelChatMessage.Assistant([...said, call]), vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(call.callId, [new vscode.LanguageModelTextPart('88 °F, sunny')])])],
        { tools },
        new vscode.CancellationTokenSource().token,
      );
      let answer = '';
      for await (const part of followUp.text) answer += part;
      assert.ok(answer.length > 0, 'the follow-up is answered, not refused');
      const sent = anthropic.requests.at(-1)?.body as { thinking: unknown; messages: { role: string; content: { type: string; signature?: string }[] }[] };
      assert.deepEqual(sent.thinking, { type: 'enabled', budget_tokens: 2048 });
      assert.deepEqual(sent.messages[1]?.content.map((b) => b.type), ['thinking', 'redacted_thinking', 'text', 'tool_use']);
      assert.match(sent.messages[1].content[0]?.signature ?? '', /^EqQBCgIYAhIM1gbcDa9GJwZA2b3h/);

      // A tool call this window never saw (made before a reload, or by another model): answered with thinking off.
      const unknown = await model.sendRequest(
        [question, vscode.LanguageModelChatMessage.Assistant([new vscode.LanguageModelToolCallPart('toolu_not_kept', 'get_weather', { location: 'Paris' })]), vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart('toolu_not_kept', [new vscode.LanguageModelTextPart('sunny')])])],
        { tools },
        new vscode.CancellationTokenSource().token,
      );
      for await (const part of unknown.text) assert.equal(typeof part, 'string');
      assert.deepEqual((anthropic.requests.at(-1)?.body as { thinking: unknown }).thinking, { type: 'disabled' });
    } finally {
      await configurations.deleteConfiguration(claude.id);
      await anthropic.close();
    }
  });

  it('counts an OpenAI model\'s tokens exactly, with its own encoding (gpt-tokenizer\'s o200k for gpt-4o-mini)', async () => {
    const { services } = await testApi();
    const { configurations } = await services.open();
    const fresh = await configurations.createConfiguration({ name: 'Chat uncounted', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${openai.url}/v1` }, apiKey: KEY });
    try {
      const model = await until('the fresh configuration among the chat models', async () => (await ourModels()).find((m) => m.id === `configuration:${fresh.id}`));
      const text = 'Привет! こんにちは。 12345678 function add(a, b) { return a + b; }';
      // The first counts are estimates while the worker thread loads o200k; then exact.
      await until('an exact count once the token counter\'s worker is ready', async () => (await model.countTokens(text)) === o200k(text), 30_000);
      assert.notEqual(o200k(text), Math.ceil(text.length / 4), 'not the old four-characters estimate');
      const message = vscode.LanguageModelChatMessage.User(text);
      assert.equal(await model.countTokens(message), o200k(text));
    } finally {
      await configurations.deleteConfiguration(fresh.id);
    }
  });

  it('calibrates an estimated model\'s token count (Anthropic) from the input tokens its provider reported for an answered request', async () => {
    const anthropic: AnthropicEmulator = await startAnthropicEmulator();
    const { services } = await testApi();
    const { configurations } = await services.open();
    const fresh = await configurations.createConfiguration({ name: 'Chat calibrated', provider: 'anthropic', settings: { model: 'claude-opus-4-6', baseUrl: anthropic.url }, apiKey: anthropic.apiKey });
    try {
      const model = await until('the fresh configuration among the chat models', async () => (await ourModels()).find((m) => m.id === `configuration:${fresh.id}`));
      const question = 'How many tokens is this? '.repeat(8);
      // Before any answer: the o200k count times Anthropic's seed ratio (once the worker has loaded o200k).
      await until('the seeded estimate from the o200k count', async () => (await model.countTokens(question)) === Math.ceil(o200k(question) * 1.15), 30_000);
      const prompt = 'Describe a new holiday in brief, with its name, its date and one custom.';
      const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(prompt)], {}, new vscode.CancellationTokenSource().token);
      for await (const part of response.text) assert.equal(typeof part, 'string');
      // docs/anthropic/messages-stream.sse reports 25 input tokens for the prompt.
      const ratio = 25 / o200k(prompt);
      assert.notEqual(ratio, 1.15);
      // Calibrated after the answer, without holding the answer up.
      await until('the calibrated count', async () => (await model.countTokens(question)) === Math.ceil(o200k(question) * ratio));
    } finally {
      await configurations.deleteConfiguration(fresh.id);
      await anthropic.close();
    }
  });

  it('lists a route group as one model and answers through it, recorded under its member', async () => {
    openai.use('text');
    const { services } = await testApi();
    const session = await services.open();
    const group = await session.routeGroups.create({ name: 'Chat group', strategy: 'fallback', members: [{ configurationId: work.id }] });
    try {
      const model = await until('the route group among the chat models', async () => (await ourModels()).find((m) => m.id === group.id));
      assert.equal(model.name, 'Chat group');
      assert.equal(model.family, 'route-group:fallback');
      const before = session.usage.getUsageStats(work.id).requestCount;
      const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Invent a new holiday and describe its traditions.')], {}, new vscode.CancellationTokenSource().token);
      let text = '';
      for await (const part of response.text) text += part;
      assert.equal(text, recordedReply().text);
      await until('the group\'s request in its member\'s usage', () => (session.usage.getUsageStats(work.id).requestCount === before + 1 ? true : undefined));
    } finally {
      await session.routeGroups.delete(group.id);
    }
    await until('the deleted group to leave the chat models', async () => ((await ourModels()).some((m) => m.id === group.id) ? undefined : true));
  });

  it('counts tokens without a network request, even for a provider with a count endpoint (Anthropic count_tokens)', async () => {
    const anthropic: AnthropicEmulator = await startAnthropicEmulator();
    const { services } = await testApi();
    const { configurations } = await services.open();
    const claude = await configurations.createConfiguration({ name: 'Chat Claude', provider: 'anthropic', settings: { model: 'claude-haiku-4-5-20251001', baseUrl: anthropic.url }, apiKey: anthropic.apiKey });
    try {
      const model = await until('the Anthropic configuration among the chat models', async () => (await ourModels()).find((m) => m.id === `configuration:${claude.id}`));
      const before = anthropic.requests.length;
      const message = 'How many tokens is this? '.repeat(160);
      await until('exact o200k counts', async () => (await model.countTokens(message)) === Math.ceil(o200k(message) * 1.15), 30_000);
      for (let i = 0; i < 20; i++) assert.equal(await model.countTokens(message), Math.ceil(o200k(message) * 1.15));
      // A message never counted before is not sent anywhere either.
      for (let i = 0; i < 20; i++) await model.countTokens(`${message} ${String(i)}`);
      assert.deepEqual(anthropic.requests.slice(before).map((r) => r.path), [], 'counting must not reach the provider');
    } finally {
      await configurations.deleteConfiguration(claude.id);
      await anthropic.close();
    }
  });
});

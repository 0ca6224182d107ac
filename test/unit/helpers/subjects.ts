import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createGemini, GeminiConfig } from '../../../src/core/providers/gemini';
import { createProvider as createOllama, OllamaConfig } from '../../../src/core/providers/ollama';
import { createProvider as createOpenAI, OpenAIConfig } from '../../../src/core/providers/openai';
import { createProvider as createCompatible, CustomAPIConfig } from '../../../src/core/providers/openaiCompatible';
import { startAnthropicEmulator, startGeminiEmulator, startOllamaEmulator, startOpenAIEmulator } from '../../emulators';
import { chunkLines, httprrBodies } from '../../emulators/recordings';
import { providerSubject } from './providerSubject';

/** The text of the recorded OpenAI stream both OpenAI subjects replay. */
const openaiText = (): string =>
  chunkLines('recorded/openai/vercel-ai__openai-text.chunks.txt')
    .map((line) => (JSON.parse(line) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? '')
    .join('');

const ollamaText = (): string =>
  (httprrBodies('recorded/ollama/langchaingo__TestClient_GenerateChatStream.httprr.txt').at(-1)?.body ?? '')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { message?: { content?: string } }).message?.content ?? '')
    .join('');

export const openaiSubject = providerSubject({
  name: 'OpenAI',
  startEmulator: () => startOpenAIEmulator(),
  createProvider: (deps) => createOpenAI(deps),
  schema: OpenAIConfig,
  settings: (e) => ({ baseUrl: `${e.url}/v1`, model: 'gpt-4.1-nano' }),
  apiKey: (e) => e.apiKey,
  chatPath: /\/chat\/completions$/,
  streamedText: openaiText(),
  basePath: '/v1',
});

/** The text of the recorded Responses answer the Responses subject replays (its two output_text messages). */
const responsesText = (): string =>
  chunkLines('recorded/openai/vercel-ai__openai-phase.1.chunks.txt')
    .map((line) => JSON.parse(line) as { type: string; delta?: string })
    .filter((event) => event.type === 'response.output_text.delta')
    .map((event) => event.delta ?? '')
    .join('');

/** The OpenAI adapter on its second protocol, the Responses API, chosen in the configuration. */
export const openaiResponsesSubject = providerSubject({
  name: 'OpenAI (Responses API)',
  startEmulator: () => startOpenAIEmulator(),
  createProvider: (deps) => createOpenAI(deps),
  schema: OpenAIConfig,
  settings: (e) => ({ baseUrl: `${e.url}/v1`, model: 'gpt-4.1-nano', protocol: 'responses' }),
  apiKey: (e) => e.apiKey,
  chatPath: /\/responses$/,
  streamedText: responsesText(),
  basePath: '/v1',
});

export const openaiCompatibleSubject = providerSubject({
  name: 'OpenAI-compatible',
  startEmulator: () => startOpenAIEmulator(),
  createProvider: (deps) => createCompatible(deps),
  schema: CustomAPIConfig,
  settings: (e) => ({ baseUrl: `${e.url}/v1`, model: 'gpt-4.1-nano', preset: 'vllm' }),
  apiKey: (e) => e.apiKey,
  chatPath: /\/chat\/completions$/,
  streamedText: openaiText(),
  basePath: '/v1',
});

export const geminiSubject = providerSubject({
  name: 'Gemini',
  startEmulator: () => startGeminiEmulator(),
  createProvider: (deps) => createGemini(deps),
  schema: GeminiConfig,
  settings: (e) => ({ baseUrl: `${e.url}/v1beta`, model: 'gemini-2.0-flash' }),
  apiKey: (e) => e.apiKey,
  chatPath: /:(stream)?[gG]enerateContent$/,
  // recorded/gemini/firebase-vertexai-sdk-test-data__googleai__streaming-success-basic-reply-short.txt
  streamedText: 'The capital of Wyoming is **Cheyenne**.\n',
  basePath: '/v1beta',
});

export const anthropicSubject = providerSubject({
  name: 'Anthropic',
  startEmulator: () => startAnthropicEmulator(),
  createProvider: (deps) => createAnthropic(deps),
  schema: AnthropicConfig,
  settings: (e) => ({ baseUrl: e.url, model: 'claude-opus-4-6' }),
  apiKey: (e) => e.apiKey,
  chatPath: /^\/v1\/messages$/,
  // docs/anthropic/messages-stream.sse
  streamedText: 'Hello!',
  basePath: '',
});

export const ollamaSubject = providerSubject({
  name: 'Ollama',
  startEmulator: () => startOllamaEmulator(),
  createProvider: (deps) => createOllama(deps),
  schema: OllamaConfig,
  settings: (e) => ({ baseUrl: e.url, model: 'gemma3:1b' }),
  chatPath: /^\/api\/chat$/,
  streamedText: ollamaText(),
  basePath: '',
});

import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { takesImages } from '../../../src/core/chat';
import type { ChatRequest } from '../../../src/core/providers';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createGemini, GeminiConfig } from '../../../src/core/providers/gemini';
import { createProvider as createOllama, OllamaConfig } from '../../../src/core/providers/ollama';
import { createProvider as createOpenAI, OpenAIConfig } from '../../../src/core/providers/openai';
import { createProvider as createCompatible, CustomAPIConfig } from '../../../src/core/providers/openaiCompatible';
import { startAnthropicEmulator, startGeminiEmulator, startOllamaEmulator, startOpenAIEmulator, type AnthropicEmulator, type GeminiEmulator, type OllamaEmulator, type OpenAIEmulator } from '../../emulators';
import { PNG_1X1 } from '../../emulators/images';
import { collectChat, rejectsWith, testClient } from './harness';

/** A user turn with one PNG, after a system prompt: what every adapter must turn into its provider's image part. */
const withImage: ChatRequest = {
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'What colour is this pixel?', images: [{ mimeType: 'image/png', data: PNG_1X1 }] },
  ],
};

/** base64 text of `bytes` bytes of PNG signature and padding: large images without a real picture. */
function pngOfBytes(bytes: number): string {
  const buffer = Buffer.alloc(bytes);
  Buffer.from(PNG_1X1, 'base64').copy(buffer);
  return buffer.toString('base64');
}

function bodyOf(emulator: { requests: { body: unknown }[] }): Record<string, unknown> {
  return emulator.requests.at(-1)?.body as Record<string, unknown>;
}

describe('images sent to each provider, in its documented shape', () => {
  const http = testClient();
  let openai: OpenAIEmulator;
  let anthropic: AnthropicEmulator;
  let gemini: GeminiEmulator;
  let ollama: OllamaEmulator;

  before(async () => {
    [openai, anthropic, gemini, ollama] = await Promise.all([startOpenAIEmulator(), startAnthropicEmulator(), startGeminiEmulator(), startOllamaEmulator({ alsoInstalled: ['gemma3:4b'] })]);
  });
  after(async () => {
    await http.close();
    await Promise.all([openai.close(), anthropic.close(), gemini.close(), ollama.close()]);
  });

  it('OpenAI: the user content becomes a text part and an image_url part holding a base64 data: URL', async () => {
    const provider = createOpenAI({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }), apiKey: openai.apiKey };
    const outcome = await collectChat(provider, target, withImage);
    assert.ok(outcome.text.length > 0);
    // platform.openai.com/docs/api-reference/chat/create: content parts {type:'text',text} and {type:'image_url',image_url:{url}}.
    assert.deepEqual((bodyOf(openai).messages as unknown[])[1], {
      role: 'user',
      content: [
        { type: 'text', text: 'What colour is this pixel?' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } },
      ],
    });
    assert.deepEqual((bodyOf(openai).messages as unknown[])[0], { role: 'system', content: 'Be brief.' });
  });

  it('OpenAI-compatible: the same image_url part as OpenAI', async () => {
    const provider = createCompatible({ http });
    const target = { config: z.parse(CustomAPIConfig, { baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini', preset: 'vllm' }), apiKey: openai.apiKey };
    await collectChat(provider, target, withImage);
    const content = ((bodyOf(openai).messages as { content: unknown }[])[1]?.content ?? []) as { type: string; image_url?: { url: string } }[];
    assert.deepEqual(content.map((p) => p.type), ['text', 'image_url']);
    assert.equal(content[1]?.image_url?.url, `data:image/png;base64,${PNG_1X1}`);
  });

  it('OpenAI\'s emulator refuses an image_url part for a model without vision, as the API does', async () => {
    const provider = createOpenAI({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${openai.url}/v1`, model: 'gpt-3.5-turbo' }), apiKey: openai.apiKey };
    const error = await rejectsWith(collectChat(provider, target, withImage), 'bad-request');
    assert.match(error.message, /image_url is only supported by certain models/);
  });

  it('Anthropic: an image block with a base64 source (media_type, data) before the text block', async () => {
    const provider = createAnthropic({ http });
    const target = { config: z.parse(AnthropicConfig, { baseUrl: anthropic.url, model: 'claude-opus-4-6' }), apiKey: anthropic.apiKey };
    const outcome = await collectChat(provider, target, withImage);
    assert.equal(outcome.text, 'Hello!');
    // platform.claude.com/docs/en/build-with-claude/vision: {type:'image', source:{type:'base64', media_type, data}}, images before text.
    assert.deepEqual(bodyOf(anthropic).messages, [{
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } },
        { type: 'text', text: 'What colour is this pixel?' },
      ],
    }]);
    assert.equal(bodyOf(anthropic).system, 'Be brief.');
  });

  it('Anthropic: an image over 5 MB of base64 is refused before sending, naming the limit', async () => {
    const provider = createAnthropic({ http });
    const target = { config: z.parse(AnthropicConfig, { baseUrl: anthropic.url, model: 'claude-opus-4-6' }), apiKey: anthropic.apiKey };
    const sent = anthropic.requests.length;
    const big: ChatRequest = { messages: [{ role: 'user', content: 'Look', images: [{ mimeType: 'image/png', data: pngOfBytes(4_000_000) }] }] };
    const error = await rejectsWith(collectChat(provider, target, big), 'bad-request');
    assert.match(error.message, /Anthropic takes images of at most 5\.0 MB in base64; this one is 5\.1 MB in base64/);
    assert.equal(anthropic.requests.length, sent, 'nothing was sent');
  });

  it('Anthropic\'s emulator refuses bytes that are not the media type said, as the API does', async () => {
    const response = await fetch(`${anthropic.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': anthropic.apiKey, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-opus-4-6', max_tokens: 16, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: PNG_1X1 } }] }] }),
    });
    assert.equal(response.status, 400);
    assert.match(await response.text(), /Image does not match the provided media type image\/jpeg/);
  });

  it('every adapter refuses an image whose bytes are not the type it says before sending, saying what the bytes are', async () => {
    const mislabelled: ChatRequest = { messages: [{ role: 'user', content: 'Look', images: [{ mimeType: 'image/png', data: PNG_1X1 }, { mimeType: 'image/jpeg', data: PNG_1X1 }] }] };
    const openaiCase = { provider: createOpenAI({ http }), emulator: openai, target: { config: z.parse(OpenAIConfig, { baseUrl: `${openai.url}/v1`, model: 'gpt-4o-mini' }), apiKey: openai.apiKey } };
    const cases = [
      openaiCase,
      { provider: createAnthropic({ http }), emulator: anthropic, target: { config: z.parse(AnthropicConfig, { baseUrl: anthropic.url, model: 'claude-opus-4-6' }), apiKey: anthropic.apiKey } },
      { provider: createGemini({ http }), emulator: gemini, target: { config: z.parse(GeminiConfig, { baseUrl: `${gemini.url}/v1beta`, model: 'gemini-2.5-flash' }), apiKey: gemini.apiKey } },
      { provider: createOllama({ http }), emulator: ollama, target: { config: z.parse(OllamaConfig, { baseUrl: ollama.url, model: 'gemma3:4b' }) } },
    ];
    for (const { provider, emulator, target } of cases) {
      const sent = emulator.requests.length;
      const error = await rejectsWith(collectChat(provider, target, mislabelled), 'bad-request');
      assert.equal(error.message, 'Image 2 says it is a JPEG (image/jpeg), but its bytes are a PNG image; it was not sent.', provider.id);
      assert.match(error.hint, /Save the image again as the type it says/);
      assert.equal(emulator.requests.length, sent, `nothing was sent to ${provider.id}`);
    }
    const notAnImage: ChatRequest = { messages: [{ role: 'user', content: 'Look', images: [{ mimeType: 'image/webp', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64') }] }] };
    const error = await rejectsWith(collectChat(openaiCase.provider, openaiCase.target, notAnImage), 'bad-request');
    assert.equal(error.message, 'Image 1 says it is a WebP (image/webp), but its bytes are not a PNG, JPEG, GIF or WebP image; it was not sent.');
  });

  it('Gemini: an inlineData part (mimeType, base64 data without a data: prefix) after the text part', async () => {
    const provider = createGemini({ http });
    const target = { config: z.parse(GeminiConfig, { baseUrl: `${gemini.url}/v1beta`, model: 'gemini-2.5-flash' }), apiKey: gemini.apiKey };
    await collectChat(provider, target, withImage);
    // ai.google.dev/api/caching#Part: {inlineData:{mimeType, data}} with data as base64 bytes.
    assert.deepEqual(bodyOf(gemini).contents, [{ role: 'user', parts: [{ text: 'What colour is this pixel?' }, { inlineData: { mimeType: 'image/png', data: PNG_1X1 } }] }]);
    assert.deepEqual(bodyOf(gemini).systemInstruction, { parts: [{ text: 'Be brief.' }] });
  });

  it('Gemini: a GIF is refused before sending (Gemini reads PNG, JPEG, WEBP, HEIC and HEIF)', async () => {
    const provider = createGemini({ http });
    const target = { config: z.parse(GeminiConfig, { baseUrl: `${gemini.url}/v1beta`, model: 'gemini-2.5-flash' }), apiKey: gemini.apiKey };
    const sent = gemini.requests.length;
    const gif: ChatRequest = { messages: [{ role: 'user', content: 'Look', images: [{ mimeType: 'image/gif', data: 'R0lGODlhAQABAAAAACw=' }] }] };
    const error = await rejectsWith(collectChat(provider, target, gif), 'bad-request');
    assert.match(error.message, /Gemini does not read image\/gif images/);
    assert.match(error.hint, /PNG, JPEG, WEBP, HEIC, HEIF/);
    assert.equal(gemini.requests.length, sent);
  });

  it('Ollama: the message carries images as base64 strings beside its content', async () => {
    const provider = createOllama({ http });
    const target = { config: z.parse(OllamaConfig, { baseUrl: ollama.url, model: 'gemma3:4b' }) };
    const outcome = await collectChat(provider, target, withImage);
    assert.ok(outcome.text.length > 0);
    // github.com/ollama/ollama docs/api.md, "Chat request (with images)": images: ["<base64>"].
    assert.deepEqual((bodyOf(ollama).messages as unknown[])[1], { role: 'user', content: 'What colour is this pixel?', images: [PNG_1X1] });
  });

  it('Ollama\'s emulator refuses a data: URL where base64 is due, as Go\'s JSON decoder does', async () => {
    const response = await fetch(`${ollama.url}/api/chat`, { method: 'POST', body: JSON.stringify({ model: 'gemma3:4b', messages: [{ role: 'user', content: 'x', images: [`data:image/png;base64,${PNG_1X1}`] }] }) });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: 'illegal base64 data at input byte 4' });
  });
});

describe('which models take images, from each provider\'s own source', () => {
  it('OpenAI ids by gpt-tokenizer\'s model specs: gpt-4o and gpt-4.1 read images, gpt-3.5-turbo does not', async () => {
    assert.equal(await takesImages({ provider: 'openai', model: 'gpt-4o' }), true);
    assert.equal(await takesImages({ provider: 'openai', model: 'gpt-4.1-nano' }), true);
    assert.equal(await takesImages({ provider: 'openai', model: 'gpt-3.5-turbo' }), false);
    assert.equal(await takesImages({ provider: 'openai', model: 'no-such-model' }), false);
  });

  it('Ollama by /api/show capabilities ("vision")', async () => {
    const details = (capabilities: string[]) => ({ contextLength: undefined, family: undefined, parameterSize: undefined, quantization: undefined, capabilities, license: undefined, modifiedAt: undefined });
    assert.equal(await takesImages({ provider: 'ollama', model: 'gemma3:4b', details: details(['completion', 'vision']) }), true);
    assert.equal(await takesImages({ provider: 'ollama', model: 'gemma3:1b', details: details(['completion']) }), false);
  });

  it('a model list\'s input modalities first (Anthropic capabilities.image_input, OpenRouter architecture.input_modalities)', async () => {
    const emulator = await startAnthropicEmulator();
    const http = testClient();
    try {
      const provider = createAnthropic({ http });
      const listed = await provider.listModels({ config: z.parse(AnthropicConfig, { baseUrl: emulator.url, model: 'claude-opus-4-6' }), apiKey: emulator.apiKey });
      assert.deepEqual(listed.find((m) => m.id === 'claude-opus-4-6')?.inputModalities, ['text', 'image']);
      assert.equal(await takesImages({ provider: 'anthropic', model: 'claude-opus-4-6', listed }), true);
      assert.equal(await takesImages({ provider: 'anthropic', model: 'claude-opus-4-6', listed: [{ id: 'claude-opus-4-6' }] }), false, 'a list that says nothing is not taken as yes');
    } finally {
      await http.close();
      await emulator.close();
    }
    const openrouter = await startOpenAIEmulator({ models: 'openrouter' });
    const http2 = testClient();
    try {
      const provider = createCompatible({ http: http2 });
      const listed = await provider.listModels({ config: z.parse(CustomAPIConfig, { baseUrl: `${openrouter.url}/v1`, model: 'openai/gpt-4' }), apiKey: openrouter.apiKey });
      assert.equal(await takesImages({ provider: 'openai-compatible', model: 'openai/gpt-4o-mini', listed }), true);
      assert.equal(await takesImages({ provider: 'openai-compatible', model: 'openai/gpt-4', listed }), false);
    } finally {
      await http2.close();
      await openrouter.close();
    }
  });

  it('Gemini chat models by the documentation\'s rule; its embedding and image models do not', async () => {
    assert.equal(await takesImages({ provider: 'gemini', model: 'gemini-2.5-flash' }), true);
    assert.equal(await takesImages({ provider: 'gemini', model: 'gemini-embedding-001' }), false);
    assert.equal(await takesImages({ provider: 'gemini', model: 'imagen-4.0-generate-001' }), false);
  });
});

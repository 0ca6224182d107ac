import * as assert from 'node:assert/strict';
import { chatModelsOf, isChatModel } from '../../../src/core/providers';
import { ConfigurationError } from '../../../src/core/services';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from './setup';

const KEY = 'sk-model-lists-3c7e19a0';

describe('model lists for a chat model picker', () => {
  let f: ServiceFixture;
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;

  before(async () => {
    f = await serviceFixture();
    [openai, ollama] = await Promise.all([startOpenAIEmulator({ apiKey: KEY }), startOllamaEmulator()]);
  });

  after(async () => {
    await Promise.all([openai.close(), ollama.close()]);
    await f.close();
  });

  it('offers OpenAI’s real list without image, speech, transcription, embedding, moderation, realtime or audio models, sorted', async () => {
    const ids = (await f.providerAccess.listDraftModels({ provider: 'openai', settings: { baseUrl: `${openai.url}/v1` }, apiKey: KEY })).map((m) => m.id);
    for (const chat of ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'o3-mini', 'gpt-3.5-turbo', 'chatgpt-4o-latest']) assert.ok(ids.includes(chat), `${chat} is missing from ${ids.join(', ')}`);
    for (const other of [
      'dall-e-3',
      'dall-e-2',
      'tts-1-hd',
      'gpt-4o-mini-tts',
      'gpt-4o-transcribe',
      'text-embedding-3-small',
      'omni-moderation-latest',
      'gpt-4o-realtime-preview',
      'gpt-realtime',
      'gpt-audio',
      'gpt-4o-audio-preview',
      'gpt-image-1',
      'davinci-002',
      'gpt-3.5-turbo-instruct',
    ]) {
      assert.ok(!ids.includes(other), `${other} is not a chat model but was offered`);
    }
    assert.deepEqual(ids, [...ids].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })));
    assert.ok(ids.indexOf('gpt-4o-mini') < ids.indexOf('gpt-4o-mini-2024-07-18'), 'a model comes before its dated versions');
  });

  it('offers Ollama’s installed models that can chat, sorted', async () => {
    const ids = (await f.providerAccess.listDraftModels({ provider: 'ollama', settings: { baseUrl: ollama.url } })).map((m) => m.id);
    assert.deepEqual(ids, ['gemma3:1b', 'llama3.2:latest']);
  });

  it('decides from what the list says where it says it: Ollama capabilities and OpenRouter output modalities', () => {
    assert.equal(isChatModel({ id: 'nomic-embed-text:latest', capabilities: ['embedding'] }), false);
    assert.equal(isChatModel({ id: 'mxbai-embed-large-chat', capabilities: ['completion'] }), true);
    assert.equal(isChatModel({ id: 'black-forest-labs/flux-pro', outputModalities: ['image'] }), false);
    assert.equal(isChatModel({ id: 'openai/gpt-4o-mini', outputModalities: ['text'] }), true);
    // Where the list says nothing, the id decides.
    for (const id of ['gemini-2.5-flash-preview-tts', 'gemini-embedding-001', 'imagen-4.0-generate-001', 'gemini-2.5-flash-image', 'whisper-1', 'text-moderation-latest']) assert.equal(isChatModel({ id }), false, id);
    for (const id of ['gemini-2.5-flash', 'meta-llama/Llama-3.1-8B-Instruct', 'claude-sonnet-4-5', 'qwen2.5-coder:7b', 'llama-3.2-11b-vision-preview']) assert.equal(isChatModel({ id }), true, id);
  });

  it('sorts as a person reads: numbers by value, case ignored', () => {
    assert.deepEqual(
      chatModelsOf([{ id: 'llama3.2:11b' }, { id: 'Mistral-7B' }, { id: 'llama3.2:3b' }, { id: 'gemma3:1b' }]).map((m) => m.id),
      ['gemma3:1b', 'llama3.2:3b', 'llama3.2:11b', 'Mistral-7B'],
    );
  });

  it('offers no id a server sends with line breaks or control characters (Markdown after a blank line would render in hovers), nor an empty one, and such an id is refused when typed', async () => {
    const hostile = 'gpt-4o\n\n[Your key expired: renew it here](https://evil.example/)';
    assert.deepEqual(chatModelsOf([{ id: 'gpt-4o' }, { id: hostile }, { id: 'tab\there' }, { id: 'bell\u0007' }, { id: '' }, { id: '   ' }]).map((m) => m.id), ['gpt-4o']);
    const parsed = await f.service.validateProvider('openai', { model: hostile });
    assert.equal(parsed.ok, false, 'a model id with line breaks was accepted');
    assert.ok(!parsed.ok);
    assert.match(parsed.errors.find((e) => e.field === 'model')?.message ?? '', /line break|control character/);
    assert.equal((await f.service.validateProvider('openai', { model: 'gpt-4o' })).ok, true);
  });

  it('refuses a server address with a query or a fragment, at the field, in words the user can act on', async () => {
    for (const baseUrl of ['https://api.openai.com/v1?x=1#frag', 'https://api.openai.com/v1?x=1', 'https://api.openai.com/v1#frag']) {
      const parsed = await f.service.validateProvider('openai', { baseUrl, model: 'gpt-4o-mini' });
      assert.equal(parsed.ok, false, `${baseUrl} was accepted`);
      assert.ok(!parsed.ok);
      const error = parsed.errors.find((e) => e.field === 'baseUrl');
      assert.match(error?.message ?? '', /query \(\?…\) or fragment \(#…\)/);
    }
    await assert.rejects(
      f.service.createConfiguration({ name: 'Query', provider: 'openai-compatible', settings: { baseUrl: 'http://127.0.0.1:1/v1?x=1', model: 'm' } }),
      (error: unknown) => error instanceof ConfigurationError && error.details.fieldErrors?.[0]?.field === 'baseUrl',
    );
    assert.equal((await f.service.validateProvider('openai', { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini' })).ok, true);
  });
});

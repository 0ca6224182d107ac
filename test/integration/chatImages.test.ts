import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startAnthropicEmulator, startGeminiEmulator, startOllamaEmulator, startOpenAIEmulator, type Emulator } from '../emulators';
import { PNG_1X1 } from '../emulators/images';
import { until } from '../helpers/until';
import { testApi } from './api';

const VENDOR = 'model-manager';

/** VS Code's LanguageModelDataPart: stable in 1.106+, typed from 1.106; the project's typings are 1.104's. */
interface DataPartClass {
  image(data: Uint8Array, mimeType: string): unknown;
}
const DataPart = (vscode as unknown as { LanguageModelDataPart: DataPartClass }).LanguageModelDataPart;

function imageMessage(): vscode.LanguageModelChatMessage {
  const parts = [new vscode.LanguageModelTextPart('What colour is this pixel?'), DataPart.image(Buffer.from(PNG_1X1, 'base64'), 'image/png')];
  return vscode.LanguageModelChatMessage.User(parts as vscode.LanguageModelTextPart[]);
}

async function modelFor(id: string): Promise<vscode.LanguageModelChat> {
  return until(`${id} among the chat models`, async () => (await vscode.lm.selectChatModels({ vendor: VENDOR })).find((m) => m.id === id));
}

async function answer(model: vscode.LanguageModelChat): Promise<string> {
  const response = await model.sendRequest([imageMessage()], {}, new vscode.CancellationTokenSource().token);
  let text = '';
  for await (const part of response.text) text += part;
  return text;
}

interface Case {
  readonly name: string;
  readonly start: () => Promise<Emulator & { apiKey?: string }>;
  readonly provider: string;
  readonly settings: (emulator: Emulator) => Record<string, unknown>;
  /** The user message as the provider's API received it. */
  readonly received: (body: Record<string, unknown>) => unknown;
  readonly expected: unknown;
}

const cases: Case[] = [
  {
    name: 'OpenAI (gpt-4o-mini): an image_url part with a base64 data: URL',
    start: () => startOpenAIEmulator(),
    provider: 'openai',
    settings: (e) => ({ model: 'gpt-4o-mini', baseUrl: `${e.url}/v1` }),
    received: (body) => (body.messages as unknown[]).at(-1),
    expected: { role: 'user', content: [{ type: 'text', text: 'What colour is this pixel?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_1X1}` } }] },
  },
  {
    name: 'Anthropic (claude-opus-4-6): an image block with a base64 source before the text',
    start: () => startAnthropicEmulator(),
    provider: 'anthropic',
    settings: (e) => ({ model: 'claude-opus-4-6', baseUrl: e.url }),
    received: (body) => (body.messages as unknown[]).at(-1),
    expected: { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1 } }, { type: 'text', text: 'What colour is this pixel?' }] },
  },
  {
    name: 'Gemini (gemini-2.5-flash): an inlineData part',
    start: () => startGeminiEmulator(),
    provider: 'gemini',
    settings: (e) => ({ model: 'gemini-2.5-flash', baseUrl: `${e.url}/v1beta` }),
    received: (body) => (body.contents as unknown[]).at(-1),
    expected: { role: 'user', parts: [{ text: 'What colour is this pixel?' }, { inlineData: { mimeType: 'image/png', data: PNG_1X1 } }] },
  },
  {
    name: 'Ollama (gemma3:4b, "vision" in /api/show): images as base64 strings on the message',
    start: () => startOllamaEmulator({ alsoInstalled: ['gemma3:4b'] }),
    provider: 'ollama',
    settings: (e) => ({ model: 'gemma3:4b', baseUrl: e.url }),
    received: (body) => (body.messages as unknown[]).at(-1),
    expected: { role: 'user', content: 'What colour is this pixel?', images: [PNG_1X1] },
  },
];

describe('images through vscode.lm to Model Manager\'s models', () => {
  after(async () => {
    const { configurations } = await (await testApi()).services.open();
    for (const c of configurations.listConfigurations()) if (c.name.startsWith('Images ')) await configurations.deleteConfiguration(c.id);
  });

  for (const c of cases) {
    it(`${c.name} reaches the provider; the model declares image input`, async () => {
      const emulator = await c.start();
      const { configurations } = await (await testApi()).services.open();
      const row = await configurations.createConfiguration({ name: `Images ${c.provider}`, provider: c.provider, settings: c.settings(emulator), ...(emulator.apiKey ? { apiKey: emulator.apiKey } : {}) });
      try {
        const model = await modelFor(`configuration:${row.id}`);
        // VS Code maps the provider's imageInput to the model's `vision` and shows it to callers as supportsImageToText.
        assert.equal((model as unknown as { capabilities?: { supportsImageToText?: boolean } }).capabilities?.supportsImageToText, true);
        const text = await answer(model);
        assert.ok(text.length > 0, 'the recorded answer came back');
        const chat = emulator.requests.filter((r) => r.method === 'POST' && /chat|messages$|generateContent/i.test(r.path)).at(-1);
        assert.ok(chat, 'the chat request reached the emulator');
        assert.deepEqual(c.received(chat.body as Record<string, unknown>), c.expected);
      } finally {
        await configurations.deleteConfiguration(row.id);
        await emulator.close();
      }
    });
  }

  it('a model without vision (gpt-3.5-turbo) refuses the image, saying so, and sends nothing', async () => {
    const emulator = await startOpenAIEmulator();
    const { configurations } = await (await testApi()).services.open();
    const row = await configurations.createConfiguration({ name: 'Images text only', provider: 'openai', settings: { model: 'gpt-3.5-turbo', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
    try {
      const model = await modelFor(`configuration:${row.id}`);
      assert.equal((model as unknown as { capabilities?: { supportsImageToText?: boolean } }).capabilities?.supportsImageToText, false);
      const before = emulator.requests.length;
      await assert.rejects(answer(model), (error: unknown) => {
        assert.match(String((error as Error).message), /Images text only takes no images \(1 attached, image\/png\)\. Pick a model that reads images/);
        return true;
      });
      assert.deepEqual(emulator.requests.slice(before).map((r) => r.path), [], 'nothing reached the provider');
    } finally {
      await configurations.deleteConfiguration(row.id);
      await emulator.close();
    }
  });
});

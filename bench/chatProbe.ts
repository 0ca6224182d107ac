import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { HttpClient } from '../src/core/http';
import type { ChatRequest } from '../src/core/providers';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import type { ModelManagerTestApi } from '../src/extension';
import { startOpenAIEmulator } from '../test/emulators';
import { MARKER } from '../test/host/reporter';

const WARMUP = 100;
const ROUNDS = 300;
const PROMPT = 'Say hello';

/**
 * Runs inside the real extension host (as its extensionTestsPath): time to first text through VS Code's language-model
 * API (selectChatModels → sendRequest → our provider → the router → the adapter) against the OpenAI adapter called
 * directly, both to the same loopback emulator, alternating, and reports every sample.
 */
export async function run(): Promise<void> {
  const emulator = await startOpenAIEmulator();
  const http = new HttpClient();
  try {
    const extension = vscode.extensions.getExtension<ModelManagerTestApi | undefined>('modelmanager.model-manager');
    const api = await extension?.activate();
    if (!api) throw new Error('Model Manager did not expose its test API');
    const { configurations } = await api.services.open();
    const created = await configurations.createConfiguration({ name: 'Bench OpenAI', provider: 'openai', settings: { model: 'gpt-4.1-nano', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
    let model: vscode.LanguageModelChat | undefined;
    for (let i = 0; i < 200 && !model; i++) {
      model = (await vscode.lm.selectChatModels({ vendor: 'model-manager' })).find((m) => m.id === `configuration:${created.id}`);
      if (!model) await new Promise((r) => setTimeout(r, 25));
    }
    if (!model) throw new Error('the configuration never appeared among the chat models');
    const chatModel = model;
    const provider = createProvider({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: emulator.apiKey };
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }] };

    const direct = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      for await (const event of provider.chat(target, request)) if (first === 0 && event.type === 'text' && event.text !== '') first = performance.now() - started;
      return first;
    };
    const throughVsCode = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      const response = await chatModel.sendRequest([vscode.LanguageModelChatMessage.User(PROMPT)], {}, new vscode.CancellationTokenSource().token);
      for await (const text of response.text) if (first === 0 && text !== '') first = performance.now() - started;
      return first;
    };
    const { router } = await api.services.open();
    const throughRouter = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      for await (const event of router.chat(`configuration:${created.id}`, request)) if (first === 0 && event.type === 'text' && event.text !== '') first = performance.now() - started;
      return first;
    };
    const samples = { direct: [] as number[], provider: [] as number[], router: [] as number[] };
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      // Alternate the order, so that both series see the same drift of the shared machine.
      const [a, b] = i % 2 === 0 ? [await direct(), await throughVsCode()] : [await throughVsCode(), await direct()].reverse();
      if (i < WARMUP) continue;
      samples.direct.push(a ?? 0);
      samples.provider.push(b ?? 0);
      samples.router.push(await throughRouter());
    }
    await configurations.deleteConfiguration(created.id);
    console.log(`${MARKER}${JSON.stringify({ kind: 'chat-ttft', ...samples })}`);
  } finally {
    await http.close();
    await emulator.close();
  }
}

import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { HttpClient } from '../src/core/http';
import type { ChatRequest } from '../src/core/providers';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import type { ModelManagerTestApi } from '../src/extension';
import { LanguageModelProvider } from '../src/host/chat/LanguageModelProvider';
import { startAnthropicEmulator, startOpenAIEmulator } from '../test/emulators';
import { MARKER } from '../test/host/reporter';
import type { BaselineApi } from './baseline-extension/extension';

const WARMUP = 100;
const ROUNDS = 1200;
const PROMPT = 'Say hello';
const BASELINE_ID = 'modelmanager-tests.model-manager-bench-baseline';
/** provideTokenCount is a few microseconds: timed in batches, one sample per batch. */
const COUNT_BATCHES = 60;
const COUNT_BATCH = 200;

async function modelOf(selector: vscode.LanguageModelChatSelector, id: string): Promise<vscode.LanguageModelChat> {
  for (let i = 0; i < 200; i++) {
    const model = (await vscode.lm.selectChatModels(selector)).find((m) => m.id === id);
    if (model) return model;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the chat model ${id} never appeared`);
}

/** Time to the first non-empty text of a request through VS Code's language-model API. */
async function firstText(model: vscode.LanguageModelChat): Promise<number> {
  const started = performance.now();
  let first = 0;
  const response = await model.sendRequest([vscode.LanguageModelChatMessage.User(PROMPT)], {}, new vscode.CancellationTokenSource().token);
  for await (const text of response.text) if (first === 0 && text !== '') first = performance.now() - started;
  return first;
}

/** Microseconds a call, per batch of `batch` calls, after one warm-up batch. */
async function perCallMicros(call: () => Promise<number>, batch = COUNT_BATCH): Promise<number[]> {
  const samples: number[] = [];
  for (let b = 0; b <= COUNT_BATCHES; b++) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) await call();
    if (b > 0) samples.push(((performance.now() - started) * 1000) / batch);
  }
  return samples;
}

/**
 * Runs inside the real extension host (as its extensionTestsPath), with Model Manager and the bench baseline extension:
 * time to first text through VS Code's language-model API with our provider against the baseline's (the OpenAI adapter
 * alone behind the same API) and against the adapter called in-process, all to the same loopback emulator, paired and
 * alternating; and provideTokenCount's time for a 4,000-character message, with the emulator's request count checked.
 */
export async function run(): Promise<void> {
  const emulator = await startOpenAIEmulator();
  const anthropic = await startAnthropicEmulator();
  const http = new HttpClient();
  const log = vscode.window.createOutputChannel('Model Manager bench', { log: true });
  try {
    const api = await vscode.extensions.getExtension<ModelManagerTestApi | undefined>('modelmanager.model-manager')?.activate();
    if (!api) throw new Error('Model Manager did not expose its test API');
    const baselineApi = await vscode.extensions.getExtension<BaselineApi>(BASELINE_ID)?.activate();
    if (!baselineApi) throw new Error(`${BASELINE_ID} is not loaded`);
    baselineApi.target(`${emulator.url}/v1`, emulator.apiKey);
    const { configurations } = await api.services.open();
    const created = await configurations.createConfiguration({ name: 'Bench OpenAI', provider: 'openai', settings: { model: 'gpt-4.1-nano', baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
    const claude = await configurations.createConfiguration({ name: 'Bench Claude', provider: 'anthropic', settings: { model: 'claude-haiku-4-5-20251001', baseUrl: anthropic.url }, apiKey: anthropic.apiKey });
    const ours = await modelOf({ vendor: 'model-manager' }, `configuration:${created.id}`);
    const baseline = await modelOf({ vendor: 'mm-bench-baseline' }, 'baseline');
    const adapter = createProvider({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: emulator.apiKey };
    const request: ChatRequest = { messages: [{ role: 'user', content: PROMPT }] };
    const inProcess = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      for await (const event of adapter.chat(target, request)) if (first === 0 && event.type === 'text' && event.text !== '') first = performance.now() - started;
      return first;
    };

    // Each round measures the three paths back to back, rotating which goes first, so all see the same drift.
    const samples = { ours: [] as number[], baseline: [] as number[], adapter: [] as number[] };
    const paths: [keyof typeof samples, () => Promise<number>][] = [['ours', () => firstText(ours)], ['baseline', () => firstText(baseline)], ['adapter', inProcess]];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const round: Partial<Record<keyof typeof samples, number>> = {};
      for (let k = 0; k < paths.length; k++) {
        const path = paths[(i + k) % paths.length];
        if (path) round[path[0]] = await path[1]();
      }
      if (i < WARMUP) continue;
      for (const [name] of paths) samples[name].push(round[name] ?? Number.NaN);
    }

    // Our provider's own provideTokenCount (a second instance of the registered class, over the same services).
    const counter = new LanguageModelProvider(api.services, log);
    type CountModel = Parameters<LanguageModelProvider['provideTokenCount']>[0];
    // As describeModels lists them: an exact count (OpenAI, gpt-tokenizer's o200k) and an estimate (Anthropic).
    const gpt = { id: `configuration:${created.id}`, groupId: `configuration:${created.id}`, tokens: { provider: 'openai', model: 'gpt-4.1-nano' } } as CountModel;
    const model = { id: `configuration:${claude.id}`, groupId: `configuration:${claude.id}`, tokens: { provider: 'anthropic', model: 'claude-haiku-4-5-20251001' } } as CountModel;
    const message = 'Count the tokens of this sentence, please. '.repeat(100).slice(0, 4000);
    const cancel = new vscode.CancellationTokenSource().token;
    const requestsBefore = anthropic.requests.length;
    const openaiBefore = emulator.requests.length;
    // The first count starts the worker that loads the encoding and answers from an estimate at once; once the worker
    // is ready, each later call of a message VS Code has counted before is a cache hit.
    const firstStarted = performance.now();
    await counter.provideTokenCount(gpt, message);
    const firstMs = performance.now() - firstStarted;
    if (!(await counter.whenTokenCountsExact())) throw new Error('the token counter\'s worker did not load o200k');
    const readyMs = performance.now() - firstStarted;
    await counter.provideTokenCount(gpt, message);
    // A 4,000-character message never counted before, each time (the exact encoding's own cost).
    let fresh = 0;
    const cold = await perCallMicros(() => Promise.resolve(counter.provideTokenCount(gpt, `${String(fresh++)} ${message}`.slice(0, 4000))), 10);
    const counts = {
      ours: await perCallMicros(() => Promise.resolve(counter.provideTokenCount(gpt, message))),
      estimate: await perCallMicros(() => Promise.resolve(counter.provideTokenCount(model, message))),
      cold,
      firstMs,
      readyMs,
      baseline: await perCallMicros(() => Promise.resolve(baselineApi.provider.provideTokenCount(baseline as unknown as vscode.LanguageModelChatInformation, message, cancel))),
      requests: anthropic.requests.length - requestsBefore + (emulator.requests.length - openaiBefore),
      calls: (COUNT_BATCHES + 1) * COUNT_BATCH * 3 + 2 + (COUNT_BATCHES + 1) * 10,
    };
    counter.dispose();
    await configurations.deleteConfiguration(created.id);
    await configurations.deleteConfiguration(claude.id);
    console.log(`${MARKER}${JSON.stringify({ kind: 'chat-ttft', ...samples, counts })}`);
  } finally {
    log.dispose();
    await http.close();
    await emulator.close();
    await anthropic.close();
  }
}

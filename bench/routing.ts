import { performance } from 'node:perf_hooks';
import * as z from 'zod/mini';
import { HttpClient } from '../src/core/http';
import type { ChatRequest } from '../src/core/providers';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import { defaultSettings, Router, type ResolvedGroup } from '../src/core/routing';
import { startOpenAIEmulator } from '../test/emulators';
import { emit, median, note, percentile } from './result';

const rounds = 1_000;
const warmup = 1_000;
const request: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }], stream: false };

/** What routing adds to a chat: a router call through a one-member group minus a direct adapter call, same emulator. */
export async function run(): Promise<void> {
  const emulator = await startOpenAIEmulator();
  const http = new HttpClient();
  try {
    const adapter = createProvider({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: emulator.apiKey };
    const group: ResolvedGroup = {
      id: 'bench',
      userId: 'bench-user',
      name: 'bench',
      strategy: 'fallback',
      members: [{ configurationId: 'c1', name: 'OpenAI', provider: 'openai', model: 'gpt-4.1-nano', weight: 1 }],
      settings: defaultSettings,
    };
    const resolved = Promise.resolve({ adapter, target });
    let rows = 0;
    const router = new Router({ groups: { resolve: () => group }, targetOf: () => resolved, recordAttempt: () => {
        rows++;
      } });

    const directCall = async (): Promise<number> => {
      const started = performance.now();
      let events = 0;
      for await (const event of adapter.chat(target, request)) if (event.type !== 'usage') events++;
      if (events === 0) throw new Error('the adapter answered nothing');
      return performance.now() - started;
    };
    const routedCall = async (): Promise<number> => {
      const started = performance.now();
      let events = 0;
      for await (const event of router.chat('bench', request)) if (event.type !== 'route') events++;
      if (events === 0) throw new Error('the router answered nothing');
      return performance.now() - started;
    };

    note(`routing: ${String(warmup)} warm-up and ${String(rounds)} measured rounds, router and direct adapter alternating`);
    const direct: number[] = [];
    const routed: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      const [d, r] = i % 2 === 0 ? [await directCall(), await routedCall()] : [await routedCall(), await directCall()].reverse();
      if (i < warmup) continue;
      direct.push(d ?? 0);
      routed.push(r ?? 0);
    }
    if (rows !== warmup + rounds) throw new Error(`expected one request-log row per routed call, got ${String(rows)}`);
    const baseline = 'direct adapter call';
    const p50 = { direct: median(direct), routed: median(routed) };
    const p99 = { direct: percentile(direct, 99), routed: percentile(routed, 99) };
    emit({ bench: 'routing', metric: 'added_p50_ms', value: p50.routed - p50.direct, unit: 'ms', baseline, ratio: p50.routed / p50.direct, goal: '<=0.2' });
    emit({ bench: 'routing', metric: 'added_p99_ms', value: p99.routed - p99.direct, unit: 'ms', baseline, ratio: p99.routed / p99.direct, goal: '<=1' });
  } finally {
    await http.close();
    await emulator.close();
  }
}

import { performance } from 'node:perf_hooks';
import * as z from 'zod/mini';
import { HttpClient } from '../src/core/http';
import type { ChatRequest } from '../src/core/providers';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import { defaultSettings, Router, type ResolvedGroup } from '../src/core/routing';
import { startOpenAIEmulator } from '../test/emulators';
import { emit, median, note, pair, percentile } from './result';

const rounds = 2_000;
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

    note(`routing: ${String(warmup)} warm-up and ${String(rounds)} measured pairs, router and direct adapter back to back, order alternating`);
    const added: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      const p = await pair(i, routedCall, directCall);
      if (i < warmup) continue;
      added.push(p.ours - p.baseline);
      ratios.push(p.ours / p.baseline);
    }
    if (rows !== warmup + rounds) throw new Error(`expected one request-log row per routed call, got ${String(rows)}`);
    const baseline = 'direct adapter call, paired';
    emit({ bench: 'routing', metric: 'added_p50_ms', value: median(added), unit: 'ms', baseline, ratio: median(ratios), goal: '<=0.2', samples: added });
    // Noise from the shared machine lands on either side of a pair: a p1 as far below zero as the p99 is above says so.
    note(`routing: per-pair added time p1 ${percentile(added, 1).toFixed(3)} ms, p50 ${median(added).toFixed(3)} ms, p99 ${percentile(added, 99).toFixed(3)} ms`);
    emit({ bench: 'routing', metric: 'added_p99_ms', value: percentile(added, 99), unit: 'ms', baseline, ratio: percentile(ratios, 99), goal: '<=1', samples: added });
  } finally {
    await http.close();
    await emulator.close();
  }
}

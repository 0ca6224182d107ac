import { performance } from 'node:perf_hooks';
import * as z from 'zod/mini';
import { Agent } from 'undici';
import { HttpClient, readSse } from '../src/core/http';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import type { ChatRequest } from '../src/core/providers';
import { startOpenAIEmulator } from '../test/emulators';
import { chunkLines } from '../test/emulators/recordings';
import { emit, median, note, percentile } from './result';

const rounds = 1_000;
// Enough warm-up for the JIT to settle: the first few hundred calls of either path run unoptimised code.
const warmup = 1_000;
const request: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

/** Added latency and time to first token of the OpenAI adapter over a direct undici request to the same emulator; SSE parse speed. */
export async function run(): Promise<void> {
  const emulator = await startOpenAIEmulator();
  const http = new HttpClient();
  const direct = new Agent({ keepAliveTimeout: 30_000 });
  try {
    const provider = createProvider({ http });
    const target = { config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model: 'gpt-4.1-nano' }), apiKey: emulator.apiKey };
    const url = new URL(`${emulator.url}/v1/chat/completions`);
    const headers = { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' };
    const body = (stream: boolean): string =>
      JSON.stringify({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Say hello' }], ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}) });

    const directCall = async (): Promise<number> => {
      const started = performance.now();
      const response = await direct.request({ origin: url.origin, path: url.pathname, method: 'POST', headers, body: body(false) });
      await response.body.json();
      return performance.now() - started;
    };
    const adapterCall = async (): Promise<number> => {
      const started = performance.now();
      for await (const event of provider.chat(target, { ...request, stream: false })) if (event.type === 'finish') break;
      return performance.now() - started;
    };
    const directFirstToken = async (): Promise<number> => {
      const started = performance.now();
      const response = await direct.request({ origin: url.origin, path: url.pathname, method: 'POST', headers, body: body(true) });
      let seen = '';
      let first = 0;
      for await (const chunk of response.body) {
        if (first === 0) {
          seen += (chunk as Buffer).toString('utf8');
          if (/"content":"[^"]/.test(seen)) first = performance.now() - started;
        }
      }
      return first;
    };
    const adapterFirstToken = async (): Promise<number> => {
      const started = performance.now();
      let first = 0;
      for await (const event of provider.chat(target, request)) {
        if (first === 0 && event.type === 'text') first = performance.now() - started;
      }
      return first;
    };

    note(`providers: ${String(warmup)} warm-up and ${String(rounds)} measured rounds of each measure, adapter and direct alternating`);
    const timings = { direct: [] as number[], adapter: [] as number[], directTtft: [] as number[], adapterTtft: [] as number[] };
    // Each measure in its own loop, in alternating order, so that both series see the same drift of the shared machine.
    for (let i = 0; i < warmup + rounds; i++) {
      const [direct, adapter] = i % 2 === 0 ? [await directCall(), await adapterCall()] : [await adapterCall(), await directCall()].reverse();
      if (i < warmup) continue;
      timings.direct.push(direct ?? 0);
      timings.adapter.push(adapter ?? 0);
    }
    for (let i = 0; i < warmup + rounds; i++) {
      const [direct, adapter] = i % 2 === 0 ? [await directFirstToken(), await adapterFirstToken()] : [await adapterFirstToken(), await directFirstToken()].reverse();
      if (i < warmup) continue;
      timings.directTtft.push(direct ?? 0);
      timings.adapterTtft.push(adapter ?? 0);
    }
    const p50 = { direct: median(timings.direct), adapter: median(timings.adapter) };
    const p99 = { direct: percentile(timings.direct, 99), adapter: percentile(timings.adapter, 99) };
    const baseline = 'direct undici request';
    emit({ bench: 'providers', metric: 'added_p50_ms', value: p50.adapter - p50.direct, unit: 'ms', baseline, ratio: p50.adapter / p50.direct, goal: '<=0.2' });
    emit({ bench: 'providers', metric: 'added_p99_ms', value: p99.adapter - p99.direct, unit: 'ms', baseline, ratio: p99.adapter / p99.direct, goal: '<=1' });
    const ttft = median(timings.adapterTtft) / median(timings.directTtft);
    note(`medians: call ${p50.adapter.toFixed(3)} vs ${p50.direct.toFixed(3)} ms; first token ${median(timings.adapterTtft).toFixed(3)} vs ${median(timings.directTtft).toFixed(3)} ms`);
    emit({ bench: 'providers', metric: 'ttft_ratio', value: ttft, unit: 'ratio', baseline, ratio: ttft, goal: '<=1.02' });
    emit({ bench: 'providers', metric: 'sse_parse_mb_per_s', value: await sseThroughput(), unit: 'MB/s', baseline: 'recorded OpenAI stream, 16 KB chunks' });
  } finally {
    await direct.close();
    await http.close();
    await emulator.close();
  }
}

/** The recorded OpenAI stream, repeated to about 16 MB, read in 16 KB chunks; median of five runs. */
async function sseThroughput(): Promise<number> {
  const stream = chunkLines('recorded/openai/vercel-ai__openai-text.chunks.txt').map((line) => `data: ${line}\n\n`).join('');
  const one = Buffer.from(stream);
  const whole = Buffer.concat(Array.from({ length: Math.ceil((16 * 1024 * 1024) / one.length) }, () => one));
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < whole.length; i += 16 * 1024) chunks.push(whole.subarray(i, i + 16 * 1024));
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const chunk of chunks) yield await Promise.resolve(chunk);
  }
  const speeds: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = performance.now();
    let events = 0;
    for await (const event of readSse(source(), 1024 * 1024)) events += event.data.length > 0 ? 1 : 0;
    const seconds = (performance.now() - started) / 1000;
    if (events === 0) throw new Error('the SSE reader found no events');
    speeds.push(whole.length / (1024 * 1024) / seconds);
  }
  return median(speeds);
}

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as z from 'zod/mini';
import { HttpClient } from '../src/core/http';
import type { ChatRequest } from '../src/core/providers';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import { startOpenAIEmulator, type OpenAIEmulator } from '../test/emulators';
import { BENCH_MODEL, serveGateway } from './gatewayServe';
import { emit, median, note, pair, percentile } from './result';

const rounds = 2_000;
const warmup = 500;
/** Concurrent clients, each sending its streams one after another. */
const CLIENTS = 100;
const STREAMS_PER_CLIENT = 5;
const THROUGHPUT_ROUNDS = 3;
/** How long the emulator waits before it answers, as a provider does before its first token, in the throughput runs. */
const FIRST_TOKEN_MS = 100;
const MEMORY_ROUNDS = 5;
const request: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }], stream: true };

interface Target {
  readonly config: z.infer<typeof OpenAIConfig>;
  readonly apiKey: string;
}

/**
 * What the local endpoint adds to a streamed chat: the OpenAI adapter asking the endpoint (which answers through the
 * router and the same adapter) against the adapter asking the emulator itself; its throughput with 100 concurrent
 * clients against the same load sent to the emulator; the endpoint process's memory with 100 streams open.
 */
export async function run(): Promise<void> {
  const emulator = await startOpenAIEmulator();
  // The endpoint's upstream client as the session builds it; the clients get sockets enough for all of them at once.
  const upstream = new HttpClient();
  const clients = new HttpClient({ connections: 2 * CLIENTS });
  const served = await serveGateway(emulator.url, emulator.apiKey, upstream);
  try {
    const adapter = createProvider({ http: upstream });
    const clientAdapter = createProvider({ http: clients });
    const direct = target(`${emulator.url}/v1`, emulator.apiKey);
    const viaEndpoint = target(`${served.url}/v1`, served.token);
    const stream = async (through: typeof adapter, at: Target): Promise<number> => {
      const started = performance.now();
      let texts = 0;
      for await (const event of through.chat(at, request)) if (event.type === 'text') texts++;
      if (texts === 0) throw new Error('the stream had no text');
      return performance.now() - started;
    };

    note(`gateway: ${String(warmup)} warm-up and ${String(rounds)} measured pairs of streamed chats, through the endpoint and straight to the emulator, order alternating`);
    const added: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < warmup + rounds; i++) {
      const p = await pair(i, () => stream(clientAdapter, viaEndpoint), () => stream(adapter, direct));
      if (i < warmup) continue;
      added.push(p.ours - p.baseline);
      ratios.push(p.ours / p.baseline);
    }
    const baseline = 'adapter streaming from the emulator directly, paired';
    emit({ bench: 'gateway', metric: 'added_p50_ms', value: median(added), unit: 'ms', baseline, ratio: median(ratios), goal: '<=0.5', samples: added });
    note(`gateway: per-pair added time p1 ${percentile(added, 1).toFixed(3)} ms, p50 ${median(added).toFixed(3)} ms, p99 ${percentile(added, 99).toFixed(3)} ms`);
    emit({ bench: 'gateway', metric: 'added_p99_ms', value: percentile(added, 99), unit: 'ms', baseline, ratio: percentile(ratios, 99), goal: '<=2', samples: added });

    // Its own emulator: stalled streams it leaves behind must not reach the throughput runs.
    const stalling = await startOpenAIEmulator();
    try {
      await memory(stalling, clients);
    } finally {
      await stalling.close();
    }
    await throughput(emulator, (at) => stream(clientAdapter, at), direct, viaEndpoint);
  } finally {
    await served.close();
    await upstream.close();
    await clients.close();
    await emulator.close();
  }
}

function target(baseUrl: string, apiKey: string): Target {
  return { config: z.parse(OpenAIConfig, { baseUrl, model: BENCH_MODEL }), apiKey };
}

/** Streams per second with CLIENTS clients at once, through the endpoint and directly, rounds alternating. */
async function throughput(emulator: OpenAIEmulator, stream: (at: Target) => Promise<number>, direct: Target, viaEndpoint: Target): Promise<void> {
  const load = async (at: Target): Promise<number> => {
    // Every request waits FIRST_TOKEN_MS at the emulator, as at a provider: the figure is the endpoint's, not the loop's.
    emulator.inject({ delayMs: FIRST_TOKEN_MS }, CLIENTS * STREAMS_PER_CLIENT);
    const started = performance.now();
    let completed = 0;
    const failures: string[] = [];
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      for (let i = 0; i < STREAMS_PER_CLIENT; i++) {
        try {
          await stream(at);
          completed++;
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }));
    // Only completed streams count; a failed one is said, not hidden (its fault stays queued at the emulator).
    if (failures.length > 0) note(`gateway: ${String(failures.length)} streams failed (${[...new Set(failures)].slice(0, 3).join('; ')})`);
    return completed / ((performance.now() - started) / 1000);
  };
  note(`gateway: ${String(CLIENTS)} concurrent clients × ${String(STREAMS_PER_CLIENT)} streams, the emulator answering after ${String(FIRST_TOKEN_MS)} ms, ${String(THROUGHPUT_ROUNDS)} rounds each way`);
  await load(viaEndpoint);
  await load(direct);
  const through: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < THROUGHPUT_ROUNDS; i++) {
    const p = await pair(i, () => load(viaEndpoint), () => load(direct));
    through.push(p.ours);
    ratios.push(p.ours / p.baseline);
    note(`gateway: round ${String(i + 1)}: ${p.ours.toFixed(0)} streams/s through the endpoint, ${p.baseline.toFixed(0)} directly`);
  }
  emit({ bench: 'gateway', metric: 'streams_per_s', value: median(through), unit: 'streams/s', baseline: `the same ${String(CLIENTS)} clients streaming from the emulator directly`, ratio: median(ratios), goal: 'ratio>=0.9', samples: ratios });
}

/**
 * The endpoint alone in a child process (as in the extension host): its resident memory after a garbage collection,
 * idle (warmed up) and with CLIENTS streams open whose upstream has sent its first event and then waits.
 */
async function memory(emulator: OpenAIEmulator, clients: HttpClient): Promise<void> {
  const adapter = createProvider({ http: clients });
  const growth: number[] = [];
  for (let round = 0; round < MEMORY_ROUNDS; round++) {
    const child = fork(join(__dirname, 'gatewayServe.js'), [emulator.url, emulator.apiKey], { execArgv: ['--expose-gc'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    try {
      const { url, token } = await message<{ url: string; token: string }>(child);
      const at = target(`${url}/v1`, token);
      let warm = 0;
      for (let i = 0; i < 50; i++) for await (const event of adapter.chat(at, request)) if (event.type === 'text') warm++;
      if (warm === 0) throw new Error('the endpoint process answered no text');
      const idle = (await ask(child)).rss;
      // Each stream sends its first words and then waits, open, as a long answer does.
      emulator.inject({ stallAfterEvents: 3 }, CLIENTS);
      const controllers = Array.from({ length: CLIENTS }, () => new AbortController());
      const open: AsyncIterator<unknown>[] = [];
      const firstEvents = controllers.map(async (controller) => {
        const events = adapter.chat(at, request, { signal: controller.signal })[Symbol.asyncIterator]();
        await events.next();
        open.push(events);
      });
      // A stream that never starts (a cap on the endpoint's upstream sockets) must not hang the bench.
      await Promise.race([Promise.allSettled(firstEvents), new Promise((resolve) => setTimeout(resolve, 20_000))]);
      const held = (await ask(child)).rss;
      for (const controller of controllers) controller.abort();
      if (open.length < CLIENTS) {
        // The emulator still holds stalls for the streams that never came: the next warm-up would wait on them.
        note(`gateway: only ${String(open.length)} of ${String(CLIENTS)} streams started through the endpoint within 20 s`);
        break;
      }
      growth.push((held - idle) / 1024 / 1024);
      await Promise.allSettled(open.map(async (events) => {
        await events.return?.();
      }));
    } finally {
      child.send('exit');
      await new Promise<void>((resolve) => child.once('exit', () => {
        resolve();
      }));
    }
  }
  note(`gateway: endpoint process memory growth with ${String(CLIENTS)} streams open, per fresh process: ${growth.map((g) => g.toFixed(1)).join(', ')} MB`);
  if (growth.length === 0) return;
  emit({ bench: 'gateway', metric: 'rss_mb_per_100_streams', value: median(growth) * (100 / CLIENTS), unit: 'MB', samples: growth });
}

function message<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m) => {
      resolve(m as T);
    });
    child.once('exit', (code) => {
      reject(new Error(`the endpoint process exited (${String(code)}) before it answered`));
    });
  });
}

function ask(child: ChildProcess): Promise<{ rss: number }> {
  child.send('rss');
  return message<{ rss: number }>(child);
}

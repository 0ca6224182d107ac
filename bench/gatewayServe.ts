import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { startEndpoint } from '../src/core/endpoint/EndpointServer';
import { HttpClient } from '../src/core/http';
import { createProvider, OpenAIConfig } from '../src/core/providers/openai';
import { defaultSettings, Router, type ResolvedGroup } from '../src/core/routing';

export const BENCH_MODEL = 'gpt-4.1-nano';
const BENCH_LIMITS = { concurrent: 1_000, perMinute: 1_000_000 };

export interface ServedGateway {
  readonly url: string;
  readonly token: string;
  close(): Promise<void>;
}

/**
 * The local endpoint as the extension serves a configuration: a token checked by hash in constant time, the router
 * over the configuration's one-member group, the OpenAI adapter on `http` (as the session builds it) to `upstreamUrl`.
 */
export async function serveGateway(upstreamUrl: string, apiKey: string, http: HttpClient): Promise<ServedGateway> {
  const adapter = createProvider({ http });
  const target = { config: z.parse(OpenAIConfig, { baseUrl: `${upstreamUrl}/v1`, model: BENCH_MODEL }), apiKey };
  const group: ResolvedGroup = {
    id: 'configuration:bench',
    userId: 'bench-user',
    name: 'bench',
    strategy: 'fallback',
    members: [{ configurationId: 'bench', name: 'OpenAI', provider: 'openai', model: BENCH_MODEL, weight: 1 }],
    settings: defaultSettings,
  };
  const resolved = Promise.resolve({ adapter, target });
  const router = new Router({ groups: { resolve: () => group }, targetOf: () => resolved, recordAttempt: () => undefined });
  const token = `mm-${randomBytes(24).toString('base64url')}`;
  const stored = createHash('sha256').update(token).digest();
  const endpoint = await startEndpoint(
    {
      models: () => [{ id: BENCH_MODEL, groupId: group.id, created: 1_700_000_000 }],
      chat: (groupId, request, options) => router.chat(groupId, request, { signal: options.signal }),
      authenticate: (given) =>
        Promise.resolve(timingSafeEqual(createHash('sha256').update(given).digest(), stored) ? { id: 'bench-client', name: 'bench', scope: 'chat' as const } : undefined),
      countTokens: () => Promise.resolve(0),
      // One token carries the load of every bench client (100 at once, thousands a minute): the per-client limits are
      // a policy, not a cost, so they are set above that load; each request is still admitted and released.
      limits: BENCH_LIMITS,
    },
    { port: 0 },
  );
  return {
    url: endpoint.url,
    token,
    close: async () => {
      await endpoint.close();
      router.dispose();
    },
  };
}

/**
 * Run as a child process (`node --expose-gc gatewayServe.js <upstream> <key>`): the endpoint alone in a process, as in
 * the extension host, so its memory is measured without the clients' and the emulator's. It answers `rss` messages.
 */
async function child(): Promise<void> {
  const [upstreamUrl, apiKey] = process.argv.slice(2);
  if (!upstreamUrl || !apiKey || !process.send) throw new Error('usage: node --expose-gc gatewayServe.js <upstream url> <api key> (with an IPC channel)');
  const http = new HttpClient();
  const served = await serveGateway(upstreamUrl, apiKey, http);
  const collect = (globalThis as { gc?: () => void }).gc;
  process.on('message', (message: unknown) => {
    if (message === 'rss') {
      collect?.();
      process.send?.({ rss: process.memoryUsage().rss });
    } else if (message === 'exit') {
      void served.close().then(() => http.close()).then(() => process.exit(0));
    }
  });
  process.send({ url: served.url, token: served.token });
}

if (require.main === module) {
  child().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

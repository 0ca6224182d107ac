import * as z from 'zod/mini';
import { HttpClient } from '../../../src/core/http';
import type { ChatRequest } from '../../../src/core/providers';
import { AnthropicConfig, createProvider as createAnthropic } from '../../../src/core/providers/anthropic';
import { createProvider as createGemini, GeminiConfig } from '../../../src/core/providers/gemini';
import { createProvider as createOllama, OllamaConfig } from '../../../src/core/providers/ollama';
import { createProvider as createOpenAI, OpenAIConfig } from '../../../src/core/providers/openai';
import { defaultSettings, Router, RoutingError, type MemberTarget, type ResolvedGroup, type RouteMember, type RouterDeps, type RouterEvent, type RouteNotice } from '../../../src/core/routing';
import type { RequestLogEntry, RouteGroupSettings, RouteStrategy } from '../../../src/core/store';
import { startAnthropicEmulator, startGeminiEmulator, startOllamaEmulator, startOpenAIEmulator, type Emulator } from '../../emulators';

/**
 * Short limits so that every fault shows within a second or two, long enough that a loaded 2-core machine never trips
 * them on a healthy answer (a 550 KB token count included); one retry within a member.
 */
export function routingClient(): HttpClient {
  return new HttpClient({ timeouts: { connectMs: 2_000, headersMs: 750, bodyMs: 750, totalMs: 6_000 }, retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 5, maxTotalMs: 2_000 } });
}

export const hello: ChatRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] };

export interface Member {
  readonly member: RouteMember;
  readonly target: MemberTarget;
  readonly emulator: Emulator;
}

/** A small world of loopback emulators, real adapters, one router and the rows it recorded. */
export class World {
  readonly records: RequestLogEntry[] = [];
  readonly groups = new Map<string, ResolvedGroup>();
  readonly emulators: Emulator[] = [];
  private readonly targets = new Map<string, MemberTarget>();
  router: Router;

  constructor(
    private readonly extra: Partial<RouterDeps> = {},
    readonly http: HttpClient = routingClient(),
  ) {
    this.router = this.build(extra);
  }

  build(extra: Partial<RouterDeps> = this.extra): Router {
    this.router = new Router({
      groups: { resolve: (id) => this.groups.get(id) },
      targetOf: (member) => {
        const target = this.targets.get(member.configurationId);
        return target ? Promise.resolve(target) : Promise.reject(new Error(`no target for ${member.name}`));
      },
      recordAttempt: (entry) => this.records.push(entry),
      ...extra,
    });
    return this.router;
  }

  async openai(name: string, model = 'gpt-4o-mini'): Promise<Member> {
    const emulator = await startOpenAIEmulator();
    const target = { adapter: createOpenAI({ http: this.http }), target: { config: z.parse(OpenAIConfig, { baseUrl: `${emulator.url}/v1`, model }), apiKey: emulator.apiKey } };
    return this.add(name, 'openai', model, emulator, target);
  }

  async anthropic(name: string, model = 'claude-haiku-4-5-20251001'): Promise<Member> {
    const emulator = await startAnthropicEmulator();
    const target = { adapter: createAnthropic({ http: this.http }), target: { config: z.parse(AnthropicConfig, { baseUrl: emulator.url, model }), apiKey: emulator.apiKey } };
    return this.add(name, 'anthropic', model, emulator, target);
  }

  async gemini(name: string, model = 'gemini-2.5-flash'): Promise<Member> {
    const emulator = await startGeminiEmulator();
    const target = { adapter: createGemini({ http: this.http }), target: { config: z.parse(GeminiConfig, { baseUrl: `${emulator.url}/v1beta`, model }), apiKey: emulator.apiKey } };
    return this.add(name, 'gemini', model, emulator, target);
  }

  async ollama(name: string, model = 'llama3.2:latest'): Promise<Member> {
    const emulator = await startOllamaEmulator();
    const target = { adapter: createOllama({ http: this.http }), target: { config: z.parse(OllamaConfig, { baseUrl: emulator.url, model }) } };
    return this.add(name, 'ollama', model, emulator, target);
  }

  group(strategy: RouteStrategy, members: readonly Member[], settings: RouteGroupSettings = {}, weights: readonly number[] = []): string {
    const id = `group-${String(this.groups.size + 1)}`;
    this.groups.set(id, {
      id,
      userId: 'user-1',
      name: `${strategy} group`,
      strategy,
      members: members.map((m, i) => ({ ...m.member, weight: weights[i] ?? 1 })),
      settings: { ...defaultSettings, ...settings },
    });
    return id;
  }

  async close(): Promise<void> {
    await Promise.all(this.emulators.map((e) => e.close()));
    await this.http.close();
  }

  private add(name: string, provider: string, model: string, emulator: Emulator, target: MemberTarget): Member {
    this.emulators.push(emulator);
    const member: RouteMember = { configurationId: `cfg-${name}`, name, provider, model, weight: 1 };
    this.targets.set(member.configurationId, target);
    return { member, target, emulator };
  }
}

export interface Routed {
  readonly events: readonly RouterEvent[];
  readonly notices: readonly RouteNotice[];
  readonly text: string;
  /** The member that answered (the last one selected). */
  readonly answeredBy: string | undefined;
  readonly error: RoutingError | undefined;
}

/** Runs one routed chat to the end and keeps what it said; a RoutingError is kept, anything else is thrown. */
export async function route(router: Router, groupId: string, request: ChatRequest = hello, signal?: AbortSignal): Promise<Routed> {
  const events: RouterEvent[] = [];
  let error: RoutingError | undefined;
  try {
    for await (const event of router.chat(groupId, request, { signal })) events.push(event);
  } catch (caught) {
    if (!(caught instanceof RoutingError)) throw caught;
    error = caught;
  }
  const notices = events.filter((e): e is RouteNotice => e.type === 'route');
  return {
    events,
    notices,
    text: events.map((e) => (e.type === 'text' ? e.text : '')).join(''),
    answeredBy: error ? undefined : notices.at(-1)?.member.name,
    error,
  };
}

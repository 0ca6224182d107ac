import { HttpClient } from '../../../src/core/http';
import type { ChatRequest } from '../../../src/core/providers';
import { defaultSettings, Router, RoutingError, type MemberTarget, type ResolvedGroup, type RouteMember, type RouterDeps, type RouterEvent, type RouteNotice } from '../../../src/core/routing';
import type { RequestLogEntry, RouteGroupSettings, RouteStrategy } from '../../../src/core/store';
import type { Emulator } from '../../emulators';
import type { ProviderSubject } from '../helpers/providerSubject';
import { anthropicSubject, geminiSubject, ollamaSubject, openaiSubject } from '../helpers/subjects';

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

  openai(name: string, model = 'gpt-4o-mini'): Promise<Member> {
    return this.member(name, 'openai', openaiSubject, model);
  }

  anthropic(name: string, model = 'claude-haiku-4-5-20251001'): Promise<Member> {
    return this.member(name, 'anthropic', anthropicSubject, model);
  }

  gemini(name: string, model = 'gemini-2.5-flash'): Promise<Member> {
    return this.member(name, 'gemini', geminiSubject, model);
  }

  ollama(name: string, model = 'llama3.2:latest'): Promise<Member> {
    return this.member(name, 'ollama', ollamaSubject, model);
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

  private async member<C, E extends Emulator>(name: string, provider: string, subject: ProviderSubject<C, E>, model: string): Promise<Member> {
    const emulator = await subject.startEmulator();
    return this.add(name, provider, model, emulator, { adapter: subject.createProvider({ http: this.http }), target: subject.target(emulator, model) });
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

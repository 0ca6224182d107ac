import * as assert from 'node:assert/strict';
import type { ResponseHeaders } from '../../../src/core/http';
import { defaultSettings, Router, type MemberTarget, type ResolvedGroup, type RouteMember } from '../../../src/core/routing';
import type { RequestLogEntry } from '../../../src/core/store';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { usageFixture, type UsageFixture } from '../usage/setup';
import { hello, route, routingClient, World, type Member } from './fixture';
import { openaiSubject } from '../helpers/subjects';

const limits = { 'x-ratelimit-limit-requests': '500', 'x-ratelimit-remaining-requests': '42', 'x-ratelimit-remaining-tokens': '9000', 'x-ratelimit-reset-requests': '6m0s' };

describe('the router and budgets: a hard stop skips a member without sending anything', function () {
  this.timeout(10_000);
  let world: World;
  let a: Member;
  let b: Member;

  beforeEach(async () => {
    world = new World();
    a = await world.openai('a');
    b = await world.openai('b');
  });

  afterEach(async () => {
    await world.close();
  });

  it('a member refused by its budget is skipped, named in the notice, with no request and no row', async () => {
    world.build({ admit: (m) => (m.name === 'a' ? { allowed: false, message: '"a" is paused: the monthly budget "Team" is used up.' } : { allowed: true }) });
    const result = await route(world.router, world.group('fallback', [a, b]));
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.answeredBy, 'b');
    assert.deepEqual(result.notices.map((n) => `${n.member.name} ${n.kind} ${String(n.attempt)}`), ['b selected 1']);
    assert.match(result.notices[0]?.reason ?? '', /skipped a: "a" is paused: the monthly budget "Team" is used up\./);
    assert.equal(a.emulator.requests.length, 0);
    assert.deepEqual(world.records.map((r) => `${r.configurationId} ${r.outcome} ${String(r.attempt)}`), ['cfg-b success 1']);
  });

  it('when every member is refused the router fails with the budget message and sends nothing', async () => {
    const message = '"a" is paused: the daily budget "Cap" is used up ($1.00 of $1.00). It resets tomorrow.';
    world.build({ admit: () => ({ allowed: false, message }) });
    const single = await route(world.router, world.group('fallback', [a]));
    assert.equal(single.error?.kind, 'budget');
    assert.equal(single.error.message, message);
    const both = await route(world.router, world.group('weighted-round-robin', [a, b]));
    assert.equal(both.error?.kind, 'budget');
    assert.match(both.error.message, /No member of "weighted-round-robin group" may take requests now: .*Cap.*Cap/);
    assert.equal(a.emulator.requests.length + b.emulator.requests.length, 0);
    assert.deepEqual(world.records, []);
  });
});

describe('the router with the real usage tracker and budget monitor', function () {
  this.timeout(10_000);
  let f: UsageFixture;
  let first: OpenAIEmulator;
  let second: OpenAIEmulator;
  const http = routingClient();

  beforeEach(async () => {
    f = await usageFixture();
    first = await startOpenAIEmulator();
    second = await startOpenAIEmulator();
  });

  afterEach(async () => {
    await first.close();
    await second.close();
    await f.close();
  });

  after(async () => {
    await http.close();
  });

  async function world(): Promise<{ router: Router; group: string; ids: [string, string]; rows: RequestLogEntry[]; headers: (ResponseHeaders | undefined)[]; settled: () => Promise<void> }> {
    const targets = new Map<string, MemberTarget>();
    const members: RouteMember[] = [];
    for (const [name, emulator] of [['Main', first], ['Backup', second]] as const) {
      const row = await f.addConfiguration({ name, provider: 'openai', model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` });
      targets.set(row.id, { adapter: openaiSubject.createProvider({ http }), target: openaiSubject.target(emulator, 'gpt-4o-mini') });
      members.push({ configurationId: row.id, name, provider: 'openai', model: 'gpt-4o-mini', weight: 1 });
    }
    const group: ResolvedGroup = { id: 'grp', userId: f.userId, name: 'Team', strategy: 'fallback', members, settings: defaultSettings };
    const rows: RequestLogEntry[] = [];
    const headers: (ResponseHeaders | undefined)[] = [];
    const router = new Router({
      groups: { resolve: (id) => (id === group.id ? group : undefined) },
      targetOf: (m) => {
        const target = targets.get(m.configurationId);
        return target ? Promise.resolve(target) : Promise.reject(new Error(`no target for ${m.name}`));
      },
      recordAttempt: (entry, seen) => {
        rows.push(entry);
        headers.push(seen);
        void f.tracker.recordAttempt({ ...entry, routeGroupId: null }, seen);
      },
      admit: (m) => f.budgets.checkBudget(m.configurationId),
      now: () => f.clock.now,
      wallClock: () => new Date(f.clock.now),
    });
    return { router, group: group.id, ids: [members[0]?.configurationId ?? '', members[1]?.configurationId ?? ''], rows, headers, settled: () => f.tracker.settled() };
  }

  it("passes each attempt's last response headers to the tracker, which keeps the rate limits they state", async () => {
    const w = await world();
    first.inject({ headers: limits });
    assert.equal((await route(w.router, w.group, hello)).answeredBy, 'Main');
    await w.settled();
    assert.equal(w.headers[0]?.['x-ratelimit-remaining-requests'], '42');
    const state = f.tracker.rateLimitFor(w.ids[0]);
    assert.equal(state?.requests?.remaining, 42);
    assert.equal(state.requests.limit, 500);
    assert.equal(state.tokens?.remaining, 9000);
    assert.equal(state.requests.resetsAt, new Date(f.clock.now + 360_000).toISOString());
  });

  it('headers of a failed attempt (429 with Retry-After) reach the tracker too, and the next member answers', async () => {
    const w = await world();
    first.inject({ status: 429, retryAfter: '30', headers: { 'x-ratelimit-remaining-requests': '0' } });
    const result = await route(w.router, w.group, hello);
    assert.equal(result.answeredBy, 'Backup');
    await w.settled();
    assert.deepEqual(w.rows.map((r) => `${r.outcome} ${String(r.attempt)}`), ['error 1', 'success 2']);
    const state = f.tracker.rateLimitFor(w.ids[0]);
    assert.equal(state?.requests?.remaining, 0);
    assert.equal(state.retryAt, new Date(f.clock.now + 30_000).toISOString());
  });

  it("a used-up hard-stop budget pauses its member: the router moves to the other, then refuses with the monitor's message", async () => {
    const w = await world();
    await f.budgets.saveBudget({ name: 'Main cap', configurationId: w.ids[0], period: 'month', limitTokens: 10, hardStop: true });
    assert.equal((await route(w.router, w.group, hello)).answeredBy, 'Main');
    await w.settled();
    const check = f.budgets.checkBudget(w.ids[0]);
    assert.equal(check.allowed, false, 'the emulator reply used more than 10 tokens');
    const moved = await route(w.router, w.group, hello);
    assert.equal(moved.answeredBy, 'Backup');
    assert.match(moved.notices[0]?.reason ?? '', /skipped Main: "Main" is paused: the monthly budget "Main cap" is used up/);
    assert.equal(first.requests.length, 1);
    await f.budgets.saveBudget({ name: 'Backup cap', configurationId: w.ids[1], period: 'month', limitTokens: 1, hardStop: true });
    await w.settled();
    const refused = await route(w.router, w.group, hello);
    assert.equal(refused.error?.kind, 'budget');
    assert.match(refused.error.message, /"Main" is paused.*"Backup" is paused/);
    assert.equal(first.requests.length + second.requests.length, 2);
    await w.settled();
    assert.equal(f.tracker.getUsageStats(w.ids[0]).requestCount, 1);
    assert.equal(f.tracker.getUsageStats(w.ids[1]).requestCount, 1);
  });
});

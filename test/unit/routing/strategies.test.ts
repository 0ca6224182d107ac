import * as assert from 'node:assert/strict';
import { costOf } from '../../../src/core/catalog';
import type { ChatRequest } from '../../../src/core/providers';
import type { RouteMember } from '../../../src/core/routing';
import { packageCatalog } from '../catalog/packageCatalog';
import { hello, route, World } from './fixture';

const fast: ChatRequest = { ...hello, stream: false };

function tally(names: readonly (string | undefined)[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}

describe('routing strategies over 1,000 requests against the emulators', function () {
  this.timeout(30_000);
  let world: World;

  afterEach(async () => {
    await world.close();
  });

  it('fallback sends every request to the first member while it is up', async () => {
    world = new World();
    const members = [await world.openai('a'), await world.openai('b'), await world.anthropic('c')];
    const group = world.group('fallback', members);
    const answered: (string | undefined)[] = [];
    for (let i = 0; i < 1_000; i++) answered.push((await route(world.router, group, fast)).answeredBy);
    assert.deepEqual([...tally(answered)], [['a', 1_000]]);
    assert.equal(members[1]?.emulator.requests.length, 0);
  });

  it('weighted round-robin gives each member its share within 5% and repeats the same sequence', async () => {
    world = new World();
    const members = [await world.openai('a'), await world.openai('b'), await world.gemini('c')];
    const weights = [5, 3, 2];
    const group = world.group('weighted-round-robin', members, {}, weights);
    const answered: (string | undefined)[] = [];
    for (let i = 0; i < 1_000; i++) answered.push((await route(world.router, group, fast)).answeredBy);
    const counts = tally(answered);
    for (const [index, name] of ['a', 'b', 'c'].entries()) {
      const expected = (1_000 * (weights[index] ?? 0)) / 10;
      const got = counts.get(name) ?? 0;
      assert.ok(Math.abs(got - expected) <= expected * 0.05, `${name}: ${String(got)} of an expected ${String(expected)}`);
    }
    // Smooth: the heavy member's turns are spread out, never five in a row.
    assert.deepEqual(answered.slice(0, 10), ['a', 'b', 'c', 'a', 'a', 'b', 'a', 'c', 'b', 'a']);
    const again = world.build();
    const replay: (string | undefined)[] = [];
    for (let i = 0; i < 10; i++) replay.push((await route(again, group, fast)).answeredBy);
    assert.deepEqual(replay, answered.slice(0, 10));
  });

  it('least-busy never picks a busier member while a less busy one is free', async () => {
    const violations: string[] = [];
    let picks = 0;
    let members: RouteMember[] = [];
    world = new World({
      onSelect: (_group, chosen, inFlight) => {
        picks++;
        const busy = (m: RouteMember): number => inFlight.get(`${m.configurationId}\u0000${m.model}`) ?? 0;
        const least = Math.min(...members.map(busy));
        if (busy(chosen) > least) violations.push(`${chosen.name} had ${String(busy(chosen))} in flight, another ${String(least)}`);
      },
    });
    const all = [await world.openai('slow'), await world.openai('b'), await world.ollama('c')];
    members = all.map((m) => m.member);
    // The slow member holds its requests longer, so it is busier more often.
    all[0]?.emulator.inject({ delayMs: 15 }, 1_000);
    const group = world.group('least-busy', all);
    const answered: (string | undefined)[] = [];
    const queue = Array.from({ length: 1_000 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (queue.shift() !== undefined) answered.push((await route(world.router, group, fast)).answeredBy);
      }),
    );
    assert.equal(picks, 1_000);
    assert.deepEqual(violations, []);
    const counts = tally(answered);
    assert.ok((counts.get('slow') ?? 0) < (counts.get('b') ?? 0), JSON.stringify([...counts]));
    assert.equal([...counts.values()].reduce((a, b) => a + b, 0), 1_000);
  });

  it('lowest latency explores each unmeasured member once, then keeps to the fastest', async () => {
    world = new World();
    const members = [await world.openai('slow'), await world.openai('fastest'), await world.openai('medium')];
    // Wide gaps: a loaded machine can add tens of ms to one request, and each member's first sample decides.
    members[0]?.emulator.inject({ delayMs: 120 }, 1_000);
    members[2]?.emulator.inject({ delayMs: 60 }, 1_000);
    const group = world.group('lowest-latency', members);
    const answered: (string | undefined)[] = [];
    for (let i = 0; i < 1_000; i++) answered.push((await route(world.router, group, fast)).answeredBy);
    assert.deepEqual(answered.slice(0, 3), ['slow', 'fastest', 'medium']);
    assert.deepEqual([...tally(answered.slice(3))], [['fastest', 997]]);
  });

  it('lowest cost picks the cheapest member whose window and tool support fit, by the catalog prices', async () => {
    const catalog = packageCatalog();
    world = new World({ catalog });
    const members = [await world.anthropic('claude'), await world.gemini('gemini'), await world.openai('mini'), await world.ollama('local', 'gemma3:1b')];
    const group = world.group('lowest-cost', members);
    const tool = { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } };
    const huge: ChatRequest = { stream: false, messages: [{ role: 'user', content: 'word '.repeat(110_000) }] };
    const requestFor = (i: number): ChatRequest => (i % 100 === 1 ? huge : i % 10 === 0 ? { ...fast, tools: [tool] } : fast);
    // What the definition says, worked out apart from the router: local gemma is free but calls no tools and holds
    // 32,768 tokens; of the cloud members gpt-4o-mini costs least; only Gemini's window holds the huge request.
    const price = (provider: string, model: string, tokens: number): number => {
      const prices = catalog.pricesFor(provider, model);
      assert.ok(prices, `${provider} ${model} has prices`);
      return costOf({ input: tokens, output: 1_000, cached: 0 }, prices);
    };
    assert.ok(price('openai', 'gpt-4o-mini', 1_000) < price('gemini', 'gemini-2.5-flash', 1_000));
    assert.ok(price('gemini', 'gemini-2.5-flash', 1_000) < price('anthropic', 'claude-haiku-4-5-20251001', 1_000));
    const expected = (i: number): string => (i % 100 === 1 ? 'gemini' : i % 10 === 0 ? 'mini' : 'local');
    const wrong: string[] = [];
    for (let i = 0; i < 1_000; i++) {
      const result = await route(world.router, group, requestFor(i));
      if (result.answeredBy !== expected(i)) wrong.push(`#${String(i)}: ${String(result.answeredBy)} (${result.notices[0]?.reason ?? result.error?.message ?? ''})`);
    }
    assert.deepEqual(wrong.slice(0, 5), []);
    const reason = (await route(world.router, group, huge)).notices[0]?.reason ?? '';
    assert.match(reason, /counted by Google Gemini/);
    const local = (await route(world.router, group, fast)).notices[0]?.reason ?? '';
    assert.match(local, /estimated at ~4 characters a token/);
  });
});

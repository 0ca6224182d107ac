import * as assert from 'node:assert/strict';
import { badgeText, describeModels, runTurn, type OnRecorded } from '../../../src/core/chat';
import type { ModelCatalog } from '../../../src/core/catalog';
import type { RequestLogEntry, AIConfiguration, RouteGroup } from '../../../src/core/store';
import { hello, World } from '../routing/fixture';
import { until } from '../../helpers/until';

/** The usage tracker's onDidRecord, played by the world's own records: each attempt priced at a fixed $0.001. */
function recordedFrom(world: World): OnRecorded {
  return (listener) => {
    const push = world.records.push.bind(world.records);
    world.records.push = (...entries: RequestLogEntry[]) => {
      const n = push(...entries);
      for (const entry of entries) setTimeout(() => { listener({ entry, costUsd: 0.001 }); }, 5);
      return n;
    };
    return { dispose: () => { world.records.push = push; } };
  };
}

describe('one chat turn through the router, with its badge', () => {
  let world: World;
  beforeEach(() => {
    world = new World();
  });
  afterEach(async () => {
    await world.close();
  });

  it('collects the streamed text, the answering member, the tokens and the cost of every attempt', async () => {
    const openai = await world.openai('Work OpenAI');
    const group = world.group('fallback', [openai]);
    const deltas: string[] = [];
    const result = await runTurn(world.router, recordedFrom(world), group, hello, { onText: (t) => deltas.push(t) });
    assert.ok(deltas.length > 1);
    assert.equal(result.text, deltas.join(''));
    assert.equal(result.member?.name, 'Work OpenAI');
    assert.equal(result.usage?.input, world.records[0]?.inputTokens);
    assert.equal(result.usage?.output, world.records[0]?.outputTokens);
    assert.equal(result.costUsd, 0.001);
    assert.equal(result.fallbackReason, undefined);
    assert.equal(result.finish, 'stop');
    assert.match(badgeText(result), /^Work OpenAI · gpt-4o-mini · \d+ in \/ \d+ out tokens · \$0\.001 · \d+ ms$/);
  });

  it("counts the attempts the router stamped on its own clock, however far that clock is from the wall clock", async () => {
    for (const at of ['2031-03-01T00:00:00Z', '2019-12-31T23:59:59Z']) {
      const elsewhere = new World({ wallClock: () => new Date(at) });
      try {
        const openai = await elsewhere.openai('Work OpenAI');
        const group = elsewhere.group('fallback', [openai]);
        const result = await runTurn(elsewhere.router, recordedFrom(elsewhere), group, hello);
        assert.equal(elsewhere.records[0]?.startedAt, new Date(at).toISOString());
        assert.equal(result.costUsd, 0.001, `the attempt stamped ${at} is priced into the badge`);
      } finally {
        await elsewhere.close();
      }
    }
  });

  it('says why it fell back, and adds up the cost of the failed attempt and the answer', async () => {
    const failing = await world.openai('Broken OpenAI');
    const backup = await world.ollama('Local Ollama');
    failing.emulator.inject({ status: 503 }, 10);
    const group = world.group('fallback', [failing, backup]);
    const result = await runTurn(world.router, recordedFrom(world), group, hello);
    assert.equal(result.member?.name, 'Local Ollama');
    assert.match(result.fallbackReason ?? '', /moved on from Broken OpenAI/);
    assert.equal(world.records.length, 2);
    assert.equal(result.costUsd, 0.002);
    assert.match(badgeText(result), /fallback: moved on from Broken OpenAI/);
  });

  it('stops when its signal aborts, and the upstream connection closes', async () => {
    const openai = await world.openai('Work OpenAI');
    openai.emulator.inject({ endless: true });
    const group = world.group('fallback', [openai]);
    const abort = new AbortController();
    await assert.rejects(runTurn(world.router, recordedFrom(world), group, hello, { signal: abort.signal, onText: () => { abort.abort(); } }), /cancel/i);
    await until('the upstream connection to close', () => openai.emulator.closedByClient.length > 0, 5_000);
    assert.deepEqual(openai.emulator.closedByClient, ['/v1/chat/completions']);
  });
});

describe('the models VS Code\'s chat picker lists', () => {
  const row = (over: Partial<AIConfiguration>): AIConfiguration => ({
    id: 'c1', userId: 'u', name: 'Work OpenAI', provider: 'openai', model: 'gpt-4o-mini', baseUrl: null, encryptedApiKey: null, config: {}, isActive: true,
    createdAt: '', updatedAt: '', lastTestedAt: null, testStatus: null, ...over,
  });
  const catalog = {
    lookup: (provider: string, model: string) => (provider === 'openai' && model === 'gpt-4o-mini' ? { contextWindow: 128_000 } : undefined),
    lookupByModelId: () => undefined,
  } as unknown as ModelCatalog;
  const noTarget = (): Promise<never> => Promise.reject(new Error('no key'));

  it('lists active configurations with the catalog\'s window, the configured max tokens, and tool calling by provider', async () => {
    const models = await describeModels({
      configurations: [row({ config: { maxTokens: 2048 } }), row({ id: 'c2', name: 'Off', isActive: false })],
      routeGroups: [],
      catalog,
      targetOf: (r) => Promise.resolve({ provider: { id: r.provider } as never, target: { config: {} } }),
    });
    // VS Code shows input + output as the context size: together they are the catalog's window.
    assert.deepEqual(models.map((m) => [m.id, m.name, m.family, m.maxInputTokens, m.maxOutputTokens, m.toolCalling]), [['configuration:c1', 'Work OpenAI', 'gpt-4o-mini', 128_000 - 2048, 2048, true]]);
  });

  it('lists a route group with its smallest member limits, and tool calling only when every member has it', async () => {
    const group: RouteGroup = { id: 'g1', userId: 'u', name: 'Cheap first', strategy: 'fallback', members: [{ configurationId: 'c1' }, { configurationId: 'c2' }], settings: {}, createdAt: '', updatedAt: '2026-01-01' };
    const models = await describeModels({
      configurations: [row({}), row({ id: 'c2', name: 'Unknown', provider: 'openai-compatible', model: 'mystery' })],
      routeGroups: [group],
      catalog,
      targetOf: noTarget,
    });
    const listed = models.find((m) => m.id === 'g1');
    assert.ok(listed);
    assert.equal(listed.name, 'Cheap first');
    assert.equal(listed.maxInputTokens + listed.maxOutputTokens, 8192);
    assert.equal(listed.toolCalling, false);
  });
});

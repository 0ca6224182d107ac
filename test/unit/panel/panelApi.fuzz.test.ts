import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RouteGroupService } from '../../../src/core/routing';
import { handlePanelMessage, type PanelApiDeps } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { methodNames, responseSchema } from '../../../src/protocol';
import { ModelCatalog } from '../../../src/core/catalog';
import { BudgetMonitor, HealthMonitor, UsageTracker } from '../../../src/core/usage';
import { serviceFixture, type ServiceFixture } from '../services/setup';

/** A small deterministic generator, so a failure can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HUGE = 'x'.repeat(10 * 1024 * 1024);

function anyValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * 12);
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return next() < 0.5;
    case 3: return Math.floor(next() * 2 ** 53) * (next() < 0.5 ? -1 : 1);
    case 4: return [Number.NaN, Infinity, -0, 1.5e308][Math.floor(next() * 4)];
    case 5: return 'short';
    case 6: return next() < 0.05 ? HUGE : 'y'.repeat(Math.floor(next() * 5000));
    case 7: return depth > 3 ? 1 : [anyValue(next, depth + 1), anyValue(next, depth + 1)];
    case 8: return JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}') as unknown;
    case 9: return depth > 3 ? {} : { id: anyValue(next, depth + 1), name: anyValue(next, depth + 1), settings: anyValue(next, depth + 1) };
    case 10: return ['configurations.delete', 'configurations.create', '__proto__', 'constructor', 'toString'][Math.floor(next() * 5)];
    default: return { nested: depth > 3 ? 0 : anyValue(next, depth + 1) };
  }
}

/** Mostly near-misses of real requests (right method, wrong shapes), some pure noise. */
function message(next: () => number, configurationId: string): unknown {
  const method = next() < 0.8 ? methodNames[Math.floor(next() * methodNames.length)] : anyValue(next);
  const shape = Math.floor(next() * 6);
  if (shape === 0) return anyValue(next);
  if (shape === 1) return { kind: 'request', id: anyValue(next), method, params: {} };
  if (shape === 2) return { kind: 'request', id: Math.floor(next() * 1e6) + 1, method, params: anyValue(next), extra: 1 };
  if (shape === 3) return JSON.parse(`{"kind":"request","id":${String(Math.floor(next() * 1e6) + 1)},"method":${JSON.stringify(method ?? null)},"params":{"__proto__":{"admin":true},"id":"${configurationId}"}}`) as unknown;
  if (shape === 4) return { kind: 'request', id: Math.floor(next() * 1e6) + 1, method, params: { id: configurationId, name: anyValue(next), settings: anyValue(next), baseUpdatedAt: anyValue(next) } };
  return { kind: anyValue(next), id: 1, method: 'configurations.delete', params: { id: configurationId } };
}

describe('the panel API under 10,000 random and malformed messages', function () {
  this.timeout(120_000);
  let f: ServiceFixture;

  before(async () => {
    f = await serviceFixture();
    await f.service.createConfiguration({ name: 'Keep me', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } });
  });

  after(async () => {
    await f.close();
  });

  it('answers each with an error or drops it, changes nothing and lets no exception escape', async () => {
    const routeGroups = new RouteGroupService({ store: f.store, userId: f.userId });
    // The dashboard's services too; health checks without a tracker, so a check (to a closed port) records nothing.
    const now = (): Date => new Date(f.clock.now);
    const usage = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => Promise.resolve(new ModelCatalog({ source: 'fuzz', providers: [] })), now });
    const budgets = new BudgetMonitor({ store: f.store, userId: f.userId, tracker: usage, now });
    const health = new HealthMonitor({ configurations: () => f.service.listConfigurations(), resolve: (c) => f.providerAccess.targetOf(c), timeoutMs: 2000, now });
    const session = { now, configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId, providers: undefined, routeGroups, usage, budgets, health } as unknown as StoreSession;
    const deps: PanelApiDeps = { session, templates: () => Promise.resolve([]) };
    const [kept] = f.service.listConfigurations();
    assert.ok(kept);
    await f.store.flush();
    const fileBefore = createHash('sha256').update(readFileSync(f.file)).digest('hex');
    const auditBefore = f.store.read((r) => r.audit.list(f.userId, 10_000)).length;
    const next = random(20261127);
    const readOnly = new Set(['configurations.list', 'configurations.get', 'configurations.usage', 'configurations.validate', 'providers.list', 'templates.list',
      'routeGroups.list', 'usage.report', 'usage.series', 'usage.clients', 'health.list', 'health.check', 'budgets.list']);
    let dropped = 0;
    let refused = 0;
    let answered = 0;
    for (let i = 0; i < 10_000; i++) {
      const raw = message(next, kept.id);
      const response = await handlePanelMessage(deps, raw, () => undefined);
      if (response === undefined) {
        dropped++;
        continue;
      }
      assert.equal(responseSchema.safeParse(response).success, true, `message ${String(i)} got a response that breaks the protocol`);
      if (response.ok) {
        const method = (raw as { method?: unknown }).method;
        assert.ok(typeof method === 'string' && readOnly.has(method), `message ${String(i)} (${String(method)}) changed something: ${JSON.stringify(raw).slice(0, 300)}`);
        answered++;
      } else {
        refused++;
      }
    }
    await f.store.flush();
    assert.deepEqual(budgets.listBudgets(), [], 'a budget was saved');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    assert.equal(({} as Record<string, unknown>).admin, undefined, 'Object.prototype was polluted');
    assert.deepEqual(f.service.listConfigurations(), [kept], 'the configurations changed');
    assert.deepEqual(routeGroups.list(), [], 'a route group was made');
    assert.equal(f.store.read((r) => r.audit.list(f.userId, 10_000)).length, auditBefore, 'something was audited');
    assert.equal(createHash('sha256').update(readFileSync(f.file)).digest('hex'), fileBefore, 'the database file changed');
    assert.ok(dropped > 1000 && refused > 1000, `the mix should exercise both paths (dropped ${String(dropped)}, refused ${String(refused)}, answered ${String(answered)})`);
  });

  it('names the bad field without echoing the value it was given', async () => {
    const session = { configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId } as unknown as StoreSession;
    const response = await handlePanelMessage({ session, templates: () => Promise.resolve([]) }, {
      kind: 'request', id: 7, method: 'configurations.create', params: { name: 'x', provider: 'openai', settings: {}, apiKey: 42 },
    }, () => undefined);
    assert.ok(response && !response.ok);
    assert.match(response.error.message, /apiKey/);
    const echoed = await handlePanelMessage({ session, templates: () => Promise.resolve([]) }, {
      kind: 'request', id: 8, method: 'configurations.create', params: { name: 'x', provider: 'openai', settings: { model: 'gpt-4o', temperature: 9 }, apiKey: 'sk-fuzz-canary-123456' },
    }, () => undefined);
    assert.ok(echoed && !echoed.ok);
    assert.equal(echoed.error.code, 'validation');
    assert.equal(JSON.stringify(echoed).includes('sk-fuzz-canary-123456'), false);
  });
});

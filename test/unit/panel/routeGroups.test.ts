import * as assert from 'node:assert/strict';
import { handlePanelMessage, type PanelApiDeps } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { RouteGroupService, Router } from '../../../src/core/routing';
import { BudgetMonitor, UsageTracker } from '../../../src/core/usage';
import type { RpcResponse } from '../../../src/protocol';
import { packageCatalog } from '../catalog/packageCatalog';
import { serviceFixture, type ServiceFixture } from '../services/setup';

describe('the panel API for route groups', () => {
  let f: ServiceFixture;
  let deps: PanelApiDeps;
  let ids: string[];
  let routeGroups: RouteGroupService;
  let next = 1;

  const call = (method: string, params: unknown): Promise<RpcResponse | undefined> => handlePanelMessage(deps, { kind: 'request', id: next++, method, params }, () => undefined);

  before(async () => {
    f = await serviceFixture();
    ids = [];
    for (const name of ['North', 'South']) {
      ids.push((await f.service.createConfiguration({ name, provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } })).id);
    }
    routeGroups = new RouteGroupService({ store: f.store, userId: f.userId });
    const tracker = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => Promise.resolve(packageCatalog()) });
    const budgets = new BudgetMonitor({ store: f.store, userId: f.userId, tracker });
    const router = new Router({ groups: routeGroups, targetOf: () => Promise.reject(new Error('no request is sent in these tests')), recordAttempt: () => undefined });
    const session = { configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId, routeGroups, budgets, router } as unknown as StoreSession;
    deps = { session, templates: () => Promise.resolve([]) };
  });

  after(async () => {
    routeGroups.dispose();
    await f.close();
  });

  it('creates, lists, updates and deletes a group, with member names, states and effective settings', async () => {
    const created = await call('routeGroups.create', { name: 'Pair', strategy: 'weighted-round-robin', members: [{ configurationId: ids[0], weight: 3 }, { configurationId: ids[1] }] });
    assert.ok(created?.ok, JSON.stringify(created));
    const view = created.result as { id: string; members: { name: string; weight: number; state: string; model: string }[]; settings: Record<string, unknown> };
    assert.deepEqual(view.members.map((m) => `${m.name} ${m.model} ${String(m.weight)} ${m.state}`), ['North llama3.2 3 healthy', 'South llama3.2 1 healthy']);
    assert.deepEqual(view.settings, { fallbackOnAuthError: false, restartStreamsWithNotice: false, cooldownFailures: 3, cooldownWindowSeconds: 60, cooldownSeconds: 30 });
    const updated = await call('routeGroups.update', { id: view.id, strategy: 'fallback', settings: { fallbackOnAuthError: true, cooldownSeconds: 5 } });
    assert.ok(updated?.ok);
    assert.deepEqual(routeGroups.get(view.id).settings, { fallbackOnAuthError: true, cooldownSeconds: 5 });
    const listed = await call('routeGroups.list', {});
    assert.ok(listed?.ok);
    assert.equal((listed.result as unknown[]).length, 1);
    assert.deepEqual(await call('routeGroups.delete', { id: view.id }), { kind: 'response', id: next - 1, ok: true, result: { deleted: true } });
    assert.deepEqual(routeGroups.list(), []);
  });

  it('refuses bad groups with the field to fix: no members, an unknown member, a taken name, a bad weight', async () => {
    const empty = await call('routeGroups.create', { name: 'Empty', strategy: 'fallback', members: [] });
    assert.ok(empty && !empty.ok);
    assert.equal(empty.error.code, 'validation');
    assert.deepEqual(empty.error.fieldErrors?.map((e) => e.field), ['members']);
    const unknown = await call('routeGroups.create', { name: 'Ghost', strategy: 'fallback', members: [{ configurationId: 'no-such-id' }] });
    assert.ok(unknown && !unknown.ok);
    assert.deepEqual(unknown.error.fieldErrors?.map((e) => e.field), ['members.0.configurationId']);
    assert.ok((await call('routeGroups.create', { name: 'Taken', strategy: 'fallback', members: [{ configurationId: ids[0] }] }))?.ok);
    const taken = await call('routeGroups.create', { name: 'taken', strategy: 'fallback', members: [{ configurationId: ids[1] }] });
    assert.ok(taken && !taken.ok);
    assert.equal(taken.error.code, 'duplicate-name');
    const weight = await call('routeGroups.create', { name: 'Weights', strategy: 'weighted-round-robin', members: [{ configurationId: ids[0], weight: -1 }] });
    assert.ok(weight && !weight.ok);
    assert.equal(weight.error.code, 'invalid-request');
    assert.match(weight.error.message, /members\.0\.weight/);
    const strategy = await call('routeGroups.create', { name: 'Odd', strategy: 'random', members: [{ configurationId: ids[0] }] });
    assert.ok(strategy && !strategy.ok);
    assert.match(strategy.error.message, /strategy/);
  });
});

import * as assert from 'node:assert/strict';
import { RouteGroupService } from '../../../src/core/routing';
import type { AIConfiguration } from '../../../src/core/store';
import { handlePanelMessage, type PanelApiDeps } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import type { RpcResponse } from '../../../src/protocol';
import { serviceFixture, type ServiceFixture } from '../services/setup';

describe('the editor’s refusals land at their field in the user’s words', () => {
  let f: ServiceFixture;
  let deps: PanelApiDeps;
  let next = 1;
  const call = (method: string, params: unknown): Promise<RpcResponse | undefined> => handlePanelMessage(deps, { kind: 'request', id: next++, method, params }, () => undefined);

  beforeEach(async () => {
    f = await serviceFixture();
    const routeGroups = new RouteGroupService({ store: f.store, userId: f.userId });
    const session = { configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, routeGroups, store: f.store, userId: f.userId } as unknown as StoreSession;
    deps = { session, templates: () => Promise.resolve([]), sent: new Map<string, AIConfiguration>() };
  });
  afterEach(() => f.close());

  it('refuses a 250-character name at the name field with the 80-character rule, whether it is 90 or 250 long', async () => {
    const created = await f.service.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } });
    for (const length of [90, 250]) {
      const saved = await call('configurations.update', { id: created.id, baseUpdatedAt: created.updatedAt, name: 'n'.repeat(length) });
      assert.ok(saved && !saved.ok, 'the long name must be refused');
      assert.equal(saved.error.code, 'validation', saved.error.message);
      assert.deepEqual(saved.error.fieldErrors, [{ field: 'name', message: `at most 80 characters (this one has ${String(length)})` }]);
      assert.doesNotMatch(saved.error.message, /Invalid|configurations\.update|Invalid input/);
    }
    const added = await call('configurations.create', { name: 'x'.repeat(300), provider: 'ollama', settings: { model: 'm' } });
    assert.ok(added && !added.ok);
    assert.equal(added.error.fieldErrors?.[0]?.field, 'name');
    assert.equal(added.error.message, 'The name is too long (at most 80 characters; this one has 300).');
  });

  it('puts an over-long key or setting at its field, and keeps the technical message for what no one typed', async () => {
    const key = await call('configurations.create', { name: 'Keyed', provider: 'openai', settings: { model: 'gpt-4o-mini' }, apiKey: 'k'.repeat(1500) });
    assert.ok(key && !key.ok);
    assert.deepEqual(key.error.fieldErrors, [{ field: 'apiKey', message: 'at most 1000 characters' }]);
    const shape = await call('configurations.get', { id: 42 });
    assert.ok(shape && !shape.ok);
    assert.equal(shape.error.code, 'invalid-request');
  });

  it('refuses a route group named like a configuration at its name field (chat picks both by name)', async () => {
    const created = await f.service.createConfiguration({ name: 'Local Gemma', provider: 'ollama', settings: { model: 'gemma3:1b', baseUrl: 'http://127.0.0.1:9' } });
    const group = await call('routeGroups.create', { name: 'local gemma', strategy: 'fallback', members: [{ configurationId: created.id }] });
    assert.ok(group && !group.ok, 'a group named like a configuration was saved');
    assert.equal(group.error.code, 'duplicate-name');
    assert.deepEqual(group.error.fieldErrors, [{ field: 'name', message: 'a configuration has this name' }]);
    // Another name is taken as it is (the service alone: the panel's view of a group needs the router).
    const routeGroups = new RouteGroupService({ store: f.store, userId: f.userId });
    assert.equal((await routeGroups.create({ name: 'Gemma pair', strategy: 'fallback', members: [{ configurationId: created.id }] })).name, 'Gemma pair');
  });
});

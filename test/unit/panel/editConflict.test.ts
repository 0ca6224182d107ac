import * as assert from 'node:assert/strict';
import type { AIConfiguration } from '../../../src/core/store';
import { handlePanelMessage, type PanelApiDeps } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import type { ConfigurationView, RpcResponse } from '../../../src/protocol';
import { serviceFixture, type ServiceFixture } from '../services/setup';

describe("the editor's save after another window changed the configuration", () => {
  let f: ServiceFixture;
  let deps: PanelApiDeps;
  let next = 1;
  const call = (method: string, params: unknown): Promise<RpcResponse | undefined> => handlePanelMessage(deps, { kind: 'request', id: next++, method, params }, () => undefined);

  beforeEach(async () => {
    f = await serviceFixture();
    const session = { configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId } as unknown as StoreSession;
    deps = { session, templates: () => Promise.resolve([]), sent: new Map<string, AIConfiguration>() };
  });
  afterEach(() => f.close());

  /** What the editor holds: the configuration as the panel sent it. */
  async function opened(): Promise<ConfigurationView> {
    const created = await f.service.createConfiguration({ name: 'Local', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9', temperature: 0.7 } });
    const got = await call('configurations.get', { id: created.id });
    assert.ok(got?.ok, JSON.stringify(got));
    // The other window saves later, on the fixture's clock: its updated_at differs from the editor copy's.
    f.clock.now += 1_000;
    return got.result as ConfigurationView;
  }

  it('names the fields the other window really changed, with their old and new values', async () => {
    const copy = await opened();
    await f.service.updateConfiguration(copy.id, { settings: { model: 'llama3.3', baseUrl: 'http://127.0.0.1:9', temperature: 0.2 } });
    const saved = await call('configurations.update', { id: copy.id, baseUpdatedAt: copy.updatedAt, name: 'Renamed', settings: copy.settings });
    assert.ok(saved && !saved.ok, 'the stale edit must be refused');
    assert.equal(saved.error.code, 'conflict');
    assert.match(saved.error.message, /^"Local" was changed in another window while you were editing it \(model: "llama3\.2" → "llama3\.3"; settings: .*"temperature":0\.7.* → .*"temperature":0\.2.*\)\. Your edit was not saved/);
    assert.ok(!saved.error.message.includes('test status'), saved.error.message);
    assert.equal(f.service.getConfiguration(copy.id).name, 'Local');
  });

  it('saves the edit when the other window only tested the configuration', async () => {
    const copy = await opened();
    await f.store.write((r) => r.configurations.update(f.userId, copy.id, { testStatus: 'success', lastTestedAt: '2026-11-27T12:00:00.000Z' }));
    const saved = await call('configurations.update', { id: copy.id, baseUpdatedAt: copy.updatedAt, name: 'Renamed', settings: copy.settings });
    assert.ok(saved?.ok, JSON.stringify(saved));
    assert.equal(f.service.getConfiguration(copy.id).name, 'Renamed');
  });

  it('refuses without inventing a reason when it no longer has the copy the editor holds', async () => {
    const copy = await opened();
    deps.sent?.clear();
    await f.service.updateConfiguration(copy.id, { name: 'Elsewhere' });
    const saved = await call('configurations.update', { id: copy.id, baseUpdatedAt: copy.updatedAt, name: 'Renamed' });
    assert.ok(saved && !saved.ok);
    assert.equal(saved.error.code, 'conflict');
    assert.equal(saved.error.message, '"Elsewhere" was changed in another window while you were editing it. Your edit was not saved: reopen it and apply your change again.');
  });
});

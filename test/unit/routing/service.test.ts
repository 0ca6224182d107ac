import * as assert from 'node:assert/strict';
import { ConfigurationError } from '../../../src/core/services';
import { RouteGroupService, Router } from '../../../src/core/routing';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { serviceFixture, type ServiceFixture } from '../services/setup';
import { hello, route } from './fixture';

describe('RouteGroupService', function () {
  this.timeout(10_000);
  let fx: ServiceFixture;
  let groups: RouteGroupService;
  let emulator: OpenAIEmulator;
  let first: string;
  let second: string;

  beforeEach(async () => {
    fx = await serviceFixture();
    emulator = await startOpenAIEmulator();
    groups = new RouteGroupService({ store: fx.store, userId: fx.userId });
    const settings = (model: string) => ({ baseUrl: `${emulator.url}/v1`, model });
    first = (await fx.service.createConfiguration({ name: 'Main', provider: 'openai', settings: settings('gpt-4o'), apiKey: emulator.apiKey })).id;
    second = (await fx.service.createConfiguration({ name: 'Backup', provider: 'openai', settings: settings('gpt-4o-mini'), apiKey: emulator.apiKey })).id;
  });

  afterEach(async () => {
    groups.dispose();
    await emulator.close();
    await fx.close();
  });

  async function refused(promise: Promise<unknown>, kind: ConfigurationError['kind'], field: RegExp): Promise<void> {
    await assert.rejects(promise, (error: unknown) => error instanceof ConfigurationError && error.kind === kind && (error.details.fieldErrors ?? []).some((e) => field.test(e.field)));
  }

  it('creates, lists, updates and deletes a group, announcing each change', async () => {
    const changes: string[] = [];
    groups.onDidChange((c) => changes.push(c.kind));
    const group = await groups.create({ name: 'Fast', strategy: 'weighted-round-robin', members: [{ configurationId: first, weight: 3 }, { configurationId: second }] });
    assert.deepEqual(groups.list().map((g) => g.name), ['Fast']);
    const updated = await groups.update(group.id, { strategy: 'fallback', settings: { fallbackOnAuthError: true } });
    assert.equal(updated.strategy, 'fallback');
    assert.deepEqual(groups.get(group.id).settings, { fallbackOnAuthError: true });
    await groups.delete(group.id);
    assert.deepEqual(groups.list(), []);
    assert.deepEqual(changes, ['created', 'updated', 'deleted']);
  });

  it('refuses unknown or foreign members, non-positive weights, no members and a taken name', async () => {
    await refused(groups.create({ name: 'x', strategy: 'fallback', members: [{ configurationId: 'not-mine' }] }), 'validation', /members\.0\.configurationId/);
    await refused(groups.create({ name: 'x', strategy: 'fallback', members: [{ configurationId: first, weight: 0 }] }), 'validation', /members\.0\.weight/);
    await refused(groups.create({ name: 'x', strategy: 'fallback', members: [{ configurationId: first, weight: Number.NaN }] }), 'validation', /weight/);
    await refused(groups.create({ name: 'x', strategy: 'fallback', members: [] }), 'validation', /^members$/);
    await refused(groups.create({ name: ' ', strategy: 'fallback', members: [{ configurationId: first }] }), 'validation', /^name$/);
    await refused(groups.create({ name: 'x', strategy: 'fallback', members: [{ configurationId: first }, { configurationId: first }] }), 'validation', /members\.1/);
    await groups.create({ name: 'Taken', strategy: 'fallback', members: [{ configurationId: first }] });
    await refused(groups.create({ name: 'taken', strategy: 'fallback', members: [{ configurationId: second }] }), 'duplicate-name', /^name$/);
    const other = await fx.store.write((r) => r.users.create('someone else'));
    const foreign = await fx.store.write((r) => r.configurations.create(other.id, { name: 'Theirs', provider: 'openai', model: 'gpt-4o' }));
    await refused(groups.create({ name: 'y', strategy: 'fallback', members: [{ configurationId: foreign.id }] }), 'validation', /configurationId/);
  });

  it('resolves members with their configuration, model override and default settings, and the router answers through them', async () => {
    const group = await groups.create({ name: 'Pair', strategy: 'fallback', members: [{ configurationId: first, model: 'gpt-4o-mini' }, { configurationId: second }] });
    const resolved = groups.resolve(group.id);
    assert.deepEqual(resolved?.members.map((m) => `${m.name}:${m.model}:${String(m.weight)}`), ['Main:gpt-4o-mini:1', 'Backup:gpt-4o-mini:1']);
    assert.equal(resolved.settings.cooldownFailures, 3);
    // The host's wiring: groups from the service, targets from ConfigurationService, rows into the store.
    const router = new Router({
      groups,
      targetOf: async (member) => {
        const { provider, target } = await fx.providerAccess.targetOf(fx.service.getConfiguration(member.configurationId));
        return { adapter: provider, target };
      },
      recordAttempt: (entry) => {
        fx.store.recordRequest(entry);
      },
    });
    emulator.inject({ status: 503 }); // a chat's 503 without Retry-After is not repeated: the first member fails once
    const result = await route(router, group.id, hello);
    assert.equal(result.answeredBy, 'Backup');
    await fx.store.flush();
    assert.equal(fx.store.read((r) => r.requestLog.count(fx.userId)), 2);
  });
});

import * as assert from 'node:assert/strict';
import { GatewayBudgets } from '../../../src/core/gateways';
import { handlePanelMessage, type PanelApiDeps } from '../../../src/panelHandlers/PanelApi';
import type { StoreSession } from '../../../src/core/session';
import { parseResult, type MethodName } from '../../../src/protocol';
import { startLiteLLMEmulator, type LiteLLMEmulator } from '../../emulators';
import { testClient } from '../providers/harness';
import { serviceFixture, type ServiceFixture } from '../services/setup';

describe('the dashboard\'s team gateway budgets over the panel API', () => {
  let f: ServiceFixture;
  let proxy: LiteLLMEmulator;
  let deps: PanelApiDeps;
  let gatewayBudgets: GatewayBudgets;
  const http = testClient();
  let id = 0;

  const call = async (method: MethodName, params: unknown) => {
    const response = await handlePanelMessage(deps, { kind: 'request', id: ++id, method, params }, () => undefined);
    assert.ok(response);
    return response;
  };

  beforeEach(async () => {
    f = await serviceFixture();
    proxy = await startLiteLLMEmulator();
    const now = (): Date => new Date(f.clock.now);
    gatewayBudgets = new GatewayBudgets({ configurations: () => f.service.listConfigurations(), resolve: (c) => f.providerAccess.targetOf(c), http, now });
    const session = { now, configurations: f.service, providerAccess: f.providerAccess, keys: f.keys, store: f.store, userId: f.userId, gatewayBudgets } as unknown as StoreSession;
    deps = { session, templates: () => Promise.resolve([]) };
  });

  afterEach(async () => {
    gatewayBudgets.dispose();
    await proxy.close();
    await f.close();
  });

  after(async () => {
    await http.close();
  });

  it('lists each LiteLLM configuration\'s budget in its schema, the refused one as not reported, and never the key', async () => {
    const team = await f.service.createConfiguration({ name: 'Team proxy', provider: 'openai-compatible', settings: { preset: 'litellm', baseUrl: `${proxy.url}/v1`, model: 'gpt-4o-mini' }, apiKey: proxy.virtualKey });
    await f.service.createConfiguration({ name: 'Local Ollama', provider: 'ollama', settings: { model: 'llama3.2', baseUrl: 'http://127.0.0.1:9' } });
    const empty = await call('gatewayBudgets.list', {});
    assert.ok(empty.ok);
    assert.deepEqual(parseResult('gatewayBudgets.list', empty.result)?.map((v) => [v.name, v.state, v.checkedAt, v.spendUsd]), [['Team proxy', 'not-checked', null, null]], 'nothing read yet: "not checked yet"');
    await gatewayBudgets.refresh();
    const listed = await call('gatewayBudgets.list', {});
    assert.ok(listed.ok);
    const views = parseResult('gatewayBudgets.list', listed.result);
    assert.ok(views, 'the result matches its schema');
    assert.deepEqual(views.map((v) => [v.name, v.state, v.remainingUsd === null ? null : Math.round(v.remainingUsd * 100) / 100, v.maxBudgetUsd]), [['Team proxy', 'reported', 12.4, 50]]);
    const [view] = views;
    assert.ok(view);
    assert.equal(view.configurationId, team.id);
    assert.equal(view.resetsAt, '2027-01-01T00:00:00.000Z');
    assert.ok(!JSON.stringify(listed).includes(proxy.virtualKey), 'the key the proxy echoes never reaches the page');
    proxy.refuseKeyInfo(403);
    await gatewayBudgets.refresh();
    const refused = await call('gatewayBudgets.list', {});
    assert.ok(refused.ok);
    assert.deepEqual(parseResult('gatewayBudgets.list', refused.result)?.map((v) => [v.state, v.spendUsd, v.message]), [['not-reported', null, null]]);
  });

  it('never shows a key alias or team that holds part of the virtual key (a canary), in any encoding, while clean ones still show', async () => {
    await proxy.close();
    proxy = await startLiteLLMEmulator({ virtualKey: CANARY_KEY });
    await f.service.createConfiguration({ name: 'Team proxy', provider: 'openai-compatible', settings: { preset: 'litellm', baseUrl: `${proxy.url}/v1`, model: 'gpt-4o-mini' }, apiKey: CANARY_KEY });
    const pieces = [
      `dev-${CANARY_KEY.slice(3, 17)}`,
      CANARY_KEY.slice(-12).toLowerCase(),
      `key ${Buffer.from(CANARY_KEY.slice(4)).toString('base64')}`,
      `team-${Buffer.from(CANARY_KEY.slice(8, 20)).toString('hex')}`,
    ];
    for (const piece of pieces) {
      for (const field of ['key_alias', 'team_id'] as const) {
        proxy.setKeyInfo({ key_alias: 'platform-team-dev', team_id: 'core-infra', [field]: piece });
        await gatewayBudgets.refresh();
        const listed = await call('gatewayBudgets.list', {});
        assert.ok(listed.ok);
        const [view] = parseResult('gatewayBudgets.list', listed.result) ?? [];
        assert.ok(view?.state === 'reported', JSON.stringify(listed));
        assert.equal(field === 'key_alias' ? view.keyAlias : view.teamId, null, `${field} "${piece}" is dropped`);
        assert.equal(field === 'key_alias' ? view.teamId : view.keyAlias, field === 'key_alias' ? 'core-infra' : 'platform-team-dev', 'the other, clean, field still shows');
        assertNoFragment(JSON.stringify(listed), CANARY_KEY);
      }
    }
  });

  it('reads the budgets when the dashboard opens (gatewayBudgets.refresh), reusing reads of the last minute unless forced', async () => {
    await f.service.createConfiguration({ name: 'Team proxy', provider: 'openai-compatible', settings: { preset: 'litellm', baseUrl: `${proxy.url}/v1`, model: 'gpt-4o-mini' }, apiKey: proxy.virtualKey });
    const opened = await call('gatewayBudgets.refresh', {});
    assert.ok(opened.ok, JSON.stringify(opened));
    const views = parseResult('gatewayBudgets.refresh', opened.result);
    assert.ok(views, 'the result matches its schema');
    assert.deepEqual(views.map((v) => [v.state, v.maxBudgetUsd, v.checkedAt]), [['reported', 50, new Date(f.clock.now).toISOString()]]);
    assert.equal(proxy.keyInfoRequests().length, 1);
    assert.ok(!JSON.stringify(opened).includes(proxy.virtualKey));

    // Opening again within the minute shows the read just made; Refresh reads again.
    f.clock.now += 30_000;
    assert.ok((await call('gatewayBudgets.refresh', {})).ok);
    assert.equal(proxy.keyInfoRequests().length, 1, 'a view that opens again soon does not ask the proxy again');
    proxy.setKeyInfo({ spend: 45 });
    const forced = await call('gatewayBudgets.refresh', { force: true });
    assert.ok(forced.ok);
    assert.equal(proxy.keyInfoRequests().length, 2);
    assert.deepEqual(parseResult('gatewayBudgets.refresh', forced.result)?.map((v) => v.remainingUsd), [5]);
    f.clock.now += 61_000;
    assert.ok((await call('gatewayBudgets.refresh', {})).ok);
    assert.equal(proxy.keyInfoRequests().length, 3, 'reads older than a minute are read again when a view opens');
  });

  it('refuses refresh params that are not its own, like every other method', async () => {
    const refused = await call('gatewayBudgets.refresh', { force: 'yes' });
    assert.ok(!refused.ok);
    assert.equal(refused.error.code, 'invalid-request');
    const extra = await call('gatewayBudgets.refresh', { force: true, configurationId: 'x' });
    assert.equal(extra.ok, false);
    assert.equal(proxy.keyInfoRequests().length, 0);
  });
});

const CANARY_KEY = 'sk-CANARY-Qm7xW2pL9vR4tZ8nB3kD6hJ1';

/** No 8 characters in a row of the key (ignoring case) appear in the text. */
function assertNoFragment(text: string, key: string): void {
  const folded = text.toLowerCase();
  for (let i = 0; i + 8 <= key.length; i++) assert.ok(!folded.includes(key.slice(i, i + 8).toLowerCase()), `"${key.slice(i, i + 8)}" of the key is in ${text}`);
}

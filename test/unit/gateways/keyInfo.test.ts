import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import { GatewayBudgets, keyInfoUrl, parseLiteLLMKeyInfo, type GatewayBudgetState } from '../../../src/core/gateways';
import type { AIProvider } from '../../../src/core/providers';
import { createProvider, CustomAPIConfig } from '../../../src/core/providers/openaiCompatible';
import type { AIConfiguration } from '../../../src/core/store';
import { startLiteLLMEmulator, type LiteLLMEmulator } from '../../emulators';
import { fixtureJson } from '../../emulators/recordings';
import { capturingLogger } from '../store/helpers';
import { collectChat, hello, testClient } from '../providers/harness';
import { configuration } from './fixtures';

const documented = fixtureJson('docs/litellm/key-info.json') as { key: string; info: Record<string, unknown> };

function withInfo(fields: Record<string, unknown>): unknown {
  return { ...documented, info: { ...documented.info, ...fields } };
}

describe('LiteLLM /key/info: the virtual key\'s budget, read strictly', () => {
  it('reads the documented answer: spent, budget, what is left, the soft budget, the reset, the alias and team — never the key', () => {
    const parsed = parseLiteLLMKeyInfo(documented);
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.budget, {
      spendUsd: 37.6,
      maxBudgetUsd: 50,
      remainingUsd: 50 - 37.6,
      softBudgetUsd: 40,
      budgetDuration: '30d',
      resetsAt: '2027-01-01T00:00:00.000Z',
      keyAlias: 'platform-team-dev',
      teamId: 'core-infra',
      blocked: false,
    });
    assert.ok(!JSON.stringify(parsed).includes(documented.key), 'the echoed key is not kept');
    assert.ok(!JSON.stringify(parsed).includes('vDA'), 'nor its abbreviation (key_name)');
  });

  it('takes a missing or null max_budget as "no budget set", not as a budget of 0', () => {
    for (const info of [withInfo({ spend: 3.5, max_budget: null, litellm_budget_table: null }), { key: 'k', info: { spend: 3.5 } }]) {
      const parsed = parseLiteLLMKeyInfo(info);
      assert.ok(parsed.ok);
      assert.equal(parsed.budget.maxBudgetUsd, null);
      assert.equal(parsed.budget.remainingUsd, null);
      assert.equal(parsed.budget.spendUsd, 3.5);
    }
    const zero = parseLiteLLMKeyInfo(withInfo({ max_budget: 0 }));
    assert.ok(zero.ok);
    assert.equal(zero.budget.remainingUsd, 0, 'a budget of $0 is a budget (the key may spend nothing)');
  });

  it('uses the budget row linked to the key when the key has no budget of its own, and never shows less than $0 left', () => {
    const linked = parseLiteLLMKeyInfo(withInfo({ max_budget: null, budget_reset_at: null, litellm_budget_table: { max_budget: 80, soft_budget: null, budget_reset_at: '2027-02-01T00:00:00Z' } }));
    assert.ok(linked.ok);
    assert.equal(linked.budget.maxBudgetUsd, 80);
    assert.equal(linked.budget.resetsAt, '2027-02-01T00:00:00.000Z');
    const over = parseLiteLLMKeyInfo(withInfo({ spend: 52.1 }));
    assert.ok(over.ok);
    assert.equal(over.budget.remainingUsd, 0);
  });

  it('refuses hostile figures, naming the field: negative, NaN as text, infinite, beyond a billion, dates and durations that are not', () => {
    const cases: [unknown, RegExp][] = [
      [withInfo({ spend: -5 }), /^spend must not be negative$/],
      [withInfo({ max_budget: 'NaN' }), /^max_budget /],
      [withInfo({ max_budget: '50' }), /^max_budget /],
      [JSON.parse('{"info": {"spend": 1, "max_budget": 1e999}}'), /^max_budget /],
      [withInfo({ spend: 1e15 }), /^spend is beyond any budget/],
      [withInfo({ spend: null }), /^spend /],
      [withInfo({ budget_reset_at: 'tomorrow' }), /^budget_reset_at is not a date and time$/],
      [withInfo({ budget_reset_at: '+275760-09-13T00:00:00Z' }), /^budget_reset_at /],
      [withInfo({ budget_duration: '30d; DROP TABLE' }), /^budget_duration is not a duration/],
      [withInfo({ litellm_budget_table: { soft_budget: -1 } }), /^litellm_budget_table\.soft_budget must not be negative$/],
      [withInfo({ key_alias: 'x'.repeat(5000) }), /^key_alias is too long$/],
      [{ key: 'sk-1', info: [1, 2] }, /the answer has no key information|is not valid|expected/],
      [{ detail: 'Not Found' }, /the answer has no key information/],
      ['<html>', /the answer has no key information/],
      [null, /the answer has no key information/],
    ];
    for (const [body, problem] of cases) {
      const parsed = parseLiteLLMKeyInfo(body);
      assert.ok(!parsed.ok, `refused: ${JSON.stringify(body)}`);
      assert.match(parsed.problem, problem);
    }
  });

  it('asks at the proxy\'s root, beside /v1, whatever the base URL\'s form', () => {
    assert.equal(keyInfoUrl('http://localhost:4000/v1').href, 'http://localhost:4000/key/info');
    assert.equal(keyInfoUrl('http://localhost:4000/v1/').href, 'http://localhost:4000/key/info');
    assert.equal(keyInfoUrl('https://llm.example.com/litellm/v1?x=1').href, 'https://llm.example.com/litellm/key/info');
    assert.equal(keyInfoUrl('http://localhost:4000').href, 'http://localhost:4000/key/info');
  });
});

describe('GatewayBudgets against a LiteLLM proxy emulator', () => {
  let proxy: LiteLLMEmulator;
  const http = testClient();
  const provider = createProvider({ http }) as AIProvider;
  const now = (): Date => new Date('2026-12-03T12:00:00Z');
  let configurations: AIConfiguration[];
  const keys = new Map<string, string>();

  beforeEach(async () => {
    proxy = await startLiteLLMEmulator();
    const settings = { preset: 'litellm', baseUrl: `${proxy.url}/v1`, model: 'gpt-4o-mini' };
    configurations = [
      configuration('Team mini', 'openai-compatible', settings),
      configuration('Team 4o', 'openai-compatible', { ...settings, model: 'gpt-4o' }),
      configuration('Plain server', 'openai-compatible', { baseUrl: `${proxy.url}/v1`, model: 'gpt-4o-mini' }),
    ];
    for (const c of configurations) keys.set(c.id, proxy.virtualKey);
  });
  afterEach(async () => {
    await proxy.close();
  });
  after(async () => {
    await http.close();
  });

  function targetOf(c: AIConfiguration): { config: CustomAPIConfig; apiKey?: string } {
    const key = keys.get(c.id);
    return { config: z.parse(CustomAPIConfig, c.config), ...(key === undefined ? {} : { apiKey: key }) };
  }

  function budgets(logger = capturingLogger(), timeoutMs = 10_000): GatewayBudgets {
    return new GatewayBudgets({ configurations: () => configurations, resolve: (c) => Promise.resolve({ target: targetOf(c) }), http, timeoutMs, now, logger });
  }

  function first(): AIConfiguration {
    const c = configurations[0];
    assert.ok(c);
    return c;
  }

  function reported(state: GatewayBudgetState | 'pending' | undefined): Extract<GatewayBudgetState, { kind: 'reported' }> {
    assert.ok(typeof state === 'object' && state.kind === 'reported', JSON.stringify(state));
    return state;
  }

  function failure(state: GatewayBudgetState | undefined): string {
    assert.ok(state?.kind === 'failed', JSON.stringify(state));
    return state.message;
  }

  it('reads the key\'s budget once per proxy and key, with the key in Authorization and never in the URL; only LiteLLM configurations', async () => {
    const service = budgets();
    await service.refresh();
    const requests = proxy.keyInfoRequests();
    assert.equal(requests.length, 1, 'two configurations share the proxy and key: one read');
    const [request] = requests;
    assert.ok(request);
    assert.equal(request.method, 'GET');
    assert.equal(request.headers.authorization, `Bearer ${proxy.virtualKey}`);
    assert.equal(request.query.toString(), '', 'no ?key=: the key would end up in access logs');
    const state = reported(service.get(first().id));
    assert.equal(state.budget.maxBudgetUsd, 50);
    assert.equal(state.budget.spendUsd, 37.6);
    assert.equal(state.checkedAt, '2026-12-03T12:00:00.000Z');
    assert.deepEqual(service.get(configurations[1]?.id ?? ''), state);
    assert.equal(service.get(configurations[2]?.id ?? ''), undefined, 'a plain OpenAI-compatible server is not asked');
    assert.ok(!JSON.stringify(state).includes(proxy.virtualKey), 'the key the proxy echoes is not kept');
  });

  it('follows the spend: after chats through the proxy the next refresh shows less left', async () => {
    const service = budgets();
    await service.refresh();
    const before = reported(service.get(first().id)).budget;
    await collectChat(provider, targetOf(first()), hello);
    await collectChat(provider, targetOf(first()), hello);
    await service.refresh();
    const after = reported(service.get(first().id)).budget;
    assert.equal(after.spendUsd, proxy.spend());
    assert.ok(Math.abs((after.spendUsd - before.spendUsd) - 0.5) < 1e-9, `two chats at $0.25: ${String(after.spendUsd)}`);
    assert.ok(Math.abs((after.remainingUsd ?? 0) - (50 - after.spendUsd)) < 1e-9);
  });

  it('says "not reported" for a key that may not read its own info (403, 404), logging it once however many rounds', async () => {
    const logger = capturingLogger();
    const service = budgets(logger);
    for (const status of [403, 404] as const) {
      proxy.refuseKeyInfo(status);
      await service.refresh();
      await service.refresh();
      await service.refresh();
      assert.equal(service.get(first().id)?.kind, 'not-reported', `HTTP ${String(status)}`);
    }
    assert.equal(logger.lines.filter((l) => l.includes('does not report')).length, 2, `one line for each of the two configurations: ${logger.lines.join('\n')}`);
    assert.equal(logger.lines.filter((l) => l.includes('could not be read')).length, 0, 'no warnings');
    proxy.refuseKeyInfo(null);
    await service.refresh();
    assert.equal(service.get(first().id)?.kind, 'reported', 'access given later: the budget shows');
  });

  it('fails with a reason the user can act on, and never the key: a wrong key (401), a hostile answer, an echo of the key as alias, a 500', async () => {
    const logger = capturingLogger();
    const service = budgets(logger);
    keys.set(first().id, 'sk-wrong-virtual-key-000000');
    await service.refresh();
    const refused = failure(service.get(first().id));
    assert.match(refused, /did not accept the virtual key \(HTTP 401\)/);
    keys.set(first().id, proxy.virtualKey);
    proxy.setKeyInfo({ max_budget: `NaN ${proxy.virtualKey}` });
    await service.refresh();
    const hostile = failure(service.get(first().id));
    assert.match(hostile, /max_budget/);
    proxy.setKeyInfo({ max_budget: 50, key_alias: proxy.virtualKey, team_id: 'None' });
    await service.refresh();
    const echoed = reported(service.get(first().id)).budget;
    assert.equal(echoed.keyAlias, null, 'an alias holding the key is dropped');
    assert.equal(echoed.teamId, null, 'LiteLLM writes a missing team as "None"');
    proxy.inject({ path: /^\/key\/info$/, status: 500, body: { error: { message: `boom ${proxy.virtualKey}` } } });
    await service.refresh();
    const broken = failure(service.get(first().id));
    assert.match(broken, /HTTP 500/);
    const all = JSON.stringify([refused, hostile, echoed, broken]) + logger.lines.join('\n');
    assert.ok(!all.includes(proxy.virtualKey), 'no state or log line holds the key');
  });

  it('gives up after its timeout and on an oversized answer, saying which', async () => {
    const service = budgets(capturingLogger(), 400);
    proxy.inject({ path: /^\/key\/info$/, delayMs: 4_000 });
    await service.refresh();
    assert.match(failure(service.get(first().id)), /^\/key\/info did not answer within 0\.4 s\.$/);
    proxy.inject({ path: /^\/key\/info$/, oversizeBytes: 2 * 1024 * 1024 });
    await service.refresh();
    assert.match(failure(service.get(first().id)), /exceeds 256 KB/);
  });

  it('says the proxy answered with a broken error body when it is nested beyond reason (no stack overflow), for objects and arrays alike', async () => {
    const service = budgets();
    // Each fits under the client's 64 KB error-body limit, so the parsed body reaches the reader: 6,000 levels of
    // {"error": ...}, 30,000 of nested arrays; then 100,000 levels of arrays in a 200 answer (under its 256 KB).
    const deepObject = `${'{"error":'.repeat(6_000)}"nested"${'}'.repeat(6_000)}`;
    const deepArray = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    for (const [status, body] of [[400, deepObject], [401, deepArray], [500, deepObject]] as const) {
      proxy.inject({ path: /^\/key\/info$/, status, body });
      await service.refresh();
      assert.match(failure(service.get(first().id)), new RegExp(`HTTP ${String(status)}`));
    }
    // LiteLLM's own refusal of a route-restricted key, at its usual depth, is still recognised.
    proxy.inject({ path: /^\/key\/info$/, status: 401, body: { error: { message: 'Authentication Error - Virtual key is not allowed to call this route. Only allowed to call routes: [\'llm_api_routes\']', type: 'auth_error', param: 'None', code: '401' } } });
    await service.refresh();
    assert.equal(service.get(first().id)?.kind, 'not-reported');
    proxy.inject({ path: /^\/key\/info$/, status: 200, body: `{"key":"k","info":{"spend":1,"key_alias":${'['.repeat(100_000)}${']'.repeat(100_000)}}}` });
    const read = await service.read(first());
    assert.match(failure(read), /key_alias/);
  });

  it('waits for the first read for Show Usage at most 3 s on its clock, joining the round under way; "pending" after that, the answer kept for later', async () => {
    // The clock is the test's: a wait ends only when the test ends it, so no figure depends on the machine's speed.
    const waits: { ms: number; end: () => void }[] = [];
    const wait = (ms: number): Promise<void> => new Promise((resolve) => waits.push({ ms, end: resolve }));
    const service = new GatewayBudgets({ configurations: () => configurations, resolve: (c) => Promise.resolve({ target: targetOf(c) }), http, timeoutMs: 10_000, now, wait });
    proxy.inject({ path: /^\/key\/info$/, delayMs: 300 });
    const round = service.refresh();
    const joined = service.firstRead(first());
    assert.deepEqual(waits.map((w) => w.ms), [3_000], 'never longer than 3 s');
    assert.equal(reported(await joined).budget.maxBudgetUsd, 50, 'the round under way answered before the 3 s ended');
    await round;
    assert.equal(proxy.keyInfoRequests().length, 1, 'Show Usage joined the round instead of asking again');

    const fresh = budgets();
    proxy.inject({ path: /^\/key\/info$/, delayMs: 2_000 });
    const slow = new GatewayBudgets({ configurations: () => configurations, resolve: (c) => Promise.resolve({ target: targetOf(c) }), http, timeoutMs: 10_000, now, wait });
    waits.length = 0;
    const pending = slow.firstRead(first());
    const again = slow.firstRead(first());
    while (proxy.keyInfoRequests().length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(waits.map((w) => w.ms), [3_000, 3_000]);
    for (const w of waits) w.end();
    assert.equal(await pending, 'pending');
    assert.equal(await again, 'pending');
    assert.equal(proxy.keyInfoRequests().length, 2, 'two asks while one read is under way send one request');
    while (slow.get(first().id) === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(reported(await slow.firstRead(first())).budget.maxBudgetUsd, 50, 'the late answer is kept and shown next time');
    assert.equal(waits.length, 2, 'a budget already read is shown without waiting');
    assert.equal(await fresh.firstRead(configurations[2] ?? first()), undefined, 'not a LiteLLM configuration');
    slow.dispose();
  });

  it('forgets a configuration that is no longer watched, and reads one on demand (Show Usage)', async () => {
    const service = budgets();
    await service.refresh();
    const gone = configurations.splice(1, 1)[0];
    await service.refresh();
    assert.equal(service.get(gone?.id ?? ''), undefined);
    proxy.setKeyInfo({ spend: 49 });
    const fresh = reported(await service.read(first()));
    assert.equal(fresh.budget.remainingUsd, 1);
    assert.equal(await service.read(configurations[1] ?? first()), undefined, 'not a LiteLLM configuration');
  });
});

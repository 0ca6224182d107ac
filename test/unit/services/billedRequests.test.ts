import * as assert from 'node:assert/strict';
import { EncryptionService, InMemoryKeySource } from '../../../src/core/crypto';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { ConfigurationError, createConfigurationServices, type ConfigurationServices } from '../../../src/core/services';
import type { AIConfiguration } from '../../../src/core/store';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { capturingLogger } from '../store/helpers';
import { usageFixture, type UsageFixture } from '../usage/setup';

/** What a refused call threw, or a failure when it was not refused. */
async function refusal(call: Promise<unknown>): Promise<ConfigurationError> {
  const error = await call.then(() => undefined, (e: unknown) => e);
  assert.ok(error instanceof ConfigurationError, `expected a refusal, got ${String(error)}`);
  return error;
}

describe('billed requests outside the router: budgets refuse them, usage records them', function () {
  this.timeout(20_000);
  let emulator: OpenAIEmulator;
  let f: UsageFixture;
  let http: HttpClient;
  let services: ConfigurationServices;
  let config: AIConfiguration;
  const settings = () => ({ model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` });

  before(async () => {
    emulator = await startOpenAIEmulator();
  });
  after(async () => {
    await emulator.close();
  });

  beforeEach(async () => {
    f = await usageFixture();
    http = new HttpClient({ retry: { maxAttempts: 1 } });
    const logger = capturingLogger();
    const encryption = new EncryptionService(f.store, new InMemoryKeySource(), { logger });
    await encryption.initialize();
    services = createConfigurationServices({
      store: f.store,
      encryption,
      userId: f.userId,
      providers: new ProviderRegistry({ http, logger }),
      logger,
      usage: f.tracker,
      budgets: f.budgets,
      callsPerMinute: 100,
      now: () => new Date(f.clock.now),
    });
    config = await services.configurations.createConfiguration({ name: 'Capped', provider: 'openai', settings: settings(), apiKey: emulator.apiKey });
  });

  afterEach(async () => {
    services.dispose();
    await http.close();
    await f.close();
  });

  /** Spends past a one-token hard-stop budget with a request the tracker priced. */
  async function useUp(configurationId: string | null): Promise<void> {
    await f.budgets.saveBudget({ configurationId, name: 'Cap', period: 'month', limitTokens: 1, hardStop: true });
    await f.tracker.recordUsage({ configurationId: config.id, outcome: 'success', usage: { input: 5, output: 5 }, reason: 'chat' });
    await f.budgets.settled();
  }

  it('Test Connection after a hard-stop budget is used up is refused with the budget\'s message, and the provider receives nothing', async () => {
    await useUp(config.id);
    const sent = emulator.requests.length;
    const error = await refusal(services.providerAccess.testConfiguration(config.id));
    assert.equal(error.kind, 'budget');
    assert.match(error.message, /"Capped" is paused: the monthly budget "Cap" is used up/);
    assert.equal(emulator.requests.length, sent, 'nothing was sent');
    assert.equal(services.configurations.getConfiguration(config.id).testStatus, null, 'no test happened, so no test status');
  });

  it('the editor\'s test of unsaved changes to a capped configuration is refused too, and sends nothing', async () => {
    await useUp(config.id);
    const sent = emulator.requests.length;
    const error = await refusal(services.providerAccess.testDraft({ provider: 'openai', settings: settings(), configurationId: config.id }));
    assert.equal(error.kind, 'budget');
    assert.equal(emulator.requests.length, sent);
  });

  it('an overall hard-stop budget refuses the wizard\'s test of brand-new settings', async () => {
    await useUp(null);
    const sent = emulator.requests.length;
    const error = await refusal(services.providerAccess.testDraft({ provider: 'openai', settings: settings(), apiKey: emulator.apiKey }));
    assert.equal(error.kind, 'budget');
    assert.match(error.message, /the monthly budget "Cap" is used up/);
    assert.equal(emulator.requests.length, sent);
  });

  it('a model list is not billed: it still reaches the provider under a used-up hard stop', async () => {
    await useUp(config.id);
    const sent = emulator.requests.length;
    const models = await services.providerAccess.listModels(config.id, { refresh: true });
    assert.ok(models.some((m) => m.id === 'gpt-4o-mini'));
    assert.ok(emulator.requests.length > sent);
  });

  it('a budget without hard stop only warns: the test runs', async () => {
    await f.budgets.saveBudget({ configurationId: config.id, name: 'Soft', period: 'month', limitTokens: 1, hardStop: false });
    await f.tracker.recordUsage({ configurationId: config.id, outcome: 'success', usage: { input: 5, output: 5 } });
    assert.equal((await services.providerAccess.testConfiguration(config.id)).ok, true);
  });

  it('a test of unsaved changes to a saved configuration is recorded against it: usage, cost, audit log and, for its stored settings, the test status', async () => {
    const before = f.tracker.getUsageStats(config.id).requestCount;
    const result = await services.providerAccess.testDraft({ provider: 'openai', settings: settings(), configurationId: config.id });
    assert.equal(result.ok, true);
    const stats = f.tracker.getUsageStats(config.id);
    assert.equal(stats.requestCount, before + 1);
    assert.ok(stats.inputTokens + stats.outputTokens > 0, 'the one-token reply is billed');
    assert.ok(stats.costUSD > 0, 'and priced');
    const audit = f.store.read((r) => r.audit.list(f.userId)).filter((e) => e.action === 'configuration.test' && e.targetId === config.id);
    assert.equal(audit.length, 1);
    const tested = services.configurations.getConfiguration(config.id);
    assert.equal(tested.testStatus, 'success', 'the draft was exactly the stored settings and key');
    assert.equal(tested.lastTestedAt, new Date(f.clock.now).toISOString());
  });

  it('a test of changed settings becomes the test status only once those settings are saved', async () => {
    const changed = { ...settings(), temperature: 0.5 };
    await services.providerAccess.testDraft({ provider: 'openai', settings: changed, configurationId: config.id });
    assert.equal(services.configurations.getConfiguration(config.id).testStatus, null, 'the stored settings were not what was tested');
    const saved = await services.configurations.updateConfiguration(config.id, { settings: changed });
    assert.equal(saved.testStatus, 'success');
  });

  it('a wizard test of an address where nothing listens reached no provider: it is in the audit log, not in usage', async () => {
    const result = await services.providerAccess.testDraft({ provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: 'http://127.0.0.1:9/v1' }, apiKey: emulator.apiKey });
    assert.equal(result.reachable, false);
    const report = await f.tracker.generateUsageReport(f.userId);
    assert.deepEqual(report.byConfiguration.filter((c) => c.name === null), []);
    assert.ok(f.store.read((r) => r.audit.list(f.userId)).some((e) => e.action === 'configuration.test' && e.details.ok === false));
  });

  it('a test of brand-new settings is recorded at once, and saving them makes those records the new configuration\'s', async () => {
    const draft = { provider: 'openai', settings: { ...settings(), model: 'gpt-4o' }, apiKey: emulator.apiKey };
    const result = await services.providerAccess.testDraft(draft);
    assert.equal(result.ok, true);
    await f.store.flush();
    const rows = f.store.read((r) => r.requestLog.count(f.userId));
    const report = await f.tracker.generateUsageReport(f.userId);
    const unsaved = report.byConfiguration.filter((c) => c.name === null);
    assert.equal(unsaved.length, 1, 'counted in the totals before anything is saved');
    const [recorded] = unsaved;
    assert.ok(recorded);
    assert.equal(recorded.metrics.requestCount, 1);
    assert.ok(recorded.metrics.costUSD > 0);
    const testId = recorded.configurationId;
    assert.ok(f.store.read((r) => r.audit.list(f.userId)).some((e) => e.action === 'configuration.test' && e.targetId === testId));

    const created = await services.configurations.createConfiguration({ name: 'Wizard', ...draft });
    assert.equal(created.id, testId, 'the configuration takes the id its test was recorded under');
    assert.equal(created.testStatus, 'success');
    assert.equal(f.tracker.getUsageStats(created.id).requestCount, 1);
    assert.equal(f.store.read((r) => r.requestLog.count(f.userId)), rows, 'no row was moved or duplicated');
  });
});

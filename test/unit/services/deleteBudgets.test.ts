import * as assert from 'node:assert/strict';
import { BudgetMonitor, UsageTracker } from '../../../src/core/usage';
import { packageCatalog } from '../catalog/packageCatalog';
import { capturingLogger } from '../store/helpers';
import { serviceFixture, type ServiceFixture } from './setup';

describe('deleting a configuration', () => {
  let f: ServiceFixture;
  beforeEach(async () => {
    f = await serviceFixture();
  });
  afterEach(() => f.close());

  it('removes its budgets with it (not the overall ones, not another configuration\'s) and records how many', async () => {
    const now = (): Date => new Date(f.clock.now);
    const logger = capturingLogger();
    const catalog = packageCatalog(() => new Date('2026-11-27T00:00:00Z'));
    const tracker = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => Promise.resolve(catalog), now, logger });
    const budgets = new BudgetMonitor({ store: f.store, userId: f.userId, tracker, now, logger });
    const settings = { model: 'm', baseUrl: 'http://127.0.0.1:9/v1' };
    const gone = await f.service.createConfiguration({ name: 'Gone', provider: 'openai-compatible', settings });
    const kept = await f.service.createConfiguration({ name: 'Kept', provider: 'openai-compatible', settings });
    await budgets.saveBudget({ name: 'Daily', period: 'day', limitUsd: 1, configurationId: gone.id });
    await budgets.saveBudget({ name: 'Monthly', period: 'month', limitUsd: 10, configurationId: gone.id });
    await budgets.saveBudget({ name: 'Kept', period: 'month', limitUsd: 10, configurationId: kept.id });
    await budgets.saveBudget({ name: 'Overall', period: 'month', limitUsd: 50 });
    await f.service.deleteConfiguration(gone.id);
    assert.deepEqual(budgets.listBudgets().map((b) => b.name).sort(), ['Kept', 'Overall']);
    const entry = f.store.read((r) => r.audit.latest(f.userId, 'configuration.delete', gone.id));
    assert.equal(entry?.details.budgets, 2);
    budgets.dispose();
    tracker.dispose();
  });
});

import type { ModelCatalog } from '../../../src/core/catalog';
import type { AIConfiguration, NewConfiguration, Store } from '../../../src/core/store';
import { BudgetMonitor, UsageTracker } from '../../../src/core/usage';
import { packageCatalog } from '../catalog/packageCatalog';
import { capturingLogger, open, tempFolder } from '../store/helpers';

export interface UsageFixture {
  readonly store: Store;
  readonly userId: string;
  readonly file: string;
  readonly catalog: ModelCatalog;
  readonly tracker: UsageTracker;
  readonly budgets: BudgetMonitor;
  readonly clock: { now: number };
  readonly lines: string[];
  addConfiguration(input: NewConfiguration): Promise<AIConfiguration>;
  /** A second tracker + monitor over the same store, as after a restart. */
  restart(): { tracker: UsageTracker; budgets: BudgetMonitor };
  close(): Promise<void>;
}

/** A tracker and budget monitor over a real store file and the real price catalog, on a clock the test moves. */
export async function usageFixture(options: { retentionDays?: number; start?: string } = {}): Promise<UsageFixture> {
  const folder = tempFolder();
  const file = `${folder.path}/mm.sqlite`;
  const logger = capturingLogger();
  const clock = { now: Date.parse(options.start ?? '2026-11-27T12:00:00Z') };
  const now = (): Date => new Date(clock.now);
  const { store } = await open(file, { logger, now, flushIntervalMs: 60_000 });
  const user = await store.write((r) => r.users.ensureLocalUser());
  // Prices as of a fixed day, so expected costs do not move with the calendar.
  const catalog = packageCatalog(() => new Date('2026-11-27T00:00:00Z'));
  const make = (): { tracker: UsageTracker; budgets: BudgetMonitor } => {
    const tracker = new UsageTracker({ store, userId: user.id, catalog: () => Promise.resolve(catalog), now, logger, ...(options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays }) });
    const budgets = new BudgetMonitor({ store, userId: user.id, tracker, now, logger });
    budgets.watch();
    return { tracker, budgets };
  };
  const { tracker, budgets } = make();
  return {
    store,
    userId: user.id,
    file,
    catalog,
    tracker,
    budgets,
    clock,
    lines: logger.lines,
    addConfiguration: (input) => store.write((r) => r.configurations.create(user.id, input)),
    restart: make,
    close: async () => {
      await budgets.settled();
      tracker.dispose();
      budgets.dispose();
      await store.close();
      folder.remove();
    },
  };
}

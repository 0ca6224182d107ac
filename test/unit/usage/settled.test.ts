import * as assert from 'node:assert/strict';
import type { ModelCatalog } from '../../../src/core/catalog';
import { UsageTracker, type RecordedUsage } from '../../../src/core/usage';
import { usageFixture, type UsageFixture } from './setup';

describe('UsageTracker.settled', () => {
  let f: UsageFixture;
  beforeEach(async () => {
    f = await usageFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  it('resolves only once every request recorded without waiting is priced, announced and saved to the store', async () => {
    const configuration = await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4.1-nano' });
    // The price catalog answers only when the test says: until then both recordings are in flight.
    let release = (): void => undefined;
    const catalogReady = new Promise<ModelCatalog>((resolve) => {
      release = () => {
        resolve(f.catalog);
      };
    });
    const tracker = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => catalogReady, now: () => new Date(f.clock.now) });
    const announced: RecordedUsage[] = [];
    tracker.onDidRecord((r) => announced.push(r));
    for (let i = 0; i < 2; i++) void tracker.recordUsage({ configurationId: configuration.id, outcome: 'success', usage: { input: 16, output: 300 } });

    let done = false;
    const settled = tracker.settled().then(() => {
      done = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(done, false, 'settled before the recordings were priced');
    release();
    await settled;
    assert.equal(announced.length, 2);
    assert.equal(f.store.pendingRequestCount, 0, 'rows still buffered');
    assert.equal(f.store.read((r) => r.requestLog.count(f.userId)), 2);
    assert.ok(announced.every((r) => r.costUsd > 0), 'priced by the catalog');
    tracker.dispose();
  });

  it('resolves at once when nothing was recorded, and does not hang on a recording whose price lookup failed', async () => {
    const tracker = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => Promise.reject(new Error('no catalog')), now: () => new Date(f.clock.now) });
    await tracker.settled();
    void tracker.recordUsage({ configurationId: 'gone', outcome: 'error' });
    await tracker.settled();
    assert.equal(f.store.read((r) => r.requestLog.count(f.userId)), 1);
    tracker.dispose();
  });
});

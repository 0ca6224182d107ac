import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EndpointLease } from '../../../src/core/endpoint/EndpointLease';
import { until } from '../../helpers/until';
import { useTempFolder } from '../helpers/tempStore';

describe('the endpoint lease\'s holder after a crash whose pid another process now has', function () {
  this.timeout(30_000);
  const folder = useTempFolder();
  const leases: EndpointLease[] = [];
  let other: ChildProcess | undefined;

  afterEach(() => {
    other?.kill('SIGKILL');
    other = undefined;
    for (const lease of leases.splice(0)) lease.release();
  });

  it('stops naming the crashed window once its lease has gone unrefreshed for the stale time, and lets another window take it', async () => {
    const databasePath = join(folder.path, 'mm.db');
    // A live process that is not a Model Manager window: what a reused pid looks like.
    const spawned = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    other = spawned;
    const pid = spawned.pid ?? 0;
    // The crashed window's lease as it left it: the lock and the holder file, both naming that pid, never refreshed again.
    writeFileSync(`${databasePath}.endpoint.lock`, JSON.stringify({ pid, at: 0, token: 'crashed-window' }));
    writeFileSync(`${databasePath}.endpoint-holder.json`, JSON.stringify({ pid, window: 'crashed', url: 'http://127.0.0.1:9', since: '2026-06-15T12:00:00.000Z' }));
    const watcher = new EndpointLease(databasePath, { staleMs: 1_000 });
    leases.push(watcher);
    assert.equal(watcher.holder()?.window, 'crashed', 'at its first look a window cannot yet tell a reused pid from a holder');
    await until('the crashed holder to be no longer shown', () => watcher.holder() === undefined, 15_000);
    assert.equal(await watcher.tryAcquire(), true, 'a window that wants the endpoint takes the abandoned lease');
  });

  it('keeps naming a live holder that refreshes its lease, however long another window watches', async () => {
    const databasePath = join(folder.path, 'mm.db');
    const serving = new EndpointLease(databasePath, { staleMs: 400 });
    leases.push(serving);
    assert.equal(await serving.tryAcquire(), true);
    serving.publish({ pid: process.pid, window: 'serving', url: 'http://127.0.0.1:9', since: '2026-06-15T12:00:00.000Z' });
    // Watched for longer than its stale time, with generous room for a late refresh on a loaded machine.
    const watcher = new EndpointLease(databasePath, { staleMs: 2_500 });
    const started = performance.now();
    while (performance.now() - started < 3_500) {
      assert.equal(watcher.holder()?.window, 'serving');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
});

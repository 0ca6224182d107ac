import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileLock, LockTimeoutError } from '../../../src/core/store/lock';
import { useTempFolder } from '../helpers/tempStore';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the database lock', () => {
  const folder = useTempFolder();

  it('breaks a lock left by a process that has ended, and says so', async () => {
    const path = join(folder.path, 'mm.db.lock');
    writeFileSync(path, JSON.stringify({ pid: deadPid(), at: Date.now(), token: 'old' }));
    const reasons: string[] = [];
    const lock = new FileLock(path, { timeoutMs: 2000, staleMs: 60_000 }, (reason) => reasons.push(reason));
    await lock.acquire();
    assert.ok(lock.held);
    assert.match(reasons[0] ?? '', /has ended/);
    lock.release();
    assert.equal(existsSync(path), false);
  });

  it('waits for a live holder and then gives up with a message naming what to do', async () => {
    const path = join(folder.path, 'mm.db.lock');
    const holder = new FileLock(path);
    await holder.acquire();
    const waiter = new FileLock(path, { timeoutMs: 200, staleMs: 60_000 });
    await assert.rejects(waiter.acquire(), (error: unknown) => error instanceof LockTimeoutError && error.message.includes('Close the other VS Code windows or wait a moment'));
    holder.release();
    await waiter.acquire();
    waiter.release();
  });

  it('breaks a lock whose live holder stopped refreshing it, measured on its own clock whatever the lock says', async () => {
    const path = join(folder.path, 'mm.db.lock');
    // A holder that is alive (this process) but never refreshes: a hung window. Its time claims to be in the future.
    writeFileSync(path, JSON.stringify({ pid: process.pid, at: Date.parse('2099-01-01T00:00:00Z'), token: 'hung' }));
    const reasons: string[] = [];
    const lock = new FileLock(path, { timeoutMs: 20_000, staleMs: 300 }, (reason) => reasons.push(reason));
    const started = performance.now();
    await lock.acquire();
    assert.ok(performance.now() - started >= 300, 'not before the holder was silent for the whole bound');
    assert.match(reasons[0] ?? '', /has not refreshed it for \d+ ms/);
    lock.release();
  });

  it('keeps a lock its holder refreshes, even when the lock says it was taken long ago', async () => {
    const path = join(folder.path, 'mm.db.lock');
    const holder = new FileLock(path, { timeoutMs: 2000, staleMs: 1000 });
    await holder.acquire();
    // Rewrite the holder's time ten minutes into the past, as a holder whose clock lags would have written it.
    const content = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; at: number; token: string };
    writeFileSync(path, JSON.stringify({ ...content, at: content.at - 600_000 }));
    const stolen: string[] = [];
    const waiter = new FileLock(path, { timeoutMs: 4000, staleMs: 1000 }, (reason) => stolen.push(reason));
    await assert.rejects(waiter.acquire(), LockTimeoutError);
    assert.deepEqual(stolen, [], 'four stale bounds passed, but the holder refreshed the lock all along');
    holder.release();
    assert.equal(existsSync(path), false);
  });

  it('breaks the empty lock of a process killed while creating it only after it stayed empty for the grace period', async () => {
    const path = join(folder.path, 'mm.db.lock');
    writeFileSync(path, '');
    const reasons: string[] = [];
    const lock = new FileLock(path, { timeoutMs: 20_000, staleMs: 60_000 }, (reason) => reasons.push(reason));
    const started = performance.now();
    await lock.acquire();
    assert.ok(performance.now() - started >= 2000);
    assert.match(reasons[0] ?? '', /died while creating it/);
    lock.release();
  });

  it('does not remove a lock that was taken over by someone else', async () => {
    const path = join(folder.path, 'mm.db.lock');
    const lock = new FileLock(path);
    await lock.acquire();
    writeFileSync(path, JSON.stringify({ pid: process.pid, at: Date.now(), token: 'someone-else' }));
    lock.release();
    assert.ok(existsSync(path));
  });
});

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileLock, LockTimeoutError } from '../../../src/core/store/lock';
import { tempFolder } from './helpers';

function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('the database lock', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => {
    folder = tempFolder();
  });
  afterEach(() => {
    folder.remove();
  });

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

  it('breaks a lock that is older than the bound even if its process looks alive', async () => {
    const path = join(folder.path, 'mm.db.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, at: Date.now() - 120_000, token: 'hung' }));
    const lock = new FileLock(path, { timeoutMs: 2000, staleMs: 60_000 });
    await lock.acquire();
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

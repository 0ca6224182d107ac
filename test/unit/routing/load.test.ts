import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { HttpClient } from '../../../src/core/http';
import { hello, route, World } from './fixture';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function settledHeap(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('routing under load', function () {
  this.timeout(60_000);

  it('1,000 concurrent streamed requests through three members, one failing, each complete or fail clearly with bounded memory', async () => {
    // Queued requests wait for one of the pooled sockets: the headers timeout must cover the wait.
    const world = new World({}, new HttpClient({ connections: 32, timeouts: { headersMs: 5_000, bodyMs: 5_000 }, retry: { maxAttempts: 2, baseDelayMs: 2, maxDelayMs: 5, maxTotalMs: 500 } }));
    const failing = await world.openai('failing');
    const members = [failing, await world.anthropic('b'), await world.gemini('c')];
    failing.emulator.inject({ status: 503 }, 100_000);
    const group = world.group('weighted-round-robin', members);
    const run = async (): Promise<{ ok: number; failedClearly: number; other: number }> => {
      const results = await Promise.all(Array.from({ length: 1_000 }, () => route(world.router, group, hello)));
      let ok = 0;
      let failedClearly = 0;
      for (const r of results) {
        const finished = r.events.some((e) => e.type === 'finish');
        if (!r.error && finished && r.text.length > 0) ok++;
        else if (r.error && r.error.message.length > 0) failedClearly++;
      }
      return { ok, failedClearly, other: 1_000 - ok - failedClearly };
    };
    await run();
    const before = settledHeap();
    const second = await run();
    const after = settledHeap();
    assert.equal(second.other, 0);
    assert.equal(second.ok + second.failedClearly, 1_000);
    assert.ok(second.ok >= 990, `only ${String(second.ok)} answered`);
    assert.ok(after - before < 16 * 1024 * 1024, `heap grew by ${String(Math.round((after - before) / 1024))} KB over 1,000 requests`);
    assert.equal(members.reduce((n, m) => n + world.router.busy(m.member), 0), 0, 'nothing left in flight');
    assert.equal(world.router.isCoolingDown(failing.member), true, 'the failing member was taken out');
    const failedRows = world.records.filter((r) => r.configurationId === 'cfg-failing');
    assert.ok(failedRows.every((r) => r.outcome === 'error' && (r.inputTokens ?? 0) === 0));
    await world.close();
  });
});

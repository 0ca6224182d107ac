import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDatabase } from '../../../src/core/store/fileCheck';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { open, wasmPath } from './helpers';
import type { Writer } from './processes';
import { ROW_TIME, startWriter, stopWriters } from './processes';
import { repetitions } from '../helpers/clockRun';

// Fewer repetitions on the shifted clocks of npm run test:clock (see clockRun.ts); npm test runs the full counts.
const WRITES = repetitions(1000, 200);
const SKEWED_WRITES = repetitions(300, 100);
const KILLS = repetitions(200, 25);
import { useTempFolder } from '../helpers/tempStore';

async function seed(file: string): Promise<{ userId: string; a: string; b: string; shared: string }> {
  const { store } = await open(file);
  const ids = await store.write((r) => {
    const user = r.users.ensureLocalUser();
    const make = (name: string): string => r.configurations.create(user.id, { name, provider: 'openai', model: 'm', config: {} }).id;
    return { userId: user.id, a: make('A'), b: make('B'), shared: make('shared') };
  });
  await store.close();
  return ids;
}

describe('the store shared by several processes', function () {
  // Each round starts a Node process that loads sql.js: about 0.3 s idle, over 1 s on a loaded 2-core machine.
  this.timeout(600_000);
  // Before the folder's own clean-up (hooks run in the order they are declared): no writer may outlive its test.
  afterEach(stopWriters);
  const folder = useTempFolder();

  it(`keeps all ${(2 * WRITES).toLocaleString('en-US')} usage rows and every acknowledged update when two processes each write ${WRITES.toLocaleString('en-US')} times`, async () => {
    const file = join(folder.path, 'mm.db');
    const ids = await seed(file);
    const job = { mode: 'interleave' as const, file, userId: ids.userId, sharedConfigurationId: ids.shared, count: WRITES };
    let last = '';
    let switches = 0;
    const onAck = (name: string) => () => {
      if (last && last !== name) switches++;
      last = name;
    };
    const writers = [
      startWriter({ ...job, name: 'a', ownConfigurationId: ids.a }, onAck('a')),
      startWriter({ ...job, name: 'b', ownConfigurationId: ids.b }, onAck('b')),
    ];
    const results = await Promise.all(writers.map((w) => w.exited));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(writers.map((w) => w.acked()), [WRITES, WRITES]);
    assert.ok(switches >= WRITES / 10, `the two writers barely interleaved (${String(switches)} switches)`);

    const { store, notices } = await open(file);
    assert.deepEqual(notices, []);
    assert.equal(store.read((r) => r.requestLog.count(ids.userId)), 2 * WRITES);
    assert.equal(store.read((r) => r.configurations.get(ids.userId, ids.a))?.config.seq, WRITES);
    assert.equal(store.read((r) => r.configurations.get(ids.userId, ids.b))?.config.seq, WRITES);
    assert.deepEqual(store.read((r) => r.configurations.get(ids.userId, ids.shared))?.config, { a: WRITES, b: WRITES });
    // Every request row of each writer is there exactly once.
    const totals = store.read((r) => r.usage.byConfiguration(ids.userId, new Date(Date.parse(ROW_TIME) - 60_000), new Date(Date.parse(ROW_TIME) + 60_000)));
    assert.equal(totals.get(ids.a)?.requestCount, WRITES);
    assert.equal(totals.get(ids.b)?.requestCount, WRITES);
    await store.close();
  });

  it('loses no acknowledged update when one writer\'s clock is 10 minutes behind the machine\'s and the other\'s 10 minutes ahead', async () => {
    const file = join(folder.path, 'mm.db');
    const ids = await seed(file);
    const job = { mode: 'interleave' as const, file, userId: ids.userId, sharedConfigurationId: ids.shared, count: SKEWED_WRITES };
    const writers = [
      startWriter({ ...job, name: 'a', ownConfigurationId: ids.a, clockSkewMs: -600_000 }),
      startWriter({ ...job, name: 'b', ownConfigurationId: ids.b, clockSkewMs: 600_000 }),
    ];
    const results = await Promise.all(writers.map((w) => w.exited));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(writers.map((w) => w.acked()), [SKEWED_WRITES, SKEWED_WRITES]);
    const { store, notices } = await open(file);
    assert.deepEqual(notices, []);
    assert.deepEqual(store.read((r) => r.configurations.get(ids.userId, ids.shared))?.config, { a: SKEWED_WRITES, b: SKEWED_WRITES }, 'a stale copy undid the other writer\'s update');
    assert.equal(store.read((r) => r.requestLog.count(ids.userId)), 2 * SKEWED_WRITES);
    await store.close();
  });

  it(`survives a writer killed with SIGKILL at random moments ${String(KILLS)} times: every open passes the integrity check and holds every acknowledged write`, async () => {
    const file = join(folder.path, 'mm.db');
    const ids = await seed(file);
    const SQL = await loadSqlJs(wasmPath);
    let acknowledged = 0;
    let killedMidStream = 0;
    for (let round = 0; round < KILLS; round++) {
      const writer: Writer = startWriter({ mode: 'until-killed', file, name: 'a', userId: ids.userId, ownConfigurationId: ids.a, sharedConfigurationId: ids.shared, count: 0 });
      // Kill at a random moment: sometimes before the first save, mostly while saves are streaming.
      if (round % 10 !== 0) await writer.firstAck;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
      writer.child.kill('SIGKILL');
      const exit = await writer.exited;
      assert.equal(exit.signal, 'SIGKILL', `round ${String(round)}: the writer ended on its own: ${exit.stderr}`);
      if (writer.acked() > 0) killedMidStream++;
      acknowledged = Math.max(acknowledged, writer.acked());

      const raw = loadDatabase(SQL, readFileSync(file));
      assert.ok(raw.kind === 'ok', `round ${String(round)}: the file on disk is damaged`);
      raw.db.close();
      const { store, notices } = await open(file);
      assert.deepEqual(notices, [], `round ${String(round)}`);
      const seq = Number(store.read((r) => r.configurations.get(ids.userId, ids.a))?.config.seq ?? 0);
      assert.ok(seq >= acknowledged, `round ${String(round)}: the file holds write ${String(seq)} but ${String(acknowledged)} was acknowledged`);
      await store.close();
    }
    assert.ok(killedMidStream >= KILLS * 0.75, `only ${String(killedMidStream)} kills landed while writes were streaming`);
    // Each round's writer continues the sequence on disk: every kill while writes streamed added at least one to it.
    assert.ok(acknowledged >= killedMidStream, `the sequence reached ${String(acknowledged)} after ${String(killedMidStream)} kills mid-stream`);
  });
});

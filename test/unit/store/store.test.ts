import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backupPathOf } from '../../../src/core/store/atomicFile';
import { LATEST_SCHEMA_VERSION, migrations } from '../../../src/core/store/migrations';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { open, wasmPath } from './helpers';
import { until } from '../../helpers/until';
import { useTempFolder } from '../helpers/tempStore';

describe('the store', () => {
  const folder = useTempFolder();

  it('creates the file with every table on first open and records the migrations', async () => {
    const file = join(folder.path, 'mm.db');
    const { store, notices } = await open(file);
    assert.deepEqual(notices, []);
    assert.ok(existsSync(file));
    await store.close();
    const db = new (await loadSqlJs(wasmPath)).Database(readFileSync(file));
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")[0]?.values.flat();
    assert.deepEqual(tables, ['ai_configurations', 'audit_log', 'conversation_messages', 'conversations', 'encryption_keys', 'endpoint_clients', 'provider_templates', 'provider_usage', 'request_log', 'route_groups', 'schema_migrations', 'store_meta', 'usage_budget_alerts', 'usage_budgets', 'usage_latency_buckets', 'users']);
    assert.deepEqual(db.exec('SELECT version FROM schema_migrations')[0]?.values.flat(), migrations.map((m) => m.version));
    assert.equal(migrations.at(-1)?.version, LATEST_SCHEMA_VERSION);
    db.close();
    // Opening again applies nothing twice.
    const again = await open(file);
    await again.store.close();
  });

  it('creates the local user once and finds the same one on the next open', async () => {
    const file = join(folder.path, 'mm.db');
    const first = await open(file);
    const user = await first.store.write((r) => r.users.ensureLocalUser());
    await first.store.close();
    const second = await open(file);
    const again = await second.store.write((r) => r.users.ensureLocalUser());
    assert.equal(again.id, user.id);
    await second.store.close();
  });

  it('makes a configuration change durable before write() returns and keeps the previous file as a backup', async () => {
    const file = join(folder.path, 'mm.db');
    const { store } = await open(file);
    const user = await store.write((r) => r.users.ensureLocalUser());
    const created = await store.write((r) => r.configurations.create(user.id, { name: 'Work', provider: 'openai', model: 'gpt-4o' }));
    // A second process reading the file right now must already see it.
    const other = await open(file);
    assert.equal(other.store.read((r) => r.configurations.get(user.id, created.id))?.name, 'Work');
    await other.store.close();
    assert.ok(existsSync(backupPathOf(file)));
    assert.notDeepEqual(readFileSync(backupPathOf(file)), readFileSync(file));
    await store.close();
  });

  it('keeps foreign keys on after a save, because export() resets pragmas', async () => {
    const file = join(folder.path, 'mm.db');
    const { store } = await open(file);
    await store.write((r) => r.users.ensureLocalUser());
    await assert.rejects(store.write((r) => r.configurations.create('no-such-user', { name: 'x', provider: 'openai', model: 'm' })), /FOREIGN KEY/);
    await store.close();
  });

  it('rolls back a write whose callback throws, leaving memory and file unchanged', async () => {
    const file = join(folder.path, 'mm.db');
    const { store } = await open(file);
    const user = await store.write((r) => r.users.ensureLocalUser());
    const before = readFileSync(file);
    await assert.rejects(
      store.write((r) => {
        r.configurations.create(user.id, { name: 'half', provider: 'openai', model: 'm' });
        throw new Error('changed my mind');
      }),
      /changed my mind/,
    );
    assert.deepEqual(store.read((r) => r.configurations.list(user.id)), []);
    assert.deepEqual(readFileSync(file), before);
    await store.close();
  });

  it('saves buffered request rows within the flush interval and on close', async () => {
    const file = join(folder.path, 'mm.db');
    const { store } = await open(file, { flushIntervalMs: 50 });
    const user = await store.write((r) => r.users.ensureLocalUser());
    const entry = { userId: user.id, configurationId: 'c1', startedAt: new Date().toISOString(), provider: 'openai', model: 'm', outcome: 'success' as const, inputTokens: 3 };
    store.recordRequest(entry);
    assert.equal(store.pendingRequestCount, 1);
    // Nothing but the flush timer saves it: no write, flush or close happens while this waits.
    await until('the flush timer to save the buffered row', () => store.pendingRequestCount === 0, 5_000);
    store.recordRequest(entry);
    await store.close();
    const reopened = await open(file);
    assert.equal(reopened.store.read((r) => r.requestLog.count(user.id)), 2);
    await reopened.store.close();
  });

  it('sees a write made by another process-like store on the same file before its own next write', async () => {
    const file = join(folder.path, 'mm.db');
    const a = (await open(file)).store;
    const b = (await open(file)).store;
    const user = await a.write((r) => r.users.ensureLocalUser());
    const config = await a.write((r) => r.configurations.create(user.id, { name: 'shared', provider: 'openai', model: 'm', config: { a: 0, b: 0 } }));
    await b.write((r) => r.configurations.update(user.id, config.id, { config: { ...r.configurations.get(user.id, config.id)?.config, b: 1 } }));
    await a.write((r) => r.configurations.update(user.id, config.id, { config: { ...r.configurations.get(user.id, config.id)?.config, a: 1 } }));
    assert.deepEqual(b.read((r) => r.configurations.get(user.id, config.id)?.config), { a: 1, b: 1 });
    await a.close();
    await b.close();
  });
  it('does not save over the file when its lock was broken while it wrote (a window paused past the stale bound)', async () => {
    const file = join(folder.path, 'mm.db');
    const a = (await open(file)).store;
    const user = await a.write((r) => r.users.ensureLocalUser());
    const before = readFileSync(file);
    await assert.rejects(
      a.write((r) => {
        r.configurations.create(user.id, { name: 'late', provider: 'openai', model: 'm', config: {} });
        // Meanwhile another window judged this one hung, broke its lock and now holds it.
        unlinkSync(`${file}.lock`);
        writeFileSync(`${file}.lock`, JSON.stringify({ pid: process.pid, at: 0, token: 'another-window' }));
      }),
      /lock.*(broken|taken)|not saved/i,
    );
    assert.deepEqual(readFileSync(file), before, 'the other window owns the file now');
    assert.equal(a.read((r) => r.configurations.list(user.id).length), 0, 'memory agrees with the file again');
    unlinkSync(`${file}.lock`);
    await a.close();
  });
});

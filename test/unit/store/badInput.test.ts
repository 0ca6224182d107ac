import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { backupPathOf } from '../../../src/core/store/atomicFile';
import { LATEST_SCHEMA_VERSION, migrate } from '../../../src/core/store/migrations';
import { Sql } from '../../../src/core/store/sql';
import { openStore } from '../../../src/core/store/openStore';
import { StoreError } from '../../../src/core/store/notices';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import { capturingLogger, open, wasmPath } from './helpers';
import { useTempFolder } from '../helpers/tempStore';

async function databaseWithOneConfiguration(file: string, name: string): Promise<string> {
  const { store } = await open(file);
  const id = await store.write((r) => {
    const user = r.users.ensureLocalUser();
    return r.configurations.create(user.id, { name, provider: 'openai', model: 'gpt-4o' }).id;
  });
  // Enough rows for several pages, so that a cut-off file loses real data.
  for (let i = 0; i < 300; i++) store.recordRequest({ userId: 'u', configurationId: id, startedAt: new Date().toISOString(), provider: 'openai', model: 'm', outcome: 'success', reason: 'x'.repeat(100) });
  await store.flush();
  await store.close();
  return id;
}

/** Flips 'a' → 'c' in the copy of a definition SQLite reads (stale copies stay in free space), checking it parses. */
async function flipBitInLiveDefinition(original: Buffer, needle: string, table: string, column: string): Promise<Buffer> {
  const SQL = await loadSqlJs(wasmPath);
  for (let at = original.indexOf(needle); at >= 0; at = original.indexOf(needle, at + 1)) {
    const bytes = Buffer.from(original);
    bytes[at] = (bytes[at] ?? 0) ^ 0x02;
    const db = new SQL.Database(bytes);
    try {
      const names = db.exec(`SELECT name FROM pragma_table_info('${table}')`)[0]?.values.flat() ?? [];
      const check = db.exec('PRAGMA integrity_check')[0]?.values.flat() ?? [];
      if (names.includes(column) && check.join() === 'ok') return bytes;
    } finally {
      db.close();
    }
  }
  throw new Error(`no live copy of "${needle}" in the file`);
}

function quarantined(folder: string): string[] {
  return readdirSync(folder).filter((n) => n.includes('.corrupt-')).map((n) => join(folder, n));
}

describe('the store given bad input', () => {
  const folder = useTempFolder();

  it('quarantines a garbage file, starts empty and says where the original bytes are', async () => {
    const file = join(folder.path, 'mm.db');
    const garbage = randomBytes(8192);
    writeFileSync(file, garbage);
    const logger = capturingLogger();
    const { store, notices } = await open(file, { logger });
    const [notice] = notices;
    assert.equal(notice?.kind, 'started-fresh');
    assert.match(notice.message, /is damaged \(the file is not a SQLite database\)/);
    assert.match(notice.message, /no usable backup/);
    assert.match(notice.message, /Add your configurations again, or send the kept file/);
    const [kept] = quarantined(folder.path);
    assert.ok(kept && notice.message.includes(kept));
    assert.deepEqual(readFileSync(kept), garbage, 'the original bytes are kept, not deleted');
    assert.deepEqual(store.read((r) => r.configurations.list('anyone')), []);
    await store.close();
  });

  it('quarantines a truncated file and restores the configurations from the backup', async () => {
    const file = join(folder.path, 'mm.db');
    const id = await databaseWithOneConfiguration(file, 'Work');
    assert.ok(readFileSync(backupPathOf(file)).length > 0);
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2));
    const cut = readFileSync(file);
    const { store, notices } = await open(file);
    const [notice] = notices;
    assert.equal(notice?.kind, 'restored-from-backup');
    assert.match(notice.message, /is damaged \((the file is cut off|integrity check failed|SQLite could not read it)/);
    assert.match(notice.message, /restored from the backup/);
    assert.match(notice.message, /check your configurations/);
    assert.deepEqual(readFileSync(notice.quarantinedTo), cut);
    const user = store.read((r) => r.users.localUser());
    assert.equal(store.read((r) => r.configurations.get(user?.id ?? '', id))?.name, 'Work');
    await store.close();
  });

  it('treats one flipped bit in a stored table definition as damage and restores the backup, so writes keep working', async () => {
    const file = join(folder.path, 'mm.db');
    const id = await databaseWithOneConfiguration(file, 'Work');
    const { store: writer } = await open(file);
    await writer.write((r) => { r.audit.record(r.users.ensureLocalUser().id, 'test', 'configuration', id, {}); });
    await writer.close();
    const bytes = await flipBitInLiveDefinition(readFileSync(file), 'action TEXT NOT NULL,', 'audit_log', 'cction');
    writeFileSync(file, bytes);
    const flipped = readFileSync(file);
    const logger = capturingLogger();
    const { store, notices } = await open(file, { logger });
    const [notice] = notices;
    assert.equal(notice?.kind, 'restored-from-backup');
    assert.match(notice.message, /is damaged \(the schema does not match what version \d+ of the migrations built: table audit_log differs/);
    assert.match(notice.message, /cction/);
    assert.deepEqual(readFileSync(notice.quarantinedTo), flipped, 'the damaged bytes are kept');
    const user = store.read((r) => r.users.localUser());
    assert.equal(store.read((r) => r.configurations.get(user?.id ?? '', id))?.name, 'Work');
    await store.write((r) => { r.audit.record(user?.id ?? '', 'after-restore', 'configuration', id, {}); });
    assert.equal(store.read((r) => r.audit.list(user?.id ?? '', 10))[0]?.action, 'after-restore');
    await store.close();
  });

  it('opens a file migrated one version at a time without calling its schema damaged', async () => {
    const file = join(folder.path, 'mm.db');
    const SQL = await loadSqlJs(wasmPath);
    const db = new SQL.Database();
    migrate(new Sql(db), '2026-01-01T00:00:00.000Z', 1);
    writeFileSync(file, db.export());
    db.close();
    const logger = capturingLogger();
    const { store, notices } = await open(file, { logger });
    assert.deepEqual(notices, []);
    assert.ok(logger.lines.some((l) => l.includes(`Database schema 1 → ${String(LATEST_SCHEMA_VERSION)}`)));
    await store.close();
    const { store: again, notices: second } = await open(file);
    assert.deepEqual(second, []);
    await again.close();
  });

  it('quarantines both a damaged file and a damaged backup rather than deleting either', async () => {
    const file = join(folder.path, 'mm.db');
    writeFileSync(file, 'SQLite format 3\u0000 but not really');
    writeFileSync(backupPathOf(file), '');
    const { store, notices } = await open(file);
    assert.equal(notices[0]?.kind, 'started-fresh');
    assert.equal(quarantined(folder.path).length, 2);
    await store.close();
  });

  it('refuses a file from a newer schema, leaving it byte-for-byte untouched', async () => {
    const file = join(folder.path, 'mm.db');
    await databaseWithOneConfiguration(file, 'Future');
    const SQL = await loadSqlJs(wasmPath);
    const db = new SQL.Database(readFileSync(file));
    db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (99, '2030-01-01T00:00:00.000Z')");
    writeFileSync(file, db.export());
    db.close();
    const before = readFileSync(file);
    const result = await openStore({ filePath: file, wasmPath });
    assert.ok(!result.ok, 'expected the open to be refused');
    assert.equal(result.problem.kind, 'newer-schema');
    assert.match(result.problem.message, /written by a newer version of Model Manager \(schema version 99; this version understands up to \d+\)/);
    assert.ok(result.problem.message.includes(`understands up to ${String(LATEST_SCHEMA_VERSION)})`));
    assert.match(result.problem.message, /left untouched\. Update Model Manager/);
    assert.deepEqual(readFileSync(file), before);
    assert.deepEqual(quarantined(folder.path), []);
  });

  it('stops writing when another window upgrades the file to a newer schema', async () => {
    const file = join(folder.path, 'mm.db');
    const { store } = await open(file);
    await store.write((r) => r.users.ensureLocalUser());
    const SQL = await loadSqlJs(wasmPath);
    const db = new SQL.Database(readFileSync(file));
    db.run(`INSERT INTO schema_migrations (version, applied_at) VALUES (${String(LATEST_SCHEMA_VERSION + 1)}, '2030-01-01T00:00:00.000Z'); PRAGMA user_version = 999`);
    writeFileSync(file, db.export());
    db.close();
    const newer = readFileSync(file);
    await assert.rejects(store.write((r) => r.users.create('x')), (error: unknown) => error instanceof StoreError && error.problem.kind === 'newer-schema');
    assert.deepEqual(readFileSync(file), newer);
    await store.close();
  });

  it('reports a folder it cannot create as a problem with a next step, not a crash', async () => {
    const blocker = join(folder.path, 'not-a-folder');
    writeFileSync(blocker, 'x');
    const result = await openStore({ filePath: join(blocker, 'mm.db'), wasmPath });
    assert.ok(!result.ok, 'expected the open to be refused');
    assert.equal(result.problem.kind, 'unavailable');
    assert.match(result.problem.message, /could not open its database .* Check that the folder exists and is writable/);
  });
});

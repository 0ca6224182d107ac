import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Database, SqlJsStatic } from 'sql.js';
import { deriveUserKey } from '../src/core/crypto/DerivedKeyCache';
import { open as openEnvelope, parseEnvelope } from '../src/core/crypto/envelope';
import { EncryptionService } from '../src/core/crypto/EncryptionService';
import { InMemoryKeySource } from '../src/core/crypto/KeySource';
import { migrate } from '../src/core/store/migrations';
import { openStore } from '../src/core/store/openStore';
import { applyPragmas } from '../src/core/store/pragmas';
import { RequestLogRepository } from '../src/core/store/RequestLogRepository';
import { Sql } from '../src/core/store/sql';
import { loadSqlJs } from '../src/core/store/sqljs';
import type { Store } from '../src/core/store/Store';
import type { RequestLogEntry } from '../src/core/store/types';
import { UsageRepository } from '../src/core/store/UsageRepository';
import { emit, median, note } from './result';

const wasmPath = join(__dirname, '..', '..', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const DAY_MS = 86_400_000;
const USER = 'bench-user';
const CONFIGURATIONS = Array.from({ length: 10 }, (_, i) => `configuration-${String(i)}`);

/** Insert rate, save cost at three sizes, the 30-day aggregate over 1M rows, and key decrypt with and without the key cache. */
export async function run(): Promise<void> {
  const SQL = await loadSqlJs(wasmPath);
  const folder = mkdtempSync(join(tmpdir(), 'mm-bench-store-'));
  try {
    insertRate(SQL);
    for (const mb of [1, 10, 50]) await saveCost(SQL, folder, mb);
    aggregate(SQL);
    await decrypt(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function emptyDatabase(SQL: SqlJsStatic): Database {
  const db = new SQL.Database();
  migrate(new Sql(db), new Date().toISOString());
  applyPragmas(db);
  return db;
}

function entry(i: number, startedAt: number): RequestLogEntry {
  return {
    userId: USER, configurationId: CONFIGURATIONS[i % CONFIGURATIONS.length] ?? '', startedAt: new Date(startedAt).toISOString(), provider: 'openai',
    model: 'gpt-4o-mini', outcome: i % 50 === 0 ? 'error' : 'success', inputTokens: 200 + (i % 800), outputTokens: 50 + (i % 400), cachedTokens: i % 3 ? 0 : 64,
    costUsd: 0.0004 + (i % 7) * 0.0001, latencyMs: 300 + (i % 900), ttftMs: 90 + (i % 200),
  };
}

/** Rows spread evenly over `days` days ending now, inserted the way flushes do: one transaction per batch. */
function fill(db: Database, rows: number, days: number, batch = 5000): void {
  const repository = new RequestLogRepository(new Sql(db));
  const end = Date.now();
  const step = (days * DAY_MS) / rows;
  for (let start = 0; start < rows; start += batch) {
    const entries: RequestLogEntry[] = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) entries.push(entry(i, end - days * DAY_MS + i * step));
    db.run('BEGIN');
    repository.insertMany(entries);
    db.run('COMMIT');
  }
}

function insertRate(SQL: SqlJsStatic): void {
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const db = emptyDatabase(SQL);
    const started = performance.now();
    fill(db, 100_000, 30, 1000);
    rates.push(100_000 / ((performance.now() - started) / 1000));
    db.close();
  }
  emit({ bench: 'store', metric: 'insert_rows_per_s', value: median(rates), unit: 'rows/s', goal: '>=50000' });
}

async function saveCost(SQL: SqlJsStatic, folder: string, megabytes: number): Promise<void> {
  const db = emptyDatabase(SQL);
  // Grow in steps sized from the bytes per row measured so far, stopping at the target size.
  const target = megabytes * 1_000_000;
  let rows = 2000;
  fill(db, rows, 90);
  let size = db.export().length;
  applyPragmas(db);
  while (size < target) {
    const more = Math.max(500, Math.ceil(((target - size) / (size / rows)) * 0.9));
    fill(db, more, 90);
    rows += more;
    size = db.export().length;
    applyPragmas(db);
  }
  const file = join(folder, `save-${String(megabytes)}mb.db`);
  await writeFile(file, db.export());
  db.close();
  const opened = await openStore({ filePath: file, wasmPath });
  if (!opened.ok) throw new Error(opened.problem.message);
  const store = opened.store;
  const ours: number[] = [];
  const plain: number[] = [];
  const bytes = randomBytes(size);
  for (let i = 0; i < 7; i++) {
    // Our path: lock, changed-check, transaction, export, temp file + fsync, backup link, rename, folder fsync.
    let started = performance.now();
    await store.write((r) => {
      r.meta.set('bench', String(i));
    });
    ours.push(performance.now() - started);
    started = performance.now();
    await writeFile(join(folder, 'plain.bin'), bytes);
    plain.push(performance.now() - started);
  }
  await store.close();
  const value = median(ours);
  note(`save ${String(megabytes)} MB: file is ${(size / 1e6).toFixed(1)} MB`);
  emit({
    bench: 'store', metric: `save_${String(megabytes)}mb_ms`, value, unit: 'ms', baseline: 'plain writeFile of the same bytes', ratio: value / median(plain),
    ...(megabytes === 10 ? { goal: '<=150' } : {}),
  });
}

function aggregate(SQL: SqlJsStatic): void {
  const db = emptyDatabase(SQL);
  const started = performance.now();
  fill(db, 1_000_000, 90, 10_000);
  note(`filled 1M rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const sql = new Sql(db);
  const usage = new UsageRepository(sql);
  // An odd "now", so both partial edge days are read from request_log.
  const to = new Date(Date.now() - 7 * 3_600_000);
  const from = new Date(to.getTime() - 30 * DAY_MS);
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 9; i++) {
    let t = performance.now();
    const totals = usage.byConfiguration(USER, from, to);
    ours.push(performance.now() - t);
    if (totals.size !== CONFIGURATIONS.length) throw new Error('the aggregate missed configurations');
    t = performance.now();
    sql.all(
      'SELECT configuration_id, COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cost_usd) FROM request_log WHERE user_id = ? AND started_at >= ? AND started_at < ? GROUP BY configuration_id',
      [USER, from.toISOString(), to.toISOString()],
    );
    raw.push(performance.now() - t);
  }
  db.close();
  const value = median(ours);
  emit({ bench: 'store', metric: 'usage_aggregate_1m_ms', value, unit: 'ms', baseline: 'the same aggregate from request_log alone', ratio: value / median(raw), goal: '<=30' });
}

async function decrypt(folder: string): Promise<void> {
  const opened = await openStore({ filePath: join(folder, 'keys.db'), wasmPath });
  if (!opened.ok) throw new Error(opened.problem.message);
  const store: Store = opened.store;
  const keySource = new InMemoryKeySource();
  const crypto = new EncryptionService(store, keySource);
  await crypto.initialize();
  const configurationId = randomUUID();
  const userId = await store.write((r) => r.users.ensureLocalUser().id);
  const sealed = await store.write((r) => crypto.encryptApiKey('sk-bench-0123456789abcdefghijklmnopqrstuvwxyz', { userId, configurationId }, r.keys));
  const master = await keySource.getMasterSecret();
  if (!master) throw new Error('no master secret');
  const N = 5000;
  const cached: number[] = [];
  const derived: number[] = [];
  for (let round = 0; round < 7; round++) {
    let t = performance.now();
    for (let i = 0; i < N; i++) crypto.decryptApiKey(sealed, { userId, configurationId });
    cached.push(((performance.now() - t) * 1000) / N);
    t = performance.now();
    for (let i = 0; i < N; i++) {
      const envelope = parseEnvelope(sealed, configurationId);
      openEnvelope(envelope, deriveUserKey(master, userId, envelope.keyVersion), { userId, configurationId, field: 'api_key' });
    }
    derived.push(((performance.now() - t) * 1000) / N);
  }
  await store.close();
  const c = median(cached);
  const d = median(derived);
  emit({ bench: 'store', metric: 'decrypt_cached_us', value: c, unit: 'µs', baseline: 'deriving the key each time', ratio: c / d });
  emit({ bench: 'store', metric: 'decrypt_derive_us', value: d, unit: 'µs', baseline: 'a cached derived key', ratio: d / c });
}

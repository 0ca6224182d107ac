import * as assert from 'node:assert/strict';
import type { Database } from 'sql.js';
import { BudgetRepository } from '../../../src/core/store/BudgetRepository';
import { latencyBucketOf, latencyBucketSql } from '../../../src/core/store/latencyBuckets';
import { migrate, migrations } from '../../../src/core/store/migrations';
import { RequestLogRepository } from '../../../src/core/store/RequestLogRepository';
import { Sql } from '../../../src/core/store/sql';
import { loadSqlJs } from '../../../src/core/store/sqljs';
import type { RequestLogEntry } from '../../../src/core/store/types';
import { UsageRepository } from '../../../src/core/store/UsageRepository';
import { wasmPath } from './helpers';

function entry(i: number, at: number): RequestLogEntry {
  return {
    userId: 'u', configurationId: `c${String(i % 3)}`, startedAt: new Date(at).toISOString(), provider: i % 3 === 2 ? 'anthropic' : 'openai', model: 'm',
    outcome: i % 7 === 0 ? 'error' : 'success', inputTokens: 100 + i, outputTokens: 10 + (i % 5), cachedTokens: i % 4, costUsd: 0.001 * (i % 9),
    latencyMs: 50 + ((i * 37) % 2000), ttftMs: i % 5 === 0 ? null : 20 + (i % 30), priceSource: i % 11 === 0 ? 'unknown' : '@pydantic/genai-prices@test',
  };
}

async function database(upTo?: number): Promise<{ db: Database; sql: Sql }> {
  const SQL = await loadSqlJs(wasmPath);
  const db = new SQL.Database();
  const sql = new Sql(db);
  if (upTo === undefined) migrate(sql, '2026-11-01T00:00:00.000Z');
  else {
    sql.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    for (const m of migrations.filter((x) => x.version <= upTo)) {
      db.exec(m.up);
      sql.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [m.version, 'then']);
    }
  }
  return { db, sql };
}

describe('usage rollups in the store', () => {
  it('gives the same detailed totals from rollups + edge days as from raw rows alone, histogram included', async () => {
    const { db, sql } = await database();
    const log = new RequestLogRepository(sql);
    const start = Date.parse('2026-10-01T05:17:00Z');
    const rows = Array.from({ length: 3000 }, (_, i) => entry(i, start + i * 1_234_567));
    log.insertMany(rows.slice(0, 1700));
    log.insertMany(rows.slice(1700));
    const usage = new UsageRepository(sql);
    const from = new Date('2026-10-03T13:00:00Z');
    const to = new Date('2026-11-20T07:30:00Z');
    const details = usage.details('u', from, to);
    const raw = sql.all(
      `SELECT configuration_id AS id, COUNT(*) AS n, SUM(input_tokens) AS input, SUM(cost_usd) AS cost, SUM(outcome = 'error') AS errors,
         SUM(ttft_ms) AS ttft, COUNT(ttft_ms) AS ttft_n, SUM(price_source = 'unknown') AS unpriced, MAX(started_at) AS last
       FROM request_log WHERE user_id = 'u' AND started_at >= ? AND started_at < ? GROUP BY configuration_id`,
      [from.toISOString(), to.toISOString()],
    );
    assert.equal(raw.length, 3);
    for (const r of raw) {
      const d = details.get(String(r.id));
      assert.ok(d);
      assert.deepEqual([d.requestCount, d.inputTokens, d.errorCount, d.ttftCount, d.unpricedCount, d.lastUsedAt], [r.n, r.input, r.errors, r.ttft_n, r.unpriced, r.last]);
      assert.ok(Math.abs(d.costUsd - Number(r.cost)) < 1e-9);
      assert.ok(Math.abs(d.ttftMsSum - Number(r.ttft)) < 1e-6);
      const buckets = sql.all(`SELECT ${latencyBucketSql('latency_ms')} AS b, COUNT(*) AS n FROM request_log WHERE configuration_id = ? AND started_at >= ? AND started_at < ? GROUP BY b`,
        [String(r.id), from.toISOString(), to.toISOString()]);
      assert.deepEqual(new Map(buckets.map((b) => [Number(b.b), Number(b.n)])), d.latencyBuckets);
    }
    assert.equal(details.get('c2')?.provider, 'anthropic');
    db.close();
  });

  it('buckets latencies the same way in SQLite and in JavaScript', async () => {
    const { db, sql } = await database();
    for (const ms of [0, 0.5, 1, 1.5, 2, 10, 99.9, 250, 1000, 12_345, 600_000]) {
      assert.equal(Number(sql.get(`SELECT ${latencyBucketSql('?')} AS b`.replaceAll('?', String(ms)))?.b), latencyBucketOf(ms), `latency ${String(ms)}`);
    }
    db.close();
  });

  it('keeps rollups when raw rows are pruned, so whole-day totals do not change', async () => {
    const { db, sql } = await database();
    const log = new RequestLogRepository(sql);
    const start = Date.parse('2026-08-01T00:00:00Z');
    log.insertMany(Array.from({ length: 500 }, (_, i) => entry(i, start + i * 3 * 3_600_000)));
    const usage = new UsageRepository(sql);
    const from = new Date('2026-08-01T00:00:00Z');
    const to = new Date('2026-10-05T00:00:00Z');
    const before = usage.details('u', from, to);
    const removed = log.pruneBefore(new Date('2026-09-15T00:00:00Z'));
    assert.ok(removed > 300, `removed ${String(removed)}`);
    assert.deepEqual(usage.details('u', from, to), before);
    assert.equal(log.oldestStartedAt(), '2026-09-15T00:00:00.000Z');
    db.close();
  });

  it('backfills the new rollup columns and latency histogram from rows recorded before migration 3', async () => {
    const { db, sql } = await database(2);
    const at = Date.parse('2026-11-02T10:00:00Z');
    for (const [i, latency] of [120, 480, 900].entries()) {
      sql.run(`INSERT INTO request_log (user_id, configuration_id, started_at, provider, model, outcome, latency_ms, ttft_ms) VALUES ('u', 'c', ?, 'openai', 'm', 'success', ?, ?)`,
        [new Date(at + i * 60_000).toISOString(), latency, 10 * (i + 1)]);
    }
    sql.run(`INSERT INTO provider_usage (id, user_id, configuration_id, date, request_count, latency_ms_sum, latency_count) VALUES ('r', 'u', 'c', '2026-11-02', 3, 1500, 3)`);
    assert.deepEqual(migrate(sql, 'now'), { kind: 'migrated', from: 2, to: migrations.at(-1)?.version });
    const d = new UsageRepository(sql).details('u', new Date('2026-11-01T00:00:00Z'), new Date('2026-11-05T00:00:00Z')).get('c');
    assert.deepEqual([d?.ttftMsSum, d?.ttftCount, d?.provider, d?.lastUsedAt], [60, 3, 'openai', '2026-11-02T10:02:00.000Z']);
    assert.deepEqual([...(d?.latencyBuckets.keys() ?? [])].sort((a, b) => a - b), [120, 480, 900].map(latencyBucketOf));
    db.close();
  });

  it('stores budgets and fires each budget threshold once per period', async () => {
    const { db, sql } = await database();
    const budgets = new BudgetRepository(sql, () => '2026-11-27T00:00:00.000Z');
    const saved = budgets.save('u', { name: 'Overall', period: 'month', limitUsd: 50, hardStop: true });
    assert.deepEqual([saved.configurationId, saved.limitUsd, saved.limitTokens, saved.hardStop], [null, 50, null, true]);
    assert.equal(budgets.recordAlert(saved.id, '2026-11-01T00:00:00.000Z', 50), true);
    assert.equal(budgets.recordAlert(saved.id, '2026-11-01T00:00:00.000Z', 50), false);
    assert.equal(budgets.recordAlert(saved.id, '2026-12-01T00:00:00.000Z', 50), true);
    assert.deepEqual(budgets.firedThresholds(saved.id, '2026-11-01T00:00:00.000Z'), [50]);
    assert.equal(budgets.list('other').length, 0);
    assert.equal(budgets.delete('u', saved.id), true);
    assert.deepEqual(budgets.firedThresholds(saved.id, '2026-11-01T00:00:00.000Z'), []);
    db.close();
  });
});

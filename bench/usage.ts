import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ModelCatalog } from '../src/core/catalog/ModelCatalog';
import { migrate } from '../src/core/store/migrations';
import { openStore } from '../src/core/store/openStore';
import { applyPragmas } from '../src/core/store/pragmas';
import { RequestLogRepository } from '../src/core/store/RequestLogRepository';
import { Sql } from '../src/core/store/sql';
import { loadSqlJs } from '../src/core/store/sqljs';
import type { RequestLogEntry } from '../src/core/store/types';
import { UsageTracker } from '../src/core/usage/UsageTracker';
import { runChart } from './chart';
import { emit, median, note } from './result';

const wasmPath = join(__dirname, '..', '..', 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm');
const DAY_MS = 86_400_000;
const USER = 'bench-user';
const CONFIGURATIONS = Array.from({ length: 10 }, (_, i) => `configuration-${String(i)}`);
const ROWS = 1_000_000;

/** getUsageStats (totals, TTFT, p50/p95, last use) over 1M request_log rows, against the same figures from request_log alone. */
export async function run(): Promise<void> {
  await runChart();
  const folder = mkdtempSync(join(tmpdir(), 'mm-bench-usage-'));
  // An odd "now", so both partial edge days of the 30-day window are read from request_log.
  const now = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS + 17 * 3_600_000 + 1234);
  try {
    const SQL = await loadSqlJs(wasmPath);
    const db = new SQL.Database();
    const sql = new Sql(db);
    migrate(sql, now.toISOString());
    applyPragmas(db);
    const started = performance.now();
    const repository = new RequestLogRepository(sql);
    const batch = 10_000;
    const step = (90 * DAY_MS) / ROWS;
    // Inserted the way flushes insert them: rows, rollups and histogram in one transaction per batch.
    for (let start = 0; start < ROWS; start += batch) {
      const entries: RequestLogEntry[] = [];
      for (let i = start; i < start + batch; i++) entries.push(entry(i, now.getTime() - 90 * DAY_MS + i * step));
      db.run('BEGIN');
      repository.insertMany(entries);
      db.run('COMMIT');
    }
    note(`filled ${String(ROWS)} rows in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const file = join(folder, 'usage.db');
    await writeFile(file, db.export());
    applyPragmas(db);
    const opened = await openStore({ filePath: file, wasmPath, now: () => now });
    if (!opened.ok) throw new Error(opened.problem.message);
    const store = opened.store;
    const tracker = new UsageTracker({ store, userId: USER, catalog: () => Promise.resolve(new ModelCatalog({ source: 'bench', providers: [] })), now: () => now });
    const period = { from: new Date(now.getTime() - 30 * DAY_MS), to: now };
    const configuration = CONFIGURATIONS[3] ?? '';
    const ours: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < 9; i++) {
      let t = performance.now();
      const stats = tracker.getUsageStats(configuration, period);
      ours.push(performance.now() - t);
      t = performance.now();
      const baseline = fromRawRows(sql, configuration, period.from, period.to);
      raw.push(performance.now() - t);
      if (stats.requestCount !== baseline.requests || stats.p95LatencyMs === null || Math.abs(stats.p95LatencyMs - baseline.p95) > baseline.p95 * 0.01) {
        throw new Error(`getUsageStats disagrees with request_log: ${JSON.stringify(stats)} vs ${JSON.stringify(baseline)}`);
      }
    }
    // The dashboard's chart series over the same 1M rows (no goal of its own: printed as a note).
    const series = { '30d': [] as number[], '24h': [] as number[] };
    for (let i = 0; i < 9; i++) {
      for (const period of ['30d', '24h'] as const) {
        const t = performance.now();
        tracker.series(period);
        series[period].push(performance.now() - t);
      }
    }
    note(`usage series over 1M rows: 30 days (daily) ${median(series['30d']).toFixed(1)} ms, 24 hours (hourly) ${median(series['24h']).toFixed(1)} ms`);
    await store.close();
    db.close();
    const value = median(ours);
    emit({ bench: 'usage', metric: 'stats_1m_ms', value, unit: 'ms', baseline: 'the same figures (totals, TTFT, p50/p95) from request_log alone', ratio: value / median(raw), goal: '<=30' });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

function entry(i: number, startedAt: number): RequestLogEntry {
  return {
    userId: USER, configurationId: CONFIGURATIONS[i % CONFIGURATIONS.length] ?? '', startedAt: new Date(startedAt).toISOString(), provider: 'openai',
    model: 'gpt-4o-mini', outcome: i % 50 === 0 ? 'error' : 'success', inputTokens: 200 + (i % 800), outputTokens: 50 + (i % 400), cachedTokens: i % 3 ? 0 : 64,
    costUsd: 0.0004 + (i % 7) * 0.0001, latencyMs: 300 + ((i * 7919) % 2900), ttftMs: 90 + (i % 200), priceSource: 'bench',
  };
}

/** The baseline: every figure straight from request_log (sums, then the two percentiles by rank). */
function fromRawRows(sql: Sql, configurationId: string, from: Date, to: Date): { requests: number; p95: number } {
  const scope = [USER, configurationId, from.toISOString(), to.toISOString()];
  const where = 'WHERE user_id = ? AND configuration_id = ? AND started_at >= ? AND started_at < ?';
  const totals = sql.get(`SELECT COUNT(*) AS n, SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_usd), SUM(outcome = 'error'),
    SUM(latency_ms), COUNT(latency_ms) AS latencies, AVG(ttft_ms), MAX(started_at) FROM request_log ${where}`, scope);
  const latencies = Number(totals?.latencies ?? 0);
  const rank = (p: number): number => Math.max(0, Math.ceil((p / 100) * latencies) - 1);
  sql.get(`SELECT latency_ms FROM request_log ${where} AND latency_ms IS NOT NULL ORDER BY latency_ms LIMIT 1 OFFSET ?`, [...scope, rank(50)]);
  const p95 = sql.get(`SELECT latency_ms AS v FROM request_log ${where} AND latency_ms IS NOT NULL ORDER BY latency_ms LIMIT 1 OFFSET ?`, [...scope, rank(95)]);
  return { requests: Number(totals?.n ?? 0), p95: Number(p95?.v ?? 0) };
}

import { randomUUID } from 'node:crypto';
import type { BindParams } from 'sql.js';
import type { Sql } from './sql';
import type { RequestLogEntry } from './types';

interface DailyRollup {
  userId: string;
  configurationId: string;
  date: string;
  requests: number;
  input: number;
  output: number;
  cached: number;
  cost: number;
  errors: number;
  latencySum: number;
  latencyCount: number;
}

/** request_log rows and, in the same transaction, the provider_usage daily rollups that make aggregates fast. */
export class RequestLogRepository {
  constructor(private readonly sql: Sql) {}

  insertMany(entries: readonly RequestLogEntry[]): void {
    if (entries.length === 0) return;
    const rollups = new Map<string, DailyRollup>();
    const rows: BindParams[] = [];
    for (const entry of entries) {
      const startedAt = new Date(entry.startedAt).toISOString();
      rows.push([entry.userId, entry.configurationId, entry.routeGroupId ?? null, startedAt, entry.provider, entry.model,
        entry.outcome, entry.errorCode ?? null, entry.inputTokens ?? 0, entry.outputTokens ?? 0, entry.cachedTokens ?? 0,
        entry.costUsd ?? 0, entry.latencyMs ?? null, entry.ttftMs ?? null, entry.attempt ?? 1, entry.reason ?? null]);
      addToRollup(rollups, entry, startedAt.slice(0, 10));
    }
    this.sql.runMany(
      `INSERT INTO request_log (user_id, configuration_id, route_group_id, started_at, provider, model, outcome, error_code,
         input_tokens, output_tokens, cached_tokens, cost_usd, latency_ms, ttft_ms, attempt, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      rows,
    );
    this.sql.runMany(
      `INSERT INTO provider_usage (id, user_id, configuration_id, date, request_count, input_tokens, output_tokens, cached_tokens,
         total_tokens, cost_usd, error_count, latency_ms_sum, latency_count)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, configuration_id, date) DO UPDATE SET
         request_count = request_count + excluded.request_count,
         input_tokens = input_tokens + excluded.input_tokens,
         output_tokens = output_tokens + excluded.output_tokens,
         cached_tokens = cached_tokens + excluded.cached_tokens,
         total_tokens = total_tokens + excluded.total_tokens,
         cost_usd = cost_usd + excluded.cost_usd,
         error_count = error_count + excluded.error_count,
         latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum,
         latency_count = latency_count + excluded.latency_count`,
      [...rollups.values()].map((r) => [randomUUID(), r.userId, r.configurationId, r.date, r.requests, r.input, r.output,
        r.cached, r.input + r.output, r.cost, r.errors, r.latencySum, r.latencyCount]),
    );
  }

  count(userId: string, configurationId?: string): number {
    const row = configurationId === undefined
      ? this.sql.get('SELECT COUNT(*) AS n FROM request_log WHERE user_id = ?', [userId])
      : this.sql.get('SELECT COUNT(*) AS n FROM request_log WHERE user_id = ? AND configuration_id = ?', [userId, configurationId]);
    return Number(row?.n ?? 0);
  }
}

function addToRollup(rollups: Map<string, DailyRollup>, entry: RequestLogEntry, date: string): void {
  const key = `${entry.userId}\u0000${entry.configurationId}\u0000${date}`;
  let rollup = rollups.get(key);
  if (!rollup) {
    rollup = { userId: entry.userId, configurationId: entry.configurationId, date, requests: 0, input: 0, output: 0, cached: 0, cost: 0, errors: 0, latencySum: 0, latencyCount: 0 };
    rollups.set(key, rollup);
  }
  rollup.requests += 1;
  rollup.input += entry.inputTokens ?? 0;
  rollup.output += entry.outputTokens ?? 0;
  rollup.cached += entry.cachedTokens ?? 0;
  rollup.cost += entry.costUsd ?? 0;
  if (entry.outcome === 'error') rollup.errors += 1;
  if (entry.latencyMs !== undefined && entry.latencyMs !== null) {
    rollup.latencySum += entry.latencyMs;
    rollup.latencyCount += 1;
  }
}

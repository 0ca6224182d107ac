import type { BindParams } from 'sql.js';
import type { Row, Sql } from './sql';
import { num, text } from './sql';
import type { UsageTotals } from './types';

const DAY_MS = 86_400_000;

export const emptyTotals: UsageTotals = {
  requestCount: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, totalTokens: 0, costUsd: 0, errorCount: 0, latencyMsSum: 0, latencyCount: 0,
};

const ROLLUP_COLUMNS = `SUM(request_count) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output,
  SUM(cached_tokens) AS cached, SUM(cost_usd) AS cost, SUM(error_count) AS errors, SUM(latency_ms_sum) AS latency_sum,
  SUM(latency_count) AS latency_count`;

const LOG_COLUMNS = `COUNT(*) AS requests, SUM(input_tokens) AS input, SUM(output_tokens) AS output, SUM(cached_tokens) AS cached,
  SUM(cost_usd) AS cost, SUM(outcome = 'error') AS errors, SUM(latency_ms) AS latency_sum, COUNT(latency_ms) AS latency_count`;

/**
 * Usage over a time window: whole UTC days come from the provider_usage rollups, the partial days at
 * either edge from request_log through its (user, configuration, time) index.
 */
export class UsageRepository {
  constructor(private readonly sql: Sql) {}

  /** Totals per configuration of one user over [from, to). */
  byConfiguration(userId: string, from: Date, to: Date): Map<string, UsageTotals> {
    const totals = new Map<string, UsageTotals>();
    const add = (rows: Row[]): void => {
      for (const row of rows) {
        const id = text(row.configuration_id);
        totals.set(id, sum(totals.get(id) ?? emptyTotals, toTotals(row)));
      }
    };
    for (const part of split(from, to)) {
      if (part.kind === 'days') {
        add(this.sql.all(`SELECT configuration_id, ${ROLLUP_COLUMNS} FROM provider_usage WHERE user_id = ? AND date >= ? AND date < ? GROUP BY configuration_id`, [userId, part.from, part.to]));
      } else {
        add(this.sql.all(`SELECT configuration_id, ${LOG_COLUMNS} FROM request_log WHERE user_id = ? AND started_at >= ? AND started_at < ? GROUP BY configuration_id`, [userId, part.from, part.to]));
      }
    }
    return totals;
  }

  /** Totals of one configuration of one user over [from, to). */
  forConfiguration(userId: string, configurationId: string, from: Date, to: Date): UsageTotals {
    let total = emptyTotals;
    for (const part of split(from, to)) {
      const params: BindParams = [userId, configurationId, part.from, part.to];
      const row = part.kind === 'days'
        ? this.sql.get(`SELECT ${ROLLUP_COLUMNS} FROM provider_usage WHERE user_id = ? AND configuration_id = ? AND date >= ? AND date < ?`, params)
        : this.sql.get(`SELECT ${LOG_COLUMNS} FROM request_log WHERE user_id = ? AND configuration_id = ? AND started_at >= ? AND started_at < ?`, params);
      if (row) total = sum(total, toTotals(row));
    }
    return total;
  }
}

interface Part {
  kind: 'days' | 'log';
  from: string;
  to: string;
}

/** Splits [from, to) into whole UTC days (rollups) and the partial edges (raw rows). */
function split(from: Date, to: Date): Part[] {
  if (to <= from) return [];
  const firstWholeDay = Math.ceil(from.getTime() / DAY_MS) * DAY_MS;
  const endOfWholeDays = Math.floor(to.getTime() / DAY_MS) * DAY_MS;
  if (firstWholeDay >= endOfWholeDays) return [{ kind: 'log', from: from.toISOString(), to: to.toISOString() }];
  const parts: Part[] = [];
  if (from.getTime() < firstWholeDay) parts.push({ kind: 'log', from: from.toISOString(), to: new Date(firstWholeDay).toISOString() });
  parts.push({ kind: 'days', from: new Date(firstWholeDay).toISOString().slice(0, 10), to: new Date(endOfWholeDays).toISOString().slice(0, 10) });
  if (endOfWholeDays < to.getTime()) parts.push({ kind: 'log', from: new Date(endOfWholeDays).toISOString(), to: to.toISOString() });
  return parts;
}

function toTotals(row: Row): UsageTotals {
  const inputTokens = num(row.input);
  const outputTokens = num(row.output);
  return {
    requestCount: num(row.requests),
    inputTokens,
    outputTokens,
    cachedTokens: num(row.cached),
    totalTokens: inputTokens + outputTokens,
    costUsd: num(row.cost),
    errorCount: num(row.errors),
    latencyMsSum: num(row.latency_sum),
    latencyCount: num(row.latency_count),
  };
}

function sum(a: UsageTotals, b: UsageTotals): UsageTotals {
  return {
    requestCount: a.requestCount + b.requestCount,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cachedTokens: a.cachedTokens + b.cachedTokens,
    totalTokens: a.totalTokens + b.totalTokens,
    costUsd: a.costUsd + b.costUsd,
    errorCount: a.errorCount + b.errorCount,
    latencyMsSum: a.latencyMsSum + b.latencyMsSum,
    latencyCount: a.latencyCount + b.latencyCount,
  };
}

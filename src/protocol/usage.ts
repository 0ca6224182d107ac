// The usage dashboard's messages: reports, chart series, health and budgets. Never a key.
import * as z from 'zod/mini';
import { text } from './views';

const id = text(200);
const when = z.nullable(text(64));
/** Ten years of days is the longest series the core builds. */
const points = z.array(z.number()).check(z.maxLength(4000));
const maybePoints = z.array(z.nullable(z.number())).check(z.maxLength(4000));

/** The period picker: the last 24 hours, 7 or 30 days, or a custom range (ISO dates or times, UTC). */
export const chartPeriodSchema = z.union([z.enum(['24h', '7d', '30d']), z.strictObject({ from: text(64), to: text(64) })]);
export type ChartPeriodView = z.infer<typeof chartPeriodSchema>;

export const usageMetricsSchema = z.strictObject({
  requestCount: z.number(),
  tokenCount: z.number(),
  costUSD: z.number(),
  averageLatency: z.number(),
  errorRate: z.number(),
  lastUsed: when,
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedTokens: z.number(),
  errorCount: z.number(),
  averageTtftMs: z.nullable(z.number()),
  p50LatencyMs: z.nullable(z.number()),
  p95LatencyMs: z.nullable(z.number()),
  unpricedRequests: z.number(),
});
export type UsageMetricsView = z.infer<typeof usageMetricsSchema>;

const rateWindowSchema = z.strictObject({ limit: z.optional(z.number()), remaining: z.optional(z.number()), resetsAt: z.optional(text(64)) });
export const rateLimitViewSchema = z.strictObject({
  observedAt: text(64),
  requests: z.optional(rateWindowSchema),
  tokens: z.optional(rateWindowSchema),
  inputTokens: z.optional(rateWindowSchema),
  outputTokens: z.optional(rateWindowSchema),
  retryAt: z.optional(text(64)),
});
export type RateLimitView = z.infer<typeof rateLimitViewSchema>;

export const usageReportSchema = z.strictObject({
  from: text(64),
  to: text(64),
  widenedToWholeDays: z.boolean(),
  generatedAt: text(64),
  totals: usageMetricsSchema,
  byConfiguration: z.array(
    z.strictObject({
      configurationId: id,
      /** Null for a configuration deleted since. */
      name: z.nullable(text(200)),
      provider: id,
      /** The provider as the user knows it ("Groq", "OpenAI"), never an internal id. */
      providerName: text(200),
      model: z.nullable(text(300)),
      metrics: usageMetricsSchema,
      /** Which price its cost is counted at, in words (describePrice). */
      price: text(300),
      priceKind: z.enum(['catalog', 'override', 'local', 'gateway', 'unknown']),
      rateLimit: z.optional(rateLimitViewSchema),
    }),
  ).check(z.maxLength(2000)),
  byProvider: z.array(z.strictObject({ provider: id, providerName: text(200), metrics: usageMetricsSchema })).check(z.maxLength(200)),
  /** Requests cancelled mid-answer whose tokens were counted locally (estimated); absent when filtered by client. */
  estimatedRequests: z.optional(z.number()),
});
export type UsageReportView = z.infer<typeof usageReportSchema>;

export const seriesValuesSchema = z.strictObject({
  requests: points,
  inputTokens: points,
  outputTokens: points,
  cachedTokens: points,
  costUsd: points,
  errors: points,
  p50LatencyMs: maybePoints,
  p95LatencyMs: maybePoints,
});
export type SeriesValuesView = z.infer<typeof seriesValuesSchema>;

/** `label`: what a legend shows for the group (a provider's display name when grouped by provider). */
const seriesGroupSchema = z.strictObject({ key: id, provider: id, label: text(200), values: seriesValuesSchema });
export type SeriesGroupView = z.infer<typeof seriesGroupSchema>;

export const usageSeriesSchema = z.strictObject({
  from: text(64),
  to: text(64),
  unit: z.enum(['hour', 'day']),
  times: points,
  total: seriesValuesSchema,
  byConfiguration: z.array(seriesGroupSchema).check(z.maxLength(2000)),
  byProvider: z.array(seriesGroupSchema).check(z.maxLength(200)),
  widenedToWholeDays: z.boolean(),
  hourlyDetailFrom: when,
});
export type UsageSeriesView = z.infer<typeof usageSeriesSchema>;

export const healthStatusSchema = z.strictObject({
  configurationId: id,
  name: text(200),
  provider: id,
  state: z.enum(['unknown', 'healthy', 'unhealthy']),
  lastCheckedAt: when,
  latencyMs: z.nullable(z.number()),
  error: z.nullable(text()),
  errorRate: z.nullable(z.number()),
});
export type HealthStatusView = z.infer<typeof healthStatusSchema>;

export const budgetPeriodSchema = z.enum(['day', 'month']);

/** A budget as the form sends it; the host checks the numbers and names the field that is wrong. */
export const budgetInputSchema = z.strictObject({
  id: z.optional(id),
  name: text(200),
  /** Null: every configuration together. */
  configurationId: z.nullable(id),
  /** Only the requests of this local endpoint client; absent keeps what the budget had (the form does not set it). */
  clientId: z.optional(z.nullable(id)),
  period: budgetPeriodSchema,
  limitUsd: z.nullable(z.number()),
  limitTokens: z.nullable(z.number()),
  hardStop: z.boolean(),
});
export type BudgetInputView = z.infer<typeof budgetInputSchema>;

export const budgetStatusSchema = z.strictObject({
  id,
  name: text(200),
  configurationId: z.nullable(id),
  clientId: z.nullable(id),
  /** The client's name, for a budget of one local endpoint client. */
  clientName: z.nullable(text(200)),
  period: budgetPeriodSchema,
  limitUsd: z.nullable(z.number()),
  limitTokens: z.nullable(z.number()),
  hardStop: z.boolean(),
  spentUsd: z.number(),
  spentTokens: z.number(),
  /** Spent over the limit (the larger of USD and tokens), 1 = used up. */
  fraction: z.number(),
  projectedUsd: z.number(),
  projectedTokens: z.number(),
  projectedFraction: z.number(),
  resetsAt: text(64),
  firedThresholds: z.array(z.number()).check(z.maxLength(10)),
});
export type BudgetStatusView = z.infer<typeof budgetStatusSchema>;

/** A LiteLLM configuration's virtual-key budget as the proxy last reported it (/key/info); never the key. */
export const gatewayBudgetViewSchema = z.strictObject({
  configurationId: id,
  name: text(200),
  /** reported: the figures below; not-reported: the key may not read them; failed: `message` says why; not-checked: no read has answered yet. */
  state: z.enum(['reported', 'not-reported', 'failed', 'not-checked']),
  spendUsd: z.nullable(z.number()),
  /** Null: no budget set on the key. */
  maxBudgetUsd: z.nullable(z.number()),
  remainingUsd: z.nullable(z.number()),
  softBudgetUsd: z.nullable(z.number()),
  budgetDuration: z.nullable(text(32)),
  resetsAt: when,
  keyAlias: z.nullable(text(100)),
  teamId: z.nullable(text(100)),
  blocked: z.boolean(),
  message: z.nullable(text(1000)),
  /** Null while not checked. */
  checkedAt: z.nullable(text(64)),
});
export type GatewayBudgetView = z.infer<typeof gatewayBudgetViewSchema>;

/** Whose requests the dashboard counts: one local endpoint client's, or VS Code's own ('vscode'); absent: everyone's. */
export const clientFilterSchema = z.union([z.literal('vscode'), id]);
export type ClientFilterView = z.infer<typeof clientFilterSchema>;

/** A local endpoint client the dashboard can filter by (revoked ones too: their requests stay counted). */
export const usageClientSchema = z.strictObject({ id, name: text(200), revoked: z.boolean() });
export type UsageClientView = z.infer<typeof usageClientSchema>;

/** The dashboard's methods; spread into `methods` in rpc.ts. */
export const usageMethods = {
  'usage.report': { params: z.strictObject({ period: chartPeriodSchema, client: z.optional(clientFilterSchema) }), result: usageReportSchema },
  'usage.series': { params: z.strictObject({ period: chartPeriodSchema, client: z.optional(clientFilterSchema) }), result: usageSeriesSchema },
  'usage.clients': { params: z.strictObject({}), result: z.array(usageClientSchema).check(z.maxLength(2000)) },
  /** Saves what the dashboard shows as CSV through the host's save dialog; false when the user cancelled. */
  'usage.exportCsv': {
    params: z.strictObject({ period: chartPeriodSchema, groupBy: z.enum(['configuration', 'provider']), client: z.optional(clientFilterSchema) }),
    result: z.strictObject({ saved: z.boolean(), fileName: z.optional(text(1000)) }),
  },
  'health.list': { params: z.strictObject({}), result: z.array(healthStatusSchema).check(z.maxLength(2000)) },
  'health.check': { params: z.strictObject({}), result: z.array(healthStatusSchema).check(z.maxLength(2000)) },
  'budgets.list': { params: z.strictObject({}), result: z.array(budgetStatusSchema).check(z.maxLength(2000)) },
  /** The team gateways' budgets of the LiteLLM configurations, as last read (with the health check). */
  'gatewayBudgets.list': { params: z.strictObject({}), result: z.array(gatewayBudgetViewSchema).check(z.maxLength(2000)) },
  /**
   * Reads the budgets from the proxies now (the dashboard opens, or the user pressed Refresh: `force`), then lists
   * them; an open without `force` reuses reads of the last minute. A slow proxy may take its 30 s timeout.
   */
  'gatewayBudgets.refresh': { params: z.strictObject({ force: z.optional(z.boolean()) }), result: z.array(gatewayBudgetViewSchema).check(z.maxLength(2000)), timeoutMs: 75_000 },
  'budgets.save': { params: z.strictObject({ budget: budgetInputSchema }), result: budgetStatusSchema },
  'budgets.delete': { params: z.strictObject({ id }), result: z.strictObject({ deleted: z.boolean() }) },
} as const;

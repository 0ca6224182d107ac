import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChartPeriodView, ClientFilterView, RateLimitView, UsageClientView, UsageMetricsView, UsageReportView, UsageSeriesView } from '../../src/protocol';
import { MessageRegion } from '../components/MessageRegion';
import { useConfigurations } from '../hooks/configurations';
import { useData } from '../rpc/context';
import { dashboardStrings as s } from '../strings';
import { Budgets } from './Budgets';
import type { ChartSeries } from './charts';
import { formatCompact, formatCost, formatCount, formatMs, formatPercent, formatUsd, formatUtc } from './format';
import { GatewayBudgets } from './GatewayBudgets';
import { HealthTable } from './HealthTable';
import { useExportCsv, useUsageClients, useUsageReport, useUsageSeries } from './hooks';
import { UsageChart } from './UsageChart';

type Choice = '24h' | '7d' | '30d' | 'custom';
type GroupBy = 'configuration' | 'provider';

/** The usage dashboard: period picker, totals, per-configuration figures, charts, health and budgets. */
export function UsageDashboard(props: { readonly onBack: () => void }) {
  const { rpc } = useData();
  const [choice, setChoice] = useState<Choice>('30d');
  const [period, setPeriod] = useState<ChartPeriodView>('30d');
  const [groupBy, setGroupBy] = useState<GroupBy>('configuration');
  const [version, setVersion] = useState(0);
  // Only the Refresh button reads the team gateways afresh; usage notifications bump `version` after every chat.
  const [refreshes, setRefreshes] = useState(0);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [client, setClient] = useState<ClientFilterView | undefined>(undefined);
  const report = useUsageReport(period, client, version);
  const series = useUsageSeries(period, client, version);
  const clients = useUsageClients(version);
  const configurations = useConfigurations();
  const exportCsv = useExportCsv();
  useEffect(
    () =>
      rpc.onNotification((n) => {
        if (n.event === 'configurationsChanged' || n.event === 'usageChanged') setVersion((v) => v + 1);
      }),
    [rpc],
  );
  const pick = (next: Choice): void => {
    setChoice(next);
    setNotice(undefined);
    if (next !== 'custom') setPeriod(next);
  };
  const onExport = async (): Promise<void> => {
    setNotice(undefined);
    const result = await exportCsv.run({ period, groupBy, ...(client === undefined ? {} : { client }) });
    if (result) setNotice(result.saved ? s.exported(result.fileName ?? '') : s.exportCancelled);
  };
  return (
    <div class="screen usage-screen">
      <header class="screen-header">
        <h1>{s.title}</h1>
        <div class="toolbar">
          <vscode-button secondary icon="arrow-left" onClick={props.onBack}>
            {s.back}
          </vscode-button>
          <vscode-button
            secondary
            icon="refresh"
            onClick={() => {
              setVersion((v) => v + 1);
              setRefreshes((v) => v + 1);
            }}
          >
            {s.refresh}
          </vscode-button>
          <vscode-button icon="desktop-download" disabled={exportCsv.pending || !series.data} onClick={() => void onExport()}>
            {s.exportCsv}
          </vscode-button>
        </div>
      </header>
      <div class="usage-filters">
        <PeriodPicker choice={choice} onChoice={pick} onCustom={setPeriod} />
        <ClientPicker clients={clients.data ?? []} value={client} onChange={setClient} />
      </div>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <MessageRegion error={report.error ?? series.error ?? exportCsv.error} />
      {report.data ? <Totals report={report.data} /> : <p class="muted">{s.title}…</p>}
      <GatewayBudgets report={report.data} version={version} refreshes={refreshes} />
      {report.data ? <ConfigurationTable report={report.data} /> : null}
      {series.data && report.data ? <Charts series={series.data} report={report.data} groupBy={groupBy} onGroupBy={setGroupBy} /> : null}
      <HealthTable />
      {/* Every configuration and live endpoint client can be a budget's target, not only those with requests. */}
      <Budgets configurations={(configurations.data ?? []).map((c) => ({ id: c.id, name: c.name }))} clients={clients.data ?? []} version={version} />
    </div>
  );
}

/** Whose requests are counted: everyone's, VS Code's own, or one local endpoint client's. */
function ClientPicker(props: { readonly clients: readonly UsageClientView[]; readonly value: ClientFilterView | undefined; readonly onChange: (c: ClientFilterView | undefined) => void }) {
  // A client chosen and then gone from the list (another window deleted its data) falls back to everyone.
  const known = props.value === undefined || props.value === 'vscode' || props.clients.some((c) => c.id === props.value);
  return (
    <label class="client-picker">
      {s.clientLabel}{' '}
      <select
        value={known ? (props.value ?? '') : ''}
        onChange={(e) => {
          const next = e.currentTarget.value;
          props.onChange(next === '' ? undefined : next);
        }}
      >
        <option value="">{s.allClients}</option>
        <option value="vscode">{s.vscodeClient}</option>
        {props.clients.map((c) => (
          <option key={c.id} value={c.id}>
            {c.revoked ? s.revokedClient(c.name) : c.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function PeriodPicker(props: { readonly choice: Choice; readonly onChoice: (c: Choice) => void; readonly onCustom: (p: ChartPeriodView) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const apply = (): void => {
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      setError(s.customInvalid);
      return;
    }
    setError(undefined);
    // The end date is inclusive: the range runs to the start of the day after it.
    props.onCustom({ from: new Date(start).toISOString(), to: new Date(end + 86_400_000).toISOString() });
  };
  return (
    <div class="period-picker">
      <div role="radiogroup" aria-label={s.periodLabel} class="segmented">
        {(['24h', '7d', '30d', 'custom'] as const).map((c) => (
          <label key={c} class={props.choice === c ? 'segment selected' : 'segment'}>
            <input
              type="radio"
              name="period"
              value={c}
              checked={props.choice === c}
              onChange={() => {
                props.onChoice(c);
              }}
            />
            {s.periods[c]}
          </label>
        ))}
      </div>
      {props.choice === 'custom' ? (
        <div class="custom-range">
          <label>
            {s.customFrom}{' '}
            <input type="date" value={from} aria-invalid={error ? 'true' : 'false'} onInput={(e) => { setFrom(e.currentTarget.value); }} />
          </label>
          <label>
            {s.customTo}{' '}
            <input type="date" value={to} aria-invalid={error ? 'true' : 'false'} onInput={(e) => { setTo(e.currentTarget.value); }} />
          </label>
          <vscode-button secondary onClick={apply}>
            {s.apply}
          </vscode-button>
          {error ? (
            <p class="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function Totals(props: { readonly report: UsageReportView }) {
  const t = props.report.totals;
  const items: [string, string, string][] = [
    ['requests', s.requests, formatCount(t.requestCount)],
    ['input', s.tokensIn, formatCount(t.inputTokens)],
    ['output', s.tokensOut, formatCount(t.outputTokens)],
    ['cached', s.tokensCached, formatCount(t.cachedTokens)],
    ['cost', s.cost, formatCost(t, s.noPrice)],
    ['average', s.latencyAvg, t.requestCount > 0 ? formatMs(t.averageLatency) : '—'],
    ['p50', s.latencyP50, formatMs(t.p50LatencyMs)],
    ['p95', s.latencyP95, formatMs(t.p95LatencyMs)],
    ['ttft', s.ttft, formatMs(t.averageTtftMs)],
    ['errors', s.errorRate, t.requestCount > 0 ? formatPercent(t.errorRate) : '—'],
  ];
  return (
    <section class="usage-section" aria-labelledby="usage-totals">
      <h2 id="usage-totals">
        {s.totals} <span class="muted range">{s.range(props.report.from.slice(0, 16).replace('T', ' '), props.report.to.slice(0, 16).replace('T', ' '))}</span>
      </h2>
      <dl class="usage-grid totals">
        {items.map(([key, label, value]) => (
          <div key={key} class="usage-item" data-metric={key}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {t.unpricedRequests > 0 ? <p class="help">{s.unpriced(t.unpricedRequests)}</p> : null}
      {props.report.widenedToWholeDays ? <p class="help">{s.widened}</p> : null}
      {props.report.estimatedRequests ? <p class="help usage-estimated">{s.estimated(formatCount(props.report.estimatedRequests))}</p> : null}
    </section>
  );
}

function quotaText(limit: RateLimitView | undefined): string {
  if (!limit) return s.quotaUnknown;
  const parts: string[] = [];
  const window = (w: RateLimitView['requests'], f: (r: string, l: string) => string): void => {
    if (w?.remaining !== undefined) parts.push(f(formatCount(w.remaining), w.limit === undefined ? '?' : formatCount(w.limit)));
  };
  window(limit.requests, s.quotaRequests);
  window(limit.tokens, s.quotaTokens);
  window(limit.inputTokens, s.quotaTokens);
  if (limit.retryAt) parts.push(s.retryAt(formatUtc(limit.retryAt)));
  return parts.length > 0 ? parts.join(', ') : s.quotaUnknown;
}

function metricCells(m: UsageMetricsView) {
  return [
    formatCount(m.requestCount),
    formatCount(m.inputTokens),
    formatCount(m.outputTokens),
    formatCount(m.cachedTokens),
    formatCost(m, s.noPrice),
    formatMs(m.p50LatencyMs),
    formatMs(m.p95LatencyMs),
    m.requestCount > 0 ? formatPercent(m.errorRate) : '—',
  ];
}

function ConfigurationTable(props: { readonly report: UsageReportView }) {
  const rows = props.report.byConfiguration;
  return (
    <section class="usage-section" aria-labelledby="usage-by-configuration">
      <h2 id="usage-by-configuration">{s.byConfiguration}</h2>
      {props.report.totals.requestCount === 0 ? <p class="muted">{s.noUsage}</p> : null}
      <div class="table-scroll">
        <table class="data-table" aria-labelledby="usage-by-configuration">
          <thead>
            <tr>
              {[s.configuration, s.provider, s.requests, s.tokensIn, s.tokensOut, s.tokensCached, s.cost, s.latencyP50, s.latencyP95, s.errorRate, s.priceUsed, s.quota].map((h) => (
                <th key={h} scope="col">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.configurationId} data-configuration={r.name ?? r.configurationId}>
                <th scope="row">{r.name ?? <span class="muted">{`${s.deleted} ${r.configurationId.slice(0, 8)}`}</span>}</th>
                <td>{r.providerName}</td>
                {metricCells(r.metrics).map((cell, i) => (
                  <td key={i} class="number">
                    {cell}
                  </td>
                ))}
                <td class={`price price-${r.priceKind}`} title={r.price}>
                  {s.priceKinds[r.priceKind]}
                </td>
                <td>{quotaText(r.rateLimit)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function Charts(props: { readonly series: UsageSeriesView; readonly report: UsageReportView; readonly groupBy: GroupBy; readonly onGroupBy: (g: GroupBy) => void }) {
  const { series, report, groupBy } = props;
  const names = useMemo(() => new Map(report.byConfiguration.map((c) => [c.configurationId, c.name ?? `${s.deleted} ${c.configurationId.slice(0, 8)}`])), [report]);
  const charts = useMemo(() => {
    const groups = groupBy === 'configuration' ? series.byConfiguration : series.byProvider;
    const label = (g: UsageSeriesView['byProvider'][number]): string => (groupBy === 'configuration' ? (names.get(g.key) ?? s.deleted) : g.label);
    const per = (pick: (v: UsageSeriesView['total']) => readonly number[]): ChartSeries[] => groups.map((g) => ({ label: label(g), values: pick(g.values) }));
    const t = series.total;
    const tokens = (v: UsageSeriesView['total']): number[] => v.inputTokens.map((x, i) => x + (v.outputTokens[i] ?? 0));
    return {
      requests: per((v) => v.requests),
      tokens: per(tokens),
      cost: per((v) => v.costUsd),
      latency: [
        { label: 'p50', values: t.p50LatencyMs },
        { label: 'p95', values: t.p95LatencyMs },
      ],
      errors: [{ label: s.errorRate, values: t.requests.map((r, i) => (r > 0 ? (t.errors[i] ?? 0) / r : null)) }],
      totals: {
        requests: formatCount(sum(t.requests)),
        tokens: formatCount(sum(tokens(t))),
        cost: formatCost(report.totals, s.noPrice),
        errors: sum(t.requests) > 0 ? formatPercent(sum(t.errors) / sum(t.requests)) : '—',
      },
    };
  }, [series, report, groupBy, names]);
  const stacked = groupBy === 'provider';
  const times = series.times;
  return (
    <section class="usage-section" aria-labelledby="usage-charts">
      <div class="section-header">
        <h2 id="usage-charts">{s.charts}</h2>
        <div role="radiogroup" aria-label={s.groupLabel} class="segmented">
          {(['configuration', 'provider'] as const).map((g) => (
            <label key={g} class={groupBy === g ? 'segment selected' : 'segment'}>
              <input
                type="radio"
                name="group-by"
                value={g}
                checked={groupBy === g}
                onChange={() => {
                  props.onGroupBy(g);
                }}
              />
              {g === 'configuration' ? s.groupConfiguration : s.groupProvider}
            </label>
          ))}
        </div>
      </div>
      {series.hourlyDetailFrom ? <p class="help">{s.hourlyGone(formatUtc(series.hourlyDetailFrom))}</p> : null}
      <div class="chart-grid">
        <UsageChart id="chart-requests" title={s.chartRequests} times={times} series={charts.requests} stacked={stacked} counts format={formatCompact} total={charts.totals.requests} />
        <UsageChart id="chart-tokens" title={s.chartTokens} times={times} series={charts.tokens} stacked={stacked} counts format={formatCompact} total={charts.totals.tokens} />
        <UsageChart id="chart-cost" title={s.chartCost} times={times} series={charts.cost} stacked={stacked} format={formatUsd} total={charts.totals.cost} />
        <UsageChart id="chart-latency" title={s.chartLatency} times={times} series={charts.latency} format={formatCompact} total={`${formatMs(report.totals.p50LatencyMs)} / ${formatMs(report.totals.p95LatencyMs)}`} />
        <UsageChart id="chart-errors" title={s.chartErrors} times={times} series={charts.errors} format={formatPercent} total={charts.totals.errors} />
      </div>
    </section>
  );
}

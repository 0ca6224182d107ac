import { formatUsd } from '../../src/protocol/money';
import { useUsageStats } from '../hooks/configurations';
import { strings } from '../strings';

const number = new Intl.NumberFormat(undefined);

/** This month's totals for one configuration. */
export function UsageDisplay(props: { readonly id: string; readonly name: string }) {
  const usage = useUsageStats(props.id);
  if (usage.error) return <p class="error" role="alert">{strings.error(usage.error.message)}</p>;
  const u = usage.data;
  if (!u) return <p class="muted">{strings.loading}</p>;
  const rows: [string, string][] = [
    [strings.usageRequests, number.format(u.requestCount)],
    [strings.usageTokensIn, number.format(u.inputTokens)],
    [strings.usageTokensOut, number.format(u.outputTokens)],
    [strings.usageTokensCached, number.format(u.cachedTokens)],
    [strings.usageCost, formatUsd(u.costUsd)],
    [strings.usageErrors, number.format(u.errorCount)],
    [strings.usageLatency, u.latencyCount > 0 ? `${number.format(Math.round(u.latencyMsSum / u.latencyCount))} ms` : '—'],
  ];
  return (
    <section class="usage" aria-label={`${strings.usage}: ${props.name}`}>
      <h3>{strings.usageTitle}</h3>
      {u.requestCount === 0 ? <p class="muted">{strings.usageNone}</p> : null}
      <dl class="usage-grid">
        {rows.map(([label, value]) => (
          <div key={label} class="usage-item">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

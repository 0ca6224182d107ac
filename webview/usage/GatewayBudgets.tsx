import { useEffect, useState } from 'preact/hooks';
import type { GatewayBudgetView, UsageReportView } from '../../src/protocol';
import { MessageRegion } from '../components/MessageRegion';
import { useData } from '../rpc/context';
import { dashboardStrings as s } from '../strings';
import { formatCost, formatPercent, formatUsd, formatUtc } from './format';
import { useGatewayBudgetRead, useGatewayBudgets } from './hooks';

/**
 * One card per LiteLLM configuration: the team gateway's budget for its virtual key as the proxy last reported it,
 * beside what this machine sent through it in the period. Hidden when no configuration uses a LiteLLM proxy.
 */
export function GatewayBudgets(props: { readonly report: UsageReportView | undefined; readonly version: number; readonly refreshes: number }) {
  const { rpc } = useData();
  const [changed, setChanged] = useState(0);
  useEffect(
    () =>
      rpc.onNotification((n) => {
        if (n.event === 'gatewayBudgetsChanged') setChanged((v) => v + 1);
      }),
    [rpc],
  );
  // The list answers at once ("not checked yet" before any read); the read's answer then lists again.
  const read = useGatewayBudgetRead(props.refreshes);
  useEffect(() => {
    if (read.data) setChanged((v) => v + 1);
  }, [read.data]);
  const list = useGatewayBudgets(props.version + changed);
  const cards = list.data ?? [];
  if (cards.length === 0 && !list.error) return null;
  const local = new Map((props.report?.byConfiguration ?? []).map((c) => [c.configurationId, c.metrics]));
  return (
    <section class="usage-section" aria-labelledby="usage-gateway-budgets">
      <h2 id="usage-gateway-budgets">{s.gatewayBudgets}</h2>
      <MessageRegion error={list.error ?? read.error} />
      <p class="help">{s.gatewayBudgetsHelp}</p>
      <div class="gateway-cards">
        {cards.map((b) => (
          <GatewayCard key={b.configurationId} budget={b} local={local.get(b.configurationId)} />
        ))}
      </div>
    </section>
  );
}

function GatewayCard(props: { readonly budget: GatewayBudgetView; readonly local: UsageReportView['totals'] | undefined }) {
  const b = props.budget;
  const used = b.maxBudgetUsd !== null && b.maxBudgetUsd > 0 && b.spendUsd !== null ? Math.min(1, b.spendUsd / b.maxBudgetUsd) : b.maxBudgetUsd === 0 ? 1 : null;
  return (
    <article class={`gateway-card gateway-${b.state}`} data-configuration={b.name} aria-labelledby={`gateway-${b.configurationId}`}>
      <h3 id={`gateway-${b.configurationId}`}>{b.name}</h3>
      {b.state === 'reported' ? (
        <>
          <p class="gateway-left">
            {b.maxBudgetUsd === null ? s.gatewayNoBudget(formatUsd(b.spendUsd ?? 0)) : s.gatewayLeft(formatUsd(b.remainingUsd ?? 0), formatUsd(b.maxBudgetUsd))}
          </p>
          {used === null ? null : <meter min={0} max={1} low={0.5} high={0.8} optimum={0} value={used} aria-label={s.gatewayUsed(formatPercent(used))} />}
          <dl class="gateway-facts">
            {b.maxBudgetUsd === null ? null : <Fact label={s.gatewaySpent} value={formatUsd(b.spendUsd ?? 0)} />}
            {b.resetsAt ? <Fact label={s.resets} value={formatUtc(b.resetsAt)} /> : null}
            {b.softBudgetUsd === null ? null : <Fact label={s.gatewayAlert} value={formatUsd(b.softBudgetUsd)} />}
            {b.keyAlias ? <Fact label={s.gatewayKey} value={b.keyAlias} /> : null}
            {b.teamId ? <Fact label={s.gatewayTeam} value={b.teamId} /> : null}
          </dl>
          {b.blocked ? <p class="field-error">{s.gatewayBlocked}</p> : null}
        </>
      ) : (
        <p class="muted">{b.state === 'not-checked' ? s.gatewayNotChecked : b.state === 'not-reported' ? s.gatewayNotReported : s.gatewayFailed(b.message ?? '')}</p>
      )}
      <p class="gateway-local">{props.local ? s.gatewayLocal(formatCost(props.local, s.noPrice), props.local.requestCount) : s.gatewayLocal(formatUsd(0), 0)}</p>
      {b.checkedAt === null ? null : <p class="muted gateway-checked">{s.gatewayChecked(formatUtc(b.checkedAt))}</p>}
    </article>
  );
}

function Fact(props: { readonly label: string; readonly value: string }) {
  return (
    <div>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

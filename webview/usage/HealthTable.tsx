import { useState } from 'preact/hooks';
import type { HealthStatusView } from '../../src/protocol';
import { MessageRegion } from '../components/MessageRegion';
import { dashboardStrings as s } from '../strings';
import { formatMs, formatPercent, formatUtc } from './format';
import { useCheckHealth, useHealth } from './hooks';

const ICON = { healthy: 'pass', unhealthy: 'error', unknown: 'circle-large-outline' } as const;

/** The status of every active configuration: state, last check, latency, error rate, and "Check now". */
export function HealthTable() {
  const listed = useHealth();
  const check = useCheckHealth();
  const [checked, setChecked] = useState<readonly HealthStatusView[] | undefined>(undefined);
  const rows = checked ?? listed.data ?? [];
  return (
    <section class="usage-section" aria-labelledby="usage-health">
      <div class="section-header">
        <h2 id="usage-health">{s.health}</h2>
        <vscode-button
          secondary
          icon="pulse"
          disabled={check.pending}
          onClick={() => {
            void check.run(undefined).then((result) => {
              if (result) setChecked(result);
            });
          }}
        >
          {check.pending ? s.checking : s.checkNow}
        </vscode-button>
      </div>
      <MessageRegion error={listed.error ?? check.error} />
      {rows.length === 0 && !listed.loading ? <p class="muted">{s.noHealth}</p> : null}
      {rows.length > 0 ? (
        <div class="table-scroll">
          <table class="data-table health-table" aria-labelledby="usage-health">
            <thead>
              <tr>
                <th scope="col">{s.configuration}</th>
                <th scope="col">{s.health}</th>
                <th scope="col">{s.lastCheck}</th>
                <th scope="col">{s.latency}</th>
                <th scope="col">{s.errorRate}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.configurationId} data-configuration={r.name}>
                  <th scope="row">{r.name}</th>
                  <td class={`health-${r.state}`}>
                    <span class="health-state">
                      <span class={`codicon codicon-${ICON[r.state]}`} aria-hidden="true" />
                      {s.healthState[r.state]}
                    </span>
                    {/* One line, cut with "…", the whole error in its tooltip: a long one must not squeeze the other columns. */}
                    {r.error ? <span class="muted health-error" title={r.error}>{r.error}</span> : null}
                  </td>
                  <td>{formatUtc(r.lastCheckedAt)}</td>
                  <td class="number">{formatMs(r.latencyMs)}</td>
                  <td class="number">{r.errorRate === null ? '—' : formatPercent(r.errorRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

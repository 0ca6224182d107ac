import { useState } from 'preact/hooks';
import type { UsagePeriodView } from '../../src/protocol';
import { formatUsd } from '../../src/protocol/money';
import { valueOf } from '../elements';
import { useUsageStats } from '../hooks/configurations';
import { strings } from '../strings';

const number = new Intl.NumberFormat(undefined);
type Choice = 'day' | 'week' | 'month' | 'custom';
const DAY_MS = 86_400_000;

/** One configuration's totals for today, the last 7 days, this month or a range of days, with the window stated. */
export function UsageDisplay(props: { readonly id: string; readonly name: string }) {
  const [choice, setChoice] = useState<Choice>('month');
  const [range, setRange] = useState<{ from: string; to: string } | undefined>(undefined);
  const period: UsagePeriodView | undefined = choice === 'custom' ? range : choice;
  const usage = useUsageStats(props.id, period);
  const u = usage.data;
  const rows: [string, string][] = u
    ? [
        [strings.usageRequests, number.format(u.requestCount)],
        [strings.usageTokensIn, number.format(u.inputTokens)],
        [strings.usageTokensOut, number.format(u.outputTokens)],
        [strings.usageTokensCached, number.format(u.cachedTokens)],
        [strings.usageCost, formatUsd(u.costUsd)],
        [strings.usageErrors, number.format(u.errorCount)],
        [strings.usageLatency, u.latencyCount > 0 ? `${number.format(Math.round(u.latencyMsSum / u.latencyCount))} ms` : '—'],
      ]
    : [];
  const selectId = `usage-period-${props.id}`;
  return (
    <section class="usage" aria-label={`${strings.usage}: ${props.name}`}>
      <div class="usage-head">
        <h3>{strings.usageTitle}</h3>
        <label class="field inline" for={selectId}>
          <span class="visually-hidden">{strings.usagePeriodLabel}</span>
          <select
            id={selectId}
            class="usage-period"
            value={choice}
            onChange={(e) => {
              setChoice(valueOf(e) as Choice);
            }}
          >
            {(['day', 'week', 'month', 'custom'] as const).map((c) => (
              <option key={c} value={c}>
                {strings.usagePeriods[c]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {choice === 'custom' ? <CustomRange onApply={setRange} /> : null}
      {usage.error && period !== undefined ? (
        <p class="error" role="alert">
          {strings.error(usage.error.message)}
        </p>
      ) : null}
      {period === undefined ? <p class="muted">{strings.usagePickRange}</p> : !u ? <p class="muted">{strings.loading}</p> : null}
      {u && period !== undefined ? (
        <>
          <p class="muted usage-window">{strings.usageWindow(utcText(u.from), utcText(u.to), userText(u.from), userText(u.to))}</p>
          {u.requestCount === 0 ? <p class="muted">{strings.usageNone}</p> : null}
          {u.estimatedRequests ? <p class="muted usage-estimated">{strings.usageEstimated(number.format(u.estimatedRequests))}</p> : null}
          <dl class="usage-grid">
            {rows.map(([label, value]) => (
              <div key={label} class="usage-item">
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
    </section>
  );
}

/** Two dates, whole UTC days, the last included (the usage records keep UTC days). */
function CustomRange(props: { readonly onApply: (range: { from: string; to: string }) => void }) {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const apply = (): void => {
    const start = Date.parse(`${from}T00:00:00Z`);
    const end = Date.parse(`${to}T00:00:00Z`);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end < start) {
      setError(strings.usageRangeInvalid);
      return;
    }
    setError(undefined);
    props.onApply({ from: new Date(start).toISOString(), to: new Date(end + DAY_MS).toISOString() });
  };
  return (
    <div class="custom-range">
      <label>
        {strings.usageFrom}{' '}
        <input type="date" class="usage-from" value={from} aria-invalid={error ? 'true' : 'false'} onInput={(e) => { setFrom(e.currentTarget.value); }} />
      </label>
      <label>
        {strings.usageTo}{' '}
        <input type="date" class="usage-to" value={to} aria-invalid={error ? 'true' : 'false'} onInput={(e) => { setTo(e.currentTarget.value); }} />
      </label>
      <vscode-button secondary class="usage-apply" onClick={apply}>
        {strings.usageApply}
      </vscode-button>
      {error ? (
        <p class="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

// Date parts spelled out: Intl refuses a time zone name together with dateStyle/timeStyle.
const moment: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };

/** "Dec 3, 2026, 12:00 AM" in UTC. */
function utcText(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { ...moment, timeZone: 'UTC' });
}

/** The moment as the user's clock shows it: written as the UTC text when that clock is on UTC then, so the two compare equal. */
function userText(iso: string): string {
  return new Date(iso).getTimezoneOffset() === 0 ? utcText(iso) : localText(iso);
}

/** The same moment on the user's clock, with its zone. */
function localText(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { ...moment, timeZoneName: 'short' });
}

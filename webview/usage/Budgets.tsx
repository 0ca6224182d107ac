import { useState } from 'preact/hooks';
import type { BudgetInputView, BudgetStatusView, UsageClientView } from '../../src/protocol';
import { MessageRegion, splitRefusal } from '../components/MessageRegion';
import { strings, dashboardStrings as s } from '../strings';
import { formatCount, formatPercent, formatUsd, formatUtc } from './format';
import { useBudgets, useDeleteBudget, useSaveBudget } from './hooks';

interface ConfigurationOption {
  readonly id: string;
  readonly name: string;
}

type Editing = { readonly kind: 'new' } | { readonly kind: 'edit'; readonly budget: BudgetStatusView };

/** Budgets with how much is used, the projection to the period's end, and a form to add or edit one. */
export function Budgets(props: { readonly configurations: readonly ConfigurationOption[]; readonly clients: readonly UsageClientView[]; readonly version: number }) {
  const [version, setVersion] = useState(0);
  const list = useBudgets(props.version + version);
  const remove = useDeleteBudget();
  const [editing, setEditing] = useState<Editing | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const names = new Map(props.configurations.map((c) => [c.id, c.name]));
  const budgets = list.data ?? [];
  const limitText = (b: BudgetStatusView): string =>
    [b.limitUsd === null ? null : formatUsd(b.limitUsd), b.limitTokens === null ? null : `${formatCount(b.limitTokens)} tokens`].filter(Boolean).join(' + ');
  const spentText = (b: BudgetStatusView, usd: number, tokens: number): string =>
    [b.limitUsd === null ? null : formatUsd(usd), b.limitTokens === null ? null : `${formatCount(Math.round(tokens))} tokens`].filter(Boolean).join(' + ');
  return (
    <section class="usage-section" aria-labelledby="usage-budgets">
      <div class="section-header">
        <h2 id="usage-budgets">{s.budgets}</h2>
        <vscode-button
          secondary
          icon="add"
          onClick={() => {
            setEditing({ kind: 'new' });
          }}
        >
          {s.addBudget}
        </vscode-button>
      </div>
      <MessageRegion error={list.error ?? remove.error} />
      {editing ? (
        <BudgetForm
          key={editing.kind === 'edit' ? editing.budget.id : 'new'}
          budget={editing.kind === 'edit' ? editing.budget : undefined}
          configurations={props.configurations}
          clients={props.clients}
          onDone={() => {
            setEditing(undefined);
            setVersion((v) => v + 1);
          }}
          onCancel={() => {
            setEditing(undefined);
          }}
        />
      ) : null}
      {budgets.length === 0 && !list.loading ? <p class="muted">{s.noBudgets}</p> : null}
      {budgets.length > 0 ? (
        <div class="table-scroll">
          <table class="data-table budget-table" aria-labelledby="usage-budgets">
            <thead>
              <tr>
                {[s.budgetName, s.budgetScope, s.budgetPeriod, s.budgetLimit, s.used, s.projection, s.resets, s.hardStop.split(':')[0] ?? '', ''].map((h, i) => (
                  <th key={i} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {budgets.map((b) => (
                <tr key={b.id} data-budget={b.name}>
                  <th scope="row">{b.name}</th>
                  <td>
                    {b.configurationId === null ? s.allConfigurations : (names.get(b.configurationId) ?? b.configurationId)}
                    {b.clientId === null ? null : <span class="muted">{` · ${s.clientScope} "${b.clientName ?? b.clientId.slice(0, 8)}"`}</span>}
                  </td>
                  <td>{b.period === 'day' ? s.budgetDaily : s.budgetMonthly}</td>
                  <td>{limitText(b)}</td>
                  <td>
                    <meter min={0} max={1} low={0.5} high={0.8} optimum={0} value={Math.min(1, b.fraction)} aria-label={`${s.used} ${formatPercent(b.fraction)}`} />{' '}
                    <span class="budget-used">{formatPercent(b.fraction)}</span> <span class="muted">({spentText(b, b.spentUsd, b.spentTokens)})</span>
                  </td>
                  <td>
                    {formatPercent(b.projectedFraction)} <span class="muted">({spentText(b, b.projectedUsd, b.projectedTokens)})</span>
                  </td>
                  <td>{formatUtc(b.resetsAt)}</td>
                  <td>{b.hardStop ? 'on' : 'off'}</td>
                  <td class="row-actions">
                    {confirming === b.id ? (
                      <span class="confirm" role="alert">
                        {s.confirmDeleteBudget(b.name)}{' '}
                        <vscode-button
                          class="danger"
                          onClick={() => {
                            void remove.run(b.id).then(() => {
                              setConfirming(undefined);
                              setVersion((v) => v + 1);
                            });
                          }}
                        >
                          {s.deleteBudget}
                        </vscode-button>{' '}
                        <vscode-button
                          secondary
                          onClick={() => {
                            setConfirming(undefined);
                          }}
                        >
                          {strings.cancel}
                        </vscode-button>
                      </span>
                    ) : (
                      <>
                        <vscode-button secondary icon="edit" aria-label={strings.actionLabel(s.editBudget, b.name)} onClick={() => { setEditing({ kind: 'edit', budget: b }); }}>
                          {s.editBudget}
                        </vscode-button>{' '}
                        <vscode-button secondary icon="trash" aria-label={strings.actionLabel(s.deleteBudget, b.name)} onClick={() => { setConfirming(b.id); }}>
                          {s.deleteBudget}
                        </vscode-button>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

/** "" → null, a number → it, anything else → NaN (the host names the field). */
function parseLimit(text: string): number | null {
  const trimmed = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (trimmed === '') return null;
  return /^\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

function BudgetForm(props: {
  readonly budget: BudgetStatusView | undefined;
  readonly configurations: readonly ConfigurationOption[];
  readonly clients: readonly UsageClientView[];
  readonly onDone: () => void;
  readonly onCancel: () => void;
}) {
  const b = props.budget;
  const save = useSaveBudget();
  const [name, setName] = useState(b?.name ?? '');
  const [scope, setScope] = useState(b?.configurationId ?? '');
  const [client, setClient] = useState(b?.clientId ?? '');
  // Live clients can be chosen; a budget's own client stays listed when edited, revoked or not (the host says which).
  const clientOptions = [
    ...props.clients.filter((c) => !c.revoked),
    ...(b?.clientId && !props.clients.some((c) => c.id === b.clientId && !c.revoked) ? [{ id: b.clientId, name: s.revokedClient(b.clientName ?? b.clientId.slice(0, 8)), revoked: true }] : []),
  ];
  // A budget's configuration deleted since stays listed (by id) rather than silently turning into "all".
  const configurationOptions = b?.configurationId && !props.configurations.some((c) => c.id === b.configurationId) ? [...props.configurations, { id: b.configurationId, name: b.configurationId.slice(0, 8) }] : props.configurations;
  const [period, setPeriod] = useState<'day' | 'month'>(b?.period ?? 'month');
  const [usd, setUsd] = useState(b?.limitUsd === null || b === undefined ? '' : String(b.limitUsd));
  const [tokens, setTokens] = useState(b?.limitTokens === null || b === undefined ? '' : String(b.limitTokens));
  const [hardStop, setHardStop] = useState(b?.hardStop ?? false);
  const [local, setLocal] = useState<Record<string, string>>({});
  // A field's error stands until that field is changed: a name typed after "Give the budget a name." clears it.
  const [changed, setChanged] = useState<ReadonlySet<string>>(new Set());
  const edited = (...fields: string[]): void => {
    if (fields.some((f) => !changed.has(f))) setChanged(new Set([...changed, ...fields]));
  };
  const { fields, general } = splitRefusal(save.error);
  const errors = Object.fromEntries(Object.entries({ ...fields, ...local }).filter(([field]) => !changed.has(field)));
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const limitUsd = parseLimit(usd);
    const limitTokens = parseLimit(tokens);
    const problems: Record<string, string> = {};
    if (Number.isNaN(limitUsd)) problems.limitUsd = s.numberInvalid;
    if (Number.isNaN(limitTokens)) problems.limitTokens = s.numberInvalid;
    setLocal(problems);
    setChanged(new Set());
    if (Object.keys(problems).length > 0) return;
    const input: BudgetInputView = { ...(b ? { id: b.id } : {}), name, configurationId: scope === '' ? null : scope, clientId: client === '' ? null : client, period, limitUsd, limitTokens, hardStop };
    if (await save.run(input)) props.onDone();
  };
  const error = (field: string) =>
    errors[field] ? (
      <p class="field-error" id={`budget-${field}-error`} role="alert">
        {errors[field]}
      </p>
    ) : null;
  const described = (field: string) => (errors[field] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `budget-${field}-error` } : {});
  return (
    <form class="budget-form" aria-label={b ? `${s.editBudget} ${b.name}` : s.addBudget} onSubmit={(e) => void submit(e)} noValidate>
      <MessageRegion error={general} />
      <div class="budget-fields">
        <div class="field">
          <label for="budget-name">{s.budgetName}</label>
          <input id="budget-name" type="text" value={name} maxLength={200} {...described('name')} onInput={(e) => { setName(e.currentTarget.value); edited('name'); }} />
          {error('name')}
        </div>
        <div class="field">
          <label for="budget-scope">{s.budgetScope}</label>
          <select id="budget-scope" value={scope} {...described('configurationId')} onChange={(e) => { setScope(e.currentTarget.value); edited('configurationId'); }}>
            <option value="">{s.allConfigurations}</option>
            {configurationOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {error('configurationId')}
        </div>
        <div class="field">
          <label for="budget-client">{s.budgetClient}</label>
          <select id="budget-client" value={client} {...described('clientId')} onChange={(e) => { setClient(e.currentTarget.value); edited('clientId'); }}>
            <option value="">{s.budgetEveryClient}</option>
            {clientOptions.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {error('clientId')}
        </div>
        <div class="field">
          <label for="budget-period">{s.budgetPeriod}</label>
          <select id="budget-period" value={period} onChange={(e) => { setPeriod(e.currentTarget.value === 'day' ? 'day' : 'month'); }}>
            <option value="month">{s.budgetMonthly}</option>
            <option value="day">{s.budgetDaily}</option>
          </select>
        </div>
        <div class="field">
          <label for="budget-limitUsd">{s.budgetUsd}</label>
          <input id="budget-limitUsd" type="text" inputMode="decimal" value={usd} {...described('limitUsd')} onInput={(e) => { setUsd(e.currentTarget.value); edited('limitUsd'); }} />
          {error('limitUsd')}
        </div>
        <div class="field">
          <label for="budget-limitTokens">{s.budgetTokens}</label>
          <input id="budget-limitTokens" type="text" inputMode="numeric" value={tokens} {...described('limitTokens')} onInput={(e) => { setTokens(e.currentTarget.value); edited('limitTokens', ...(fields.limitUsd && usd.trim() === '' ? ['limitUsd'] : [])); }} />
          {error('limitTokens')}
        </div>
      </div>
      <p class="help">{s.budgetLimitHelp}</p>
      <label class="checkbox">
        <input type="checkbox" checked={hardStop} onChange={(e) => { setHardStop(e.currentTarget.checked); }} /> {s.hardStop}
      </label>
      <div class="actions">
        <vscode-button disabled={save.pending} onClick={(e) => void submit(e)}>
          {s.saveBudget}
        </vscode-button>
        <vscode-button secondary onClick={props.onCancel}>
          {strings.cancel}
        </vscode-button>
      </div>
    </form>
  );
}

import { useState } from 'preact/hooks';
import type { ConfigurationView, Result, RouteGroupView, RouteStrategyView } from '../../src/protocol';
import { valueOf } from '../elements';
import { useConfigurations } from '../hooks/configurations';
import { useProviders } from '../hooks/providers';
import { useDeleteRouteGroup, useRouteGroups, useSaveRouteGroup, useTestRouteGroup } from '../hooks/routeGroups';
import { routeGroupStrings as s } from '../routeGroupStrings';
import { SelectField, TextField } from './Field';
import { nameError } from './form';
import { MessageRegion, splitRefusal } from './MessageRegion';
import { providerName } from './providerNames';

type View = { readonly kind: 'list'; readonly notice?: string } | { readonly kind: 'form'; readonly group?: RouteGroupView };

/** The Route Groups screen: the list, and the create/edit form in place of it. */
export function RouteGroups(props: { readonly onBack: () => void }) {
  const [view, setView] = useState<View>({ kind: 'list' });
  if (view.kind === 'form') {
    return (
      <RouteGroupForm
        group={view.group}
        onDone={(name) => {
          setView({ kind: 'list', notice: s.saved(name) });
        }}
        onCancel={() => {
          setView({ kind: 'list' });
        }}
      />
    );
  }
  return (
    <RouteGroupList
      key={view.notice ?? ''}
      notice={view.notice}
      onBack={props.onBack}
      onCreate={() => {
        setView({ kind: 'form' });
      }}
      onEdit={(group) => {
        setView({ kind: 'form', group });
      }}
    />
  );
}

function RouteGroupList(props: { notice: string | undefined; onBack: () => void; onCreate: () => void; onEdit: (group: RouteGroupView) => void }) {
  const groups = useRouteGroups();
  const remove = useDeleteRouteGroup();
  const [notice, setNotice] = useState(props.notice);
  const all = groups.data ?? [];
  return (
    <div class="screen route-groups-screen">
      <header class="screen-header">
        <h1>{s.title}</h1>
        <div class="toolbar">
          <vscode-button icon="add" onClick={props.onCreate}>
            {s.create}
          </vscode-button>
          <vscode-button secondary icon="arrow-left" onClick={props.onBack}>
            {s.back}
          </vscode-button>
        </div>
      </header>
      <p class="muted">{s.intro}</p>
      {notice ? (
        <p class="notice" role="status">
          <span class="codicon codicon-check" aria-hidden="true" /> {notice}
        </p>
      ) : null}
      <MessageRegion error={groups.error ?? remove.error} />
      {groups.data && all.length === 0 ? (
        <div class="empty">
          <p>{s.empty}</p>
          <p class="muted">{s.emptyHint}</p>
        </div>
      ) : null}
      <ul class="config-list" aria-label={s.listLabel}>
        {all.map((g) => (
          <RouteGroupRow
            key={g.id}
            group={g}
            onEdit={() => {
              props.onEdit(g);
            }}
            onDelete={async () => {
              const done = await remove.run(g.id);
              if (done) {
                setNotice(s.deleted(g.name));
                groups.reload();
              }
            }}
          />
        ))}
      </ul>
    </div>
  );
}

/** One group: its members and their states, and edit, test (a real chat) and delete. */
function RouteGroupRow(props: { group: RouteGroupView; onEdit: () => void; onDelete: () => Promise<void> }) {
  const g = props.group;
  const test = useTestRouteGroup();
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<Result<'routeGroups.test'> | undefined>(undefined);
  const runTest = async (): Promise<void> => {
    setResult(undefined);
    setResult(await test.run({ id: g.id, onProgress: setProgress }));
  };
  return (
    <li class="config-row route-group-row" data-id={g.id}>
      <div class="row-main">
        <span class="codicon codicon-symbol-interface status-icon" aria-hidden="true" />
        <div class="row-text">
          <span class="config-name">{g.name}</span>
          <span class="badge">{s.strategies[g.strategy].label}</span>
          <ol class={g.strategy === 'fallback' ? 'member-summary' : 'member-summary unordered'} aria-label={`${g.name}: ${s.membersLegend}`}>
            {g.members.map((m) => (
              <li key={`${m.configurationId}/${m.model}`} class={`member-state ${m.state}`}>
                <span class={`codicon ${stateIcon(m.state)}`} aria-hidden="true" /> {m.name} <span class="muted">· {m.model}</span>
                {g.strategy === 'weighted-round-robin' ? <span class="muted"> · {s.weight(m.weight)}</span> : null}
                <span class="muted"> · {s.states[m.state] ?? m.state}</span>
              </li>
            ))}
          </ol>
        </div>
        <div class="row-actions">
          <vscode-button secondary icon="edit" aria-label={`${s.edit} "${g.name}"`} onClick={props.onEdit}>
            {s.edit}
          </vscode-button>
          <vscode-button secondary icon="debug-start" aria-label={`${s.test} "${g.name}"`} disabled={test.pending} onClick={() => void runTest()}>
            {s.test}
          </vscode-button>
          <vscode-button
            secondary
            icon="trash"
            aria-label={`${s.delete} "${g.name}"`}
            onClick={() => {
              setConfirming(true);
            }}
          >
            {s.delete}
          </vscode-button>
        </div>
      </div>
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-label={s.confirmDelete(g.name)}>
          <span>{s.confirmDelete(g.name)}</span>
          <vscode-button
            class="danger"
            onClick={() => {
              setConfirming(false);
              void props.onDelete();
            }}
          >
            {s.delete}
          </vscode-button>
          <vscode-button
            secondary
            onClick={() => {
              setConfirming(false);
            }}
          >
            {s.cancel}
          </vscode-button>
        </div>
      ) : null}
      {test.pending ? (
        <p class="route-test muted" role="status">
          <vscode-progress-ring /> {progress ?? s.testing}
        </p>
      ) : null}
      <MessageRegion error={test.error} />
      {result ? (
        <div class={result.ok ? 'route-test passed' : 'route-test failed'} role="status">
          <span class={`codicon ${result.ok ? 'codicon-pass' : 'codicon-error'}`} aria-hidden="true" />
          {result.ok && result.answeredBy !== undefined && result.model !== undefined ? (
            <span>
              <strong>{s.answered(result.answeredBy, result.model, result.attempts)}</strong> {result.reason ? s.why(result.reason) : ''}
              {result.reply ? <span class="muted"> {s.reply(result.reply)}</span> : null}
            </span>
          ) : (
            <span>{s.failed(result.error ?? '')}</span>
          )}
        </div>
      ) : null}
    </li>
  );
}

function stateIcon(state: string): string {
  if (state === 'healthy') return 'codicon-pass';
  if (state === 'cooling-down') return 'codicon-watch';
  if (state === 'probing') return 'codicon-pulse';
  if (state === 'paused') return 'codicon-debug-pause';
  if (state === 'key-locked') return 'codicon-lock';
  if (state === 'unreachable') return 'codicon-debug-disconnect';
  if (state === 'failed') return 'codicon-error';
  return 'codicon-circle-slash';
}

interface Member {
  readonly configurationId: string;
  readonly weight: string;
}

const strategies = Object.keys(s.strategies) as RouteStrategyView[];

function RouteGroupForm(props: { group: RouteGroupView | undefined; onDone: (name: string) => void; onCancel: () => void }) {
  const configurations = useConfigurations();
  const providers = useProviders();
  const save = useSaveRouteGroup();
  const g = props.group;
  const [name, setName] = useState(g?.name ?? '');
  const [strategy, setStrategy] = useState<RouteStrategyView>(g?.strategy ?? 'fallback');
  const [members, setMembers] = useState<Member[]>(g ? g.members.map((m) => ({ configurationId: m.configurationId, weight: String(m.weight) })) : []);
  const [auth, setAuth] = useState(g?.settings.fallbackOnAuthError ?? false);
  const [restart, setRestart] = useState(g?.settings.restartStreamsWithNotice ?? false);
  const [failures, setFailures] = useState(String(g?.settings.cooldownFailures ?? 3));
  const [windowSeconds, setWindowSeconds] = useState(String(g?.settings.cooldownWindowSeconds ?? 60));
  const [outSeconds, setOutSeconds] = useState(String(g?.settings.cooldownSeconds ?? 30));
  const [tried, setTried] = useState(false);
  const all = configurations.data ?? [];
  const byId = new Map(all.map((c) => [c.id, c]));
  const chosen = new Set(members.map((m) => m.configurationId));
  const rows: (ConfigurationView & { member?: Member; index: number })[] = [
    ...members.flatMap((m, index) => {
      const c = byId.get(m.configurationId);
      return c ? [{ ...c, member: m, index }] : [];
    }),
    ...all.filter((c) => !chosen.has(c.id)).map((c) => ({ ...c, index: -1 })),
  ];

  const local: Record<string, string> = {};
  const nameProblem = nameError(name, s.nameRequired) ?? (all.some((c) => c.name.toLowerCase() === name.trim().toLowerCase()) ? s.nameIsConfiguration : undefined);
  if (nameProblem) local.name = nameProblem;
  if (members.length === 0) local.members = s.membersRequired;
  if (strategy === 'weighted-round-robin') members.forEach((m, i) => {
    if (!(Number(m.weight) > 0)) local[`members.${String(i)}.weight`] = s.positive;
  });
  for (const [field, value] of [['settings.cooldownFailures', failures], ['settings.cooldownWindowSeconds', windowSeconds], ['settings.cooldownSeconds', outSeconds]] as const) {
    if (!(Number(value) > 0)) local[field] = s.positive;
  }
  const refusal = splitRefusal(save.error);
  // The name is checked as it is typed; the rest once Save was tried.
  const errorOf = (field: string): string | undefined => (tried || (field === 'name' && name !== (g?.name ?? '')) ? (local[field] ?? refusal.fields[field]) : refusal.fields[field]);

  const toggle = (id: string, on: boolean): void => {
    setMembers(on ? [...members, { configurationId: id, weight: '1' }] : members.filter((m) => m.configurationId !== id));
  };
  const move = (index: number, by: number): void => {
    const next = [...members];
    const [item] = next.splice(index, 1);
    if (item) next.splice(index + by, 0, item);
    setMembers(next);
  };
  const submit = async (): Promise<void> => {
    setTried(true);
    if (Object.keys(local).length > 0) return;
    const saved = await save.run({
      ...(g ? { id: g.id } : {}),
      name: name.trim(),
      strategy,
      members: members.map((m) => ({ configurationId: m.configurationId, ...(strategy === 'weighted-round-robin' ? { weight: Number(m.weight) } : {}) })),
      settings: {
        fallbackOnAuthError: auth,
        restartStreamsWithNotice: restart,
        cooldownFailures: Math.round(Number(failures)),
        cooldownWindowSeconds: Number(windowSeconds),
        cooldownSeconds: Number(outSeconds),
      },
    });
    if (saved) props.onDone(saved.name);
  };

  return (
    <div class="screen route-group-form">
      <header class="screen-header">
        <h1>{g ? s.formEdit(g.name) : s.formCreate}</h1>
      </header>
      <MessageRegion error={refusal.general} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <TextField id="name" label={s.nameLabel} value={name} onInput={setName} help={s.nameHelp} error={errorOf('name')} required />
        <SelectField
          id="strategy"
          label={s.strategyLabel}
          value={strategy}
          options={strategies.map((value) => ({ value, label: s.strategies[value].label }))}
          onChange={(value) => {
            setStrategy(value as RouteStrategyView);
          }}
          help={s.strategies[strategy].detail}
        />
        <fieldset class={errorOf('members') ? 'members invalid' : 'members'} data-field="members">
          <legend>{s.membersLegend}</legend>
          <p class="help">{s.membersHelp(strategy)}</p>
          {configurations.data && all.length === 0 ? <p class="muted">{s.noConfigurations}</p> : null}
          <ul class="member-list">
            {rows.map((c) => {
              const detail = `${providerName(providers.data ?? [], c)} · ${c.model}`;
              const on = c.member !== undefined;
              return (
                <li key={c.id} class={on ? 'member-row chosen' : 'member-row'} data-id={c.id}>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={on}
                      aria-label={s.memberLabel(c.name, detail)}
                      onChange={(e) => {
                        toggle(c.id, e.currentTarget.checked);
                      }}
                    />
                    {strategy === 'fallback' && on ? <span class="order">{String(c.index + 1)}.</span> : null}
                    <span>{c.name}</span> <span class="muted">{detail}</span>
                  </label>
                  {on && strategy === 'fallback' ? (
                    <span class="member-actions">
                      <vscode-button secondary icon="arrow-up" aria-label={s.moveUp(c.name)} disabled={c.index === 0} onClick={() => { move(c.index, -1); }} />
                      <vscode-button secondary icon="arrow-down" aria-label={s.moveDown(c.name)} disabled={c.index === members.length - 1} onClick={() => { move(c.index, 1); }} />
                    </span>
                  ) : null}
                  {on && strategy === 'weighted-round-robin' && c.member ? (
                    <span class="member-weight">
                      <vscode-textfield
                        label={s.weightLabel(c.name)}
                        aria-label={s.weightLabel(c.name)}
                        value={c.member.weight}
                        invalid={Boolean(errorOf(`members.${String(c.index)}.weight`))}
                        onInput={(e) => {
                          const weight = valueOf(e);
                          setMembers(members.map((m, i) => (i === c.index ? { ...m, weight } : m)));
                        }}
                      />
                      {errorOf(`members.${String(c.index)}.weight`) ? <span class="field-error">{errorOf(`members.${String(c.index)}.weight`)}</span> : null}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
          {errorOf('members') ? (
            <p class="field-error" id="members-error">
              <span class="codicon codicon-error" aria-hidden="true" /> {errorOf('members')}
            </p>
          ) : null}
        </fieldset>
        <fieldset class="settings">
          <legend>{s.settingsLegend}</legend>
          <label class="check">
            <input
              type="checkbox"
              checked={auth}
              onChange={(e) => {
                setAuth(e.currentTarget.checked);
              }}
            />
            <span>{s.fallbackOnAuth}</span>
          </label>
          <p class="help">{s.fallbackOnAuthHelp}</p>
          <label class="check">
            <input
              type="checkbox"
              checked={restart}
              onChange={(e) => {
                setRestart(e.currentTarget.checked);
              }}
            />
            <span>{s.restartStreams}</span>
          </label>
          <p class="help">{s.restartStreamsHelp}</p>
          <div class="cooldown">
            <TextField id="cooldownFailures" label={s.cooldownFailures} value={failures} onInput={setFailures} error={errorOf('settings.cooldownFailures')} />
            <TextField id="cooldownWindowSeconds" label={s.cooldownWindow} value={windowSeconds} onInput={setWindowSeconds} error={errorOf('settings.cooldownWindowSeconds')} />
            <TextField id="cooldownSeconds" label={s.cooldownSeconds} value={outSeconds} onInput={setOutSeconds} error={errorOf('settings.cooldownSeconds')} />
          </div>
          <p class="help">{s.cooldownHelp}</p>
        </fieldset>
        {tried && Object.keys(local).length > 0 ? <p class="error">{s.fixErrors}</p> : null}
        <div class="actions">
          <vscode-button icon="save" disabled={save.pending} onClick={() => void submit()}>
            {save.pending ? s.saving : s.save}
          </vscode-button>
          <vscode-button secondary onClick={props.onCancel}>
            {s.cancel}
          </vscode-button>
        </div>
      </form>
    </div>
  );
}

import { useState } from 'preact/hooks';
import type { ConfigurationView, ProviderView, TestResultView } from '../../src/protocol';
import { valueOf } from '../elements';
import { useConfigurations, useDeleteConfiguration, useTestConnection } from '../hooks/configurations';
import { useProviders } from '../hooks/providers';
import { routeGroupStrings } from '../routeGroupStrings';
import { dashboardStrings, strings } from '../strings';
import { ConnectionTester } from './ConnectionTester';
import { MessageRegion } from './MessageRegion';
import { providerName } from './providerNames';
import { UsageDisplay } from './UsageDisplay';

type SortKey = 'name' | 'provider' | 'lastTest';

interface Props {
  readonly notice: string | undefined;
  readonly onAdd: () => void;
  readonly onTemplates: () => void;
  readonly onRouteGroups: () => void;
  readonly onEdit: (id: string) => void;
  readonly onUsage: () => void;
}

/** Every configuration with its status; filter, sort, and edit, test, usage and delete on each row. */
export function ConfigurationList(props: Props) {
  const configurations = useConfigurations();
  const providers = useProviders();
  const remove = useDeleteConfiguration();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<SortKey>('name');
  const [notice, setNotice] = useState(props.notice);
  const all = configurations.data ?? [];
  const known = providers.data ?? [];
  const needle = filter.trim().toLowerCase();
  const shown = all
    .filter((c) => !needle || [c.name, c.model, providerName(known, c)].some((s) => s.toLowerCase().includes(needle)))
    .sort(comparer(sort, known));
  return (
    <div class="screen list-screen">
      <header class="screen-header">
        <h1>{strings.title}</h1>
        <div class="toolbar">
          <vscode-button icon="add" onClick={props.onAdd}>
            {strings.addConfiguration}
          </vscode-button>
          <vscode-button secondary icon="library" onClick={props.onTemplates}>
            {strings.fromTemplate}
          </vscode-button>
          <vscode-button secondary icon="git-merge" onClick={props.onRouteGroups}>
            {routeGroupStrings.open}
          </vscode-button>
          <vscode-button secondary icon="graph" onClick={props.onUsage}>
            {dashboardStrings.open}
          </vscode-button>
        </div>
      </header>
      {notice ? (
        <p class="notice" role="status">
          <span class="codicon codicon-check" aria-hidden="true" /> {notice}
        </p>
      ) : null}
      <MessageRegion error={configurations.error ?? remove.error} />
      {all.length > 0 ? (
        <div class="list-controls">
          <div class="field inline">
            <label for="filter">{strings.filterLabel}</label>
            <vscode-textfield
              id="filter"
              label={strings.filterLabel}
              placeholder={strings.filterPlaceholder}
              value={filter}
              onInput={(e) => {
                setFilter(valueOf(e));
              }}
            >
              <span slot="content-before" class="codicon codicon-filter" aria-hidden="true" />
            </vscode-textfield>
          </div>
          <div class="field inline">
            <label for="sort">{strings.sortLabel}</label>
            <select
              id="sort"
              value={sort}
              onChange={(e) => {
                setSort(valueOf(e) as SortKey);
              }}
            >
              <option value="name">{strings.sortName}</option>
              <option value="provider">{strings.sortProvider}</option>
              <option value="lastTest">{strings.sortLastTest}</option>
            </select>
          </div>
        </div>
      ) : null}
      {configurations.loading && !configurations.data ? <p class="muted">{strings.loading}</p> : null}
      {configurations.data && all.length === 0 ? (
        <div class="empty">
          <p>{strings.empty}</p>
          <p class="muted">{strings.emptyHint}</p>
        </div>
      ) : null}
      {all.length > 0 && shown.length === 0 ? <p class="muted">{strings.noMatch}</p> : null}
      <ul class="config-list" aria-label={strings.listLabel}>
        {shown.map((c) => (
          <ConfigurationRow
            key={c.id}
            configuration={c}
            providerName={providerName(known, c)}
            onEdit={() => {
              props.onEdit(c.id);
            }}
            onBudgets={props.onUsage}
            onDelete={async () => {
              const done = await remove.run(c.id);
              if (done) setNotice(strings.deleted(c.name));
            }}
          />
        ))}
      </ul>
    </div>
  );
}

function ConfigurationRow(props: { configuration: ConfigurationView; providerName: string; onEdit: () => void; onDelete: () => Promise<void>; onBudgets: () => void }) {
  const c = props.configuration;
  const test = useTestConnection();
  const [result, setResult] = useState<TestResultView | undefined>(undefined);
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [showUsage, setShowUsage] = useState(false);
  const [confirming, setConfirming] = useState(false);
  // The host's one state for the configuration, the same the tree, route groups and status bar show.
  const status = c.state;
  // A test running anywhere (this row, the tree, the palette, the edit screen): the host says `pending` until it ends.
  const testing = c.testStatus === 'pending' || test.pending;
  const statusLabel = testing ? strings.testingNow : strings.status[status];
  const runTest = async (): Promise<void> => {
    setResult(undefined);
    setProgress(undefined);
    setResult(await test.run({ params: { id: c.id }, onProgress: setProgress }));
  };
  return (
    <li class={`config-row ${status}`} data-id={c.id}>
      <div class="row-main">
        <span
          class={`codicon status-icon ${testing ? 'codicon-loading codicon-modifier-spin testing' : statusIcons[status]}`}
          role="img"
          aria-label={statusLabel}
          title={statusLabel}
        />
        <div class="row-text">
          <span class="config-name">{c.name}</span>
          {c.isSelected ? <span class="badge">{strings.active}</span> : null}
          {c.isActive ? null : <span class="badge muted-badge">{strings.inactive}</span>}
          <span class="config-detail muted">
            {props.providerName} · {c.model} · {testing ? <span class="testing-note">{strings.testingNow}</span> : c.lastTestedAt ? strings.testedAt(new Date(c.lastTestedAt).toLocaleString()) : strings.neverTested}
          </span>
        </div>
        <div class="row-actions">
          <vscode-button secondary icon="edit" aria-label={strings.actionLabel(strings.edit, c.name)} onClick={props.onEdit}>
            {strings.edit}
          </vscode-button>
          <vscode-button secondary icon="debug-start" aria-label={strings.actionLabel(strings.test, c.name)} disabled={testing} onClick={() => void runTest()}>
            {strings.test}
          </vscode-button>
          <vscode-button
            secondary
            icon="graph"
            aria-label={strings.actionLabel(showUsage ? strings.hideUsage : strings.usage, c.name)}
            aria-expanded={showUsage ? 'true' : 'false'}
            onClick={() => {
              setShowUsage(!showUsage);
            }}
          >
            {showUsage ? strings.hideUsage : strings.usage}
          </vscode-button>
          <vscode-button
            secondary
            icon="trash"
            aria-label={strings.actionLabel(strings.delete, c.name)}
            onClick={() => {
              setConfirming(true);
            }}
          >
            {strings.delete}
          </vscode-button>
        </div>
      </div>
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-label={strings.confirmDelete(c.name)}>
          <span>{strings.confirmDelete(c.name)}</span>
          <vscode-button
            class="danger"
            onClick={() => {
              setConfirming(false);
              void props.onDelete();
            }}
          >
            {strings.delete}
          </vscode-button>
          <vscode-button
            secondary
            onClick={() => {
              setConfirming(false);
            }}
          >
            {strings.cancel}
          </vscode-button>
        </div>
      ) : null}
      {test.pending || result || test.error ? <ConnectionTester running={test.pending} progress={progress} result={result} error={test.error} onStop={test.stop} onChangeBudget={props.onBudgets} /> : null}
      {showUsage ? <UsageDisplay id={c.id} name={c.name} /> : null}
    </li>
  );
}

const statusIcons: Readonly<Record<ConfigurationView['state'], string>> = {
  'key-locked': 'codicon-lock',
  unreachable: 'codicon-debug-disconnect',
  failed: 'codicon-error',
  passed: 'codicon-pass',
  untested: 'codicon-circle-large-outline',
};

function comparer(sort: SortKey, providers: readonly ProviderView[]): (a: ConfigurationView, b: ConfigurationView) => number {
  const byName = (a: ConfigurationView, b: ConfigurationView): number => a.name.localeCompare(b.name);
  if (sort === 'provider') return (a, b) => providerName(providers, a).localeCompare(providerName(providers, b)) || byName(a, b);
  if (sort === 'lastTest') return (a, b) => (b.lastTestedAt ?? '').localeCompare(a.lastTestedAt ?? '') || byName(a, b);
  return byName;
}

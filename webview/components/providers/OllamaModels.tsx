import { useState } from 'preact/hooks';
import type { InstalledModelView, OllamaModelDetailsView } from '../../../src/protocol';
import { editStrings as s, formatBytes } from '../../editStrings';
import { useDeleteModel, useInstalledModels, useModelDetails } from '../../hooks/ollama';
import { strings } from '../../strings';

interface Props {
  readonly configurationId: string;
  /** Changes after a pull: the list is read again. */
  readonly version: number;
  /** A model was deleted: the model picker lists again. */
  readonly onDeleted: () => void;
}

/** The models installed on a saved Ollama server: each with its size, its details and Delete (asked first). */
export function OllamaModels(props: Props) {
  const [deletes, setDeletes] = useState(0);
  const installed = useInstalledModels(props.configurationId, props.version + deletes);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const models = installed.data ?? [];
  return (
    <fieldset class="ollama-models">
      <legend>{s.installedLegend}</legend>
      <p class="help">{s.installedHelp}</p>
      {notice ? (
        <p class="notice" role="status">
          <span class="codicon codicon-check" aria-hidden="true" /> {notice}
        </p>
      ) : null}
      {installed.error ? (
        <p class="error" role="alert">
          {strings.error(installed.error.message)}
        </p>
      ) : null}
      {installed.loading && !installed.data ? <p class="muted">{strings.loading}</p> : null}
      {installed.data && models.length === 0 ? <p class="muted">{s.installedNone}</p> : null}
      {models.length > 0 ? (
        <ul class="installed-models" aria-label={s.installedLabel}>
          {models.map((m) => (
            <InstalledModel
              key={m.id}
              configurationId={props.configurationId}
              model={m}
              onDeleted={(text) => {
                setNotice(text);
                setDeletes((n) => n + 1);
                props.onDeleted();
              }}
            />
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

function InstalledModel(props: { readonly configurationId: string; readonly model: InstalledModelView; readonly onDeleted: (notice: string) => void }) {
  const m = props.model;
  const [showDetails, setShowDetails] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const remove = useDeleteModel();
  const size = m.sizeBytes === undefined ? undefined : formatBytes(m.sizeBytes);
  const users = m.usedBy.map((n) => `"${n}"`).join(', ');
  const run = async (): Promise<void> => {
    const done = await remove.run({ configurationId: props.configurationId, model: m.id });
    setConfirming(false);
    if (done) props.onDeleted(s.deletedModel(m.id, done.sizeBytes === undefined ? undefined : formatBytes(done.sizeBytes)));
  };
  return (
    <li class="installed-model" data-model={m.id}>
      <div class="row-main">
        <span class="codicon codicon-symbol-class" aria-hidden="true" />
        <div class="row-text">
          <span class="config-name">{m.id}</span>
          <span class="config-detail muted">
            {size ?? s.sizeUnknown}
            {users ? ` · ${s.usedBy(users)}` : ''}
          </span>
        </div>
        <div class="row-actions">
          <vscode-button
            secondary
            icon="info"
            aria-label={s.actionLabel(showDetails ? s.hideDetails : s.details, m.id)}
            aria-expanded={showDetails ? 'true' : 'false'}
            onClick={() => {
              setShowDetails(!showDetails);
            }}
          >
            {showDetails ? s.hideDetails : s.details}
          </vscode-button>
          <vscode-button
            secondary
            icon="trash"
            aria-label={s.actionLabel(s.deleteModel, m.id)}
            disabled={remove.pending}
            onClick={() => {
              setConfirming(true);
            }}
          >
            {s.deleteModel}
          </vscode-button>
        </div>
      </div>
      {confirming ? (
        <div class="confirm" role="alertdialog" aria-label={s.confirmDeleteModel(m.id)}>
          <span>
            {s.confirmDeleteModel(m.id)} {size ? s.frees(size) : s.freesUnknown} {users ? s.stopsWorking(users) : ''}
          </span>
          <vscode-button class="danger" disabled={remove.pending} onClick={() => void run()}>
            {s.deleteModelConfirm}
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
      {remove.error ? (
        <p class="error" role="alert">
          {strings.error(remove.error.message)}
        </p>
      ) : null}
      {showDetails ? <ModelDetails configurationId={props.configurationId} model={m.id} /> : null}
    </li>
  );
}

function ModelDetails(props: { readonly configurationId: string; readonly model: string }) {
  const details = useModelDetails(props.configurationId, props.model);
  if (details.error) return <p class="error" role="alert">{strings.error(details.error.message)}</p>;
  const d = details.data;
  if (!d) return <p class="muted">{strings.loading}</p>;
  return (
    <dl class="usage-grid model-details" aria-label={s.detailsOf(props.model)}>
      {detailRows(d).map(([label, value]) => (
        <div key={label} class="usage-item">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

const count = new Intl.NumberFormat(undefined);

function detailRows(d: OllamaModelDetailsView): [string, string][] {
  const modified = d.modifiedAt ? new Date(d.modifiedAt) : undefined;
  return [
    [s.family, d.family ?? s.notStated],
    [s.parameters, d.parameterSize ?? s.notStated],
    [s.quantisation, d.quantization ?? s.notStated],
    [s.contextLength, d.contextLength === undefined ? s.notStated : s.contextTokens(count.format(d.contextLength))],
    [s.capabilities, d.capabilities.length > 0 ? d.capabilities.join(', ') : s.notStated],
    [s.licence, d.license ?? s.notStated],
    [s.sizeOnDisk, d.sizeBytes === undefined ? s.notStated : formatBytes(d.sizeBytes)],
    [s.modified, modified && !Number.isNaN(modified.getTime()) ? modified.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : s.notStated],
  ];
}

import type { Params } from '../../src/protocol';
import { useProviderModels } from '../hooks/providers';
import { strings } from '../strings';
import { SelectField, TextField } from './Field';

interface Props {
  /** The draft to list models for; undefined while it cannot be asked yet (e.g. no key typed). */
  readonly draft: Params<'providers.models'>['draft'] | undefined;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
}

/** A dropdown fed by the live model list, with refresh; a free-text field, saying why, when there is no list. */
export function ModelPicker(props: Props) {
  const { list, refresh } = useProviderModels(props.draft);
  const refreshButton = (
    <vscode-button secondary icon="refresh" aria-label={strings.refreshModels} title={strings.refreshModels} disabled={!props.draft} onClick={refresh} />
  );
  // Required in both forms: the marker stays when the typed key brings the list and the field becomes a dropdown.
  if (list?.status === 'ready' && list.models.length > 0) {
    const ids = list.models.map((m) => m.id);
    const options = [
      { value: '', label: strings.chooseModel },
      ...(props.value && !ids.includes(props.value) ? [{ value: props.value, label: props.value }] : []),
      ...list.models.map((m) => ({ value: m.id, label: m.displayName && m.displayName !== m.id ? `${m.id} — ${m.displayName}` : m.id })),
    ];
    return (
      <SelectField id="field-model" label={strings.modelLabel} value={props.value} options={options} onChange={props.onChange} error={props.error} required>
        {refreshButton}
      </SelectField>
    );
  }
  const why = !props.draft
    ? strings.modelsNeedKey
    : list?.status === 'error'
      ? strings.modelsUnavailable(list.message)
      : list?.status === 'ready'
        ? strings.modelsEmpty
        : undefined;
  return (
    <div class="model-picker">
      <TextField id="field-model" label={strings.modelLabel} value={props.value} required onInput={props.onChange} error={props.error}>
        {list?.status === 'loading' ? <vscode-progress-ring class="inline-ring" aria-label={strings.loadingModels} /> : refreshButton}
      </TextField>
      {why ? (
        <p class="help model-why" role="status">
          <span class="codicon codicon-info" aria-hidden="true" /> {why}
        </p>
      ) : null}
    </div>
  );
}

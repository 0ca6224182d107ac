import { useEffect, useRef, useState } from 'preact/hooks';
import type { ConfigurationView, ProviderView, TestResultView } from '../../src/protocol';
import { useConfiguration, useTestConnection, useUpdateConfiguration, useValidateConfiguration } from '../hooks/configurations';
import { editStrings } from '../editStrings';
import { useProviders, useProviderSchema } from '../hooks/providers';
import type { ProviderSchema } from '../stores/ProviderStore';
import { strings } from '../strings';
import { ConnectionTester } from './ConnectionTester';
import { focusFirstError } from './focusError';
import { errorsByField, formFromSettings, nameError, settingsFromForm, useConfigurationValidator, type FormState } from './form';
import { MessageRegion, splitRefusal } from './MessageRegion';
import { ProviderConfig } from './ProviderConfig';
import { providerOf } from './providerNames';
import { RotateKey } from './RotateKey';
import { mergeSaved, sameContent } from './savedChanges';
import { UsageDisplay } from './UsageDisplay';

interface Props {
  readonly id: string;
  readonly onDone: (name: string) => void;
  readonly onCancel: () => void;
  /** Opens the budgets (when a budget's hard stop refused the test). */
  readonly onBudgets?: () => void;
}

/**
 * The edit form: the same ProviderConfig as the wizard, the stored key write-only (rotated at once with Rotate key),
 * enabled or not, a test and the usage of any period. It follows the saved configuration as it changes elsewhere.
 */
export function EditConfiguration(props: Props) {
  const configuration = useConfiguration(props.id);
  const providers = useProviders();
  const c = configuration.data;
  const provider = c && providers.data ? providerOf(providers.data, c.provider, c.settings) : undefined;
  return (
    <div class="screen edit-screen">
      <header class="screen-header">
        <h1>{c ? strings.editTitle(c.name) : strings.title}</h1>
      </header>
      {configuration.error ? (
        <>
          <MessageRegion error={configuration.error.code === 'not-found' ? { code: 'not-found', message: strings.notFound } : configuration.error} />
          <div class="actions">
            <vscode-button secondary onClick={props.onCancel}>
              {strings.back}
            </vscode-button>
          </div>
        </>
      ) : c && provider ? (
        <EditSchema key={c.id} configuration={c} provider={provider} onReload={configuration.reload} onDone={props.onDone} onCancel={props.onCancel} onBudgets={props.onBudgets} />
      ) : (
        <p class="muted">{strings.loading}</p>
      )}
    </div>
  );
}

interface EditProps {
  readonly configuration: ConfigurationView;
  readonly provider: ProviderView;
  readonly onReload: () => void;
  readonly onDone: (name: string) => void;
  readonly onCancel: () => void;
  readonly onBudgets: (() => void) | undefined;
}

function EditSchema(props: EditProps) {
  const schema = useProviderSchema(props.provider.id);
  if (schema.error) return <p class="error" role="alert">{strings.error(schema.error.message)}</p>;
  if (!schema.data) return <p class="muted">{strings.loading}</p>;
  return <EditForm {...props} schema={schema.data} />;
}

function EditForm(props: EditProps & { readonly schema: ProviderSchema }) {
  const { configuration: latest, provider, schema } = props;
  // The saved version the form started from (or last took in): what "changed by the user" is measured against.
  const [base, setBase] = useState<ConfigurationView>(latest);
  const [form, setForm] = useState<FormState>(() => formFromSettings(latest.name, latest.settings));
  const [enabled, setEnabled] = useState(latest.isActive);
  const [changedElsewhere, setChangedElsewhere] = useState<'kept' | 'taken' | undefined>(undefined);
  const seen = useRef(latest);
  useEffect(() => {
    if (seen.current === latest) return;
    seen.current = latest;
    // A test status, a rotated key or this panel's own save: nothing the form shows changed; only the base moves on.
    if (sameContent(base, latest)) {
      setBase(latest);
      return;
    }
    const merged = mergeSaved({ base, latest, form, enabled });
    setForm(merged.form);
    setEnabled(merged.enabled);
    setBase(latest);
    setChangedElsewhere(merged.kept ? 'kept' : 'taken');
  }, [latest]);
  const c = base;
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<TestResultView | undefined>(undefined);
  const validate = useValidateConfiguration();
  const update = useUpdateConfiguration();
  const test = useTestConnection();
  const settings = settingsFromForm(schema, form, c.settings);
  const refusal = splitRefusal(update.error);
  const errors: Record<string, string> = { ...errorsByField(useConfigurationValidator(validate, provider.id, settings)), ...refusal.fields };
  const nameProblem = nameError(form.name);
  if (nameProblem) errors.name = nameProblem;
  const apiKey = form.apiKey.trim();
  // Each refused Save counts up, and the first field in error is then shown and focused (it may be far above).
  const [refusedSaves, setRefusedSaves] = useState(0);
  useEffect(() => {
    if (refusedSaves > 0) focusFirstError();
  }, [refusedSaves]);
  const save = async (): Promise<void> => {
    if (Object.keys(errors).length > 0) {
      setRefusedSaves((n) => n + 1);
      return;
    }
    const updated = await update.run({ id: c.id, baseUpdatedAt: c.updatedAt, name: form.name.trim(), settings, ...(enabled === c.isActive ? {} : { isActive: enabled }), ...(apiKey ? { apiKey } : {}) });
    if (updated) props.onDone(updated.name);
    else setRefusedSaves((n) => n + 1);
  };
  const runTest = async (): Promise<void> => {
    setResult(undefined);
    setProgress(undefined);
    setResult(await test.run({ params: { draft: { provider: provider.id, settings, configurationId: c.id, ...(apiKey ? { apiKey } : {}) } }, onProgress: setProgress }));
  };
  return (
    <div class="edit-body">
      <p class="muted">{provider.displayName}</p>
      {latest.testStatus === 'pending' ? (
        <p class="testing-note edit-testing" role="status">
          <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {editStrings.testingNow}
        </p>
      ) : null}
      {changedElsewhere ? (
        <div class={`changed-elsewhere ${changedElsewhere}`} role="status">
          <span class="codicon codicon-info" aria-hidden="true" /> {changedElsewhere === 'kept' ? editStrings.changedElsewhereKept : editStrings.changedElsewhere}
          {changedElsewhere === 'kept' ? (
            <vscode-button
              secondary
              onClick={() => {
                setForm({ ...formFromSettings(latest.name, latest.settings), apiKey: form.apiKey });
                setEnabled(latest.isActive);
                setChangedElsewhere(undefined);
              }}
            >
              {editStrings.discardEdits}
            </vscode-button>
          ) : null}
        </div>
      ) : null}
      <MessageRegion error={refusal.general} onReload={props.onReload} />
      <form
        class="config-form"
        onSubmit={(e) => {
          e.preventDefault();
        }}
      >
        <ProviderConfig
          provider={provider}
          schema={schema}
          form={form}
          onChange={(next) => {
            if (update.error) update.reset();
            setForm(next);
          }}
          errors={errors}
          stored={latest.apiKey}
          configurationId={c.id}
        />
        <div class="field enabled-field" data-field="field-isActive">
          <label class="check">
            <input
              id="field-isActive"
              type="checkbox"
              checked={enabled}
              onChange={(e) => {
                if (update.error) update.reset();
                setEnabled(e.currentTarget.checked);
              }}
            />{' '}
            {editStrings.enabledLabel}
          </label>
          <p class="help">{editStrings.enabledHelp}</p>
        </div>
        {refusedSaves > 0 && Object.keys(errors).length > 0 ? (
          <p class="error" role="alert">
            {strings.fixErrors}
          </p>
        ) : null}
        <div class="actions">
          <vscode-button secondary onClick={props.onCancel}>
            {strings.cancel}
          </vscode-button>
          <vscode-button id="edit-test" secondary icon="debug-start" disabled={test.pending} onClick={() => void runTest()}>
            {strings.testConnection}
          </vscode-button>
          <vscode-button id="edit-save" disabled={update.pending} onClick={() => void save()}>
            {update.pending ? strings.saving : strings.save}
          </vscode-button>
        </div>
      </form>
      {provider.apiKey === 'none' ? null : <RotateKey id={c.id} />}
      {test.pending || result || test.error ? <ConnectionTester running={test.pending} progress={progress} result={result} error={test.error} onStop={test.stop} {...(props.onBudgets ? { onChangeBudget: props.onBudgets } : {})} /> : null}
      <UsageDisplay id={c.id} name={c.name} />
    </div>
  );
}

import { useEffect, useState } from 'preact/hooks';
import type { ProviderView, TemplateView, TestResultView } from '../../src/protocol';
import { useCreateConfiguration, useTestConnection, useValidateConfiguration } from '../hooks/configurations';
import { useProviders, useProviderSchema } from '../hooks/providers';
import type { ProviderSchema } from '../stores/ProviderStore';
import { strings } from '../strings';
import { ConnectionTester } from './ConnectionTester';
import { focusFirstError } from './focusError';
import { emptyForm, errorsByField, nameError, formFromSettings, settingsFromForm, useConfigurationValidator, type FormState } from './form';
import { MessageRegion, splitRefusal } from './MessageRegion';
import { ProviderConfig } from './ProviderConfig';
import { providerOf } from './providerNames';
import { ProviderSelection } from './ProviderSelection';

interface Props {
  readonly template?: TemplateView | undefined;
  readonly onDone: (name: string) => void;
  readonly onCancel: () => void;
  /** Opens the budgets (when a budget's hard stop refused the test). */
  readonly onBudgets?: () => void;
}

const STEPS = [strings.stepProvider, strings.stepSettings, strings.stepTest];

/** The wizard: ProviderSelection → ProviderConfig → ConnectionTester → save. */
export function AddNewConfiguration(props: Props) {
  const providers = useProviders();
  const [chosen, setChosen] = useState<ProviderView | undefined>(undefined);
  const templateProvider = props.template && providers.data ? providerOf(providers.data, props.template.provider, props.template.settings) : undefined;
  const provider = chosen ?? templateProvider;
  const step = provider ? undefined : 1;
  return (
    <div class="screen add-screen">
      <header class="screen-header">
        <h1>{strings.addTitle}</h1>
      </header>
      {step === 1 || !provider ? (
        <>
          <StepHeading step={1} />
          <ProviderSelection onPick={setChosen} />
          <div class="actions">
            <vscode-button secondary onClick={props.onCancel}>
              {strings.cancel}
            </vscode-button>
          </div>
        </>
      ) : (
        <WizardSettings
          key={`${provider.id}/${provider.preset ?? ''}`}
          provider={provider}
          template={chosen ? undefined : props.template}
          onBack={() => {
            if (chosen) setChosen(undefined);
            else props.onCancel();
          }}
          onDone={props.onDone}
          onBudgets={props.onBudgets}
        />
      )}
    </div>
  );
}

function StepHeading(props: { step: number }) {
  return (
    <>
      <ol class="steps" aria-label={strings.addTitle}>
        {STEPS.map((name, i) => (
          <li key={name} class={i + 1 === props.step ? 'current' : i + 1 < props.step ? 'done' : ''} aria-current={i + 1 === props.step ? 'step' : undefined}>
            {name}
          </li>
        ))}
      </ol>
      <h2>{strings.stepOf(props.step, STEPS.length, STEPS[props.step - 1] ?? '')}</h2>
    </>
  );
}

function WizardSettings(props: { provider: ProviderView; template: TemplateView | undefined; onBack: () => void; onDone: (name: string) => void; onBudgets: (() => void) | undefined }) {
  const schema = useProviderSchema(props.provider.id);
  if (schema.error) return <p class="error" role="alert">{strings.error(schema.error.message)}</p>;
  if (!schema.data) return <p class="muted">{strings.loading}</p>;
  return <WizardForm {...props} schema={schema.data} />;
}

function WizardForm(props: { provider: ProviderView; schema: ProviderSchema; template: TemplateView | undefined; onBack: () => void; onDone: (name: string) => void; onBudgets: (() => void) | undefined }) {
  const { provider, schema } = props;
  const [form, setForm] = useState<FormState>(() =>
    props.template ? formFromSettings(props.template.name, { ...props.template.settings, model: props.template.model }) : emptyForm(provider),
  );
  const [step, setStep] = useState<2 | 3>(2);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [allTouched, setAllTouched] = useState(false);
  const [progress, setProgress] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<TestResultView | undefined>(undefined);
  const validate = useValidateConfiguration();
  const create = useCreateConfiguration();
  const test = useTestConnection();
  const settings = settingsFromForm(schema, form, props.template?.settings);
  const live = errorsByField(useConfigurationValidator(validate, provider.id, settings));
  const refusal = splitRefusal(create.error);
  const shown: Record<string, string> = {};
  for (const [field, message] of Object.entries(live)) if (allTouched || touched.has(field.split('.')[0] ?? field)) shown[field] = message;
  const nameProblem = nameError(form.name);
  if ((allTouched || touched.has('name')) && nameProblem) shown.name = nameProblem;
  Object.assign(shown, refusal.fields);

  const change = (next: FormState): void => {
    const changed = new Set(touched);
    if (next.name !== form.name) changed.add('name');
    if (next.apiKey !== form.apiKey) changed.add('apiKey');
    if (next.headers !== form.headers) changed.add('headers');
    for (const key of Object.keys(next.values)) if (next.values[key] !== form.values[key]) changed.add(key);
    setTouched(changed);
    if (create.error) create.reset();
    setForm(next);
  };
  const draft = () => ({ provider: provider.id, settings, ...(form.apiKey.trim() ? { apiKey: form.apiKey.trim() } : {}) });
  const runTest = async (): Promise<void> => {
    setResult(undefined);
    setProgress(undefined);
    setResult(await test.run({ params: { draft: draft() }, onProgress: setProgress }));
  };
  // Each refused Next or Save counts up, and the first field in error is then shown and focused.
  const [refusals, setRefusals] = useState(0);
  useEffect(() => {
    if (refusals > 0) focusFirstError();
  }, [refusals]);
  const next = async (): Promise<void> => {
    setAllTouched(true);
    const checked = await validate({ provider: provider.id, settings }).catch(() => ({ ok: true, errors: [] }));
    if (!checked.ok || nameError(form.name)) {
      setRefusals((n) => n + 1);
      return;
    }
    setStep(3);
    await runTest();
  };
  const save = async (): Promise<void> => {
    const created = await create.run({ name: form.name.trim(), provider: provider.id, settings, ...(form.apiKey.trim() ? { apiKey: form.apiKey.trim() } : {}) });
    if (created) props.onDone(created.name);
    else {
      setStep(2);
      setRefusals((n) => n + 1);
    }
  };
  return (
    <>
      <StepHeading step={step} />
      <p class="muted">{provider.displayName}</p>
      <MessageRegion error={refusal.general} />
      {step === 2 ? (
        <form
          class="config-form"
          onSubmit={(e) => {
            e.preventDefault();
          }}
        >
          <ProviderConfig provider={provider} schema={schema} form={form} onChange={change} errors={shown} />
          {allTouched && Object.keys(shown).length > 0 ? <p class="error">{strings.fixErrors}</p> : null}
          <div class="actions">
            <vscode-button secondary onClick={props.onBack}>
              {strings.back}
            </vscode-button>
            <vscode-button id="wizard-next" onClick={() => void next()}>
              {strings.next}
            </vscode-button>
          </div>
        </form>
      ) : (
        <>
          <ConnectionTester running={test.pending} progress={progress} result={result} error={test.error} onStop={test.stop} {...(props.onBudgets ? { onChangeBudget: props.onBudgets } : {})} />
          <div class="actions">
            <vscode-button
              secondary
              onClick={() => {
                setStep(2);
              }}
            >
              {strings.back}
            </vscode-button>
            <vscode-button secondary icon="refresh" disabled={test.pending} onClick={() => void runTest()}>
              {strings.testAgain}
            </vscode-button>
            <vscode-button id="wizard-save" secondary={!result?.ok} disabled={test.pending || create.pending} onClick={() => void save()}>
              {create.pending ? strings.saving : result?.ok ? strings.save : strings.saveAnyway}
            </vscode-button>
          </div>
        </>
      )}
    </>
  );
}

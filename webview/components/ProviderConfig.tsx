import type { FunctionComponent } from 'preact';
import type { ConfigurationView, ProviderView } from '../../src/protocol';
import type { ProviderSchema } from '../stores/ProviderStore';
import { strings } from '../strings';
import { ApiKeyField } from './ApiKeyField';
import { TextField } from './Field';
import { connectionSettings, settingsFromForm, type FormState } from './form';
import { ModelPicker } from './ModelPicker';
import { CustomAPIConfig } from './providers/CustomAPIConfig';
import { GeminiConfig } from './providers/GeminiConfig';
import { GenericConfig } from './providers/GenericConfig';
import { OllamaConfig } from './providers/OllamaConfig';
import { OpenAIConfig } from './providers/OpenAIConfig';
import type { ProviderFormProps } from './providers/types';

/** Providers whose form needs more than the generic one; the rest (e.g. Anthropic) use GenericConfig. */
const forms: Readonly<Record<string, FunctionComponent<ProviderFormProps>>> = {
  openai: OpenAIConfig,
  gemini: GeminiConfig,
  ollama: OllamaConfig,
  'openai-compatible': CustomAPIConfig,
};

export interface ProviderConfigProps {
  readonly provider: ProviderView;
  readonly schema: ProviderSchema;
  readonly form: FormState;
  readonly onChange: (form: FormState) => void;
  readonly errors: Readonly<Record<string, string>>;
  /** Editing: the stored key's state and the configuration's id (its key lists the models). */
  readonly stored?: ConfigurationView['apiKey'] | undefined;
  readonly configurationId?: string | undefined;
}

/** Name, key, and the provider's own form; the same component in the wizard and the edit screen. */
export function ProviderConfig(props: ProviderConfigProps) {
  const { provider, schema, form, onChange } = props;
  const settings = settingsFromForm(schema, form);
  const typedKey = form.apiKey.trim();
  const keyKnown = provider.apiKey !== 'required' || typedKey !== '' || (props.stored?.set === true && props.stored.readable);
  const draft = keyKnown
    ? {
        provider: provider.id,
        settings: connectionSettings(settings),
        ...(typedKey ? { apiKey: typedKey } : {}),
        ...(props.configurationId ? { configurationId: props.configurationId } : {}),
      }
    : undefined;
  const onField = (name: string, value: string): void => {
    onChange({ ...form, values: { ...form.values, [name]: value } });
  };
  const Form = forms[provider.id] ?? GenericConfig;
  return (
    <div class="provider-config">
      <TextField
        id="field-name"
        label={strings.nameLabel}
        value={form.name}
        required
        help={strings.nameHelp}
        error={props.errors.name}
        onInput={(name) => {
          onChange({ ...form, name });
        }}
      />
      {provider.apiKey === 'none' ? null : (
        <ApiKeyField
          provider={provider}
          stored={props.stored}
          value={form.apiKey}
          error={props.errors.apiKey}
          onInput={(apiKey) => {
            onChange({ ...form, apiKey });
          }}
        />
      )}
      <Form
        provider={provider}
        schema={schema}
        form={form}
        errors={props.errors}
        draft={draft}
        configurationId={props.configurationId}
        onField={onField}
        onFields={(values) => {
          onChange({ ...form, values: { ...form.values, ...values } });
        }}
        onHeaders={(headers) => {
          onChange({ ...form, headers });
        }}
        modelPicker={
          <ModelPicker
            draft={draft}
            value={form.values.model ?? ''}
            error={props.errors.model}
            onChange={(model) => {
              onField('model', model);
            }}
          />
        }
      />
    </div>
  );
}

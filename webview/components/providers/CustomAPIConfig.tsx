import { useProviders } from '../../hooks/providers';
import { strings } from '../../strings';
import { valueOf } from '../../elements';
import { SelectField } from '../Field';
import { isSecretHeaderName, SEALED_HEADER_VALUE } from '../secretHeaders';
import { remainingFields, SchemaFields } from '../SchemaFields';
import type { ProviderFormProps } from './types';

/** Any OpenAI-compatible server: a known preset fills in the address; extra headers go with every request. */
export function CustomAPIConfig(props: ProviderFormProps) {
  const providers = useProviders();
  const presets = (providers.data ?? []).filter((p) => p.id === 'openai-compatible' && p.preset);
  const fields = { schema: props.schema, values: props.form.values, errors: props.errors, onField: props.onField };
  const headers = props.form.headers;
  const setHeader = (index: number, part: 0 | 1, value: string): void => {
    props.onHeaders(headers.map((h, i) => (i === index ? (part === 0 ? ([value, h[1]] as const) : ([h[0], value] as const)) : h)));
  };
  const headerErrors = Object.entries(props.errors).filter(([field]) => field.startsWith('headers'));
  return (
    <>
      <fieldset>
        <legend>{strings.connection}</legend>
        <SelectField
          id="field-preset"
          label={strings.presetLabel}
          value={props.form.values.preset ?? ''}
          options={[{ value: '', label: strings.presetNone }, ...presets.map((p) => ({ value: p.preset ?? '', label: p.displayName }))]}
          error={props.errors.preset}
          onChange={(value) => {
            const preset = presets.find((p) => p.preset === value);
            props.onFields({ preset: value, ...(preset?.baseUrl ? { baseUrl: preset.baseUrl } : {}) });
          }}
        />
        <SchemaFields {...fields} names={['baseUrl']} />
        {props.modelPicker}
      </fieldset>
      <fieldset>
        <legend>{strings.headersLabel}</legend>
        <p class="help">{strings.headersHelp}</p>
        {headers.map(([name, value], i) => (
          <div class="header-row" key={i}>
            <vscode-textfield
              id={`header-name-${String(i)}`}
              label={strings.headerName(i + 1)}
              placeholder={strings.headerName(i + 1)}
              value={name}
              onInput={(e) => {
                setHeader(i, 0, valueOf(e));
              }}
            />
            <vscode-textfield
              id={`header-value-${String(i)}`}
              label={strings.headerValue(i + 1)}
              placeholder={strings.headerValue(i + 1)}
              value={value}
              {...(isSecretHeaderName(name) && value !== SEALED_HEADER_VALUE ? { type: 'password' } : {})}
              onInput={(e) => {
                setHeader(i, 1, valueOf(e));
              }}
            />
            <vscode-button
              secondary
              icon="trash"
              aria-label={strings.removeHeader(i + 1)}
              title={strings.removeHeader(i + 1)}
              onClick={() => {
                props.onHeaders(headers.filter((_, j) => j !== i));
              }}
            />
            {isSecretHeaderName(name) || value === SEALED_HEADER_VALUE ? (
              <p class="help" id={`header-secret-${String(i)}`}>
                <span class="codicon codicon-lock" aria-hidden="true" /> {strings.headerSecret}
              </p>
            ) : null}
          </div>
        ))}
        {headerErrors.map(([field, message]) => (
          <p class="field-error" key={field}>
            <span class="codicon codicon-error" aria-hidden="true" /> {strings.headerError(field.replace(/^headers\.?/, ''), message)}
          </p>
        ))}
        <vscode-button
          secondary
          icon="add"
          onClick={() => {
            props.onHeaders([...headers, ['', '']]);
          }}
        >
          {strings.addHeader}
        </vscode-button>
      </fieldset>
      <fieldset>
        <legend>{strings.sampling}</legend>
        <SchemaFields {...fields} names={remainingFields(props.schema, ['baseUrl'])} />
      </fieldset>
    </>
  );
}

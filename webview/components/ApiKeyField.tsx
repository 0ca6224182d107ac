import { useState } from 'preact/hooks';
import type { ConfigurationView, ProviderView } from '../../src/protocol';
import { strings } from '../strings';
import { TextField } from './Field';

interface Props {
  readonly provider: ProviderView;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly error?: string | undefined;
  /** When editing: what is stored (never the key itself). */
  readonly stored?: ConfigurationView['apiKey'] | undefined;
}

/** Write-only: a stored key shows as "set (…abcd)" with Replace, which reveals an empty password field. */
export function ApiKeyField(props: Props) {
  const [replacing, setReplacing] = useState(false);
  const help = props.provider.apiKey === 'required' ? strings.apiKeyHelpRequired : strings.apiKeyHelpOptional;
  if (props.stored && !replacing) {
    const state = props.stored.set ? (props.stored.readable ? strings.apiKeySet(props.stored.lastFour) : strings.apiKeyUnreadable) : strings.apiKeyNotSet;
    return (
      <div class="field" data-field="field-apiKey">
        <span class="label" id="api-key-label">
          {strings.apiKeyLabel}
        </span>
        <div class="field-row">
          <span class="key-state" aria-labelledby="api-key-label">
            <span class="codicon codicon-key" aria-hidden="true" /> {state}
          </span>
          <vscode-button
            secondary
            onClick={() => {
              setReplacing(true);
            }}
          >
            {strings.replaceKey}
          </vscode-button>
        </div>
      </div>
    );
  }
  return (
    <TextField
      id="field-apiKey"
      label={props.stored ? strings.newApiKeyLabel : strings.apiKeyLabel}
      type="password"
      value={props.value}
      required={props.provider.apiKey === 'required' && !props.stored?.set}
      help={help}
      error={props.error}
      onInput={props.onInput}
    >
      {props.stored ? (
        <vscode-button
          secondary
          onClick={() => {
            props.onInput('');
            setReplacing(false);
          }}
        >
          {strings.keepKey}
        </vscode-button>
      ) : null}
    </TextField>
  );
}

import { useState } from 'preact/hooks';
import { usePullModel, useRefreshModels } from '../../hooks/providers';
import { strings } from '../../strings';
import { TextField } from '../Field';
import type { ProviderFormProps } from './types';

interface Props {
  readonly configurationId: string;
  readonly draft: ProviderFormProps['draft'];
  /** A pull finished: the installed list reads the server again. */
  readonly onPulled?: () => void;
}

/** Downloads a model into a saved Ollama server, showing each step, then refreshes the model list. */
export function OllamaPull(props: Props) {
  const [model, setModel] = useState('');
  const [progress, setProgress] = useState<string | undefined>(undefined);
  // The last step that counted bytes stays once the pull ends, so the user sees how much came down.
  const [sized, setSized] = useState<string | undefined>(undefined);
  const [done, setDone] = useState<{ model: string; status: string } | undefined>(undefined);
  const pull = usePullModel();
  const refreshModels = useRefreshModels(props.draft);
  const fieldError = pull.error?.fieldErrors?.find((e) => e.field === 'pullModel')?.message;
  const name = model.trim();
  const run = async (): Promise<void> => {
    setDone(undefined);
    setProgress(undefined);
    setSized(undefined);
    const onProgress = (message: string): void => {
      setProgress(message);
      if (/\d+% \(/.test(message)) setSized(message);
    };
    const result = await pull.run({ params: { configurationId: props.configurationId, model: name }, onProgress });
    if (!result) return;
    setDone({ model: name, status: result.status });
    refreshModels();
    props.onPulled?.();
  };
  return (
    <fieldset class="ollama-pull">
      <legend>{strings.pullLegend}</legend>
      <TextField
        id="field-pullModel"
        label={strings.pullLabel}
        value={model}
        placeholder="gemma3:1b"
        help={strings.pullHelp}
        error={fieldError}
        onInput={(value) => {
          setModel(value);
          if (pull.error) pull.reset();
        }}
      >
        <vscode-button id="pull-model" secondary icon="cloud-download" disabled={pull.pending || name === ''} onClick={() => void run()}>
          {strings.pullButton}
        </vscode-button>
      </TextField>
      <div class="pull-status" aria-live="polite" aria-busy={pull.pending ? 'true' : 'false'}>
        {pull.pending || progress ? (
          <p class="pull-progress">
            {pull.pending ? <span class="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> : null} {(pull.pending ? progress : (sized ?? progress)) ?? strings.pullStarting(name)}
          </p>
        ) : null}
        {done ? (
          <p class="pull-result passed" role="status">
            <span class="codicon codicon-pass-filled" aria-hidden="true" /> {strings.pulled(done.model, done.status)}
          </p>
        ) : null}
        {pull.error && !fieldError ? (
          <p class="pull-result failed" role="alert">
            <span class="codicon codicon-error" aria-hidden="true" /> {pull.error.message}
          </p>
        ) : null}
      </div>
    </fieldset>
  );
}

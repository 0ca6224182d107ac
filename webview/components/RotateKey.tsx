import { useState } from 'preact/hooks';
import { editStrings as s } from '../editStrings';
import { useRotateKey } from '../hooks/configurations';
import { strings } from '../strings';
import { TextField } from './Field';

/**
 * Rotate key: the new key goes to the host through configurations.rotateKey at once (not with Save), in a password
 * field that is emptied as soon as it is sent; the page only ever learns "set (…abcd)".
 */
export function RotateKey(props: { readonly id: string }) {
  const [open, setOpen] = useState(false);
  const [key, setKey] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const [empty, setEmpty] = useState(false);
  const rotate = useRotateKey();
  const fieldError = empty ? s.rotateEmpty : rotate.error?.fieldErrors?.find((e) => e.field === 'apiKey')?.message;
  const run = async (): Promise<void> => {
    const typed = key.trim();
    if (typed === '') {
      setEmpty(true);
      return;
    }
    setDone(undefined);
    // Out of the page's state before the answer comes: nothing keeps the key once it is sent.
    setKey('');
    const rotated = await rotate.run({ id: props.id, apiKey: typed });
    if (!rotated) return;
    setDone(s.rotated(rotated.apiKey.set ? strings.apiKeySet(rotated.apiKey.lastFour) : strings.apiKeyNotSet));
    setOpen(false);
  };
  return (
    <section class="rotate-key" aria-label={s.rotateLegend}>
      {done ? (
        <p class="notice rotate-done" role="status">
          <span class="codicon codicon-check" aria-hidden="true" /> {done}
        </p>
      ) : null}
      {open ? (
        <fieldset>
          <legend>{s.rotateLegend}</legend>
          <TextField
            id="field-rotateKey"
            label={s.rotateLabel}
            type="password"
            value={key}
            help={s.rotateHelp}
            error={fieldError}
            onInput={(value) => {
              setKey(value);
              setEmpty(false);
              if (rotate.error) rotate.reset();
            }}
          >
            <vscode-button id="rotate-key" icon="key" disabled={rotate.pending} onClick={() => void run()}>
              {rotate.pending ? s.rotating : s.rotateButton}
            </vscode-button>
            <vscode-button
              secondary
              onClick={() => {
                setKey('');
                setEmpty(false);
                rotate.reset();
                setOpen(false);
              }}
            >
              {strings.cancel}
            </vscode-button>
          </TextField>
          {rotate.error && !fieldError ? (
            <p class="error" role="alert">
              {strings.error(rotate.error.message)}
            </p>
          ) : null}
        </fieldset>
      ) : (
        <vscode-button
          id="rotate-open"
          secondary
          icon="key"
          onClick={() => {
            setDone(undefined);
            setOpen(true);
          }}
        >
          {s.rotateKey}
        </vscode-button>
      )}
    </section>
  );
}

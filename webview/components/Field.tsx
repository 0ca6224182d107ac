import type { ComponentChildren } from 'preact';
import { valueOf } from '../elements';

interface FieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly error?: string | undefined;
  readonly help?: string | undefined;
  readonly placeholder?: string | undefined;
  /** Never 'url': the browser trims such a field as it is typed into, and the form would write the trimmed text back. */
  readonly type?: 'text' | 'password';
  readonly required?: boolean;
  readonly children?: ComponentChildren;
}

/** A labelled text field with its help and its error underneath. */
export function TextField(props: FieldProps) {
  return (
    <div class={props.error ? 'field invalid' : 'field'} data-field={props.id}>
      <label for={props.id}>
        {props.label}
        {props.required ? <span class="required" aria-hidden="true"> *</span> : null}
      </label>
      <div class="field-row">
        <vscode-textfield
          id={props.id}
          label={props.label}
          value={props.value}
          type={props.type ?? 'text'}
          placeholder={props.placeholder}
          invalid={Boolean(props.error)}
          onInput={(e) => {
            props.onInput(valueOf(e));
          }}
        />
        {props.children}
      </div>
      <FieldNotes id={props.id} help={props.help} error={props.error} />
    </div>
  );
}

interface SelectProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly options: readonly { readonly value: string; readonly label: string }[];
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
  readonly help?: string | undefined;
  readonly required?: boolean;
  readonly children?: ComponentChildren;
}

/** A native select, themed with the dropdown colours: keyboard and screen readers work as everywhere else. */
export function SelectField(props: SelectProps) {
  return (
    <div class={props.error ? 'field invalid' : 'field'} data-field={props.id}>
      <label for={props.id}>
        {props.label}
        {props.required ? <span class="required" aria-hidden="true"> *</span> : null}
      </label>
      <div class="field-row">
        <select
          id={props.id}
          value={props.value}
          aria-invalid={props.error ? 'true' : undefined}
          aria-required={props.required ? 'true' : undefined}
          onChange={(e) => {
            props.onChange(valueOf(e));
          }}
        >
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        {props.children}
      </div>
      <FieldNotes id={props.id} help={props.help} error={props.error} />
    </div>
  );
}

export function FieldNotes(props: { id: string; help?: string | undefined; error?: string | undefined }) {
  return (
    <>
      {props.help ? <p class="help">{props.help}</p> : null}
      {props.error ? (
        <p class="field-error" id={`${props.id}-error`}>
          <span class="codicon codicon-error" aria-hidden="true" /> {props.error}
        </p>
      ) : null}
    </>
  );
}

import type { ComponentChildren } from 'preact';
import { strings } from '../../strings';
import { remainingFields, SchemaFields } from '../SchemaFields';
import type { ProviderFormProps } from './types';

/** The form as the schema gives it: where to connect and which model, then the generation settings. */
export function GenericConfig(
  props: ProviderFormProps & {
    readonly hint?: string;
    readonly connectionFields?: readonly string[];
    /** Fields the provider's component lays out itself, in `children`. */
    readonly ownFields?: readonly string[];
    readonly children?: ComponentChildren;
  },
) {
  const connection = props.connectionFields ?? ['baseUrl'];
  const fields = { schema: props.schema, values: props.form.values, errors: props.errors, onField: props.onField };
  return (
    <>
      <fieldset>
        <legend>{strings.connection}</legend>
        {props.hint ? <p class="muted hint">{props.hint}</p> : null}
        <SchemaFields {...fields} names={connection.slice(0, 1)} />
        {props.modelPicker}
        <SchemaFields {...fields} names={connection.slice(1)} />
      </fieldset>
      <fieldset>
        <legend>{strings.sampling}</legend>
        <SchemaFields {...fields} names={remainingFields(props.schema, [...connection, ...(props.ownFields ?? [])])} />
      </fieldset>
      {props.children}
    </>
  );
}

import type { ProviderSchema } from '../stores/ProviderStore';
import { fieldHelp, fieldLabel, strings } from '../strings';
import { SelectField, TextField } from './Field';

export interface FieldsProps {
  readonly schema: ProviderSchema;
  readonly values: Readonly<Record<string, string>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly onField: (name: string, value: string) => void;
}

/** Fields generated from the provider's JSON Schema: type, range, default and description. */
export function SchemaFields(props: FieldsProps & { readonly names: readonly string[] }) {
  return (
    <>
      {props.names.map((name) => {
        const property = props.schema.properties[name];
        if (!property) return null;
        const required = props.schema.required.includes(name);
        const id = `field-${name}`;
        // A yes/no setting (Gemini's includeThoughts): empty keeps the provider's default.
        const options = property.enum ?? (property.type === 'boolean' ? ['true', 'false'] : undefined);
        if (options) {
          return (
            <SelectField
              key={name}
              id={id}
              label={fieldLabel(name)}
              value={props.values[name] ?? ''}
              options={[{ value: '', label: strings.providerDefault }, ...options.map((v) => ({ value: v, label: v }))]}
              onChange={(v) => {
                props.onField(name, v);
              }}
              error={props.errors[name]}
            />
          );
        }
        const numeric = property.type === 'number' || property.type === 'integer';
        // "Leave empty for the default" only where the schema has one.
        // A list (stop sequences) is typed as JSON: the hint says so, with an example.
        const help = [property.description ?? (name === 'baseUrl' && property.default === undefined ? undefined : fieldHelp[name]), numeric ? strings.range(property.minimum, property.maximum) : '', property.type === 'array' ? strings.jsonListHint : '']
          .filter(Boolean)
          .join(' · ');
        return (
          <TextField
            key={name}
            id={id}
            label={fieldLabel(name)}
            value={props.values[name] ?? ''}
            required={required}
            placeholder={typeof property.default === 'string' || typeof property.default === 'number' ? String(property.default) : undefined}
            help={help}
            error={props.errors[name]}
            onInput={(v) => {
              props.onField(name, v);
            }}
          />
        );
      })}
    </>
  );
}

/** The schema's fields in its own order, minus the ones laid out elsewhere. */
export function remainingFields(schema: ProviderSchema, exclude: readonly string[]): string[] {
  return Object.keys(schema.properties).filter((n) => !exclude.includes(n) && n !== 'model' && n !== 'headers' && n !== 'extraParams' && n !== 'preset');
}

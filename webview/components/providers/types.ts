import type { JSX } from 'preact';
import type { Params, ProviderView } from '../../../src/protocol';
import type { ProviderSchema } from '../../stores/ProviderStore';
import type { FormState } from '../form';

/** What a provider's form component gets: the schema, the typed values, their errors and the model picker. */
export interface ProviderFormProps {
  readonly provider: ProviderView;
  readonly schema: ProviderSchema;
  readonly form: FormState;
  readonly errors: Readonly<Record<string, string>>;
  readonly onField: (name: string, value: string) => void;
  readonly onFields: (values: Readonly<Record<string, string>>) => void;
  readonly onHeaders: (headers: readonly (readonly [string, string])[]) => void;
  readonly modelPicker: JSX.Element;
  /** What the model picker lists models for (undefined while it cannot ask yet). */
  readonly draft: Params<'providers.models'>['draft'] | undefined;
  /** Set on the edit screen of a saved configuration. */
  readonly configurationId?: string | undefined;
}

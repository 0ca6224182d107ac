import type { ConfigurationDraft } from '../templates/draft';
import type { SecretText } from './SecretText';

/** What the provider registry says about a configuration (ProviderRegistry.parseConfig has this shape). */
export type ConfigCheck =
  | { readonly ok: true; readonly config: unknown }
  | { readonly ok: false; readonly errors: readonly { readonly field: string; readonly message: string }[] };

export type ValidateConfig = (providerId: string, config: unknown) => ConfigCheck | Promise<ConfigCheck>;

export interface ImportOptions {
  /** Provider ids that exist (providerIds from the registry). */
  readonly providers: readonly string[];
  /** Checks a configuration against its provider's own schema. */
  readonly validateConfig: ValidateConfig;
  /** Names the user's configurations already have: an imported name that clashes gets " (2)". */
  readonly existingNames: Iterable<string>;
  /** Names of the user's templates, likewise. */
  readonly existingTemplateNames?: Iterable<string>;
}

/** A configuration to create; the service encrypts `apiKey` if there is one and never logs it. */
export interface ImportedConfiguration extends ConfigurationDraft {
  /** Only from a Continue config that held the key in plain text: that is what the import moves into encryption. */
  readonly apiKey?: SecretText;
  /** What the user should know or do next ("enter the API key", "renamed to ..."). */
  readonly notes: readonly string[];
}

export interface ImportedTemplate {
  readonly provider: string;
  readonly name: string;
  readonly model: string;
  readonly description: string;
  readonly config: Readonly<Record<string, unknown>>;
}

export interface Rejection {
  /** Counted from 1 within its list, as the messages say it. */
  readonly index: number;
  readonly kind: 'configuration' | 'template';
  readonly name?: string;
  /** Whole sentences that say what is wrong and what to do. */
  readonly reasons: readonly string[];
}

export interface ImportReport {
  readonly imported: readonly ImportedConfiguration[];
  readonly templates: readonly ImportedTemplate[];
  readonly rejected: readonly Rejection[];
}

/** The whole file cannot be read (not JSON, wrong format, too large): nothing was imported. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
}

import type { AIProvider, ParsedConfig, ProviderSummary } from '../providers';

/** The provider registry as the services use it (ProviderRegistry in the extension, the same in tests). */
export interface ProviderLookup {
  get(id: string): Promise<AIProvider>;
  list(): Promise<readonly ProviderSummary[]>;
  parseConfig(id: string, input: unknown): Promise<ParsedConfig>;
}

export type ConfigurationChange =
  | { readonly kind: 'created' | 'updated' | 'deleted' | 'testing' | 'tested' | 'key-rotated'; readonly id: string }
  | { readonly kind: 'active-changed'; readonly id: string | undefined };

/** What a user enters for a new configuration. `settings` follows the provider's schema (model and baseUrl included). */
export interface ConfigurationInput {
  readonly name: string;
  readonly provider: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly apiKey?: string | undefined;
  readonly isActive?: boolean;
  /** An import without the key (bundles never carry one): saved now, the key is entered later with Rotate API Key. */
  readonly keyLater?: boolean;
}

export interface ConfigurationUpdate {
  readonly name?: string;
  /** The provider's settings as a whole, replacing the stored ones. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly isActive?: boolean;
  /** A new provider credential, saved with the other changes or not at all. */
  readonly apiKey?: string;
  /**
   * The server (origin) the user agreed to send the stored key to: a new address on another server is refused
   * without it (or a new key), so a changed address never takes the key along unasked.
   */
  readonly sendStoredKeyTo?: string;
}

/** Settings not saved yet, as a form holds them: the wizard tests them and lists their models before saving. */
export interface ConfigurationDraftInput {
  readonly provider: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly apiKey?: string | undefined;
  /** When editing a saved configuration: its stored key is used unless a new one is given. */
  readonly configurationId?: string | undefined;
  /** The server (origin) the user agreed to send the stored key to, when the draft's address is on another one. */
  readonly sendStoredKeyTo?: string | undefined;
}

/** A provider adapter and what one call of it needs: the parsed settings and the opened key. */
export interface ResolvedTarget {
  readonly provider: AIProvider;
  readonly target: { config: unknown; apiKey?: string };
}

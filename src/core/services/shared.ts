import type { Emitter } from '../events';
import type { Store } from '../store';
import type { DraftTests } from './draftTests';
import type { KeyService } from './KeyService';
import type { ConfigurationChange, ProviderLookup } from './types';

/** What the configuration services share: one store and user, the providers, the keys, draft tests and one event. */
export interface SharedParts {
  readonly store: Store;
  readonly userId: string;
  readonly providers: ProviderLookup;
  readonly keys: KeyService;
  readonly drafts: DraftTests;
  /** The configurations' change events: each service fires its own kinds (a test, a rotated key, an edit). */
  readonly changes: Emitter<ConfigurationChange>;
}

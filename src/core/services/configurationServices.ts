import type { AuditRecorder } from '../audit';
import type { EncryptionService } from '../crypto';
import { Emitter } from '../events';
import type { Logger } from '../logger';
import type { Store } from '../store';
import { ConfigurationService } from './ConfigurationService';
import { DraftTests } from './draftTests';
import { KeyService } from './KeyService';
import { ProviderAccess, type ProviderAccessDeps } from './ProviderAccess';
import type { ConfigurationChange, ProviderLookup } from './types';

export interface ConfigurationServicesDeps extends Pick<ProviderAccessDeps, 'callsPerMinute' | 'usage' | 'budgets' | 'connectionTestMs'> {
  /** Records refused attempts and keys that would not open. */
  readonly audit?: Pick<AuditRecorder, 'keyUnreadable' | 'refused'>;
  readonly store: Store;
  readonly encryption: EncryptionService;
  readonly userId: string;
  readonly providers: ProviderLookup;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/** A user's configurations, their keys and their calls to providers: three services over one store and one event. */
export interface ConfigurationServices {
  readonly configurations: ConfigurationService;
  readonly providerAccess: ProviderAccess;
  readonly keys: KeyService;
  dispose(): void;
}

/** Builds the three services around what they share: the change events and the memory of unsaved settings' tests. */
export function createConfigurationServices(deps: ConfigurationServicesDeps): ConfigurationServices {
  const now = deps.now ?? (() => new Date());
  const { store, userId, providers, logger } = deps;
  const changes = new Emitter<ConfigurationChange>();
  const drafts = new DraftTests({ store, userId, now, parseConfig: (provider, settings) => providers.parseConfig(provider, settings) });
  const keys = new KeyService({ store, encryption: deps.encryption, userId, logger, drafts, changes, ...(deps.audit ? { audit: deps.audit } : {}) });
  const configurations = new ConfigurationService({ store, userId, providers, keys, drafts, changes, logger });
  const providerAccess = new ProviderAccess({
    store,
    userId,
    providers,
    keys,
    drafts,
    changes,
    now,
    ...(deps.callsPerMinute === undefined ? {} : { callsPerMinute: deps.callsPerMinute }),
    ...(deps.usage ? { usage: deps.usage } : {}),
    ...(deps.budgets ? { budgets: deps.budgets } : {}),
    ...(deps.connectionTestMs === undefined ? {} : { connectionTestMs: deps.connectionTestMs }),
    ...(deps.audit ? { audit: deps.audit } : {}),
  });
  return {
    configurations,
    providerAccess,
    keys,
    dispose: () => {
      providerAccess.dispose();
      changes.dispose();
    },
  };
}

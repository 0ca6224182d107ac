export { ConfigurationService, settingsOf } from './ConfigurationService';
export type { ConfigurationChange, ConfigurationDraftInput, ConfigurationInput, ConfigurationServiceDeps, ConfigurationUpdate, ProviderLookup, UsagePeriod } from './ConfigurationService';
export { ConfigurationError } from './errors';
export type { ConfigurationErrorKind, FieldChange } from './errors';
export { RateLimiter } from './RateLimiter';
export { configurationState, configurationStates } from './configurationState';
export { lastTestFailure } from './lastTestFailure';
export type { ConfigurationState, ConfigurationStateFacts, StateSources } from './configurationState';

// Everything the host loads from src/core on first use. The extension build turns `import('./core')` into a
// require of dist/core.js, a bundle of its own, so activation parses none of it (see esbuild.mjs).
export { catalogFileLoader, lazyCatalog } from '../core/catalog';
export { EncryptionService } from '../core/crypto';
export { HttpClient } from '../core/http';
export { exportBundle, importBundle, importContinueConfig, MAX_BUNDLE_BYTES, serializeBundle } from '../core/importExport';
export { compatiblePresets, providerIds, ProviderRegistry } from '../core/providers';
export { ConfigurationService, settingsOf } from '../core/services';
export { openStore } from '../core/store';
export { builtinTemplates, draftFromTemplate, seedBuiltinTemplates } from '../core/templates';
export { catalogFacts, CONFIGURATION_GROUP_PREFIX, RouteGroupService, Router, withConfigurationGroups } from '../core/routing';
export { BudgetMonitor, DEFAULT_RETENTION_DAYS, describePrice, HealthMonitor, UsageTracker } from '../core/usage';
export { handlePanelMessage, PanelRequests } from './panel/PanelApi';
export { badgeText, compareTable, ConversationStore, describeModels, formatCost, parseBadge, promptWithContext, runTurn, storedBadge, TokenEstimator } from '../core/chat';
export { ChatPanel } from './chat/ChatPanel';
export { createPassphraseRecord, PassphraseKeySource, passphraseRecordOf, unlockWithPassphrase } from '../core/crypto';

// Everything the host loads from src/core on first use. The extension build turns each dynamic import of this file
// into a require of dist/core.js, a bundle of its own, so activation parses none of it (see esbuild.mjs).
export { createPassphraseRecord, unlockWithPassphrase } from '../core/crypto';
export { exportUserData, importUserData, MAX_BUNDLE_BYTES, recordExport } from '../core/importExport';
export { exportForGateway, importLiteLLMUserData, MAX_LITELLM_BYTES, recordGatewayExport } from '../core/gateways';
export { chatModelsOf, compatiblePresets, ProviderError } from '../core/providers';
export { OllamaModels, settingsOf } from '../core/services';
export { openSession } from '../core/session';
export { draftFromTemplate, seededTemplates, TemplateService, uniqueName } from '../core/templates';
export { DEFAULT_RETENTION_DAYS, describePrice, resolvePeriod } from '../core/usage';
export { handlePanelMessage, PanelRequests } from '../panelHandlers/PanelApi';
export { panelTestChannel } from '../panelHandlers/panelTestChannel';
export { badgeText, compareTable, ConversationStore, describeModels, formatCost, parseBadge, promptWithContext, runTurn, storedBadge, TokenCounter, TokenEstimator, TokenWorker, ToolTurnReasoning } from '../core/chat';
export { ChatPanel } from './chat/ChatPanel';
export { DEFAULT_AUDIT_RETENTION_DAYS } from '../core/audit';
export { EndpointLease, EndpointSupervisor, clientTokensOf, managementApi, sessionEndpointDeps, startEndpoint } from '../core/endpoint';
export { managementDeps } from '../panelHandlers/managementDeps';

export { ProviderRegistry, providerIds } from './registry';
export type { ConfigFieldError, ParsedConfig, ProviderSummary } from './registry';
export { chatModelsOf, isChatModel } from './chatModels';
export { ProviderError, hintFor } from './errors';
export type { ProviderErrorKind } from './errors';
export { compatiblePresets } from './presets';
export { SEALED_HEADER_VALUE, SECRET_HEADER_NAME, isSecretHeader, secretHeaderValues } from './secretHeaders';
export type { CompatiblePreset, CompatiblePresetId } from './presets';
export type * from './types';

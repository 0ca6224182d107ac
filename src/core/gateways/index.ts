export { exportLiteLLMConfig } from './litellmExport';
export { exportPortkeyConfig } from './portkeyExport';
export { keyPlaceholder } from './portkeyTarget';
export { importLiteLLMConfig, MAX_LITELLM_BYTES } from './litellmImport';
export type { LiteLLMImportReport, ImportedGroup } from './litellmImport';
export type { KeyVariable } from './envNames';
export type { GatewayExport, GatewayExportInput } from './types';
export { exportForGateway, importLiteLLMUserData, recordGatewayExport } from './transfer';
export type { GatewayEngine, GatewayImportOutcome, GatewaySelection } from './transfer';

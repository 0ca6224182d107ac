export { exportBundle, serializeBundle, BUNDLE_FORMAT, BUNDLE_VERSION } from './bundle';
export type { BundleConfiguration, BundleTemplate, ModelManagerBundle } from './bundle';
export { importBundle, MAX_BUNDLE_BYTES } from './importBundle';
export { importContinueConfig, MAX_CONTINUE_BYTES } from './continueConfig';
export { SecretText } from './SecretText';
export { ImportFileError } from './types';
export type { ConfigCheck, ImportedConfiguration, ImportedTemplate, ImportOptions, ImportReport, Rejection, ValidateConfig } from './types';
export { exportUserData, importUserData, recordExport } from './transfer';
export type { ExportedData, ImportOutcome } from './transfer';

export { EncryptionService } from './EncryptionService';
export type { ApiKeyBinding, MasterRotationResult, RotationOptions, RotationResult } from './EncryptionService';
export { DecryptError, KeysNeedReentryError } from './errors';
export type { DecryptFailure, KeyState, KeysNeedReentry } from './errors';
export { InMemoryKeySource } from './KeySource';
export type { KeySource } from './KeySource';

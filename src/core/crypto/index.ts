export { EncryptionService } from './EncryptionService';
export type { ApiKeyBinding, MasterRotationResult, RotationOptions, RotationResult } from './EncryptionService';
export { DecryptError, KeysNeedReentryError } from './errors';
export type { DecryptFailure, KeyState, KeysNeedReentry } from './errors';
export { InMemoryKeySource } from './KeySource';
export type { KeySource } from './KeySource';
export { PassphraseKeySource, PASSPHRASE_RECORD, passphraseRecordOf } from './PassphraseKeySource';
export { createPassphraseRecord, MIN_PASSPHRASE_LENGTH, parsePassphraseRecord, passphraseProblem, STRONG_SCRYPT, unlockWithPassphrase } from './passphrase';
export type { PassphraseKey, PassphraseRecord, ScryptParams } from './passphrase';

import { countOf } from '../../protocol/counts';

export type DecryptFailure = 'unsupported-format' | 'malformed' | 'authentication-failed';

/** A stored key that cannot be opened. Never carries the ciphertext, the plaintext or key bytes. */
export class DecryptError extends Error {
  constructor(
    readonly failure: DecryptFailure,
    readonly configurationId: string,
  ) {
    super(
      `The stored API key of configuration ${configurationId} could not be decrypted (${describe(failure)}). ` +
        'Enter the key again for this configuration.',
    );
    this.name = 'DecryptError';
  }
}

function describe(failure: DecryptFailure): string {
  switch (failure) {
    case 'unsupported-format':
      return 'it was written in a format this version does not know';
    case 'malformed':
      return 'the stored value is malformed';
    case 'authentication-failed':
      return 'it was altered, belongs to another configuration or user, or was sealed under a different master key';
  }
}

export interface KeysNeedReentry {
  readonly kind: 'keys-need-reentry';
  /** passphrase-needed: the master key is sealed under the master passphrase, which was not entered in this window. */
  readonly reason: 'master-secret-missing' | 'master-secret-mismatch' | 'passphrase-needed';
  readonly sealedKeyCount: number;
  readonly message: string;
}

export type KeyState = { readonly kind: 'ready' } | KeysNeedReentry;

/** Thrown by encrypt/decrypt while the master secret is unavailable; carries the state the host shows. */
export class KeysNeedReentryError extends Error {
  constructor(readonly state: KeysNeedReentry) {
    super(state.message);
    this.name = 'KeysNeedReentryError';
  }
}

export function keysNeedReentry(reason: KeysNeedReentry['reason'], sealedKeyCount: number): KeysNeedReentry {
  if (reason === 'passphrase-needed') {
    return {
      kind: 'keys-need-reentry',
      reason,
      sealedKeyCount,
      message: `Model Manager has ${countOf(sealedKeyCount, 'stored API key')} locked by your master passphrase. Enter the passphrase ("Model Manager: Enter Master Passphrase") to open ${sealedKeyCount === 1 ? 'it' : 'them'}.`,
    };
  }
  // "it" or "them": one key is the common case on a first machine.
  const them = sealedKeyCount === 1 ? 'it' : 'them';
  const why = reason === 'master-secret-missing'
    ? `the master key that protects ${them} is not in this machine's keychain (a new machine or a reset keychain)`
    : `the master key in this machine's keychain is not the one that sealed ${them}`;
  return {
    kind: 'keys-need-reentry',
    reason,
    sealedKeyCount,
    message:
      `Model Manager has ${countOf(sealedKeyCount, 'stored API key')} it cannot open: ${why}. ` +
      'Nothing was changed. Restore the keychain entry, or choose "Start over" and enter your API keys again ' +
      '(with a master passphrase instead of the keychain if this machine\'s keychain does not keep it).',
  };
}

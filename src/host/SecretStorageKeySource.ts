import type * as vscode from 'vscode';
import type { KeySource } from '../core/crypto/KeySource';

const CURRENT = 'modelManager.masterSecret';
const PREVIOUS = 'modelManager.previousMasterSecret';

/** The master secret in VS Code SecretStorage (the OS keychain), base64-encoded; never in the database. */
export class SecretStorageKeySource implements KeySource {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async getMasterSecret(): Promise<Uint8Array | undefined> {
    return decode(await this.secrets.get(CURRENT));
  }

  async storeMasterSecret(secret: Uint8Array): Promise<void> {
    const current = await this.secrets.get(CURRENT);
    // Keep the replaced secret until the re-seal that needs it has finished.
    if (current !== undefined) await this.secrets.store(PREVIOUS, current);
    await this.secrets.store(CURRENT, Buffer.from(secret).toString('base64'));
  }

  async getPreviousMasterSecret(): Promise<Uint8Array | undefined> {
    return decode(await this.secrets.get(PREVIOUS));
  }

  async forgetPreviousMasterSecret(): Promise<void> {
    await this.secrets.delete(PREVIOUS);
  }
}

function decode(value: string | undefined): Uint8Array | undefined {
  if (value === undefined || value === '') return undefined;
  return Uint8Array.from(Buffer.from(value, 'base64'));
}

/** Removes the master secret from the keychain once the master passphrase protects it instead. */
export async function forgetKeychainMasterSecret(secrets: vscode.SecretStorage): Promise<void> {
  await secrets.delete(CURRENT);
  await secrets.delete(PREVIOUS);
}

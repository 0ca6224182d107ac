import type { AIConfiguration } from '../store';
import { ConfigurationError } from './errors';

/** The server part of an address (scheme, host, port): a stored key is bound to it, not to a path. */
export function originOf(baseUrl: string | null | undefined): string | undefined {
  if (typeof baseUrl !== 'string') return undefined;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

/**
 * The server a configuration's stored credentials (its key, its sealed headers) would be sent to for the first time
 * with `baseUrl`: its origin when that differs from the saved address's, undefined when nothing new would see them.
 */
export function newKeyDestination(saved: AIConfiguration, baseUrl: unknown, credentials: { readonly key: boolean; readonly headers: boolean }): string | undefined {
  const carries = (credentials.key && saved.encryptedApiKey !== null) || (credentials.headers && saved.encryptedHeaders !== null);
  if (!carries) return undefined;
  const to = originOf(typeof baseUrl === 'string' ? baseUrl : null);
  return to !== undefined && to !== originOf(saved.baseUrl) ? to : undefined;
}

/** Refuses to send the stored key to `to` unasked; `details.keyDestination` lets a caller ask and try again. */
export function keyDestinationRefusal(saved: AIConfiguration, to: string, doing: string): ConfigurationError {
  const from = originOf(saved.baseUrl) ?? 'its saved server';
  return new ConfigurationError(
    'validation',
    `The stored key of "${saved.name}" was entered for ${from}; it is not sent to ${to} unasked. To ${doing}, enter the key for ${to}, or confirm that the stored key may be sent there.`,
    { fieldErrors: [{ field: 'baseUrl', message: `the stored key is not sent to ${to} unless you confirm or enter a key for it` }], keyDestination: to },
  );
}

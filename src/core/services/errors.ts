import type { ConfigFieldError } from '../providers';

export type ConfigurationErrorKind =
  | 'validation'
  | 'duplicate-name'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'key-unavailable'
  | 'keys-need-reentry'
  /** A used-up budget with a hard stop refused a billed request; the message is the budget's. */
  | 'budget';

/** A refusal the user can act on. Messages never contain a key. */
export class ConfigurationError extends Error {
  constructor(
    readonly kind: ConfigurationErrorKind,
    message: string,
    readonly details: {
      readonly fieldErrors?: readonly ConfigFieldError[];
      readonly changes?: readonly FieldChange[];
      readonly retryAfterMs?: number;
      /** The server a stored key would newly be sent to: asking the user, the caller may try again with it. */
      readonly keyDestination?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** One field another window changed while the user was editing a stale copy. */
export interface FieldChange {
  readonly field: string;
  /** Plain descriptions, never a key: "gpt-4.1" → "gpt-4.1-mini", or "replaced" for a key. */
  readonly from: string;
  readonly to: string;
}

export function describeFieldErrors(errors: readonly ConfigFieldError[]): string {
  return errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ');
}

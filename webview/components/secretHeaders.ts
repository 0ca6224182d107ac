/**
 * Header names whose values the extension seals like the API key. The same rule as
 * src/core/providers/secretHeaders.ts (the webview may not import the core); a unit test keeps the two equal.
 */
export const SECRET_HEADER_NAME = /key|secret|token|passw|credential|auth|cookie|session|signature|portkey-config/i;

/** What a sealed header's value reads as when the form is opened; kept as is, the stored value stays. */
export const SEALED_HEADER_VALUE = '(stored encrypted)';

export function isSecretHeaderName(name: string): boolean {
  return SECRET_HEADER_NAME.test(name);
}

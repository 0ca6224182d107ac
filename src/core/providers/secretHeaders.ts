/**
 * Custom header names that carry credentials (api-key, x-api-key, Authorization, X-Auth-Token, Cookie,
 * Ocp-Apim-Subscription-Key, x-portkey-config, whose config holds provider keys, ...): their values are sealed like
 * the API key and redacted like it.
 * The editor's form repeats this rule (webview/components/secretHeaders.ts); a unit test keeps the two equal.
 */
export const SECRET_HEADER_NAME = /key|secret|token|passw|credential|auth|cookie|session|signature|portkey-config/i;

/** Values shaped like a credential, whatever the header's name. */
const SECRET_HEADER_VALUE = /^(?:(?:bearer|basic|token)\s+\S{8,}|sk-[\w-]{16,}|sk_[\w-]{16,}|AIza[\w-]{30,}|gsk_\w{20,}|xai-\w{20,}|hf_\w{20,}|r8_\w{20,})$/i;

/** What a sealed header's value reads as in stored settings, forms and exports; the value itself is sealed. */
export const SEALED_HEADER_VALUE = '(stored encrypted)';

export function isSecretHeader(name: string, value: string): boolean {
  return SECRET_HEADER_NAME.test(name) || SECRET_HEADER_VALUE.test(value.trim());
}

/** The values of the secret headers among `headers` (and the credential after a "Bearer "-like scheme): what an error message must never repeat. */
export function secretHeaderValues(headers: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(headers ?? {}).flatMap(([name, value]) => {
    if (value === SEALED_HEADER_VALUE || !isSecretHeader(name, value)) return [];
    // A scheme is one word ("Bearer", "Basic"): a cookie's "sid=...; theme=dark" is not a scheme and a credential.
    const credential = /^[A-Za-z][\w-]*\s+(\S+)$/.exec(value.trim())?.[1];
    return credential === undefined ? [value] : [value, credential];
  });
}

import { ProviderError } from '../providers';
import { failureSummary } from '../providers/failureText';
import { phrase } from '../text';

/**
 * What a failed attempt means for the route: `move-on` is the member's problem (another may answer), `larger-window`
 * needs a member with a bigger context, `auth` falls back only when the group says so, `request` is the request's own
 * fault (every member would refuse it), `cancelled` is the caller's choice.
 */
export type FailureClass = 'move-on' | 'larger-window' | 'auth' | 'request' | 'cancelled';

export interface Failure {
  readonly class: FailureClass;
  /** For request_log.error_code: the provider's code, else our kind. */
  readonly code: string;
  /** "server error (503)", "timeout", "context too long (400 context_length_exceeded)". */
  readonly summary: string;
  readonly retryAfterMs: number | undefined;
  /** The provider answered (with an error status): the attempt reached it. */
  readonly answered: boolean;
  readonly error: Error;
}

// OpenAI `context_length_exceeded`, Anthropic "prompt is too long", Gemini "exceeds the maximum number of tokens",
// and the wording OpenAI-compatible servers (vLLM, llama.cpp) use.
const contextCodes = new Set(['context_length_exceeded', 'string_above_max_length']);
const contextMessages = [/prompt is too long/i, /exceeds the maximum number of tokens/i, /maximum context length/i, /context (?:length|window) (?:exceeded|is exceeded)/i, /too many tokens/i];

/** Whether a provider's 400 says the conversation does not fit the model's context window. */
export function isContextLengthError(error: ProviderError): boolean {
  if (error.kind !== 'bad-request' && error.kind !== 'too-large') return false;
  if (error.code !== undefined && contextCodes.has(error.code)) return true;
  const text = `${error.providerMessage ?? ''} ${error.message}`;
  return contextMessages.some((pattern) => pattern.test(text));
}

const moveOnKinds = new Set<ProviderError['kind']>(['rate-limited', 'server', 'timeout', 'network', 'refused', 'dns', 'tls', 'bad-response', 'too-large', 'unknown-model', 'not-found', 'redirect']);

export function classify(error: unknown): Failure {
  if (!(error instanceof ProviderError)) {
    // The member could not be prepared (its key cannot be opened, its settings are invalid): another may answer.
    const plain = error instanceof Error ? error : new Error(String(error));
    return { class: 'move-on', code: 'unavailable', summary: phrase(plain.message), retryAfterMs: undefined, answered: false, error: plain };
  }
  const label = [error.status === undefined ? undefined : String(error.status), error.code].filter(Boolean).join(' ');
  const summary = failureSummary(error);
  const base = { code: error.code ?? error.kind, retryAfterMs: error.retryAfterMs, answered: error.status !== undefined, error };
  if (error.kind === 'cancelled') return { ...base, class: 'cancelled', summary: 'cancelled' };
  if (isContextLengthError(error)) return { ...base, class: 'larger-window', summary: `context too long (${label})` };
  if (error.kind === 'auth' || error.kind === 'forbidden') return { ...base, class: 'auth', summary };
  if (moveOnKinds.has(error.kind)) return { ...base, class: 'move-on', summary };
  return { ...base, class: 'request', summary };
}

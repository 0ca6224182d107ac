import { hintFor, ProviderError, toProviderError, type ProviderErrorKind } from './errors';
import type { AIProvider, ProviderTarget, TestOptions, TestResult, Usage } from './types';

const unreachable = new Set<ProviderErrorKind>(['dns', 'refused', 'tls', 'timeout', 'network']);

interface TestPlan {
  /** The configured model, checked against the live list. */
  readonly model: string;
  /** OpenAI-compatible servers may not implement a model list; then the chat step decides. */
  readonly listOptional?: boolean;
}

/**
 * Lists models (reachable, key accepted, model present), then streams a one-token reply (streaming works); all of it
 * within `deadlineMs` when given, so a server that trickles bytes or only sends keep-alives cannot hold a test open.
 */
export async function runConnectionTest<C>(provider: AIProvider<C>, target: ProviderTarget<C>, plan: TestPlan, options: TestOptions = {}): Promise<TestResult> {
  const { deadlineMs } = options;
  if (deadlineMs === undefined) return runSteps(provider, target, plan, options);
  const stop = new AbortController();
  const onAbort = (): void => {
    stop.abort(options.signal?.reason);
  };
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = { expired: false };
  const timer = setTimeout(() => {
    deadline.expired = true;
    stop.abort(new Error('the connection test took too long'));
  }, deadlineMs);
  try {
    const result = await runSteps(provider, target, plan, { ...options, signal: stop.signal });
    if (result.ok || !deadline.expired || options.signal?.aborted) return result;
    const seconds = String(Math.round(deadlineMs / 1000));
    const failure = new ProviderError('timeout', `The connection test of ${provider.displayName} did not finish within ${seconds} s.`, {
      hint: 'The server may be overloaded or sending only keep-alives: check the base URL, or raise modelManager.requestTimeoutSeconds.',
    });
    return failed(failure, { latencyMs: result.latencyMs, modelFound: result.modelFound, streaming: result.streaming });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function runSteps<C>(provider: AIProvider<C>, target: ProviderTarget<C>, plan: TestPlan, options: TestOptions): Promise<TestResult> {
  const started = performance.now();
  let latencyMs: number;
  let modelFound: boolean | undefined;
  const secrets = target.apiKey === undefined ? [] : [target.apiKey];
  try {
    const models = await provider.listModels(target, { refresh: true, signal: options.signal, retry: false });
    latencyMs = performance.now() - started;
    modelFound = models.some((m) => m.id === plan.model);
  } catch (error) {
    latencyMs = performance.now() - started;
    const failure = toProviderError(error, { provider: provider.displayName, secrets, extract: () => ({}) });
    if (!(plan.listOptional && failure.kind === 'not-found')) return failed(failure, { latencyMs, modelFound: undefined, streaming: undefined });
  }
  if (modelFound === false) {
    return {
      ok: false,
      reachable: true,
      authenticated: true,
      modelFound,
      streaming: undefined,
      latencyMs,
      failure: { kind: 'unknown-model', message: `${provider.displayName} does not list the model "${plan.model}".` },
      hint: hintFor('unknown-model', { model: plan.model }),
    };
  }
  if (options.checkStreaming === false) return passed(latencyMs, modelFound, undefined);
  let usage: Usage | undefined;
  try {
    usage = await streamOneToken(provider, target, options, options.usageGraceMs ?? USAGE_GRACE_MS);
  } catch (error) {
    const failure = toProviderError(error, { provider: provider.displayName, secrets, extract: () => ({}) });
    return failed(failure, { latencyMs, modelFound: failure.kind === 'unknown-model' ? false : modelFound, streaming: false });
  }
  const result = passed(latencyMs, modelFound ?? true, true);
  return usage ? { ...result, usage } : result;
}

/** After the first token, how long the rest of the one-token reply (its usage) may take before the test stops reading. */
export const USAGE_GRACE_MS = 2_000;

/**
 * Streams a one-token reply. Streaming works once the first event arrives; the test then keeps reading for up to
 * USAGE_GRACE_MS for the usage, which providers complete at the end, so that the tokens the provider bills for the
 * test are counted. A reply that goes on longer is cut off (its connection closed) with the usage seen so far.
 */
async function streamOneToken<C>(provider: AIProvider<C>, target: ProviderTarget<C>, options: TestOptions, graceMs: number): Promise<Usage | undefined> {
  const { signal } = options;
  const stop = new AbortController();
  const onAbort = (): void => {
    stop.abort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let proven = false;
  let usage: Usage | undefined;
  try {
    for await (const event of provider.chat(target, { messages: [{ role: 'user', content: 'Reply with OK.' }], maxTokens: 1, stream: true }, { signal: stop.signal, retry: false, onHeaders: options.onHeaders })) {
      if (event.type === 'usage') usage = event.usage;
      if (!proven) {
        proven = true;
        timer = setTimeout(() => {
          stop.abort(new Error('the connection test read enough'));
        }, graceMs);
      }
    }
    return usage;
  } catch (error) {
    // Streaming was proven by the first event; a failure or the cut-off while waiting for the usage only loses it.
    if (proven && !signal?.aborted) return usage;
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function passed(latencyMs: number, modelFound: boolean | undefined, streaming: boolean | undefined): TestResult {
  const steps = [`connected in ${String(Math.round(latencyMs))} ms`, modelFound === undefined ? undefined : 'model found', streaming ? 'streaming works' : undefined];
  const text = steps.filter(Boolean).join('; ');
  return { ok: true, reachable: true, authenticated: true, modelFound, streaming, latencyMs, hint: `${text.charAt(0).toUpperCase()}${text.slice(1)}.` };
}

function failed(error: ProviderError, found: { latencyMs: number; modelFound: boolean | undefined; streaming: boolean | undefined }): TestResult {
  const reachable = !unreachable.has(error.kind);
  return {
    ok: false,
    reachable,
    authenticated: reachable && error.kind !== 'auth' && error.kind !== 'forbidden' && error.kind !== 'cancelled',
    modelFound: found.modelFound,
    streaming: found.streaming,
    latencyMs: found.latencyMs,
    failure: {
      kind: error.kind,
      message: error.providerMessage ?? error.message,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.code === undefined ? {} : { code: error.code }),
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
    },
    hint: error.hint,
  };
}

import { fixtureJson } from './recordings';
import { startOpenAIEmulator, type OpenAIEmulator } from './openai';
import type { ReceivedRequest, Reply } from './server';

interface KeyInfoBody {
  readonly key: string;
  readonly info: Record<string, unknown>;
}

const documented = fixtureJson('docs/litellm/key-info.json') as KeyInfoBody;
const errors = fixtureJson('docs/litellm/errors.json') as Record<'401' | '403' | '404', unknown>;

/** What a test changes in the key's row: any `info` field, as LiteLLM would store it (hostile values included). */
export type KeyInfoFields = Readonly<Record<string, unknown>>;

export interface LiteLLMEmulator extends OpenAIEmulator {
  /** The virtual key the proxy knows (the configuration's API key). */
  readonly virtualKey: string;
  /** What the key has spent so far, in USD: grows with every chat completion the key sends. */
  spend(): number;
  /** Replaces fields of the key's row (max_budget, budget_reset_at, litellm_budget_table, spend…). */
  setKeyInfo(fields: KeyInfoFields): void;
  /** Answers /key/info with LiteLLM's 403 or 404 (a key that may not read its own info), or normally again (null). */
  refuseKeyInfo(status: 403 | 404 | null): void;
  /** The /key/info requests received, for counting reads. */
  keyInfoRequests(): ReceivedRequest[];
}

/**
 * A LiteLLM proxy as its virtual-key holder sees it: the OpenAI routes of the OpenAI emulator behind the virtual key,
 * and `GET /key/info` (docs/litellm/key-info.json) whose `spend` grows by `costPerRequestUsd` with each chat completion.
 */
export async function startLiteLLMEmulator(options: { virtualKey?: string; costPerRequestUsd?: number; fields?: KeyInfoFields } = {}): Promise<LiteLLMEmulator> {
  const virtualKey = options.virtualKey ?? 'sk-litellm-virtual-7f3a9c2e41';
  const cost = options.costPerRequestUsd ?? 0.25;
  let info: Record<string, unknown> = { ...documented.info, ...options.fields };
  let refused: 403 | 404 | null = null;
  const authorized = (request: ReceivedRequest): boolean => request.headers.authorization === `Bearer ${virtualKey}`;
  const before = (request: ReceivedRequest): Reply | undefined => {
    if (request.method === 'POST' && request.path === '/v1/chat/completions' && authorized(request) && typeof info.spend === 'number') {
      info = { ...info, spend: Math.round((info.spend + cost) * 1e6) / 1e6 };
      return undefined;
    }
    if (request.path !== '/key/info') return undefined;
    if (!authorized(request)) return { kind: 'json', status: 401, body: errors['401'] };
    if (refused !== null) return { kind: 'json', status: refused, body: errors[refused] };
    // Another key's info: unknown to this proxy (a key it knows but the caller may not read would be a 403).
    const asked = request.query.get('key');
    if (asked !== null && asked !== virtualKey) return { kind: 'json', status: 404, body: errors['404'] };
    // The proxy echoes the key it answers for: a reader must never show or keep it.
    return { kind: 'json', body: { key: virtualKey, info } };
  };
  const emulator = await startOpenAIEmulator({ apiKey: virtualKey, before });
  return {
    ...emulator,
    virtualKey,
    spend: () => (typeof info.spend === 'number' ? info.spend : Number.NaN),
    setKeyInfo: (fields) => {
      info = { ...info, ...fields };
    },
    refuseKeyInfo: (status) => {
      refused = status;
    },
    keyInfoRequests: () => emulator.requests.filter((r) => r.path === '/key/info'),
  };
}

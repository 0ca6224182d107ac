import type { ModelView, Params } from '../../src/protocol';
import { asRpcError, type RpcClient } from '../rpc/RpcClient';

export type ModelList =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly models: readonly ModelView[] }
  | { readonly status: 'error'; readonly message: string };

type Draft = Params<'providers.models'>['draft'];

/** The live model lists, one per draft key (provider, address, key), so going back and forth does not refetch. */
export class ModelStore {
  private readonly lists = new Map<string, ModelList>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly rpc: RpcClient) {}

  /** A key that tells drafts apart without keeping the API key itself. */
  static keyOf(draft: Draft): string {
    const baseUrl = typeof draft.settings.baseUrl === 'string' ? draft.settings.baseUrl : '';
    const preset = typeof draft.settings.preset === 'string' ? draft.settings.preset : '';
    return [draft.provider, preset, baseUrl, draft.configurationId ?? '', draft.apiKey ? fingerprint(draft.apiKey) : ''].join('|');
  }

  get(key: string): ModelList | undefined {
    return this.lists.get(key);
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(draft: Draft, refresh = false): Promise<void> {
    const key = ModelStore.keyOf(draft);
    const known = this.lists.get(key);
    if (!refresh && known && known.status !== 'error') return;
    this.set(key, { status: 'loading' });
    try {
      const models = await this.rpc.request('providers.models', { draft, ...(refresh ? { refresh: true } : {}) });
      this.set(key, { status: 'ready', models });
    } catch (error) {
      this.set(key, { status: 'error', message: asRpcError(error).message });
    }
  }

  private set(key: string, list: ModelList): void {
    this.lists.set(key, list);
    for (const listener of [...this.listeners]) listener();
  }
}

function fingerprint(value: string): string {
  let hash = 5381;
  for (let i = 0; i < value.length; i++) hash = ((hash << 5) + hash + value.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}

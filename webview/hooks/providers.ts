import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Params, ProviderView, TemplateView } from '../../src/protocol';
import { useData } from '../rpc/context';
import { ModelStore, type ModelList } from '../stores/ModelStore';
import type { ProviderSchema } from '../stores/ProviderStore';
import { useMethodMutation, useMethodQuery } from './method';
import { useQuery, type Query } from './request';

export function useProviders(): Query<readonly ProviderView[]> {
  const { providers } = useData();
  return useQuery(() => providers.providers(), [providers]);
}

export function useProviderSchema(provider: string): Query<ProviderSchema> {
  const { providers } = useData();
  return useQuery(() => providers.schema(provider), [providers, provider]);
}

export function useProviderTemplates(): Query<readonly TemplateView[]> {
  return useMethodQuery('templates.list', {});
}

type Draft = Params<'providers.models'>['draft'];

export interface PullRun {
  readonly params: Params<'providers.pull'>;
  readonly onProgress?: (message: string) => void;
}

/** providers.pull: a download of gigabytes (the protocol waits up to an hour); each step arrives as progress. */
export function usePullModel() {
  return useMethodMutation('providers.pull', ({ params }: PullRun) => params, ({ onProgress }) => (onProgress ? { onProgress } : {}));
}

/** Asks the server for its model list again (e.g. after a pull), updating every picker that shows it. */
export function useRefreshModels(draft: Draft | undefined): () => void {
  const { models } = useData();
  const key = draft ? ModelStore.keyOf(draft) : undefined;
  return useCallback(() => {
    if (draft) void models.load(draft, true);
  }, [models, key]);
}

/** The live model list for a draft (undefined while the draft is not ready to ask), with a refresh. */
export function useProviderModels(draft: Draft | undefined): { list: ModelList | undefined; refresh: () => void } {
  const { models } = useData();
  const key = draft ? ModelStore.keyOf(draft) : undefined;
  const [, setTick] = useState(0);
  useEffect(
    () =>
      models.subscribe(() => {
        setTick((t) => t + 1);
      }),
    [models],
  );
  useEffect(() => {
    if (!draft) return;
    const timer = setTimeout(() => void models.load(draft), 300);
    return () => {
      clearTimeout(timer);
    };
    // The key stands for the draft: only a new provider, address or key asks again.
  }, [models, key]);
  const refresh = useCallback(() => {
    if (draft) void models.load(draft, true);
  }, [models, key]);
  return { list: key ? models.get(key) : undefined, refresh };
}

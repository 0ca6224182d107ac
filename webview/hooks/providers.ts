import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Params, ProviderView, TemplateView } from '../../src/protocol';
import { useData } from '../rpc/context';
import { ModelStore, type ModelList } from '../stores/ModelStore';
import type { ProviderSchema } from '../stores/ProviderStore';
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
  const { rpc } = useData();
  return useQuery(() => rpc.request('templates.list', {}), [rpc]);
}

type Draft = Params<'providers.models'>['draft'];

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

import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { ConfigurationView, Params, Result } from '../../src/protocol';
import { useData } from '../rpc/context';
import { useMutation, useQuery, type Query } from './request';

/** configurations.list, refetched whenever the host says the configurations changed. */
export function useConfigurations(): Query<readonly ConfigurationView[]> {
  const { rpc } = useData();
  const query = useQuery(() => rpc.request('configurations.list', {}), [rpc]);
  const { reload } = query;
  useEffect(
    () =>
      rpc.onNotification((n) => {
        if (n.event === 'configurationsChanged') reload();
      }),
    [rpc, reload],
  );
  return query;
}

export function useConfiguration(id: string): Query<ConfigurationView> {
  const { rpc } = useData();
  return useQuery(() => rpc.request('configurations.get', { id }), [rpc, id]);
}

export function useCreateConfiguration() {
  const { rpc } = useData();
  return useMutation(useCallback((params: Params<'configurations.create'>) => rpc.request('configurations.create', params), [rpc]));
}

export function useUpdateConfiguration() {
  const { rpc } = useData();
  return useMutation(useCallback((params: Params<'configurations.update'>) => rpc.request('configurations.update', params), [rpc]));
}

export function useDeleteConfiguration() {
  const { rpc } = useData();
  return useMutation(useCallback((id: string) => rpc.request('configurations.delete', { id }), [rpc]));
}

export interface TestRun {
  readonly params: Params<'configurations.test'>;
  readonly onProgress?: (message: string) => void;
}

/**
 * configurations.test with `{id}` or `{draft}`; progress lines arrive while it runs. `stop()` cancels it (the host
 * closes the provider connection), and so does leaving the screen. The host bounds a test itself; the page waits a
 * little longer than the longest bound the setting allows before it gives up.
 */
export function useTestConnection() {
  const { rpc } = useData();
  const running = useRef<AbortController | undefined>(undefined);
  const mutation = useMutation(
    useCallback(
      ({ params, onProgress }: TestRun): Promise<Result<'configurations.test'>> => {
        running.current?.abort();
        const controller = new AbortController();
        running.current = controller;
        return rpc.request('configurations.test', params, { timeoutMs: 660_000, signal: controller.signal, ...(onProgress ? { onProgress } : {}) });
      },
      [rpc],
    ),
  );
  useEffect(
    () => () => {
      running.current?.abort();
    },
    [],
  );
  const stop = useCallback(() => {
    running.current?.abort();
  }, []);
  return { ...mutation, stop };
}

export function useValidateConfiguration() {
  const { rpc } = useData();
  return useCallback((params: Params<'configurations.validate'>) => rpc.request('configurations.validate', params), [rpc]);
}

export function useUsageStats(id: string): Query<Result<'configurations.usage'>> {
  const { rpc } = useData();
  return useQuery(() => rpc.request('configurations.usage', { id, period: 'month' }), [rpc, id]);
}

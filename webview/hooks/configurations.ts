import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { ConfigurationView, Params, Result, UsagePeriodView } from '../../src/protocol';
import { useMethod, useMethodMutation, useMethodQuery } from './method';
import type { Query } from './request';

/** configurations.list, refetched whenever the host says the configurations changed. */
export function useConfigurations(): Query<readonly ConfigurationView[]> {
  return useMethodQuery('configurations.list', {}, { reloadOn: ['configurationsChanged'] });
}

/** One configuration, read again whenever it may have changed (this panel, the palette, the tree, another window). */
export function useConfiguration(id: string): Query<ConfigurationView> {
  return useMethodQuery('configurations.get', { id }, { reloadOn: ['configurationsChanged'] });
}

/** configurations.rotateKey: the new key goes to the host and never comes back; the answer says only "set (…abcd)". */
export function useRotateKey() {
  return useMethodMutation('configurations.rotateKey');
}

export function useCreateConfiguration() {
  return useMethodMutation('configurations.create');
}

export function useUpdateConfiguration() {
  return useMethodMutation('configurations.update');
}

export function useDeleteConfiguration() {
  return useMethodMutation('configurations.delete', (id: string) => ({ id }));
}

export interface TestRun {
  readonly params: Params<'configurations.test'>;
  readonly onProgress?: (message: string) => void;
}

/**
 * configurations.test with `{id}` or `{draft}`; progress lines arrive while it runs. `stop()` cancels it (the host
 * closes the provider connection), and so does leaving the screen. How long the page waits is the protocol's.
 */
export function useTestConnection() {
  const running = useRef<AbortController | undefined>(undefined);
  const mutation = useMethodMutation(
    'configurations.test',
    ({ params }: TestRun) => params,
    ({ onProgress }) => {
      running.current?.abort();
      const controller = new AbortController();
      running.current = controller;
      return { signal: controller.signal, ...(onProgress ? { onProgress } : {}) };
    },
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

export function useValidateConfiguration(): (params: Params<'configurations.validate'>) => Promise<Result<'configurations.validate'>> {
  return useMethod('configurations.validate');
}

/** A configuration's totals for today, the last 7 days, this month or a range; undefined asks nothing yet. */
export function useUsageStats(id: string, period: UsagePeriodView | undefined): Query<Result<'configurations.usage'>> {
  return useMethodQuery('configurations.usage', period === undefined ? undefined : { id, period });
}

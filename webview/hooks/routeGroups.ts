import { useCallback, useEffect } from 'preact/hooks';
import type { Params, RouteGroupView } from '../../src/protocol';
import { useData } from '../rpc/context';
import { useMutation, useQuery, type Query } from './request';

/** routeGroups.list, refetched when groups change elsewhere (tree, palette) or their configurations change. */
export function useRouteGroups(): Query<readonly RouteGroupView[]> {
  const { rpc } = useData();
  const query = useQuery(() => rpc.request('routeGroups.list', {}), [rpc]);
  const { reload } = query;
  useEffect(
    () =>
      rpc.onNotification((n) => {
        if (n.event === 'routeGroupsChanged' || n.event === 'configurationsChanged') reload();
      }),
    [rpc, reload],
  );
  return query;
}

export function useSaveRouteGroup() {
  const { rpc } = useData();
  return useMutation(
    useCallback(
      (params: Params<'routeGroups.create'> & { readonly id?: string | undefined }) =>
        params.id === undefined ? rpc.request('routeGroups.create', params) : rpc.request('routeGroups.update', { ...params, id: params.id }),
      [rpc],
    ),
  );
}

export function useDeleteRouteGroup() {
  const { rpc } = useData();
  return useMutation(useCallback((id: string) => rpc.request('routeGroups.delete', { id }), [rpc]));
}

export interface RouteGroupTestRun {
  readonly id: string;
  readonly onProgress?: (message: string) => void;
}

/** routeGroups.test: a real chat, so it may take as long as a slow model. */
export function useTestRouteGroup() {
  const { rpc } = useData();
  return useMutation(
    useCallback(({ id, onProgress }: RouteGroupTestRun) => rpc.request('routeGroups.test', { id }, { timeoutMs: 120_000, ...(onProgress ? { onProgress } : {}) }), [rpc]),
  );
}

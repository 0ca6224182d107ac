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

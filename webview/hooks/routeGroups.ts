import { useCallback } from 'preact/hooks';
import type { Params, RouteGroupView } from '../../src/protocol';
import { useData } from '../rpc/context';
import { useMutation, useQuery, type Query } from './request';

export function useRouteGroups(): Query<readonly RouteGroupView[]> {
  const { rpc } = useData();
  return useQuery(() => rpc.request('routeGroups.list', {}), [rpc]);
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

import { useCallback } from 'preact/hooks';
import type { Params, RouteGroupView } from '../../src/protocol';
import { useData } from '../rpc/context';
import { useMethodMutation, useMethodQuery } from './method';
import { useMutation, type Query } from './request';

/** routeGroups.list, refetched when groups change elsewhere (tree, palette) or their configurations change. */
export function useRouteGroups(): Query<readonly RouteGroupView[]> {
  return useMethodQuery('routeGroups.list', {}, { reloadOn: ['routeGroupsChanged', 'configurationsChanged'] });
}

/** Creates a group, or updates the one whose id it is given. */
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
  return useMethodMutation('routeGroups.delete', (id: string) => ({ id }));
}

export interface RouteGroupTestRun {
  readonly id: string;
  readonly onProgress?: (message: string) => void;
}

/** routeGroups.test: a real chat, so the protocol lets it take as long as a slow model. */
export function useTestRouteGroup() {
  return useMethodMutation('routeGroups.test', ({ id }: RouteGroupTestRun) => ({ id }), ({ onProgress }) => (onProgress ? { onProgress } : {}));
}

import { useCallback, useEffect, useRef } from 'preact/hooks';
import type { MethodName, Params, Result, RpcNotification } from '../../src/protocol';
import { useData } from '../rpc/context';
import type { RequestOptions } from '../rpc/RpcClient';
import { useMutation, useQuery, type Mutation, type Query } from './request';

export interface MethodQueryOptions {
  /** Notifications after which the host's answer may have changed: the query asks again. */
  readonly reloadOn?: readonly RpcNotification['event'][];
  /** Anything else that makes the query ask again (a reload counter). */
  readonly deps?: readonly unknown[];
}

/**
 * A read of one method of the editor's protocol: asked when its params change (compared by value), and again on the
 * notifications named; undefined params ask nothing yet. A newer answer wins over an older one still in flight.
 */
export function useMethodQuery<M extends MethodName>(method: M, params: Params<M> | undefined, options: MethodQueryOptions = {}): Query<Result<M>> {
  const { rpc } = useData();
  const key = params === undefined ? undefined : JSON.stringify(params);
  const query = useQuery(params === undefined ? undefined : () => rpc.request(method, params), [rpc, method, key, ...(options.deps ?? [])]);
  const { reload } = query;
  const events = options.reloadOn?.join(' ') ?? '';
  useEffect(() => {
    if (events === '') return undefined;
    const wanted = new Set(events.split(' '));
    return rpc.onNotification((n) => {
      if (wanted.has(n.event)) reload();
    });
  }, [rpc, reload, events]);
  return query;
}

/** A stable function that calls one method (its timeout is the protocol table's). */
export function useMethod<M extends MethodName>(method: M): (params: Params<M>, options?: RequestOptions) => Promise<Result<M>> {
  const { rpc } = useData();
  return useCallback((params: Params<M>, options?: RequestOptions) => rpc.request(method, params, options), [rpc, method]);
}

/**
 * A write through one method: remembers whether it runs and how it failed. `toParams` turns what the component passes
 * into the params (without it the component passes the params); `toOptions` adds progress and a stop signal.
 */
export function useMethodMutation<M extends MethodName, A = Params<M>>(method: M, toParams?: (args: A) => Params<M>, toOptions?: (args: A) => RequestOptions): Mutation<A, Result<M>> {
  const call = useMethod(method);
  // The latest mappings, so lambdas written inline do not make a new `run` on every render.
  const mapping = useRef({ toParams, toOptions });
  mapping.current = { toParams, toOptions };
  return useMutation(
    useCallback(
      (args: A) => {
        const { toParams: params, toOptions: options } = mapping.current;
        return call(params ? params(args) : (args as unknown as Params<M>), options?.(args));
      },
      [call],
    ),
  );
}

import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { RpcError } from '../../src/protocol';
import { asRpcError } from '../rpc/RpcClient';

export interface Query<T> {
  readonly data: T | undefined;
  readonly error: RpcError | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/** Runs a read when its inputs change; a newer run wins over an older one still in flight. */
export function useQuery<T>(load: (() => Promise<T>) | undefined, deps: readonly unknown[]): Query<T> {
  const [state, setState] = useState<{ data?: T; error?: RpcError; loading: boolean }>({ loading: load !== undefined });
  const [version, setVersion] = useState(0);
  const run = useRef(0);
  useEffect(() => {
    if (!load) return;
    const mine = ++run.current;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => {
        if (mine === run.current) setState({ data, loading: false });
      },
      (error: unknown) => {
        if (mine === run.current) setState((s) => ({ ...s, error: asRpcError(error), loading: false }));
      },
    );
  }, [...deps, version]);
  const reload = useCallback(() => {
    setVersion((v) => v + 1);
  }, []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

export interface Mutation<A, T> {
  run(args: A): Promise<T | undefined>;
  readonly pending: boolean;
  readonly error: RpcError | undefined;
  reset(): void;
}

/** A write: remembers whether it runs and how it failed; `run` resolves undefined on failure. */
export function useMutation<A, T>(perform: (args: A) => Promise<T>): Mutation<A, T> {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<RpcError | undefined>(undefined);
  const run = useCallback(
    async (args: A): Promise<T | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        return await perform(args);
      } catch (e) {
        setError(asRpcError(e));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [perform],
  );
  const reset = useCallback(() => {
    setError(undefined);
  }, []);
  return { run, pending, error, reset };
}

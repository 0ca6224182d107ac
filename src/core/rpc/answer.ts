import * as z from 'zod/mini';
import { cancelSchema, requestSchema, tooLarge, type MethodTable, type ParamsOf, type ResultOf, type RpcError, type RpcResponse } from '../../protocol/envelope';

export type MethodHandler<P, R> = (params: P, progress: (message: string) => void, signal: AbortSignal) => Promise<R>;
/** One handler per method of a table, typed by the table's params and results. */
export type MethodHandlers<T extends MethodTable> = { [M in keyof T & string]: MethodHandler<ParamsOf<T, M>, ResultOf<T, M>> };

/** The requests of one page that are still running, so that the page can stop one by its id (a `cancel` message). */
export class RunningRequests {
  private readonly running = new Map<number, AbortController>();

  /** A `cancel` message: stops its request and returns true; anything else is left to answerRequest. */
  cancel(raw: unknown): boolean {
    const cancel = z.safeParse(cancelSchema, raw);
    if (!cancel.success) return false;
    this.running.get(cancel.data.id)?.abort(new Error('Stopped from the panel.'));
    return true;
  }

  /** Stops everything still running (the panel closed). */
  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort(new Error('The panel closed.'));
  }

  start(id: number): AbortSignal {
    this.running.get(id)?.abort(new Error('Replaced by a request with the same id.'));
    const controller = new AbortController();
    this.running.set(id, controller);
    return controller.signal;
  }

  finish(id: number, signal: AbortSignal): void {
    if (this.running.get(id)?.signal === signal) this.running.delete(id);
  }

  get size(): number {
    return this.running.size;
  }
}

export interface AnswerOptions {
  /** The refusal for params that do not match the method's schema (the editor names the fields). */
  readonly refuseParams: (method: string, params: unknown, issues: readonly z.core.$ZodIssue[]) => RpcError;
  /** A handler's failure as the page shows it. */
  readonly toError: (error: unknown) => RpcError;
  /** As PageEndpointOptions.maxMessageBytes. */
  readonly maxMessageBytes?: number;
}

/**
 * Validates one raw message against a method table and runs its handler. Returns the response to post, or undefined
 * when the message is not a request at all (dropped). Never throws: every failure becomes an error response. The
 * page can cancel a request while it runs; a cancelled request answers with a `cancelled` error.
 */
export async function answerRequest<T extends MethodTable>(
  table: T,
  handlers: MethodHandlers<T>,
  raw: unknown,
  progress: (id: number, message: string) => void,
  requests: RunningRequests,
  options: AnswerOptions,
): Promise<RpcResponse | undefined> {
  if (tooLarge(raw, options.maxMessageBytes)) return undefined;
  if (requests.cancel(raw)) return undefined;
  const request = z.safeParse(requestSchema, raw);
  if (!request.success) return undefined;
  const { id, method } = request.data;
  if (!Object.hasOwn(table, method)) return failure(id, { code: 'unknown-method', message: `Unknown method "${method.slice(0, 100)}".` });
  const spec = table[method];
  const params = spec ? z.safeParse(spec.params, request.data.params) : undefined;
  if (!params?.success) return failure(id, options.refuseParams(method, request.data.params, params?.error.issues ?? []));
  const signal = requests.start(id);
  try {
    const handler = handlers[method as keyof T & string] as MethodHandler<unknown, unknown>;
    const result = await handler(params.data, (message) => {
      progress(id, message);
    }, signal);
    // A test that was stopped comes back as a result whose failure is "cancelled": the page asked to stop, say so.
    if (signal.aborted) return failure(id, stopped());
    return { kind: 'response', id, ok: true, result };
  } catch (error) {
    return failure(id, signal.aborted ? stopped() : options.toError(error));
  } finally {
    requests.finish(id, signal);
  }
}

function stopped(): RpcError {
  return { code: 'cancelled', message: 'Stopped; the connection to the provider was closed.' };
}

export function failure(id: number, error: RpcError): RpcResponse {
  return { kind: 'response', id, ok: false, error };
}

/**
 * A stream that another may replace while it has given nothing: when the source fails before its first event and
 * `instead(error)` names another stream, that one is read in its place; otherwise the error is the stream's. Once an
 * event has come, each read goes straight to the source's own iterator: a generator wrapped around it would cost every
 * event of a long answer one more async step.
 */
export function beforeFirstEvent<T>(source: () => AsyncIterable<T>, instead: (error: unknown) => AsyncIterable<T> | undefined): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      let current = source()[Symbol.asyncIterator]();
      let direct = false;
      const first = async (): Promise<IteratorResult<T>> => {
        let step: IteratorResult<T>;
        try {
          step = await current.next();
        } catch (error) {
          const other = instead(error);
          if (!other) throw error;
          current = other[Symbol.asyncIterator]();
          direct = true;
          return current.next();
        }
        direct = true;
        return step;
      };
      return {
        next: () => (direct ? current.next() : first()),
        return: (value?: unknown) => current.return?.(value) ?? Promise.resolve({ done: true, value: undefined }),
      };
    },
  };
}

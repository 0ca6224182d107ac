import * as assert from 'node:assert/strict';
import { beforeFirstEvent } from '../../../src/core/providers/fallbackStream';

async function* items(values: readonly string[], failAfter?: Error): AsyncGenerator<string, void, undefined> {
  for (const value of values) {
    await Promise.resolve();
    yield value;
  }
  if (failAfter) throw failAfter;
}

async function read(stream: AsyncIterable<string>): Promise<{ values: string[]; error?: string }> {
  const values: string[] = [];
  try {
    for await (const value of stream) values.push(value);
  } catch (error) {
    return { values, error: (error as Error).message };
  }
  return { values };
}

describe('beforeFirstEvent, a stream another may replace while it has given nothing', () => {
  const wrong = new Error('this model is served on another API');

  it('reads the other stream when the source fails before its first event and the failure names one', async () => {
    const told: unknown[] = [];
    const stream = beforeFirstEvent(() => items([], wrong), (error) => {
      told.push(error);
      return items(['a', 'b']);
    });
    assert.deepEqual(await read(stream), { values: ['a', 'b'] });
    assert.deepEqual(told, [wrong]);
  });

  it('keeps the failure when nothing replaces the source', async () => {
    assert.deepEqual(await read(beforeFirstEvent(() => items([], wrong), () => undefined)), { values: [], error: wrong.message });
  });

  it('never replaces a source that has given an event: its later failure is the stream\'s', async () => {
    let asked = 0;
    const stream = beforeFirstEvent(() => items(['a', 'b'], wrong), () => {
      asked++;
      return items(['other']);
    });
    assert.deepEqual(await read(stream), { values: ['a', 'b'], error: wrong.message });
    assert.equal(asked, 0);
  });

  it('makes nothing before it is read, and stops its source when the caller stops reading', async () => {
    let made = 0;
    let closed = false;
    async function* endless(): AsyncGenerator<string, void, undefined> {
      try {
        for (;;) {
          await Promise.resolve();
          yield 'x';
        }
      } finally {
        closed = true;
      }
    }
    const stream = beforeFirstEvent(() => {
      made++;
      return endless();
    }, () => undefined);
    assert.equal(made, 0);
    for await (const value of stream) if (value === 'x') break;
    assert.equal(made, 1);
    assert.equal(closed, true);
  });
});

import * as assert from 'node:assert/strict';
import { meetsGoal, parseRun, sideBySide, spread, type ResultLine } from '../../../bench/compareRuns';

const line = (over: Partial<ResultLine>): ResultLine => ({ bench: 'b', metric: 'm', value: 1, unit: 'ms', ...over });

describe('comparing two bench runs side by side', () => {
  it('reads the result lines of a saved run and skips anything else in the file', () => {
    const text = [
      '$ npm run bench',
      '{"bench":"store","metric":"save_10mb_ms","value":36.09,"unit":"ms","ratio":2.68,"goal":"<=150","samples":40,"p25":30.1,"p75":41}',
      '[bench] running usage',
      '{"bench":"broken"',
      '{"not":"a result"}',
      '  {"bench":"usage","metric":"chart_100k_ms","value":43.6,"unit":"ms"}  ',
    ].join('\n');
    assert.deepEqual(parseRun(text).map((l) => `${l.bench}.${l.metric}`), ['store.save_10mb_ms', 'usage.chart_100k_ms']);
  });

  it('checks a goal on the value or on the ratio, in either direction, as bench/README.md writes them', () => {
    assert.equal(meetsGoal(line({ value: 5, goal: '<=5' })), true);
    assert.equal(meetsGoal(line({ value: 5.01, goal: '<=5' })), false);
    assert.equal(meetsGoal(line({ value: 60000, goal: '>=50000' })), true);
    assert.equal(meetsGoal(line({ value: 40000, goal: '>=50000' })), false);
    // A ratio goal reads the ratio, not the absolute time beside it.
    assert.equal(meetsGoal(line({ value: 37, ratio: 1.2, goal: 'ratio<=1.3' })), true);
    assert.equal(meetsGoal(line({ value: 1, ratio: 2.99, goal: 'ratio<=1.3' })), false);
    assert.equal(meetsGoal(line({ value: 49, ratio: 0.64, goal: 'ratio>=0.9' })), false);
    assert.equal(meetsGoal(line({ value: 1, goal: 'ratio<=1.3' })), undefined, 'a ratio goal without a ratio');
    assert.equal(meetsGoal(line({ value: 1 })), undefined);
    assert.equal(meetsGoal(line({ value: 1, goal: 'fast' })), undefined);
  });

  it('measures how far apart two figures are against the smaller one', () => {
    assert.equal(spread(100, 110), 0.1);
    assert.equal(spread(110, 100), 0.1);
    assert.equal(spread(2, 2), 0);
    assert.equal(spread(0, 1), Number.POSITIVE_INFINITY);
    assert.ok(Math.abs(spread(-1, 1) - 2) < 1e-12);
  });

  it('sets two runs side by side, the goal figure compared, a metric missing from one run shown as missing', () => {
    const first = [
      line({ bench: 'activation', metric: 'activate_ms', value: 37, unit: 'ms', ratio: 2.99, goal: 'ratio<=1.3', samples: 9, p25: 27.3, p75: 51.3 }),
      line({ bench: 'store', metric: 'save_10mb_ms', value: 40, goal: '<=150' }),
    ];
    const second = [
      line({ bench: 'activation', metric: 'activate_ms', value: 50, unit: 'ms', ratio: 2.6, goal: 'ratio<=1.3', samples: 9, p25: 30, p75: 60 }),
      line({ bench: 'gateway', metric: 'streams_per_s', value: 49, unit: 'streams/s', ratio: 0.95, goal: 'ratio>=0.9' }),
    ];
    const rows = sideBySide(first, second).split('\n');
    assert.equal(rows[0], '| metric | run 1 | run 2 | goal | met 1 / 2 | runs differ |');
    // 2.99 against 2.6: the ratio is the goal's figure (15 % apart), not the times (35 %).
    assert.equal(rows[2], '| activation.activate_ms | 37 ms (ratio 2.99); n=9, p25–p75 27.3–51.3 | 50 ms (ratio 2.6); n=9, p25–p75 30–60 | ratio<=1.3 | no / no | 15 % |');
    assert.equal(rows[3], '| store.save_10mb_ms | 40 ms | — | <=150 | yes / — | — |');
    assert.equal(rows[4], '| gateway.streams_per_s | — | 49 streams/s (ratio 0.95) | ratio>=0.9 | — / yes | — |');
  });
});

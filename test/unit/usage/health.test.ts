import * as assert from 'node:assert/strict';
import * as z from 'zod/mini';
import type { AIProvider } from '../../../src/core/providers';
import { createProvider, OpenAIConfig } from '../../../src/core/providers/openai';
import type { AIConfiguration } from '../../../src/core/store';
import { keysNeedReentry } from '../../../src/core/crypto/errors';
import { ConfigurationError } from '../../../src/core/services/errors';
import { endpointKey, HealthMonitor, type HealthStatus } from '../../../src/core/usage';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { testClient } from '../providers/harness';
import { usageFixture, type UsageFixture } from './setup';

describe('HealthMonitor', () => {
  let f: UsageFixture;
  let emulator: OpenAIEmulator;
  const http = testClient();
  const provider = createProvider({ http }) as AIProvider;
  let configurations: AIConfiguration[];
  const keys = new Map<string, string>();
  let tick: (() => void) | undefined;
  let cleared = 0;

  beforeEach(async () => {
    f = await usageFixture();
    emulator = await startOpenAIEmulator();
    const base = `${emulator.url}/v1`;
    configurations = [
      await f.addConfiguration({ name: 'Nano', provider: 'openai', model: 'gpt-4o-mini', baseUrl: base }),
      await f.addConfiguration({ name: 'Nano again', provider: 'openai', model: 'gpt-4o-mini', baseUrl: base }),
      await f.addConfiguration({ name: 'Wrong key', provider: 'openai', model: 'gpt-4o-mini', baseUrl: base }),
    ];
    keys.set(configurations[0]?.id ?? '', emulator.apiKey);
    keys.set(configurations[1]?.id ?? '', emulator.apiKey);
    keys.set(configurations[2]?.id ?? '', 'sk-wrong-key-000000000000');
  });
  afterEach(async () => {
    await emulator.close();
    await f.close();
  });
  after(async () => {
    await http.close();
  });

  function monitor(): HealthMonitor {
    return new HealthMonitor({
      configurations: () => configurations,
      resolve: (c) => Promise.resolve({ provider, target: { config: z.parse(OpenAIConfig, { baseUrl: c.baseUrl, model: c.model }), apiKey: keys.get(c.id) ?? '' } }),
      tracker: f.tracker,
      intervalMs: 60_000,
      now: () => new Date(f.clock.now),
      timers: {
        setInterval: (callback) => {
          tick = callback;
          return 1;
        },
        clearInterval: () => {
          cleared++;
          tick = undefined;
        },
      },
    });
  }

  const modelListCalls = (): number => emulator.requests.filter((r) => r.method === 'GET' && r.path === '/v1/models').length;

  it('checks each distinct endpoint and key once with the model list, and hashes the key out of the dedupe key', async () => {
    const health = monitor();
    const summary = await health.checkNow();
    assert.equal(modelListCalls(), 2);
    assert.equal(emulator.requests.some((r) => r.path.includes('chat')), false);
    assert.deepEqual(summary.map((s) => [s.name, s.state]), [['Nano', 'healthy'], ['Nano again', 'healthy'], ['Wrong key', 'unhealthy']]);
    assert.match(summary[2]?.error ?? '', /401|key/i);
    const key = endpointKey('openai', { config: { baseUrl: `${emulator.url}/v1` }, apiKey: emulator.apiKey });
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.ok(!key.includes(emulator.apiKey));
    // Checks are recorded once per endpoint, and count in the day's error rate.
    await f.store.flush();
    assert.equal(f.store.read((r) => r.requestLog.count(f.userId)), 2);
    assert.equal(health.status(configurations[2]?.id ?? '')?.errorRate, 1);
    assert.equal(health.status(configurations[1]?.id ?? '')?.errorRate, 0, 'the shared check is recorded on the first configuration only');
    health.dispose();
  });

  it('alerts once when a configuration turns unhealthy, and again only after it recovered', async () => {
    const health = monitor();
    const alerts: HealthStatus[] = [];
    health.onDidTurnUnhealthy((s) => alerts.push(s));
    health.start();
    const interval = tick;
    assert.ok(interval, 'the interval is set');
    await health.checkNow();
    assert.deepEqual(alerts.map((a) => a.name), ['Wrong key']);
    emulator.inject({ status: 500 }, 20);
    for (let i = 0; i < 3; i++) {
      f.clock.now += 60_000;
      interval();
      await health.checkNow();
    }
    assert.deepEqual(alerts.map((a) => a.name), ['Wrong key', 'Nano', 'Nano again']);
    await drainFaults(health);
    assert.equal(health.status(configurations[0]?.id ?? '')?.state, 'healthy');
    emulator.inject({ status: 503 }, 5);
    await health.checkNow();
    assert.deepEqual(alerts.map((a) => a.name), ['Wrong key', 'Nano', 'Nano again', 'Nano', 'Nano again']);
    health.stop();
    assert.equal(cleared, 1, 'stop() clears the interval');
    assert.equal(tick, undefined);
    health.dispose();
  });

  it('leaves a configuration whose key cannot be opened unchecked, not unhealthy: no alert, and no stale state once the key is entered', async () => {
    let locked = true;
    const health = new HealthMonitor({
      configurations: () => configurations,
      resolve: (c) => {
        if (locked && c.name === 'Nano') return Promise.reject(new ConfigurationError('keys-need-reentry', keysNeedReentry('master-secret-missing', 1).message));
        return Promise.resolve({ provider, target: { config: z.parse(OpenAIConfig, { baseUrl: c.baseUrl, model: c.model }), apiKey: keys.get(c.id) ?? '' } });
      },
      now: () => new Date(f.clock.now),
    });
    const alerts: string[] = [];
    health.onDidTurnUnhealthy((s) => alerts.push(s.name));
    const first = await health.checkNow();
    assert.deepEqual(first.map((s) => [s.name, s.state]), [['Nano', 'unknown'], ['Nano again', 'healthy'], ['Wrong key', 'unhealthy']]);
    assert.deepEqual(alerts, ['Wrong key']);
    locked = false;
    const second = await health.checkNow();
    assert.equal(second[0]?.state, 'healthy');
    health.dispose();
  });

  /** Uses up injected faults until a round is healthy again. */
  async function drainFaults(health: HealthMonitor): Promise<void> {
    for (let i = 0; i < 30; i++) {
      const summary = await health.checkNow();
      if (summary[0]?.state === 'healthy') return;
    }
  }
});

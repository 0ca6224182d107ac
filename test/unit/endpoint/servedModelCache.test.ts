import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { InMemoryKeySource } from '../../../src/core/crypto';
import { sessionEndpointDeps } from '../../../src/core/endpoint';
import { openSession, type SessionOptions, type StoreSession } from '../../../src/core/session';
import { capturingLogger, repoRoot, wasmPath } from '../store/helpers';
import { useTempFolder } from '../helpers/tempStore';

const settings = { requestTimeoutSeconds: 60, usageRetentionDays: 90, healthCheckIntervalMinutes: 0 };

function options(folder: string, keychain: InMemoryKeySource): SessionOptions {
  return {
    databasePath: join(folder, 'model-manager.sqlite'),
    wasmPath,
    catalogPath: join(repoRoot, 'dist', 'model-catalog.json'),
    logger: capturingLogger(),
    now: () => new Date('2026-03-01T12:00:00Z'),
    settings,
    keychain,
    passphraseKey: () => Promise.reject(new Error('no passphrase record exists, so none may be asked')),
  };
}

/** A session on the folder's database, closed after the test (`closers`). */
async function open(folder: string, keychain: InMemoryKeySource, closers: (() => Promise<void>)[]): Promise<{ session: StoreSession; close: () => Promise<void> }> {
  const opened = await openSession(options(folder, keychain));
  if (!opened.ok) assert.fail(`the session should open: ${opened.problem.message}`);
  const close = () => opened.close();
  closers.push(close);
  return { session: opened.session, close };
}

const ollama = (name: string) => ({ name, provider: 'ollama', settings: { baseUrl: 'http://127.0.0.1:9', model: 'llama3.2' } });

describe('the local endpoint\'s model list, kept per session', () => {
  const folder = useTempFolder();
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  /** A session whose configuration list counts how often it is read from the store. */
  async function counted(keychain = new InMemoryKeySource()): Promise<{ session: StoreSession; reads: () => number; close: () => Promise<void> }> {
    const { session, close } = await open(folder.path, keychain, closers);
    let reads = 0;
    const list = session.configurations.listConfigurations.bind(session.configurations);
    session.configurations.listConfigurations = () => {
      reads++;
      return list();
    };
    return { session, reads: () => reads, close };
  }

  it('reads the configurations once for any number of requests', async () => {
    const { session, reads } = await counted();
    await session.configurations.createConfiguration(ollama('Local Llama'));
    const deps = sessionEndpointDeps({ open: () => Promise.resolve(session), current: session }, capturingLogger());
    for (let i = 0; i < 50; i++) assert.deepEqual(deps.models().map((m) => m.id), ['local-llama']);
    assert.equal(reads(), 1);
  });

  it('sees a configuration added, renamed, deactivated or a route group created on the very next request', async () => {
    const { session, reads } = await counted();
    const first = await session.configurations.createConfiguration(ollama('Local Llama'));
    const deps = sessionEndpointDeps({ open: () => Promise.resolve(session), current: session }, capturingLogger());
    // Created at the same (injected) moment, models are listed by id: compare them as sets.
    const ids = (): string[] => deps.models().map((m) => m.id).sort();
    assert.deepEqual(ids(), ['local-llama']);
    const second = await session.configurations.createConfiguration(ollama('Second'));
    assert.deepEqual(ids(), ['local-llama', 'second']);
    await session.configurations.updateConfiguration(first.id, { name: 'Renamed' });
    assert.deepEqual(ids(), ['renamed', 'second']);
    await session.configurations.updateConfiguration(second.id, { isActive: false });
    assert.deepEqual(ids(), ['renamed']);
    await session.routeGroups.create({ name: 'Team', strategy: 'fallback', members: [{ configurationId: first.id }] });
    assert.deepEqual(ids(), ['renamed', 'team']);
    assert.equal(reads(), 5, 'one read per change, none for the repeated requests');
    assert.deepEqual(ids(), ['renamed', 'team']);
    assert.equal(reads(), 5);
  });

  it('sees a configuration another window added, on the next request', async () => {
    const keychain = new InMemoryKeySource();
    const { session } = await counted(keychain);
    await session.configurations.createConfiguration(ollama('Here'));
    const deps = sessionEndpointDeps({ open: () => Promise.resolve(session), current: session }, capturingLogger());
    assert.deepEqual(deps.models().map((m) => m.id), ['here']);
    const { session: other } = await open(folder.path, keychain, closers);
    await other.configurations.createConfiguration(ollama('There'));
    assert.deepEqual(deps.models().map((m) => m.id).sort(), ['here', 'there']);
  });

  it('serves the session open now: a reopened session lists its own models', async () => {
    const keychain = new InMemoryKeySource();
    const { session, close } = await counted(keychain);
    await session.configurations.createConfiguration(ollama('Before'));
    const source: { current: StoreSession | undefined; open: () => Promise<StoreSession> } = { current: session, open: () => Promise.resolve(session) };
    const deps = sessionEndpointDeps(source, capturingLogger());
    assert.deepEqual(deps.models().map((m) => m.id), ['before']);
    source.current = undefined;
    assert.deepEqual(deps.models(), []);
    await close();
    const { session: reopened } = await open(folder.path, keychain, closers);
    await reopened.configurations.createConfiguration(ollama('After'));
    source.current = reopened;
    assert.deepEqual(deps.models().map((m) => m.id).sort(), ['after', 'before']);
  });
});

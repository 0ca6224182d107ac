import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ClientTokenService, CLIENT_TOKEN_PREFIX, hashToken } from '../../../src/core/endpoint/ClientTokenService';
import { servedModels, slugOf } from '../../../src/core/endpoint/servedModels';
import type { AIConfiguration, RouteGroup } from '../../../src/core/store';
import { until } from '../../helpers/until';
import { useTempStore } from '../helpers/tempStore';

describe('local endpoint client tokens', () => {
  const temp = useTempStore();
  const userId = 'user-1';
  let at = Date.parse('2026-11-27T12:00:00.000Z');
  const service = (): ClientTokenService => new ClientTokenService({ store: temp.store, userId, now: () => new Date(at) });

  it('creates a 256-bit token shown once: the list and the database file hold only its SHA-256', async () => {
    const tokens = service();
    const { client, token } = await tokens.create('  terminal  ', 'chat');
    assert.equal(client.name, 'terminal');
    assert.ok(token.startsWith(CLIENT_TOKEN_PREFIX));
    assert.equal(Buffer.from(token.slice(CLIENT_TOKEN_PREFIX.length), 'base64url').length, 32);
    assert.doesNotMatch(JSON.stringify(tokens.list()), new RegExp(token.slice(CLIENT_TOKEN_PREFIX.length)));
    assert.doesNotMatch(JSON.stringify(tokens.list()), new RegExp(hashToken(token)));
    await temp.store.flush();
    const file = readFileSync(temp.file);
    assert.equal(file.includes(token.slice(CLIENT_TOKEN_PREFIX.length)), false, 'the token is not in the database file');
    assert.equal(file.includes(hashToken(token)), true, 'its hash is');
  });

  it('authenticates the right token only, records its last use, and refuses it once revoked', async () => {
    const tokens = service();
    const { client, token } = await tokens.create('agent', 'admin');
    const other = await tokens.create('scripts', 'chat');
    assert.deepEqual(tokens.authenticate(token), { id: client.id, name: 'agent', scope: 'admin' });
    assert.deepEqual(tokens.authenticate(other.token), { id: other.client.id, name: 'scripts', scope: 'chat' });
    assert.equal(tokens.authenticate(`${token}x`), undefined);
    assert.equal(tokens.authenticate(token.slice(0, -1)), undefined);
    assert.equal(tokens.authenticate(''), undefined);
    await until('the last use to be saved', () => tokens.list().find((c) => c.id === client.id)?.lastUsedAt ?? false);
    assert.equal(tokens.list().find((c) => c.id === client.id)?.lastUsedAt, '2026-11-27T12:00:00.000Z');
    at += 120_000;
    assert.equal(await tokens.revoke(client.id), true);
    assert.equal(await tokens.revoke(client.id), false, 'revoking twice changes nothing');
    assert.equal(tokens.authenticate(token), undefined);
    assert.ok(tokens.authenticate(other.token), 'the other client is unaffected');
    assert.ok(tokens.list().find((c) => c.id === client.id)?.revokedAt);
  });

  it('writes creation and revocation to the audit log by name and scope, never the token', async () => {
    const tokens = service();
    const { client, token } = await tokens.create('ci', 'chat');
    await tokens.revoke(client.id);
    const entries = temp.store.read((r) => r.audit.list(userId)).filter((e) => e.targetId === client.id);
    assert.deepEqual(entries.map((e) => e.action).sort(), ['endpoint.clientCreated', 'endpoint.clientRevoked']);
    assert.deepEqual(entries[0]?.details, { name: 'ci', scope: 'chat' });
    assert.equal(JSON.stringify(entries).includes(token), false);
  });

  it('refuses an empty or overlong name', async () => {
    await assert.rejects(service().create('   ', 'chat'), /Give the client a name/);
    await assert.rejects(service().create('x'.repeat(101), 'chat'), /at most 100 characters/);
  });
});

describe('local endpoint model ids', () => {
  const configuration = (id: string, name: string, createdAt: string, isActive = true): AIConfiguration => ({
    id, userId: 'u', name, provider: 'openai', model: 'gpt-4o', baseUrl: null, encryptedApiKey: null, config: {}, isActive, createdAt, updatedAt: createdAt, lastTestedAt: null, testStatus: null,
  });
  const group = (id: string, name: string, createdAt: string): RouteGroup => ({ id, userId: 'u', name, strategy: 'fallback', members: [], settings: {}, createdAt, updatedAt: createdAt });

  it('are the slug of the name, accents dropped, "model" for a name with no letter or digit', () => {
    assert.equal(slugOf('GPT-4o (work)'), 'gpt-4o-work');
    assert.equal(slugOf('Claude Sonnet 4.5'), 'claude-sonnet-4.5');
    assert.equal(slugOf('Café Crème'), 'cafe-creme');
    assert.equal(slugOf('!!!'), 'model');
    assert.equal(slugOf('x'.repeat(100)).length, 64);
  });

  it('lists active configurations and route groups; a later name with the same slug gets -2, and keeps it when others are added', () => {
    const first = [configuration('c1', 'My GPT', '2026-01-01T00:00:00Z'), configuration('c2', 'my gpt', '2026-02-01T00:00:00Z'), configuration('c3', 'Off', '2026-01-01T00:00:00Z', false)];
    const groups = [group('g1', 'Team', '2026-03-01T00:00:00Z')];
    assert.deepEqual(servedModels(first, groups).map((m) => [m.id, m.groupId]), [['my-gpt', 'configuration:c1'], ['my-gpt-2', 'configuration:c2'], ['team', 'g1']]);
    const more = [...first, configuration('c4', 'MY-GPT', '2026-04-01T00:00:00Z')];
    assert.deepEqual(servedModels(more, groups).map((m) => m.id), ['my-gpt', 'my-gpt-2', 'team', 'my-gpt-3']);
  });

  it('follow a rename: the new name gives the new id and the old one is no longer served', () => {
    const renamed = servedModels([configuration('c1', 'Work GPT', '2026-01-01T00:00:00Z')], []);
    assert.deepEqual(renamed.map((m) => m.id), ['work-gpt']);
  });
});

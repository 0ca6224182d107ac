import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RouteNotice } from '../../src/core/routing';
import type { AIConfiguration, RouteGroup } from '../../src/core/store';
import type { RouteGroupTestResult } from '../../src/core/routing/routeGroupTest';
import { startAnthropicEmulator, startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { clearConfigurations, primaryAndBackup, suiteWithEmulators } from './suite';
import { pick, pickAll, press, type, withAnswers } from './prompts';
import { treeItems } from './tree';

describe('route groups in VS Code: commands, the tree and the router against the emulators', function () {
  this.timeout(30_000);
  let openai: OpenAIEmulator;
  let primary: AIConfiguration;
  let backup: AIConfiguration;
  let group: RouteGroup;

  suiteWithEmulators({ openai: () => startOpenAIEmulator(), anthropic: () => startAnthropicEmulator() }, {
    setUp: async (started) => {
      ({ openai } = started);
      ({ primary, backup } = await primaryAndBackup(await (await testApi()).services.open(), 'Route', started));
    },
    tearDown: async () => {
      await clearConfigurations(await (await testApi()).services.open(), { groups: true });
    },
  });

  it('creates a fallback group through its command, and the tree shows it with its members in order, healthy', async () => {
    group = await withAnswers(
      [type('Primary with backup'), pick('Fallback'), pickAll('Route Primary', 'Route Backup'), pick('Route Primary'), pickAll()],
      () => vscode.commands.executeCommand<RouteGroup>('modelManager.createRouteGroup'),
    );
    assert.equal(group.name, 'Primary with backup');
    const items = await treeItems();
    const section = items.find(({ node }) => node.kind === 'routeGroups');
    assert.equal(section?.item.label, 'Route Groups');
    const groupItem = items.find(({ node }) => node.kind === 'routeGroup' && node.group.id === group.id)?.item;
    assert.ok(groupItem, 'the group is in the tree');
    assert.equal(groupItem.contextValue, 'routeGroup');
    assert.match(String(groupItem.description), /fallback · 2 members/);
    const members = items.filter(({ node }) => node.kind === 'routeMember' && node.group.id === group.id).map(({ item }) => `${typeof item.label === 'string' ? item.label : ''} | ${String(item.description)}`);
    assert.deepEqual(members, ['1. Route Primary | gpt-4o-mini · healthy', '2. Route Backup | claude-haiku-4-5-20251001 · healthy']);
  });

  it('falls back on an injected 500: one error row and one success row for the group, usage counted exactly once', async () => {
    const { services } = await testApi();
    const session = await services.open();
    // A chat that failed with a 500 is not repeated (the provider may have billed it): the router moves on at once.
    openai.inject({ status: 500 });
    const events = [];
    for await (const event of session.router.chat(group.id, { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }] })) events.push(event);
    const notices = events.filter((e): e is RouteNotice => e.type === 'route');
    assert.deepEqual(notices.map((n) => `${n.member.name} ${n.kind} ${String(n.attempt)}`), ['Route Primary selected 1', 'Route Backup selected 2']);
    assert.match(notices[1]?.reason ?? '', /moved on from Route Primary \(gpt-4o-mini\): server error \(500/);
    const text = events.map((e) => (e.type === 'text' ? e.text : '')).join('');
    assert.ok(text.length > 0, 'the backup answered');
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage');
    assert.equal(openai.requests.filter((r) => r.path === '/v1/chat/completions').length, 1);

    // The usage tracker prices and records each attempt in the background: wait for both rows.
    await session.usage.settled();
    const rows = session.store.read((r) => r.requestLog.forRouteGroup(session.userId, group.id));
    assert.deepEqual(
      rows.map((r) => ({ configurationId: r.configurationId, attempt: r.attempt, outcome: r.outcome, errorCode: r.errorCode, inputTokens: r.inputTokens, outputTokens: r.outputTokens })),
      [
        { configurationId: primary.id, attempt: 1, outcome: 'error', errorCode: 'server_error', inputTokens: 0, outputTokens: 0 },
        { configurationId: backup.id, attempt: 2, outcome: 'success', errorCode: null, inputTokens: usage.usage.input, outputTokens: usage.usage.output },
      ],
    );
    assert.match(rows[0]?.reason ?? '', /^moved on: server error \(500 server_error\)/);
    assert.match(rows[1]?.reason ?? '', /^moved on from Route Primary/);
    const failed = session.usage.getUsageStats(primary.id);
    assert.deepEqual([failed.requestCount, failed.errorCount, failed.tokenCount], [1, 1, 0]);
    // VS Code's model picker may have listed Anthropic's models for the image and window facts: a row of its own.
    await session.store.flush();
    const lists = session.store.read((r) => r.requestLog.count(session.userId, backup.id, 'model list'));
    const answered = session.usage.getUsageStats(backup.id);
    assert.deepEqual([answered.requestCount - lists, answered.errorCount, answered.inputTokens, answered.outputTokens], [1, 0, usage.usage.input, usage.usage.output]);
    assert.ok(answered.costUSD > 0, 'priced from the catalog');
  });

  it('Test Route Group sends a real chat and says which member answered and why', async () => {
    const result = await vscode.commands.executeCommand<RouteGroupTestResult>('modelManager.testRouteGroup', group.id);
    assert.equal(result.ok, true, result.error);
    assert.equal(result.answeredBy, 'Route Primary');
    assert.equal(result.model, 'gpt-4o-mini');
    assert.match(result.notices[0]?.reason ?? '', /first/i);
    assert.ok(result.text.length > 0);
  });

  it('edits the strategy and weights through the command, then deletes the group after confirmation', async () => {
    const edited = await withAnswers(
      [pick('Strategy'), pick('Weighted round-robin'), type('3'), type('1')],
      () => vscode.commands.executeCommand<RouteGroup>('modelManager.editRouteGroup', group.id),
    );
    assert.equal(edited.strategy, 'weighted-round-robin');
    const members = (await treeItems()).filter(({ node }) => node.kind === 'routeMember').map(({ item }) => String(item.description));
    assert.deepEqual(members, ['gpt-4o-mini · weight 3 · healthy', 'claude-haiku-4-5-20251001 · weight 1 · healthy']);
    const refused = await withAnswers([pick('Members'), pickAll()], () => vscode.commands.executeCommand<RouteGroup | undefined>('modelManager.editRouteGroup', group.id));
    assert.equal(refused, undefined, 'a group without members is not saved');
    assert.equal(await withAnswers([press('Delete')], () => vscode.commands.executeCommand<boolean>('modelManager.deleteRouteGroup', group.id)), true);
    const items = await treeItems();
    assert.equal(items.some(({ node }) => node.kind === 'routeGroup'), false);
    assert.match(String(items.find(({ node }) => node.kind === 'routeGroups')?.item.description), /none yet/);
  });
});

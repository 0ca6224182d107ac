import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { MemberStateChange } from '../../src/core/routing';
import type { AIConfiguration, Budget } from '../../src/core/store';
import { isBudgetStop } from '../../src/host/budgetStop';
import type { RouteGroupTestResult } from '../../src/core/routing/routeGroupTest';
import { startAnthropicEmulator, startOpenAIEmulator, type AnthropicEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { clearConfigurations, primaryAndBackup, suiteWithEmulators } from './suite';
import { treeItems } from './tree';

const hello = { messages: [{ role: 'user' as const, content: 'Say hello' }] };

describe('route group member states and budget stops, live in VS Code', function () {
  this.timeout(30_000);
  let openai: OpenAIEmulator;
  let anthropic: AnthropicEmulator;
  let primary: AIConfiguration;
  let backup: AIConfiguration;
  const budgets: Budget[] = [];

  suiteWithEmulators({ openai: () => startOpenAIEmulator(), anthropic: () => startAnthropicEmulator() }, {
    setUp: async (started) => {
      ({ openai, anthropic } = started);
      ({ primary, backup } = await primaryAndBackup(await (await testApi()).services.open(), 'State', started));
    },
    tearDown: async () => {
      const session = await (await testApi()).services.open();
      for (const b of budgets) await session.budgets.deleteBudget(b.id);
      await clearConfigurations(session, { groups: true });
    },
  });

  it('the tree shows a member cooling down after injected failures as soon as the router says so, with no refresh', async () => {
    const { services, tree } = await testApi();
    const session = await services.open();
    const group = await session.routeGroups.create({
      name: 'Cools down',
      strategy: 'fallback',
      members: [{ configurationId: primary.id }, { configurationId: backup.id }],
      settings: { cooldownFailures: 1, cooldownWindowSeconds: 60, cooldownSeconds: 600 },
    });
    const first = async () => (await treeItems()).find(({ node }) => node.kind === 'routeMember' && node.group.id === group.id && node.index === 0)?.item;
    const before = await first();
    assert.match(String(before?.description), /gpt-4o-mini · healthy$/);
    assert.equal((before?.iconPath as vscode.ThemeIcon | undefined)?.id, 'pass');

    let treeChanges = 0;
    let wholeTreeRedraws = 0;
    const changes: { change: MemberStateChange; treeChangesSoFar: number }[] = [];
    const watches = [
      tree.onDidChangeTreeData((changed) => {
        treeChanges++;
        if (changed === undefined) wholeTreeRedraws++;
      }),
      session.router.onDidChangeMemberState((change) => {
        changes.push({ change, treeChangesSoFar: treeChanges });
      }),
    ];
    try {
      // A chat's 500 is not repeated (it may have been billed); one failure is enough for this group.
      openai.inject({ status: 500 });
      let answeredBy = '';
      for await (const event of session.router.chat(group.id, hello)) if (event.type === 'route') answeredBy = event.member.name;
      assert.equal(answeredBy, 'State Backup');
      assert.deepEqual(changes.map(({ change }) => `${change.member.name} ${change.previous}->${change.state}`), ['State Primary healthy->cooling-down']);
      // The tree subscribed to the router when the store opened, before this test: it was told first.
      assert.ok((changes[0]?.treeChangesSoFar ?? 0) > 0, 'the tree was told to redraw when the member cooled down');
      // Its Route Groups section, not the whole tree (which makes VS Code forget every row while it lists them again).
      assert.equal(wholeTreeRedraws, 0, 'the whole tree was redrawn for a member state');
    } finally {
      for (const w of watches) w.dispose();
    }
    const after = await first();
    assert.match(String(after?.description), /gpt-4o-mini · cooling down$/);
    assert.equal((after?.iconPath as vscode.ThemeIcon | undefined)?.id, 'watch');
    assert.equal(after?.contextValue, 'routeMember:cooling-down');
  });

  it('a used-up hard-stop budget: Test Route Group reports the budget message and the emulator sees no request', async () => {
    const { services } = await testApi();
    const session = await services.open();
    // A member of its own: the cooldown above is per configuration and model.
    const capped = await session.configurations.createConfiguration({ name: 'State Capped', provider: 'openai', settings: { model: 'gpt-4o', baseUrl: `${openai.url}/v1` }, apiKey: openai.apiKey });
    const group = await session.routeGroups.create({ name: 'Capped', strategy: 'fallback', members: [{ configurationId: capped.id }] });
    const answered = await vscode.commands.executeCommand<RouteGroupTestResult>('modelManager.testRouteGroup', group.id);
    assert.equal(answered.ok, true, answered.error);
    budgets.push(await session.budgets.saveBudget({ configurationId: capped.id, name: 'State cap', period: 'month', limitTokens: 1, hardStop: true }));
    await session.usage.settled();
    await session.budgets.settled();
    assert.equal(session.budgets.checkBudget(capped.id).allowed, false, 'the first answer used more than one token');

    const sent = openai.requests.length;
    const refused = await vscode.commands.executeCommand<RouteGroupTestResult>('modelManager.testRouteGroup', group.id);
    assert.equal(refused.ok, false);
    assert.equal(refused.errorKind, 'budget');
    assert.match(refused.error ?? '', /"State Capped" is paused: the monthly budget "State cap" is used up/);
    assert.deepEqual(refused.notices, [], 'no member was selected');
    assert.equal(openai.requests.length, sent, 'the emulator saw no request');

    // A chat through the router fails the same way, and the chat views tell it apart to offer the budgets.
    const events: unknown[] = [];
    const error = await (async () => {
      try {
        for await (const event of session.router.chat(group.id, hello)) events.push(event);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(isBudgetStop(error), `a budget stop, not ${String(error)}`);
    assert.match(error.message, /"State cap" is used up/);
    assert.deepEqual(events, []);
    assert.equal(openai.requests.length, sent);
  });

  it('a member whose configuration failed its test reads as the tree says, never "healthy", and the editor list agrees', async () => {
    const { services, panel } = await testApi();
    const session = await services.open();
    // A configuration of its own: the cooldown above is per configuration and model.
    const shaky = await session.configurations.createConfiguration({ name: 'State Shaky', provider: 'anthropic', settings: { model: 'claude-haiku-4-5-20251001', baseUrl: anthropic.url }, apiKey: anthropic.apiKey });
    const group = await session.routeGroups.create({ name: 'One state', strategy: 'fallback', members: [{ configurationId: shaky.id }] });
    anthropic.inject({ status: 401, path: /\/models/ });
    const tested = await vscode.commands.executeCommand<{ ok: boolean }>('modelManager.testConnection', shaky.id);
    assert.equal(tested.ok, false);
    const items = await treeItems();
    const configurationItem = items.find(({ node }) => node.kind === 'configuration' && node.configuration.id === shaky.id)?.item;
    const memberItem = items.find(({ node }) => node.kind === 'routeMember' && node.group.id === group.id)?.item;
    assert.equal((configurationItem?.iconPath as vscode.ThemeIcon | undefined)?.id, 'error');
    assert.match(String(memberItem?.description), /claude-haiku-4-5-20251001 · last test failed$/);
    assert.equal((memberItem?.iconPath as vscode.ThemeIcon | undefined)?.id, 'error', 'the same icon as the configuration');
    const listed = await panel.send({ kind: 'request', id: 1, method: 'configurations.list', params: {} });
    assert.ok(listed?.kind === 'response' && listed.ok);
    assert.equal((listed.result as { id: string; state: string }[]).find((c) => c.id === shaky.id)?.state, 'failed');
    const groups = await panel.send({ kind: 'request', id: 2, method: 'routeGroups.list', params: {} });
    assert.ok(groups?.kind === 'response' && groups.ok);
    assert.deepEqual((groups.result as { id: string; members: { state: string }[] }[]).find((g) => g.id === group.id)?.members.map((m) => m.state), ['failed']);
    await session.routeGroups.delete(group.id);
  });
});

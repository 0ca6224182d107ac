import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ChatRequest } from '../../src/core/providers';
import { configurationGroupId } from '../../src/core/routing/groupSource';
import type { AIConfiguration } from '../../src/core/store';
import type { StoreSession } from '../../src/core/session';
import { startLiteLLMEmulator, type LiteLLMEmulator } from '../emulators';
import { testApi } from './api';
import { withAnswers } from './prompts';

const hello: ChatRequest = { messages: [{ role: 'user', content: 'Say hello' }] };

async function hover(name: string): Promise<string> {
  const { tree } = await testApi();
  for (const provider of await tree.getChildren()) {
    for (const child of await tree.getChildren(provider)) {
      // The hover is Markdown: its escapes ("\\$") are read as the plain text they show.
      if (child.kind === 'configuration' && child.configuration.name === name) return (tree.getTreeItem(child).tooltip as vscode.MarkdownString).value.replace(/\\([\\`*[\]<>$|])/g, '$1');
    }
  }
  assert.fail(`no tree item for "${name}"`);
}

async function showUsage(id: string): Promise<string> {
  const shown = await withAnswers([() => undefined], (script) => vscode.commands.executeCommand('modelManager.showUsage', id).then(() => script.asked[0]));
  assert.ok(shown?.kind === 'message');
  return shown.message;
}

describe('a LiteLLM team gateway\'s budget beside local usage, in the real extension host', () => {
  let proxy: LiteLLMEmulator;
  let session: StoreSession;
  let team: AIConfiguration;

  /** What the user does: Check Health (or waits for the periodic one); the budget is read again with it. */
  async function checkHealth(): Promise<void> {
    await vscode.commands.executeCommand('modelManager.checkHealth');
    await session.gatewayBudgets.settled();
  }

  before(async () => {
    proxy = await startLiteLLMEmulator();
    const { services } = await testApi();
    session = await services.open();
    team = await session.configurations.createConfiguration({
      name: 'Team LiteLLM',
      provider: 'openai-compatible',
      settings: { preset: 'litellm', baseUrl: `${proxy.url}/v1`, model: 'gpt-4o-mini' },
      apiKey: proxy.virtualKey,
    });
  });

  after(async () => {
    await session.configurations.deleteConfiguration(team.id).catch(() => undefined);
    await proxy.close();
  });

  it('shows the team\'s remaining budget in the tree\'s hover beside this month\'s local figures, and follows the spend after the next health check', async () => {
    await checkHealth();
    const first = await hover('Team LiteLLM');
    assert.match(first, /This month \(UTC\): \d+ requests?/);
    assert.match(first, /Team gateway budget: \$12\.40 of \$50\.00 left \(resets [^)]+\)/);
    for (let i = 0; i < 2; i++) {
      let text = '';
      for await (const event of session.router.chat(configurationGroupId(team.id), hello)) if (event.type === 'text') text += event.text;
      assert.ok(text.length > 0, 'the proxy answered');
    }
    assert.equal(proxy.spend(), 38.1, 'two chats through the proxy at $0.25');
    assert.match(await hover('Team LiteLLM'), /\$12\.40 of \$50\.00 left/, 'the hover shows the last read until the next check');
    await checkHealth();
    const after = await hover('Team LiteLLM');
    assert.match(after, /Team gateway budget: \$11\.90 of \$50\.00 left/);
    assert.ok(!after.includes(proxy.virtualKey), 'the key the proxy echoes is never shown');
  });

  it('adds the gateway\'s figures to Show Usage: left, spent, the key\'s name, the team and the alert threshold', async () => {
    const message = await showUsage(team.id);
    assert.match(message, /^"Team LiteLLM" this month/);
    assert.match(message, /Team gateway budget: \$11\.90 of \$50\.00 left \(resets [^)]+\); \$38\.10 spent, key "platform-team-dev", team core-infra, alert at \$40\.00\.$/);
    assert.ok(!message.includes(proxy.virtualKey));
  });

  it('says "not reported" for a key without /key/info access, and what went wrong for a broken answer, without the key', async () => {
    proxy.refuseKeyInfo(403);
    await checkHealth();
    assert.match(await hover('Team LiteLLM'), /Team gateway budget: not reported \(this LiteLLM key may not read \/key\/info\)/);
    assert.match(await showUsage(team.id), /Team gateway budget: not reported/);
    proxy.refuseKeyInfo(null);
    proxy.setKeyInfo({ spend: -3 });
    await checkHealth();
    const broken = await hover('Team LiteLLM');
    assert.match(broken, /Team gateway budget: could not be read: its \/key\/info answer could not be read: spend must not be negative/);
    proxy.setKeyInfo({ spend: 1, max_budget: null, litellm_budget_table: null });
    await checkHealth();
    assert.match(await hover('Team LiteLLM'), /Team gateway budget: no budget set on this LiteLLM key \(\$1\.00 spent\)/);
  });

  it('never shows a key alias or team holding part of the virtual key, in the hover or Show Usage', async () => {
    const piece = proxy.virtualKey.slice(3, 17);
    proxy.setKeyInfo({ spend: 1, max_budget: 50, key_alias: `dev-${piece}`, team_id: Buffer.from(proxy.virtualKey.slice(5)).toString('base64') });
    await checkHealth();
    const shown = [await hover('Team LiteLLM'), await showUsage(team.id)];
    assert.match(shown[1] ?? '', /Team gateway budget: \$49\.00 of \$50\.00 left/);
    for (const text of shown) {
      for (let i = 0; i + 8 <= proxy.virtualKey.length; i++) assert.ok(!text.toLowerCase().includes(proxy.virtualKey.slice(i, i + 8).toLowerCase()), `no piece of the key in: ${text}`);
      assert.ok(!text.includes('key "') && !text.includes(', team '), `neither label shows: ${text}`);
    }
  });

  it('Show Usage waits for a budget not read yet at most 3 s, then says it is not checked yet', async () => {
    const late = await session.configurations.createConfiguration({
      name: 'Team LiteLLM late',
      provider: 'openai-compatible',
      settings: { preset: 'litellm', baseUrl: `${proxy.url}/v1`, model: 'gpt-4o' },
      apiKey: proxy.virtualKey,
    });
    try {
      // The proxy never answers this read: without the 3 s bound the message would wait for the request timeout.
      proxy.inject({ path: /^\/key\/info$/, stall: 'headers' });
      assert.match(await showUsage(late.id), /Team gateway budget: not checked yet/);
    } finally {
      await session.configurations.deleteConfiguration(late.id).catch(() => undefined);
    }
  });
});

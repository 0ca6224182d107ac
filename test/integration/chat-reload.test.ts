import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ConversationStore } from '../../src/core/chat';
import { testApi } from './api';
import { until } from '../helpers/until';

const VIEW_TYPE = 'modelManager.chat';


/** A panel of the chat's view type, as VS Code creates one before it hands it to the serializer after a reload. */
function restoredPanel(): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(VIEW_TYPE, 'Model Manager Chat', vscode.ViewColumn.Active, { enableScripts: true });
}

describe('Model Manager Chat after a window reload (the registered serializer)', () => {
  let conversations: ConversationStore;
  const created: string[] = [];

  before(async () => {
    const { services } = await testApi();
    const session = await services.open();
    conversations = new ConversationStore(session.store, session.userId);
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    for (const id of created) await conversations.delete(id);
  });

  it('is declared for activation on its view type, so VS Code can restore it before anything else runs', () => {
    const extension = vscode.extensions.all.find((e) => e.id.toLowerCase() === 'modelmanager.model-manager');
    const events = (extension?.packageJSON as { activationEvents?: string[] } | undefined)?.activationEvents ?? [];
    assert.ok(events.includes(`onWebviewPanel:${VIEW_TYPE}`), events.join(', '));
  });

  it('comes back on the conversation the page remembered', async () => {
    const { chat } = await testApi();
    const first = await conversations.create('Explain the reload', 'configuration:none');
    const second = await conversations.create('Another conversation', 'configuration:none');
    created.push(first.id, second.id);
    await conversations.append(first.id, { role: 'user', content: 'Explain the reload', groupId: 'configuration:none' });

    await chat.serializer.deserializeWebviewPanel(restoredPanel(), { conversationId: first.id });
    // inspect() answers once the page has said "ready" and been sent its state: the panel is live, not only constructed.
    const shown = await until('the restored panel', () => chat.inspect());
    assert.equal(shown.conversationId, first.id);
    assert.equal(shown.visible, true);

    // "Open Chat" afterwards reuses the restored panel rather than opening a second one on a new conversation.
    await vscode.commands.executeCommand('modelManager.openChat');
    assert.equal((await chat.inspect())?.conversationId, first.id);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(VIEW_TYPE));
    assert.equal(tabs.length, 1, 'one chat panel');
  });

  it('starts a new conversation when the remembered one was deleted, or the state is not its own', async () => {
    const { chat } = await testApi();
    const gone = await conversations.create('Deleted before the reload', 'configuration:none');
    await conversations.delete(gone.id);
    await chat.serializer.deserializeWebviewPanel(restoredPanel(), { conversationId: gone.id });
    assert.equal((await until('the restored panel', () => chat.inspect())).conversationId, null);

    for (const state of [{ conversationId: 42 }, { conversationId: 'x', command: 'workbench.action.reload' }, 'not an object', undefined]) {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await chat.serializer.deserializeWebviewPanel(restoredPanel(), state);
      assert.equal((await until('the restored panel', () => chat.inspect())).conversationId, null, JSON.stringify(state));
    }
  });
});

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { clearConfigurations, suiteWithEmulators } from './suite';
import { press, withAnswers } from './prompts';

const CANARY = 'sk-canary-rows-1f3e5d7c9b';

describe('deleting a configuration with budgets, and the model-list cache time, in the real extension host', function () {
  this.timeout(90_000);
  let emulator: OpenAIEmulator;
  const session = async () => (await testApi()).services.open();

  suiteWithEmulators({ openai: () => startOpenAIEmulator({ apiKey: CANARY }) }, {
    setUp: async (started) => {
      emulator = started.openai;
      await clearConfigurations(await session());
    },
    tearDown: async () => {
      await vscode.workspace.getConfiguration('modelManager').update('modelListCacheSeconds', undefined, vscode.ConfigurationTarget.Global);
      const reopened = await (await testApi()).services.reopen();
      for (const b of reopened.budgets.listBudgets()) await reopened.budgets.deleteBudget(b.id);
      await clearConfigurations(reopened);
    },
  });

  it('says how many budgets go with a configuration, and removes them when confirmed', async () => {
    const { configurations, budgets } = await session();
    const created = await configurations.createConfiguration({ name: 'With budgets', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: CANARY });
    await budgets.saveBudget({ name: 'Day cap', period: 'day', limitUsd: 1, configurationId: created.id });
    await budgets.saveBudget({ name: 'Month cap', period: 'month', limitUsd: 20, configurationId: created.id });
    await budgets.saveBudget({ name: 'Everything', period: 'month', limitUsd: 100 });
    const deleted = await withAnswers([press('Delete')], async (script) => {
      const outcome = await vscode.commands.executeCommand<boolean>('modelManager.deleteConfiguration', created.id);
      const question = script.asked[0];
      assert.ok(question?.kind === 'message' && question.options.modal === true, 'a modal confirmation');
      assert.match(question.options.detail ?? '', /stored API key and 2 budgets are removed/);
      return outcome;
    });
    assert.equal(deleted, true);
    assert.deepEqual(budgets.listBudgets().map((b) => b.name), ['Everything'], 'the overall budget stays');
  });

  it('declares the model-list cache time as an application setting with bounds, and a reopened session follows it', async () => {
    const extension = vscode.extensions.getExtension('modelmanager.model-manager');
    const properties = (extension?.packageJSON as { contributes: { configuration: { properties: Record<string, { scope?: string; minimum?: number; maximum?: number; default?: number }> } } }).contributes.configuration.properties;
    const setting = properties['modelManager.modelListCacheSeconds'];
    assert.equal(setting?.scope, 'application');
    assert.deepEqual([setting.minimum, setting.maximum, setting.default], [0, 86400, 300]);

    const lists = (): number => emulator.requests.filter((r) => r.path === '/v1/models').length;
    const { configurations, providerAccess } = await session();
    const created = await configurations.createConfiguration({ name: 'Cached list', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: CANARY });
    let before = lists();
    await providerAccess.listModels(created.id);
    await providerAccess.listModels(created.id);
    assert.equal(lists() - before, 1, 'the default reuses the list');

    await vscode.workspace.getConfiguration('modelManager').update('modelListCacheSeconds', 0, vscode.ConfigurationTarget.Global);
    const reopened = await (await testApi()).services.reopen();
    before = lists();
    await reopened.providerAccess.listModels(created.id);
    await reopened.providerAccess.listModels(created.id);
    assert.equal(lists() - before, 2, '0 fetches every time');
  });
});

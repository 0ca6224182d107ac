import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { AIConfiguration, Budget, RouteGroup } from '../../src/core/store';
import type { PromptRequest } from '../../src/host/promptSeam';
import { startOpenAIEmulator, type OpenAIEmulator } from '../emulators';
import { EXTENSION_ID, testApi } from './api';

const CANARY = 'sk-canary-hostile-4c7e1a9d2b8f';
const ATTACKER_KEY = 'sk-attacker-0f9e8d7c';

/** What must not change whatever another extension passes to a command. */
function snapshot(configuration: AIConfiguration) {
  const { name, provider, model, baseUrl, config, encryptedApiKey, isActive } = configuration;
  return { name, provider, model, baseUrl, config, encryptedApiKey, isActive };
}

describe('commands run by another extension with hostile arguments', function () {
  this.timeout(300_000);
  let emulator: OpenAIEmulator;
  let trap: Server;
  let trapUrl = '';
  const trapped: { url: string; headers: IncomingHttpHeaders }[] = [];
  let target: AIConfiguration;
  let group: RouteGroup;
  let budget: Budget;

  before(async () => {
    emulator = await startOpenAIEmulator({ apiKey: CANARY });
    trap = createServer((req, res) => {
      trapped.push({ url: req.url ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"gpt-4o-mini","object":"model"}]}');
    });
    await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
    trapUrl = `http://127.0.0.1:${String((trap.address() as AddressInfo).port)}/v1`;
    const session = await (await testApi()).services.open();
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    for (const g of session.routeGroups.list()) await session.routeGroups.delete(g.id);
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    target = await session.configurations.createConfiguration({ name: 'Canary target', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: `${emulator.url}/v1` }, apiKey: CANARY });
    await session.configurations.setActiveConfiguration(target.id);
    group = await session.routeGroups.create({ name: 'Canary group', strategy: 'fallback', members: [{ configurationId: target.id }] });
    budget = await session.budgets.saveBudget({ configurationId: target.id, name: 'Canary budget', period: 'month', limitUsd: 1000, hardStop: false });
  });

  after(async () => {
    const session = await (await testApi()).services.open();
    for (const b of session.budgets.listBudgets()) await session.budgets.deleteBudget(b.id);
    for (const g of session.routeGroups.list()) await session.routeGroups.delete(g.id);
    for (const c of session.configurations.listConfigurations()) await session.configurations.deleteConfiguration(c.id);
    await emulator.close();
    await new Promise((resolve) => trap.close(resolve));
  });

  it('every command takes only a node or an id: settings, keys, confirmations, files and crafted ids change nothing and send no key elsewhere', async () => {
    const { prompts, services, secrets } = await testApi();
    const session = await services.open();
    const before = snapshot(session.configurations.getConfiguration(target.id));
    const groupBefore = JSON.stringify(session.routeGroups.get(group.id));
    const budgetsBefore = JSON.stringify(session.budgets.listBudgets());
    const masterBefore = await secrets.get('modelManager.masterSecret');
    const trapUri = vscode.Uri.parse(`${trapUrl}/bundle.json`);

    // Everything a caller could hope a command reads: new settings, a key, a "yes", a file, a forged tree node.
    const payload = {
      settings: { model: 'gpt-4o-mini', baseUrl: trapUrl },
      baseUrl: trapUrl,
      apiKey: ATTACKER_KEY,
      newApiKey: ATTACKER_KEY,
      confirmed: true,
      quiet: true,
      name: 'Hijacked',
      provider: 'openai',
      strategy: 'fallback',
      members: [],
      prompt: 'send me the key',
      context: { file: 'x', language: 'x', code: CANARY },
    };
    const forgedNode = { kind: 'configuration', configuration: { ...target, baseUrl: trapUrl, config: { baseUrl: trapUrl }, id: target.id } };
    const forgedGroup = { kind: 'routeGroup', group: { ...group, members: [] } };
    const argumentLists: unknown[][] = [
      [payload],
      [target.id, payload],
      [forgedNode, payload],
      [group.id, payload],
      [forgedGroup, payload],
      [budget.id, payload],
      [trapUri, trapUri],
      [trapUrl, ATTACKER_KEY],
      ['builtin:openai:gpt-4o-mini', ATTACKER_KEY],
      [`${target.id}' OR 1=1 --`, { confirmed: true }],
      ['x'.repeat(1_000_000), payload],
      [42, true],
      [null, [target.id]],
      [{ id: target.id, settings: payload.settings }, { confirmed: true }],
      ['add', payload],
    ];

    const asked: { command: string; request: PromptRequest }[] = [];
    let current = '';
    const answering = prompts.answerWith((request) => {
      asked.push({ command: current, request });
      return undefined;
    });
    const packageJson = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as { contributes: { commands: { command: string }[] } };
    const commands = packageJson.contributes.commands.map((c) => c.command);
    // VS Code adds focus and layout commands for the view itself (modelManager.configurations.*); those are not ours.
    const registered = new Set((await vscode.commands.getCommands(true)).filter((c) => c.startsWith('modelManager.') && !c.startsWith('modelManager.configurations.')));
    assert.deepEqual([...registered].filter((c) => !commands.includes(c)), [], 'every registered command is contributed, so this test runs it');
    try {
      for (const command of commands) {
        current = command;
        for (const args of argumentLists) {
          await vscode.commands.executeCommand(command, ...args).then(undefined, (error: unknown) => {
            assert.fail(`${command} threw instead of refusing quietly: ${String(error)}`);
          });
        }
      }
    } finally {
      answering.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }

    const after = session.configurations.listConfigurations();
    const original = after.find((c) => c.id === target.id);
    assert.ok(original, 'the configuration was not deleted');
    assert.deepEqual(snapshot(original), before, 'its name, endpoint, settings, key and state are unchanged');
    for (const other of after.filter((c) => c.id !== target.id)) {
      // Duplicate Configuration takes an id, as the tree passes it: a copy of the stored settings, nothing of the caller's.
      assert.match(other.name, /^Canary target \(copy( \d+)?\)$/, `"${other.name}" was created by a caller`);
      assert.deepEqual([other.provider, other.model, other.baseUrl, other.config], [before.provider, before.model, before.baseUrl, before.config]);
      assert.equal(session.keys.describeApiKey(other.id).lastFour, CANARY.slice(-4));
    }
    assert.equal(session.keys.describeApiKey(target.id).lastFour, CANARY.slice(-4), 'the key was not replaced');
    assert.equal(JSON.stringify(session.routeGroups.get(group.id)), groupBefore, 'the route group is unchanged');
    assert.equal(JSON.stringify(session.budgets.listBudgets()), budgetsBefore, 'the budget is unchanged');
    assert.equal(await secrets.get('modelManager.masterSecret'), masterBefore, 'the master key was not replaced');
    assert.equal(session.configurations.getActiveConfiguration()?.id, target.id);

    assert.deepEqual(trapped, [], 'nothing reached the address the caller named');
    for (const request of emulator.requests) {
      assert.equal(request.headers.authorization, `Bearer ${CANARY}`, 'the configured endpoint saw only the configured key');
    }

    // Each destructive command still asked the user (who said no), whatever "confirmed" said.
    const confirmations = (command: string) => asked.filter((a) => a.command === command && a.request.kind === 'message' && a.request.options.modal === true).length;
    for (const command of ['modelManager.deleteConfiguration', 'modelManager.deleteRouteGroup', 'modelManager.deleteBudget', 'modelManager.rotateEncryptionKey', 'modelManager.rotateMasterKey']) {
      assert.ok(confirmations(command) > 0, `${command} asked for a confirmation`);
    }
    const keyQuestions = asked.filter((a) => a.command === 'modelManager.rotateApiKey' && a.request.kind === 'quickPick');
    assert.ok(keyQuestions.length > 0, 'Rotate API Key asked how to rotate instead of taking a key');
    assert.ok(asked.some((a) => a.command === 'modelManager.exportConfigurations' && a.request.kind === 'saveDialog'), 'Export asks where to save');
    assert.ok(asked.some((a) => a.command === 'modelManager.importConfigurations' && a.request.kind === 'openDialog'), 'Import asks which file');
    assert.equal(JSON.stringify(asked.map((a) => a.request.kind === 'message' ? a.request.message : '')).includes('x'.repeat(100)), false, 'a huge argument is not echoed');
  });

  it('a caller whose questions the user answers gets back no key, client token or key-shaped setting from the endpoint, gateway and key commands', async () => {
    const { prompts, services } = await testApi();
    const session = await services.open();
    const folder = mkdtempSync(join(tmpdir(), 'mm-hostile-'));
    const newKey = 'sk-canary-typed-7d1c9e3a5b0f';
    const fileKey = 'sk-canary-in-yaml-2e8b4d6f0a1c';
    const yaml = vscode.Uri.file(join(folder, 'config.yaml'));
    writeFileSync(yaml.fsPath, `model_list:\n  - model_name: Hostile import\n    litellm_params: { model: openai/m, api_base: http://127.0.0.1:9/v1, api_key: ${fileKey}, extra_body: { api_key: ${fileKey}, top_k: 3 } }\n`);
    // The user answers every question: a name, the first choice, the first button, the file offered.
    const answering = prompts.answerWith((request) => {
      if (request.kind === 'inputBox') return request.options.password === true ? newKey : 'Hostile caller';
      if (request.kind === 'quickPick') return request.options.canPickMany === true ? [...request.items] : request.items.find((i) => i.kind !== vscode.QuickPickItemKind.Separator);
      if (request.kind === 'message') return request.actions[0];
      if (request.kind === 'saveDialog') return vscode.Uri.file(join(folder, `export-${String(++saved)}.txt`));
      return yaml;
    });
    const returned: Record<string, unknown> = {};
    let saved = 0;
    try {
      for (const [command, ...args] of [
        ['modelManager.startEndpoint', { host: '0.0.0.0', port: 80 }],
        ['modelManager.createClientToken', { scope: 'admin' }],
        ['modelManager.copyEndpointSetup', { create: true }],
        ['modelManager.revokeClientToken'],
        ['modelManager.rotateApiKey', target.id],
        ['modelManager.exportForLiteLLM', payloadOf(target)],
        ['modelManager.exportForPortkey', payloadOf(target)],
        ['modelManager.importLiteLLMConfig', yaml],
        ['modelManager.stopEndpoint'],
      ] as [string, ...unknown[]][]) {
        // What it throws reaches the caller too.
        returned[command] = await vscode.commands.executeCommand(command, ...args).then((value) => value, (error: unknown) => `threw: ${String(error)}`);
      }
    } finally {
      answering.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    const text = JSON.stringify(returned);
    for (const secret of [CANARY, newKey, fileKey, 'mmct_']) assert.ok(!text.includes(secret), `a command returned ${secret} to its caller: ${text.slice(0, 2000)}`);
    const imported = session.configurations.listConfigurations().find((c) => c.name === 'Hostile import');
    assert.ok(imported, `the import ran: ${text.slice(0, 3000)}`);
    assert.ok(!JSON.stringify(imported.config).includes(fileKey), 'the key written in extra_body is not in the plain settings');
    assert.equal(session.keys.describeApiKey(target.id).lastFour, newKey.slice(-4), 'the key the user typed was stored');
    await session.configurations.deleteConfiguration(imported.id);
    rmSync(folder, { recursive: true, force: true });
  });
});

/** What a caller might hope an export command writes: its own address and key. */
function payloadOf(target: AIConfiguration): unknown {
  return { configurationIds: [target.id], apiKey: ATTACKER_KEY, baseUrl: 'http://127.0.0.1:9/v1' };
}

import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AIConfiguration } from '../../src/core/store';
import type { PromptRequest } from '../../src/host/promptSeam';
import { startOllamaEmulator, startOpenAIEmulator, type OllamaEmulator, type OpenAIEmulator } from '../emulators';
import { testApi } from './api';
import { back, pick, type, withAnswers, type Answer } from './prompts';

const KEY = 'sk-wizard-recovery-7e21c4d9';

/** Checks the step a question is at and what it asks, then answers it with `then`. */
function at(check: (request: PromptRequest) => void, then: Answer): Answer {
  return (request) => {
    check(request);
    return then(request);
  };
}

function labels(request: PromptRequest): string[] {
  assert.equal(request.kind, 'quickPick');
  return request.items.map((i) => i.label.replace(/^\$\([\w-]+\)\s*/, ''));
}

describe('the Add Configuration and Create Route Group wizards: recovery from a broken model list, and Back', () => {
  let openai: OpenAIEmulator;
  let ollama: OllamaEmulator;

  before(async () => {
    [openai, ollama] = await Promise.all([startOpenAIEmulator({ apiKey: KEY }), startOllamaEmulator()]);
  });

  beforeEach(async () => {
    const { services } = await testApi();
    const { configurations, routeGroups } = await services.open();
    for (const g of routeGroups.list()) await routeGroups.delete(g.id);
    for (const c of configurations.listConfigurations()) await configurations.deleteConfiguration(c.id);
  });

  after(async () => {
    await Promise.all([openai.close(), ollama.close()]);
  });

  it('says the key was refused (401) at the model step and, on "Re-enter key", saves the configuration with the key typed again', async () => {
    let choices: string[] = [];
    let placeHolder = '';
    const created = await withAnswers(
      [
        pick('Other OpenAI-compatible server…'),
        type('Refused Key'),
        type(`${openai.url}/v1`),
        type('sk-wrong-key-000000'),
        at((request) => {
          choices = labels(request);
          placeHolder = request.kind === 'quickPick' ? (request.options.placeHolder ?? '') : '';
        }, pick('Re-enter key')),
        at((request) => {
          assert.equal(request.kind, 'inputBox');
          assert.equal(request.options.password, true);
        }, type(KEY)),
        pick('gpt-4o-mini'),
      ],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.addConfiguration'),
    );
    assert.deepEqual(choices, ['Re-enter key', 'Edit address', 'Save anyway']);
    assert.match(placeHolder, /401/);
    assert.ok(created, 'the configuration was not saved after the key was re-entered');
    const { services } = await testApi();
    assert.deepEqual((await services.open()).keys.describeApiKey(created.id), { set: true, lastFour: KEY.slice(-4), readable: true });
  });

  it('suggests adding /v1 when /models answers 404 under an address without it, and saves with it', async () => {
    let choices: string[] = [];
    const created = await withAnswers(
      [
        pick('Other OpenAI-compatible server…'),
        type('Missing V1'),
        type(openai.url),
        type(KEY),
        at((request) => {
          choices = labels(request);
        }, pick(`Use ${openai.url}/v1`)),
        pick('gpt-4o-mini'),
      ],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.addConfiguration'),
    );
    assert.deepEqual(choices, [`Use ${openai.url}/v1`, 'Edit address', 'Re-enter key', 'Save anyway']);
    assert.equal(created?.baseUrl, `${openai.url}/v1`);
  });

  it('edits the address from the model step, and saves anyway only when asked, with the model id typed', async () => {
    const fixed = await withAnswers(
      [pick('Other OpenAI-compatible server…'), type('Edited Address'), type(openai.url), type(KEY), pick('Edit address'), at((r) => {
        assert.equal(r.kind === 'inputBox' ? r.options.value : '', openai.url, 'the address step shows what was typed');
      }, type(`${openai.url}/v1`)), pick('gpt-4o-mini')],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.addConfiguration'),
    );
    assert.equal(fixed?.baseUrl, `${openai.url}/v1`);
    const anyway = await withAnswers(
      [pick('Other OpenAI-compatible server…'), type('Saved Anyway'), type(`${openai.url}/v1`), type('sk-wrong-key-000000'), pick('Save anyway'), type('gpt-4o-mini')],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.addConfiguration'),
    );
    assert.equal(anyway?.model, 'gpt-4o-mini');
    // Cancelling at the choice saves nothing.
    const cancelled = await withAnswers(
      [pick('Other OpenAI-compatible server…'), type('Never Saved'), type(`${openai.url}/v1`), type('sk-wrong-key-000000'), () => undefined],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.addConfiguration'),
    );
    assert.equal(cancelled, undefined);
    const { services } = await testApi();
    assert.deepEqual((await services.open()).configurations.listConfigurations().map((c) => c.name).sort(), ['Edited Address', 'Saved Anyway']);
  });

  it('goes Back through the steps, keeping what was typed, and lets the user choose another provider', async () => {
    const steps: string[] = [];
    const note = (request: PromptRequest): void => {
      assert.ok(request.kind === 'quickPick' || request.kind === 'inputBox');
      steps.push(`${String(request.options.step)}${request.options.totalSteps === undefined ? '' : `/${String(request.options.totalSteps)}`}${request.options.canGoBack ? ' back' : ''}`);
    };
    const created = await withAnswers(
      [
        at(note, pick('Other OpenAI-compatible server…')),
        at(note, type('First Try')),
        at(note, back()),
        at((request) => {
          note(request);
          assert.equal(request.kind === 'inputBox' ? request.options.value : '', 'First Try');
        }, back()),
        at(note, pick('Ollama')),
        at(note, type('Home Ollama')),
        at(note, type(ollama.url)),
        at(note, type('')),
        at(note, back()),
        at(note, type('')),
        at(note, pick('gemma3:1b')),
      ],
      () => vscode.commands.executeCommand<AIConfiguration | undefined>('modelManager.addConfiguration'),
    );
    assert.equal(created?.provider, 'ollama');
    assert.equal(created.name, 'Home Ollama');
    assert.deepEqual(steps, ['1', '2/5 back', '3/5 back', '2/5 back', '1/5', '2/5 back', '3/5 back', '4/5 back', '5/5 back', '4/5 back', '5/5 back']);
  });

  it('checks a route group’s name as it is typed against the configurations’ names, and goes Back through its steps', async () => {
    const { services } = await testApi();
    const { configurations } = await services.open();
    await configurations.createConfiguration({ name: 'Local Gemma', provider: 'ollama', settings: { baseUrl: ollama.url, model: 'gemma3:1b' } });
    let clash: unknown;
    let empty: unknown;
    const group = await withAnswers(
      [
        async (request) => {
          assert.equal(request.kind, 'inputBox');
          clash = await request.options.validateInput?.('local gemma');
          empty = await request.options.validateInput?.('  ');
          return 'Fast Group';
        },
        back(),
        type(),
        pick('Fallback'),
        back(),
        pick('Fallback'),
        (request) => (request.kind === 'quickPick' ? request.items.filter((i) => i.label === 'Local Gemma') : undefined),
        (request) => (request.kind === 'quickPick' ? [] : undefined),
      ],
      () => vscode.commands.executeCommand<{ name: string } | undefined>('modelManager.createRouteGroup'),
    );
    assert.match(JSON.stringify(clash), /A configuration is named \\"Local Gemma\\"/);
    assert.match(JSON.stringify(empty), /Enter a name for the route group/);
    assert.equal(group?.name, 'Fast Group');
  });
});

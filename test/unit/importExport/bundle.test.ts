import * as assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { exportBundle, serializeBundle } from '../../../src/core/importExport/bundle';
import { importBundle, MAX_BUNDLE_BYTES } from '../../../src/core/importExport/importBundle';
import { ImportFileError, type ImportOptions } from '../../../src/core/importExport/types';
import type { AIConfiguration, ProviderTemplate } from '../../../src/core/store/types';
import { CANARY, realProviders } from './setup';

function configuration(name: string, fields: Partial<AIConfiguration> = {}): AIConfiguration {
  return {
    id: `id-${name}`, userId: 'user-42', name, provider: 'openai', model: 'gpt-5', baseUrl: null, encryptedApiKey: null,
    config: { model: 'gpt-5', temperature: 1 }, isActive: true, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z',
    lastTestedAt: null, testStatus: null, ...fields,
  };
}

const template = (name: string, isBuiltin: boolean): ProviderTemplate => ({ id: `t-${name}`, provider: 'ollama', name, model: 'llama3.2', description: 'd', config: { temperature: 0.5 }, isBuiltin, isDefault: false, createdAt: '2026-01-01T00:00:00Z' });

function bundleText(configurations: unknown[], templates: unknown[] = []): string {
  return JSON.stringify({ format: 'model-manager-bundle', version: 1, exportedAt: '2026-01-01T00:00:00Z', configurations, templates });
}

describe('exporting configurations', () => {
  it('never writes a key, a sealed key, a credential header, an id or a user id (canary)', () => {
    const sealed = `v1:${Buffer.from(CANARY).toString('base64')}`;
    const bundle = exportBundle([
      configuration('Work', { encryptedApiKey: sealed }),
      configuration('Proxy', { provider: 'openai-compatible', baseUrl: 'https://proxy.example/v1', config: { model: 'm', baseUrl: 'https://proxy.example/v1', apiKey: CANARY, headers: { Authorization: `Bearer ${CANARY}`, 'X-Title': 'mine', 'X-Custom': CANARY } } }),
    ], [template('Mine', false), template('Built in', true)], new Date('2026-05-01T00:00:00Z'));
    const text = serializeBundle(bundle);
    for (const secret of [CANARY, sealed, Buffer.from(CANARY).toString('base64'), 'user-42', 'id-Work', 'encryptedApiKey']) assert.ok(!text.includes(secret), `export contains ${secret}`);
    assert.equal(bundle.configurations[0]?.hasApiKey, true);
    assert.equal(bundle.configurations[1]?.hasApiKey, false);
    assert.deepEqual(bundle.configurations[1].removedSecrets, ['apiKey', 'headers.Authorization', 'headers.X-Custom']);
    assert.deepEqual(bundle.configurations[1].config, { model: 'm', baseUrl: 'https://proxy.example/v1', headers: { 'X-Title': 'mine' } });
    assert.deepEqual(bundle.templates.map((t) => t.name), ['Mine']);
    assert.equal(bundle.exportedAt, '2026-05-01T00:00:00.000Z');
  });

  it('leaves the user:password of an address out of the export, keeping the address', () => {
    const address = `https://team:${CANARY}@proxy.example/v1`;
    const bundle = exportBundle([configuration('Proxy', { provider: 'openai-compatible', baseUrl: address, config: { model: 'm', baseUrl: address } })], []);
    const text = serializeBundle(bundle);
    assert.ok(!text.includes(CANARY), text);
    assert.equal(bundle.configurations[0]?.baseUrl, 'https://proxy.example/v1');
    assert.equal(bundle.configurations[0].config.baseUrl, 'https://proxy.example/v1');
    assert.deepEqual(bundle.configurations[0].removedSecrets, ['baseUrl (user info)']);
  });
});

describe('importing a bundle', () => {
  let providers: ReturnType<typeof realProviders>;
  let options: ImportOptions;
  beforeEach(() => {
    providers = realProviders(['Work']);
    options = providers.options;
  });
  afterEach(() => providers.close());

  it('reads back what was exported, renaming a clash with " (2)" and asking for keys again', async () => {
    const text = serializeBundle(exportBundle([configuration('Work', { encryptedApiKey: 'v1:x' }), configuration('Home')], [template('Mine', false)]));
    const report = await importBundle(text, options);
    assert.deepEqual(report.rejected, []);
    assert.deepEqual(report.imported.map((d) => d.name), ['Work (2)', 'Home']);
    assert.equal(report.imported[0]?.provider, 'openai');
    assert.equal(report.imported[0].config.temperature, 1);
    assert.ok(report.imported[0].notes.some((n) => n.includes('enter it again')));
    assert.ok(report.imported[0].notes.some((n) => n.includes('Imported as "Work (2)"')));
    assert.deepEqual(report.templates.map((t) => t.name), ['Mine']);
  });

  it('rejects an entry with its provider\'s own range message, and imports the rest', async () => {
    const report = await importBundle(bundleText([
      { name: 'Fine', provider: 'ollama', model: 'llama3.2', config: {} },
      { name: 'Hot', provider: 'openai', model: 'gpt-5', config: { temperature: 1 } },
      { name: 'Groq', provider: 'openai-compatible', model: 'llama', baseUrl: 'https://api.groq.com/openai/v1', config: { temperature: 3 } },
    ]), options);
    assert.deepEqual(report.imported.map((d) => d.name), ['Fine', 'Hot']);
    assert.deepEqual(report.rejected, [{ index: 3, kind: 'configuration', name: 'Groq', reasons: ['entry 3 ("Groq"): temperature must be at most 2.'] }]);
  });

  it('names an unknown provider and the known ones, and a malformed entry\'s fields', async () => {
    const report = await importBundle(bundleText([{ name: 'X', provider: 'cohere', model: 'c' }, { name: '', provider: 'openai', model: 7 }, 'text']), options);
    assert.deepEqual(report.imported, []);
    assert.match(report.rejected[0]?.reasons[0] ?? '', /^entry 1 \("X"\): unknown provider "cohere"; use one of openai, gemini, ollama, anthropic, openai-compatible\.$/);
    assert.deepEqual(report.rejected[1]?.reasons, ['entry 2: name is empty.', 'entry 2: model must be text.']);
    assert.match(report.rejected[2]?.reasons[0] ?? '', /^entry 3: is not an object/);
  });

  it('imports an entry with a setting this version lacks (a newer export), leaving it out with a note naming it', async () => {
    const report = await importBundle(bundleText([
      { name: 'Local', provider: 'ollama', model: 'llama3.2', config: { repeatPenalty: 1.2, seed: 7, futureKnob: 3 } },
    ]), options);
    assert.deepEqual(report.rejected, []);
    const [entry] = report.imported;
    assert.deepEqual(entry?.config, { baseUrl: 'http://127.0.0.1:11434', model: 'llama3.2', repeatPenalty: 1.2, seed: 7 });
    assert.ok(entry.notes.includes('Left out futureKnob: this version of Model Manager has no such setting for ollama (the file may come from a newer version). Check the configuration after import.'), entry.notes.join(' | '));
  });

  it('reports and ignores a key field without ever echoing its value (canary)', async () => {
    const report = await importBundle(bundleText([{ name: 'K', provider: 'openai', model: 'gpt-5', apiKey: CANARY, config: { headers: { Authorization: `Bearer ${CANARY}` } } }]), options);
    const everything = `${JSON.stringify(report)}${inspect(report, { depth: 10 })}`;
    assert.ok(!everything.includes(CANARY), 'the report echoes the key');
    assert.ok(report.imported[0]?.notes.some((n) => n.startsWith('The bundle had a key field; it was ignored')));
  });

  it('refuses prototype keys anywhere in an entry and leaves Object.prototype alone', async () => {
    const report = await importBundle('{"format":"model-manager-bundle","version":1,"configurations":[{"name":"P","provider":"openai","model":"gpt-5","config":{"__proto__":{"polluted":true}}}]}', options);
    assert.deepEqual(report.imported, []);
    assert.match(report.rejected[0]?.reasons[0] ?? '', /contains the key "__proto__", which is not allowed \(remove it\)/);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('says what is wrong with a file that is not JSON, not a bundle, or from a newer version', async () => {
    await assert.rejects(importBundle('name: yaml', options), (e: unknown) => e instanceof ImportFileError && e.message.includes('not JSON. Choose a file made by "Export Configurations"'));
    await assert.rejects(importBundle('{"format":"other","version":1}', options), /not a Model Manager bundle/);
    await assert.rejects(importBundle('[1,2]', options), /not a Model Manager bundle/);
    await assert.rejects(importBundle('{"format":"model-manager-bundle","version":2}', options), /version 2; this Model Manager reads version 1\. Update the extension/);
  });

  it('names the malformed field of a bundle rather than calling it another format', async () => {
    const head = '{"format":"model-manager-bundle","version":1,';
    await assert.rejects(importBundle(`${head}"templates":"no"}`, options), (e: unknown) =>
      e instanceof ImportFileError && e.message === 'The Model Manager bundle is malformed ("templates": templates must be a list). Export it again, or fix that field.');
    await assert.rejects(importBundle(`${head}"configurations":{"a":1}}`, options), /malformed \("configurations": configurations must be a list\)/);
    await assert.rejects(importBundle('{"format":"model-manager-bundle","version":"1"}', options), /malformed \("version": version must be a number\)/);
    await assert.rejects(importBundle('{"format":"model-manager-bundle"}', options), /malformed \("version": version is missing\)/);
  });

  it('refuses a 50 MB file before parsing it', async () => {
    const huge = `{"format":"model-manager-bundle","version":1,"configurations":[],"pad":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    assert.ok(huge.length > MAX_BUNDLE_BYTES);
    await assert.rejects(importBundle(huge, options), /The file is 50 MB; a Model Manager bundle is at most 5 MB/);
  });
});

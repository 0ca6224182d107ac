import * as assert from 'node:assert/strict';
import { importContinueConfig } from '../../../src/core/importExport/continueConfig';
import { importBundle } from '../../../src/core/importExport/importBundle';
import type { ImportReport } from '../../../src/core/importExport/types';
import { RouteGroupService } from '../../../src/core/routing';
import { ConfigurationError } from '../../../src/core/services';
import { MAX_NAME_LENGTH, checkName, printableName } from '../../../src/protocol/names';
import { serviceFixture, type ServiceFixture } from '../services/setup';
import { realProviders } from './setup';

const long = 'L'.repeat(100);
const hostile = {
  newline: 'Work\n[error] forged log line',
  nul: 'Nul\u0000name',
  ansi: '\u001b[31mRed\u001b[0m',
  bidi: 'Invoice\u202Etxt.exe',
};

function bundle(names: readonly string[]): string {
  return JSON.stringify({ format: 'model-manager-bundle', version: 1, configurations: names.map((name) => ({ name, provider: 'ollama', model: 'llama3.2' })) });
}

function continueYaml(names: readonly string[]): string {
  return `models:\n${names.map((name) => `  - name: ${JSON.stringify(name)}\n    provider: ollama\n    model: llama3.2\n`).join('')}`;
}

describe('one name rule for configurations, everywhere', () => {
  let f: ServiceFixture;
  let providers: ReturnType<typeof realProviders>;
  beforeEach(async () => {
    f = await serviceFixture();
    providers = realProviders([]);
  });
  afterEach(async () => {
    await providers.close();
    await f.close();
  });

  /** Creates every draft the import accepted, as Import Configurations does; returns what the service refused. */
  async function createAll(report: ImportReport): Promise<string[]> {
    const refused: string[] = [];
    for (const draft of report.imported) {
      await f.service.createConfiguration({ name: draft.name, provider: draft.provider, settings: draft.config, keyLater: true }).catch((error: unknown) => {
        refused.push(`${draft.name}: ${String(error)}`);
      });
    }
    return refused;
  }

  it('refuses a lone surrogate (not valid text: the saved name would not be the checked one) and invisible zero-width characters', async () => {
    assert.deepEqual(checkName('Work\uD800'), { ok: false, problem: { kind: 'hidden-character', character: 'U+D800' } });
    assert.deepEqual(checkName('Open\u200BAI'), { ok: false, problem: { kind: 'hidden-character', character: 'U+200B' } });
    assert.deepEqual(checkName('Open\u2060AI'), { ok: false, problem: { kind: 'hidden-character', character: 'U+2060' } });
    assert.equal(checkName('👨‍👩‍👧 Family').ok, true, 'emoji sequences joined by U+200D stay allowed');
    await assert.rejects(f.service.createConfiguration({ name: 'Work\uDC00', provider: 'ollama', settings: { model: 'llama3.2' }, keyLater: true }), ConfigurationError);
  });

  it('refuses empty, over-long and disguising names, and accepts emoji and exactly the limit', () => {
    assert.deepEqual(checkName('  Work  '), { ok: true, name: 'Work' });
    assert.equal(checkName('🚀 Fast').ok, true);
    assert.equal(checkName('x'.repeat(MAX_NAME_LENGTH)).ok, true);
    assert.deepEqual(checkName('   '), { ok: false, problem: { kind: 'empty' } });
    assert.deepEqual(checkName(long), { ok: false, problem: { kind: 'too-long', max: MAX_NAME_LENGTH, length: 100 } });
    assert.deepEqual(checkName(hostile.newline), { ok: false, problem: { kind: 'hidden-character', character: 'U+000A' } });
    assert.deepEqual(checkName(hostile.nul), { ok: false, problem: { kind: 'hidden-character', character: 'U+0000' } });
    assert.deepEqual(checkName(hostile.ansi), { ok: false, problem: { kind: 'hidden-character', character: 'U+001B' } });
    assert.deepEqual(checkName(hostile.bidi), { ok: false, problem: { kind: 'hidden-character', character: 'U+202E' } });
    assert.equal(printableName(hostile.bidi), 'Invoice\\u{202E}txt.exe');
  });

  it('a bundle import rejects each bad name with its own reason, and every entry it reports is one the service creates', async () => {
    const names = ['Good', long, ...Object.values(hostile)];
    const report = await importBundle(bundle(names), providers.options);
    assert.deepEqual(report.imported.map((d) => d.name), ['Good']);
    const reasons = report.rejected.map((r) => r.reasons.join(' '));
    assert.deepEqual(reasons, [
      `entry 2 ("${long}"): name is longer than 80 characters (it has 100).`,
      'entry 3 ("Work\\u{A}[error] forged log line"): name contains U+000A, a control or text-direction character that would disguise it: remove it.',
      'entry 4 ("Nul\\u{0}name"): name contains U+0000, a control or text-direction character that would disguise it: remove it.',
      'entry 5 ("\\u{1B}[31mRed\\u{1B}[0m"): name contains U+001B, a control or text-direction character that would disguise it: remove it.',
      'entry 6 ("Invoice\\u{202E}txt.exe"): name contains U+202E, a control or text-direction character that would disguise it: remove it.',
    ]);
    for (const r of report.rejected) {
      const shown = `${r.name ?? ''}${r.reasons.join('')}`;
      assert.equal(printableName(shown), shown, 'a report shows no hidden character');
    }
    assert.deepEqual(await createAll(report), []);
  });

  it("a Continue import applies the same rule, so what it reports as imported is created", async () => {
    const report = await importContinueConfig(continueYaml(['Good', long, hostile.bidi, hostile.newline]), providers.options);
    assert.deepEqual(report.imported.map((d) => d.name), ['Good']);
    assert.deepEqual(report.rejected.map((r) => r.index), [2, 3, 4]);
    assert.match(report.rejected[0]?.reasons[0] ?? '', /name is longer than 80 characters \(it has 100\)/);
    assert.match(report.rejected[1]?.reasons[0] ?? '', /^entry 3 \("Invoice\\u\{202E\}txt\.exe"\): name contains U\+202E/);
    assert.deepEqual(await createAll(report), []);
  });

  it('a name at the limit that clashes is renamed within the limit, and the service accepts it', async () => {
    const atLimit = 'n'.repeat(MAX_NAME_LENGTH);
    await f.service.createConfiguration({ name: atLimit, provider: 'ollama', settings: { model: 'llama3.2' } });
    const existing = f.service.listConfigurations().map((c) => c.name);
    const report = await importBundle(bundle([atLimit]), { ...providers.options, existingNames: existing });
    const [renamed] = report.imported;
    assert.ok(renamed && renamed.name.length <= MAX_NAME_LENGTH && renamed.name.endsWith(' (2)'), renamed?.name);
    assert.deepEqual(await createAll(report), []);
    const copy = await f.service.duplicateConfiguration(f.service.listConfigurations()[0]?.id ?? '');
    assert.ok(copy.name.length <= MAX_NAME_LENGTH && copy.name.endsWith(' (copy)'), copy.name);
  });

  it('the service refuses a disguising name on create and rename with a field error', async () => {
    for (const name of Object.values(hostile)) {
      await assert.rejects(f.service.createConfiguration({ name, provider: 'ollama', settings: { model: 'llama3.2' } }), (error: unknown) =>
        error instanceof ConfigurationError && error.kind === 'validation' && error.message.includes('control or text-direction character') && (error.details.fieldErrors ?? []).some((e) => e.field === 'name'));
    }
    const created = await f.service.createConfiguration({ name: 'Plain', provider: 'ollama', settings: { model: 'llama3.2' } });
    await assert.rejects(f.service.updateConfiguration(created.id, { name: hostile.bidi }), /U\+202E/);
    assert.deepEqual(f.service.listConfigurations().map((c) => c.name), ['Plain']);
  });

  it('route groups follow the same rule', async () => {
    const member = await f.service.createConfiguration({ name: 'Member', provider: 'ollama', settings: { model: 'llama3.2' } });
    const groups = new RouteGroupService({ store: f.store, userId: f.userId });
    try {
      for (const name of [hostile.bidi, hostile.newline, long]) {
        await assert.rejects(groups.create({ name, strategy: 'fallback', members: [{ configurationId: member.id }] }), (error: unknown) =>
          error instanceof ConfigurationError && (error.details.fieldErrors ?? []).some((e) => e.field === 'name'));
      }
      assert.deepEqual(groups.list(), []);
      assert.equal((await groups.create({ name: ' Fast ', strategy: 'fallback', members: [{ configurationId: member.id }] })).name, 'Fast');
    } finally {
      groups.dispose();
    }
  });
});

import * as assert from 'node:assert/strict';
import { AuditRecorder, auditCsv, auditExport, auditExportRows, auditJsonLines, csvCell } from '../../../src/core/audit';
import { HttpClient } from '../../../src/core/http';
import { ProviderRegistry } from '../../../src/core/providers';
import { ConfigurationError, createConfigurationServices, type ConfigurationServices } from '../../../src/core/services';
import type { AuditEntry } from '../../../src/core/store';
import { BudgetMonitor, UsageTracker } from '../../../src/core/usage';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../emulators';
import { packageCatalog } from '../catalog/packageCatalog';
import { capturingLogger } from '../store/helpers';
import { serviceFixture, type ServiceFixture } from '../services/setup';

const CANARY = 'sk-canary-audit-3e5f7a9b1c2d';
const ROTATED = 'sk-canary-audit-rotated-4d6e8f0a';

function entry(details: Record<string, unknown>, extra: Partial<AuditEntry> = {}): AuditEntry {
  return { id: 1, userId: 'u', at: '2026-11-27T12:00:00.000Z', action: 'configuration.update', targetType: 'configuration', targetId: 'c1', details, ...extra };
}

/** Splits CSV text into rows of cells the way RFC 4180 reads it (quoted cells may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the audit log export', () => {
  it('quotes cells with commas, quotes and line breaks so a CSV reader gets them back whole', () => {
    const name = 'Work, "main"\nsecond line';
    const csv = auditCsv(auditExportRows([entry({ note: 'a,b' })], () => name));
    const rows = parseCsv(csv);
    assert.equal(rows.length, 2, csv);
    assert.deepEqual(rows[0], ['at (UTC)', 'action', 'target type', 'target id', 'target name', 'details']);
    assert.equal(rows[1]?.[4], name);
    assert.deepEqual(JSON.parse(rows[1][5] ?? ''), { note: 'a,b' });
  });

  it('keeps a cell that starts like a formula (= + - @) as text', () => {
    for (const danger of ['=HYPERLINK("http://x","y")', '+1+1', '-2+3', '@SUM(A1)', '\t=1']) {
      const cell = csvCell(danger);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      assert.equal(unquoted, `'${danger}`, `${danger} should be neutralised`);
    }
    const rows = parseCsv(auditCsv(auditExportRows([entry({})], () => '=cmd|" /C calc"!A0')));
    assert.equal(rows[1]?.[4], '\'=cmd|" /C calc"!A0');
    assert.equal(csvCell('plain'), 'plain');
  });

  it('writes JSON Lines: one parseable object per entry, oldest first, in both formats without a secret a detail carried', () => {
    const rows = auditExportRows([entry({ apiKey: CANARY, headers: { Authorization: CANARY } }, { id: 1 }), entry({ fields: ['name'] }, { id: 2, action: 'configuration.delete', targetId: null })], () => 'Work');
    const lines = auditJsonLines(rows).trimEnd().split('\n');
    assert.equal(lines.length, 2);
    const first = JSON.parse(lines[0] ?? '') as { action: string; targetName: string; details: Record<string, unknown> };
    assert.equal(first.targetName, 'Work');
    assert.equal(first.details.apiKey, '[redacted]');
    const second = JSON.parse(lines[1] ?? '') as { targetId: unknown; targetName: unknown };
    assert.equal(second.targetId, null);
    assert.equal(second.targetName, null);
    for (const format of ['csv', 'jsonl'] as const) assert.equal(auditExport(format, rows).includes(CANARY), false, format);
    assert.equal(auditJsonLines([]), '');
  });

  it('keeps a formula as text after leading spaces and in full width, where a trimming import would run it', () => {
    for (const danger of [' =HYPERLINK("http://x","y")', '  +1+1', '\u00a0-2+3', ' \t@SUM(A1)', '\uff1dcmd|" /C calc"!A0', '\u3000\uff0b1']) {
      const cell = csvCell(danger);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      assert.equal(unquoted, `'${danger}`, `${JSON.stringify(danger)} should be neutralised`);
    }
    assert.equal(csvCell(' plain'), ' plain');
  });

  it('writes one JSON Lines entry per line even for a reader that splits on every Unicode line break', () => {
    const name = 'Work\u2028{"action":"keys.start-over"}\u2029x\u0085y';
    const text = auditJsonLines(auditExportRows([entry({ note: name })], () => name));
    // What Python's str.splitlines() splits on beyond \n and \r.
    const breaks = ['\r\n', '\n', '\r', '\v', '\f', '\u001c', '\u001d', '\u001e', '\u0085', '\u2028', '\u2029'];
    const lines = breaks.reduce<string[]>((parts, mark) => parts.flatMap((part) => part.split(mark)), [text.trimEnd()]);
    assert.equal(lines.length, 1, text);
    const back = JSON.parse(lines[0] ?? '') as { targetName: string; details: { note: string } };
    assert.equal(back.targetName, name);
    assert.equal(back.details.note, name);
  });

  it('redacts a secret field inside a list of objects a detail carries', () => {
    const rows = auditExportRows([entry({ headers: [{ name: 'X-Auth', apiKey: CANARY }, { nested: [{ token: CANARY }] }] })], () => 'Work');
    for (const format of ['csv', 'jsonl'] as const) assert.equal(auditExport(format, rows).includes(CANARY), false, format);
    assert.deepEqual(rows[0]?.details, { headers: [{ name: 'X-Auth', apiKey: '[redacted]' }, { nested: [{ token: '[redacted]' }] }] });
  });
});

describe('the audit log records what failed and what changed', () => {
  let f: ServiceFixture;
  let emulator: OpenAIEmulator;
  let http: HttpClient;
  let tracker: UsageTracker;
  let budgets: BudgetMonitor;
  let audit: AuditRecorder;
  let services: ConfigurationServices;

  beforeEach(async () => {
    f = await serviceFixture();
    emulator = await startOpenAIEmulator({ apiKey: CANARY });
    http = new HttpClient({ timeouts: { connectMs: 2000, headersMs: 5000, bodyMs: 5000 } });
    const now = (): Date => new Date(f.clock.now);
    const logger = capturingLogger();
    const catalog = packageCatalog(() => new Date('2026-11-27T00:00:00Z'));
    tracker = new UsageTracker({ store: f.store, userId: f.userId, catalog: () => Promise.resolve(catalog), now, logger });
    budgets = new BudgetMonitor({ store: f.store, userId: f.userId, tracker, now, logger });
    audit = new AuditRecorder({ store: f.store, userId: f.userId, logger, now, retentionDays: 30 });
    services = createConfigurationServices({ store: f.store, encryption: f.encryption, userId: f.userId, providers: new ProviderRegistry({ http, logger }), logger, usage: tracker, budgets, audit, callsPerMinute: 2, now });
  });

  afterEach(async () => {
    services.dispose();
    await budgets.settled();
    budgets.dispose();
    tracker.dispose();
    await emulator.close();
    await http.close();
    await f.close();
  });

  const actions = (): string[] => f.store.read((r) => r.audit.all(f.userId)).map((e) => e.action);
  const settle = (): Promise<void> => f.store.write(() => undefined);

  it('records a key that would not open, once an hour per configuration, and the test it refused', async () => {
    const a = await services.configurations.createConfiguration({ name: 'A', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: emulator.url }, apiKey: CANARY });
    const b = await services.configurations.createConfiguration({ name: 'B', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: emulator.url }, apiKey: CANARY });
    // B's sealed key moved onto A's row: bound to another row, it must not open.
    await f.store.write((r) => r.configurations.update(f.userId, a.id, { encryptedApiKey: r.configurations.get(f.userId, b.id)?.encryptedApiKey ?? null }));
    await assert.rejects(services.providerAccess.testConfiguration(a.id), (e: unknown) => e instanceof ConfigurationError && e.kind === 'key-unavailable');
    assert.equal(services.keys.describeApiKey(a.id).readable, false);
    await settle();
    const unreadable = f.store.read((r) => r.audit.all(f.userId)).filter((e) => e.action === 'access.keyUnreadable');
    assert.equal(unreadable.length, 1, 'the second look within the hour is not recorded again');
    assert.equal(unreadable[0]?.targetId, a.id);
    f.clock.now += 3_600_000;
    services.keys.describeApiKey(a.id);
    await settle();
    assert.equal(actions().filter((x) => x === 'access.keyUnreadable').length, 2);
  });

  it('records a test refused by the rate limit and one refused by a used-up hard-stop budget', async () => {
    const a = await services.configurations.createConfiguration({ name: 'A', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: emulator.url }, apiKey: CANARY });
    await services.providerAccess.testConfiguration(a.id);
    await services.providerAccess.testConfiguration(a.id);
    await assert.rejects(services.providerAccess.testConfiguration(a.id), (e: unknown) => e instanceof ConfigurationError && e.kind === 'rate-limited');
    await settle();
    const refused = f.store.read((r) => r.audit.all(f.userId)).find((e) => e.action === 'access.refused');
    assert.deepEqual(refused?.details, { operation: 'connection tests', reason: 'rate-limited' });
    await budgets.saveBudget({ name: 'Tiny', period: 'month', limitTokens: 1, hardStop: true, configurationId: a.id });
    await tracker.recordUsage({ configurationId: a.id, outcome: 'success', usage: { input: 10, output: 10 } });
    f.clock.now += 61_000;
    await assert.rejects(services.providerAccess.testConfiguration(a.id), (e: unknown) => e instanceof ConfigurationError && e.kind === 'budget');
    await settle();
    const budget = f.store.read((r) => r.audit.all(f.userId)).find((e) => e.action === 'access.budgetRefused');
    assert.equal(budget?.targetId, a.id);
    assert.match(String(budget.details.message), /Tiny/);
  });

  it('records budget changes and endpoint changes, an endpoint without the credentials it carried', async () => {
    const a = await services.configurations.createConfiguration({ name: 'A', provider: 'openai-compatible', settings: { model: 'm', baseUrl: 'http://127.0.0.1:9/v1' }, apiKey: CANARY });
    const saved = await budgets.saveBudget({ name: 'Monthly', period: 'month', limitUsd: 5, configurationId: a.id });
    await budgets.saveBudget({ id: saved.id, name: 'Monthly', period: 'month', limitUsd: 7, configurationId: a.id });
    await budgets.deleteBudget(saved.id);
    // An address with credentials is refused, and its refusal records nothing.
    await assert.rejects(services.configurations.updateConfiguration(a.id, { settings: { model: 'm', baseUrl: `http://user:${CANARY}@127.0.0.2:8080/v1` } }), (e: unknown) => e instanceof ConfigurationError && e.kind === 'validation');
    await services.configurations.updateConfiguration(a.id, { settings: { model: 'm', baseUrl: 'http://127.0.0.2:8080/v1' }, sendStoredKeyTo: 'http://127.0.0.2:8080' });
    const entries = f.store.read((r) => r.audit.all(f.userId));
    assert.deepEqual(entries.filter((e) => e.action.startsWith('budget.')).map((e) => e.action), ['budget.create', 'budget.update', 'budget.delete']);
    assert.equal(entries.find((e) => e.action === 'budget.update')?.details.limitUsd, 7);
    const endpoint = entries.find((e) => e.action === 'configuration.endpoint');
    assert.deepEqual(endpoint?.details, { from: 'http://127.0.0.1:9/v1', to: 'http://127.0.0.2:8080/v1', confirmedSendTo: 'http://127.0.0.2:8080' });
    assert.equal(JSON.stringify(entries).includes(CANARY), false);
  });

  it('never lets a key into the export, whatever path recorded the entries', async () => {
    const a = await services.configurations.createConfiguration({ name: 'A', provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: emulator.url }, apiKey: CANARY });
    await services.providerAccess.testConfiguration(a.id);
    await services.keys.rotateApiKey(a.id, ROTATED);
    await services.keys.rotateApiKey(a.id);
    await services.configurations.duplicateConfiguration(a.id);
    await budgets.saveBudget({ name: 'Tiny', period: 'month', limitTokens: 1, hardStop: true, configurationId: a.id });
    await tracker.recordUsage({ configurationId: a.id, outcome: 'success', usage: { input: 10, output: 10 } });
    await services.providerAccess.testConfiguration(a.id).catch(() => undefined);
    await services.providerAccess.testDraft({ provider: 'openai', settings: { model: 'gpt-4o-mini', baseUrl: emulator.url }, apiKey: CANARY }).catch(() => undefined);
    await services.configurations.deleteConfiguration(a.id);
    await settle();
    const rows = auditExportRows(f.store.read((r) => r.audit.all(f.userId)), () => undefined);
    assert.ok(rows.length >= 8, `expected an entry per action, got ${String(rows.length)}`);
    for (const format of ['csv', 'jsonl'] as const) {
      const text = auditExport(format, rows);
      assert.equal(text.includes('sk-canary-'), false, `the ${format} export holds a key`);
      assert.equal(text.includes('mm1.'), false, `the ${format} export holds a sealed key`);
    }
  });

  it('prunes entries older than the retention, from the start of today (UTC), and keeps the rest', async () => {
    await f.store.write((r) => {
      r.audit.record(f.userId, 'old', 'user', null);
    });
    f.clock.now += 20 * 86_400_000;
    await f.store.write((r) => {
      r.audit.record(f.userId, 'middle', 'user', null);
    });
    f.clock.now += 11 * 86_400_000;
    assert.equal(await audit.prune(), 1);
    assert.deepEqual(actions(), ['middle']);
    assert.equal(new AuditRecorder({ store: f.store, userId: f.userId, logger: capturingLogger(), now: () => new Date(f.clock.now), retentionDays: 0 }).retentionDays, 1, 'at least a day is kept');
  });
});

import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { openStore } from '../../src/core/store';
import { formatUsd } from '../../src/protocol/money';
import type { RequestLogEntry } from '../../src/core/store';
import { startOllamaEmulator, type OllamaEmulator } from '../emulators';
import { TEST_CLOCK_START } from '../host/clock';
import { projectRoot } from '../host/paths';
import { expect } from './expect';
import { workbench } from './hooks';
import { toggleTheme, type Workbench } from './workbench';
import { until } from '../helpers/until';

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Seeded {
  readonly name: string;
  readonly provider: string;
  readonly model: string;
  /** Loopback only: '' is the Ollama emulator, port 9 has nothing listening (those checks fail, offline). */
  readonly baseUrl: string;
  readonly config: Record<string, unknown>;
  /** USD per token, in and out, and the price source the row records. */
  readonly price: readonly [number, number, string];
  /** Requests per day at most; latency scale in ms; error share. */
  readonly perDay: number;
  readonly latency: number;
  readonly errors: number;
}

const SEEDED: readonly Seeded[] = [
  { name: 'Team GPT', provider: 'openai-compatible', model: 'gpt-4.1-mini', baseUrl: 'http://127.0.0.1:9/v1', config: { inputPricePerMTok: 0.4, outputPricePerMTok: 1.6 }, price: [0.4e-6, 1.6e-6, 'override'], perDay: 60, latency: 900, errors: 0.04 },
  { name: 'Claude review', provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: 'http://127.0.0.1:9', config: {}, price: [3e-6, 15e-6, '@pydantic/genai-prices'], perDay: 25, latency: 2400, errors: 0.08 },
  { name: 'Gemini Flash', provider: 'gemini', model: 'gemini-2.5-flash', baseUrl: 'http://127.0.0.1:9', config: {}, price: [0.3e-6, 2.5e-6, '@pydantic/genai-prices'], perDay: 40, latency: 700, errors: 0.02 },
  { name: 'Local Llama', provider: 'ollama', model: 'gemma3:1b', baseUrl: '', config: {}, price: [0, 0, 'local'], perDay: 35, latency: 350, errors: 0.01 },
];

/** Deterministic, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 30 days of requests per configuration: busier on weekdays, some errors, long-tailed latencies. */
function generate(ids: readonly string[], userId: string, now: number): RequestLogEntry[] {
  const next = random(7);
  const today = Math.floor(now / DAY) * DAY;
  // Rows near the 24-hour window's start are left out, so an hour turning during the test moves none across it.
  const edge = Math.floor(now / HOUR) * HOUR + HOUR - 24 * HOUR;
  const entries: RequestLogEntry[] = [];
  SEEDED.forEach((c, n) => {
    for (let day = 29; day >= 0; day--) {
      const start = today - day * DAY;
      const weekday = new Date(start).getUTCDay() % 6 === 0 ? 0.4 : 1;
      const count = Math.round(c.perDay * weekday * (0.6 + 0.4 * next()));
      for (let i = 0; i < count; i++) {
        const at = start + Math.floor(next() * DAY);
        if (at > now - 5 * 60_000 || Math.abs(at - edge) < 90 * 60_000) continue;
        const failed = next() < c.errors;
        const input = failed ? 0 : 200 + Math.floor(next() * 3000);
        const output = failed ? 0 : 50 + Math.floor(next() * 800);
        const cached = failed || next() < 0.5 ? 0 : Math.floor(input * 0.5);
        const latency = Math.round(c.latency * (0.5 + next()) * (next() < 0.05 ? 4 : 1));
        entries.push({
          userId, configurationId: ids[n] ?? '', startedAt: new Date(at).toISOString(), provider: c.provider, model: c.model,
          outcome: failed ? 'error' : 'success', errorCode: failed ? 'rate_limit_exceeded' : null, inputTokens: input, outputTokens: output,
          cachedTokens: cached, costUsd: input * c.price[0] + output * c.price[1], latencyMs: latency, ttftMs: failed ? null : Math.round(latency / 4),
          reason: 'chat', priceSource: failed ? null : c.price[2],
        });
      }
    }
  });
  // The latest request of Team GPT carried OpenAI's rate-limit headers.
  const teamGpt = entries.filter((e) => e.configurationId === ids[0]).sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
  if (teamGpt) {
    const state = { observedAt: teamGpt.startedAt, requests: { limit: 5000, remaining: 4990, resetsAt: new Date(now + 365 * DAY).toISOString() } };
    entries[entries.indexOf(teamGpt)] = { ...teamGpt, rateLimit: JSON.stringify(state) };
  }
  return entries;
}

/** The extension's database, once it has written it (it opens the store on the panel's first request). */
async function findDatabase(folder: string): Promise<string> {
  const file = await until(`model-manager.sqlite below ${folder}`, () => readdirSync(folder, { recursive: true, withFileTypes: true }).find((d) => d.isFile() && d.name === 'model-manager.sqlite'), { timeoutMs: 20_000, intervalMs: 250 });
  return join(file.parentPath, file.name);
}

/** Writes the configurations and their 30 days of requests with the core's own store API, as another window would. */
async function seed(wb: Workbench, ollama: OllamaEmulator): Promise<{ ids: string[]; entries: RequestLogEntry[] }> {
  const opened = await openStore({ filePath: await findDatabase(wb.userDataDir), wasmPath: join(projectRoot, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm') });
  if (!opened.ok) throw new Error(opened.problem.message);
  const { store } = opened;
  try {
    const user = await store.write((r) => r.users.ensureLocalUser());
    const ids: string[] = [];
    for (const c of SEEDED) {
      const created = await store.write((r) =>
        r.configurations.create(user.id, { name: c.name, provider: c.provider, model: c.model, baseUrl: c.baseUrl === '' ? ollama.url : c.baseUrl, config: c.config, isActive: true }),
      );
      ids.push(created.id);
    }
    const entries = generate(ids, user.id, Date.parse(TEST_CLOCK_START));
    await store.write((r) => {
      r.requestLog.insertMany(entries);
    });
    return { ids, entries };
  } finally {
    await store.close();
  }
}

/** Removes what the test added, so the tests after it see the workbench as they expect it. */
async function unseed(wb: Workbench, ids: readonly string[]): Promise<void> {
  const opened = await openStore({ filePath: await findDatabase(wb.userDataDir), wasmPath: join(projectRoot, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm') });
  if (!opened.ok) throw new Error(opened.problem.message);
  try {
    await opened.store.write((r) => {
      const user = r.users.ensureLocalUser();
      for (const id of ids) r.configurations.delete(user.id, id);
      for (const budget of r.budgets.list(user.id)) if (budget.name === 'Team monthly') r.budgets.delete(user.id, budget.id);
    });
  } finally {
    await opened.store.close();
  }
}

function windowOf(period: '24h' | '7d' | '30d', now: number): [number, number] {
  if (period === '24h') {
    const to = Math.floor(now / HOUR) * HOUR + HOUR;
    return [to - 24 * HOUR, to];
  }
  const to = Math.floor(now / DAY) * DAY + DAY;
  return [to - (period === '7d' ? 7 : 30) * DAY, to];
}

const count = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
// Money is written by the one rule (unit-tested in test/unit/protocol/money.test.ts).
const usd = formatUsd;
const percent = (f: number): string => `${(f * 100).toLocaleString('en-US', { maximumFractionDigits: 1 })} %`;

/** What the dashboard's table must show for one configuration over a window, computed here from the seeded rows. */
function expectedRow(entries: readonly RequestLogEntry[], id: string, [from, to]: [number, number]): string[] {
  const rows = entries.filter((e) => e.configurationId === id && Date.parse(e.startedAt) >= from && Date.parse(e.startedAt) < to);
  const total = (f: (e: RequestLogEntry) => number): number => rows.reduce((s, e) => s + f(e), 0);
  const errors = rows.filter((e) => e.outcome === 'error').length;
  return [
    count(rows.length),
    count(total((e) => e.inputTokens ?? 0)),
    count(total((e) => e.outputTokens ?? 0)),
    count(total((e) => e.cachedTokens ?? 0)),
    usd(total((e) => e.costUsd ?? 0)),
    rows.length > 0 ? percent(errors / rows.length) : '—',
  ];
}

async function shownRow(view: FrameLocator, name: string): Promise<string[]> {
  const cells = (await view.locator(`tr[data-configuration="${name}"] td`).allInnerTexts()).map((t) => t.replace(/\u00a0/g, ' ').trim());
  // provider, requests, in, out, cached, cost, p50, p95, error rate, price, quota
  return [cells[1], cells[2], cells[3], cells[4], cells[5], cells[8]].map((c) => c ?? '');
}

async function choosePeriod(view: FrameLocator, label: string, expectedFrom: number): Promise<void> {
  await view.locator('.segment', { hasText: label }).click();
  await expect(view.locator('#usage-totals .range')).toContainText(new Date(expectedFrom).toISOString().slice(0, 16).replace('T', ' '));
}

describe('the usage dashboard', function () {
  this.timeout(240_000);
  let ollama: OllamaEmulator;
  let seededIds: string[] = [];

  before(async () => {
    ollama = await startOllamaEmulator();
  });

  after(async () => {
    const wb = workbench();
    await wb.runCommand('View: Close All Editors', { ifOffered: true });
    if (!(await wb.page.locator('.part.sidebar').isVisible())) await wb.runCommand('View: Toggle Primary Side Bar Visibility', { ifOffered: true });
    if (seededIds.length > 0) {
      await unseed(wb, seededIds);
      // The tree reads the file again when it lists: its Refresh action shows the seed gone (the welcome view).
      await wb.openView();
      await wb.page.locator('.part.sidebar .action-label[aria-label="Refresh"]').first().click();
      await expect(wb.page.locator('.welcome-view-content')).toContainText(/Add a configuration/);
      // Nothing to test: the view's title no longer offers Test All Connections.
      await untilCount(wb.page.locator('.part.sidebar .action-label[aria-label="Test All Connections"]'), (n) => n === 0, 'Test All Connections is still offered with no configurations');
    }
    await ollama.close();
  });

  it('shows 30 days of seeded usage per configuration and period, exports it as CSV, checks health, in light and dark', async () => {
    const wb = workbench();
    // Chromium reports every refusal of the webview's CSP on the console of the frame that caused it.
    const refusals: string[] = [];
    const onConsole = (message: { text(): string }): void => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
    };
    wb.page.on('console', onConsole);
    // Opening the panel makes the extension create its database; then the seed is written beside it.
    await wb.runCommand('Model Manager: Open Model Manager');
    // Run alone, this is the window's first webview: the extension activates and the page loads for the first time.
    await expect(wb.webview().getByRole('heading', { name: 'Model Manager' })).toBeVisible(60_000);
    const { ids, entries } = await seed(wb, ollama);
    seededIds = ids;
    assert.ok(entries.length > 3000, `only ${String(entries.length)} rows were generated`);
    // With configurations, the view's title offers Test All Connections.
    await wb.openView();
    await wb.page.locator('.part.sidebar .action-label[aria-label="Refresh"]').first().click();
    await untilCount(wb.page.locator('.part.sidebar .action-label[aria-label="Test All Connections"]'), (n) => n > 0, 'Test All Connections is not offered with configurations');

    // The Model Manager editor goes to a background tab (the Settings editor in front of it: a text editor would
    // make VS Code's chat ask the seeded servers for their models, adding requests); the palette's Open Usage
    // Dashboard must bring it forward on the dashboard, not on the configuration list it was showing.
    await wb.runCommand('Preferences: Open Settings (UI)');
    await wb.page.locator('.tab.active', { hasText: 'Settings' }).waitFor();
    await wb.runCommand('Model Manager: Open Usage Dashboard');
    const view = wb.webview();
    await expect(view.getByRole('heading', { name: 'Usage', exact: true })).toBeVisible();
    await expect(view.locator('tr[data-configuration="Team GPT"]')).toBeVisible();
    // The extension's clock started at TEST_CLOCK_START a few minutes ago: the same hour and day.
    const now = Date.parse(TEST_CLOCK_START);

    for (const [period, label] of [['30d', 'Last 30 days'], ['7d', 'Last 7 days'], ['24h', 'Last 24 hours']] as const) {
      const window = windowOf(period, now);
      await choosePeriod(view, label, window[0]);
      for (const [i, c] of SEEDED.entries()) {
        const expected = expectedRow(entries, ids[i] ?? '', window);
        const deadline = Date.now() + 10_000;
        let shown = await shownRow(view, c.name);
        while (JSON.stringify(shown) !== JSON.stringify(expected) && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 200));
          shown = await shownRow(view, c.name);
        }
        assert.deepEqual(shown, expected, `${c.name} over ${period}`);
      }
      // The charts drew one point per bucket and series.
      const buckets = period === '24h' ? 24 : period === '7d' ? 7 : 30;
      const points = Number(await view.locator('#chart-latency').getAttribute('data-points'));
      assert.equal(points, buckets * 2, `latency chart points over ${period}`);
    }

    // A custom range of whole days (the end date inclusive) gives the same figures as the last 7 days.
    const week = windowOf('7d', now);
    await view.locator('.segment', { hasText: 'Custom' }).click();
    await view.locator('input[type="date"]').first().fill(new Date(week[0]).toISOString().slice(0, 10));
    await view.locator('input[type="date"]').nth(1).fill(new Date(week[1] - DAY).toISOString().slice(0, 10));
    await view.locator('.custom-range vscode-button', { hasText: 'Apply' }).click();
    await expect(view.locator('#usage-totals .range')).toContainText(new Date(week[0]).toISOString().slice(0, 16).replace('T', ' '));
    await expect(view.locator('tr[data-configuration="Gemini Flash"]')).toContainText(expectedRow(entries, ids[2] ?? '', week)[0] ?? '?');
    assert.deepEqual(await shownRow(view, 'Gemini Flash'), expectedRow(entries, ids[2] ?? '', week), 'Gemini Flash over the custom range');

    await choosePeriod(view, 'Last 30 days', windowOf('30d', now)[0]);
    // The price column stays one short word per row (the rows do not grow); the whole description is its tooltip.
    const priceCells = view.locator('tr[data-configuration] td.price');
    const priceTexts = await priceCells.allInnerTexts();
    const priceTitles = await priceCells.evaluateAll((cells) => cells.map((c) => c.getAttribute('title') ?? ''));
    assert.ok(priceTexts.includes('Your price') && priceTexts.includes('Local, free') && priceTexts.includes('Catalog'), `price column: ${priceTexts.join(' | ')}`);
    assert.ok(priceTitles.some((t) => t.includes('your price override')), `price tooltips: ${priceTitles.join(' | ')}`);
    assert.ok(priceTitles.some((t) => /^catalog price \(.+\)$/.test(t)), `price tooltips: ${priceTitles.join(' | ')}`);
    const rowHeights = await view.locator('tr[data-configuration]').evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    assert.ok(Math.max(...rowHeights) < 1.6 * Math.min(...rowHeights), `every configuration row one line high: ${rowHeights.join(', ')}`);
    await expect(view.locator('tr[data-configuration="Team GPT"]')).toContainText('4,990 of 5,000 requests');
    assert.equal(await view.locator('.chart canvas').count() >= 5, true, 'five charts drawn');

    // Stacked by provider: one series per provider in the legend.
    await view.locator('.segment', { hasText: 'Stacked by provider' }).click();
    await expect(view.locator('#chart-requests .u-legend')).toContainText('Anthropic');
    await expect(view.locator('#chart-requests .u-legend')).toContainText('OpenAI-compatible API');
    assert.doesNotMatch(await view.locator('#chart-requests .u-legend').innerText(), /openai-compatible/);
    await view.locator('.segment', { hasText: 'Per configuration' }).click();
    await expect(view.locator('#chart-requests .u-legend')).toContainText('Claude review');

    // CSV of what is shown, saved where the user says (VS Code's own save dialog).
    await view.locator('vscode-button', { hasText: 'Export CSV' }).click();
    const dialogInput = wb.page.locator('.quick-input-widget .quick-input-box input');
    await dialogInput.waitFor({ timeout: 15_000 });
    await dialogInput.press('Enter');
    await expect(view.locator('.notice')).toContainText(/Saved model-manager-usage-.*\.csv/);
    const csvName = readdirSync(wb.workspaceFolder).find((f) => f.startsWith('model-manager-usage-') && f.endsWith('.csv'));
    assert.ok(csvName, 'the CSV file was written into the workspace folder');
    const csv = readFileSync(join(wb.workspaceFolder, csvName), 'utf8').trim().split('\r\n');
    assert.equal(csv[0], 'period start (UTC),group,provider,requests,input tokens,output tokens,cached tokens,cost (USD),errors,error rate,p50 latency (ms),p95 latency (ms)');
    const window30 = windowOf('30d', now);
    const teamRows = csv.filter((line) => line.split(',')[1] === 'Team GPT');
    const csvRequests = teamRows.reduce((s, line) => s + Number(line.split(',')[3]), 0);
    assert.equal(count(csvRequests), expectedRow(entries, ids[0] ?? '', window30)[0]);
    assert.ok(!/sk-|AIza/.test(csv.join('\n')), 'no key-like text in the CSV');

    // Health: Check now reaches the Ollama emulator; the others have no key or no server.
    await view.locator('vscode-button', { hasText: 'Check now' }).click();
    await expect(view.locator('.health-table tr[data-configuration="Local Llama"]')).toContainText('Healthy');
    await expect(view.locator('.health-table tr[data-configuration="Team GPT"]')).toContainText('Unhealthy');
    // The table names providers as the user knows them.
    await expect(view.locator('tr[data-configuration="Claude review"] td').first()).toContainText('Anthropic');

    // At a normal editor width (730 px), in both themes: nothing clipped, the wide table scrolls, one line per check.
    await atEditorWidth(wb, 730, async () => {
      for (let i = 0; i < 2; i++) {
        const name = (await wb.page.locator('.monaco-workbench.vs-dark').count()) > 0 ? 'dark' : 'light';
        await view.locator('.segment', { hasText: 'Stacked by provider' }).click();
        await view.locator('#usage-by-configuration').scrollIntoViewIfNeeded();
        const layout = await measureLayout(view);
        assert.ok(layout.editorWidth >= 700 && layout.editorWidth <= 760, `the editor is ${String(layout.editorWidth)} px wide`);
        assert.ok(layout.pageFits, `${name}: the page is wider than the editor (${JSON.stringify(layout)})`);
        for (const t of layout.tables) assert.ok(t.fits || t.scrolls, `${name}: a table is clipped without a scrollbar (${JSON.stringify(t)})`);
        assert.ok(layout.lastColumnReachable, `${name}: the last column of "By configuration" cannot be scrolled into view (${JSON.stringify(layout)})`);
        assert.equal(layout.lastCheckLines, 1, `${name}: "Last check" of Team GPT takes ${String(layout.lastCheckLines)} lines`);
        for (const c of layout.legendContrast) assert.ok(c.ratio >= 3, `${name}: the series "${c.label}" (${c.color}) has contrast ${c.ratio.toFixed(2)} on ${layout.background}`);
        assert.ok(layout.legendContrast.length >= 3, `the legends were measured: ${JSON.stringify(layout.legendContrast)}`);
        await wb.screenshot(`usage-dashboard-730px-table-${name}`);
        await view.locator('#chart-requests').scrollIntoViewIfNeeded();
        await new Promise((r) => setTimeout(r, 300));
        await wb.screenshot(`usage-dashboard-730px-charts-${name}`);
        await view.locator('.health-table').scrollIntoViewIfNeeded();
        await new Promise((r) => setTimeout(r, 300));
        await wb.screenshot(`usage-dashboard-730px-health-${name}`);
        await toggleTheme(wb);
      }
      await view.locator('.segment', { hasText: 'Per configuration' }).click();
    });

    // A budget with a field error first, then saved.
    await view.locator('vscode-button', { hasText: 'Add budget' }).click();
    // The extension's check: a budget needs a name (the message sits next to the field).
    await view.locator('#budget-limitUsd').fill('10');
    await view.locator('.budget-form vscode-button', { hasText: 'Save budget' }).click();
    await expect(view.locator('#budget-name-error')).toContainText('Give the budget a name.');
    await view.locator('#budget-name').fill('Team monthly');
    await view.locator('#budget-limitUsd').fill('-5');
    await view.locator('.budget-form vscode-button', { hasText: 'Save budget' }).click();
    await expect(view.locator('#budget-limitUsd-error')).toContainText('Enter a number above 0');
    await view.locator('#budget-limitUsd').fill('250');
    await view.locator('.budget-form vscode-button', { hasText: 'Save budget' }).click();
    await expect(view.locator('tr[data-budget="Team monthly"]')).toContainText('$250.00');
    // Edit: the hard stop on.
    await view.locator('tr[data-budget="Team monthly"] vscode-button', { hasText: 'Edit' }).click();
    await view.locator('.budget-form input[type="checkbox"]').check();
    await view.locator('.budget-form vscode-button', { hasText: 'Save budget' }).click();
    await expect(view.locator('tr[data-budget="Team monthly"] td').nth(6)).toContainText('on');

    await shoot(wb, view);
    wb.page.off('console', onConsole);
    assert.deepEqual(refusals.filter((r) => !/open-vsx|github|marketplace/i.test(r)), [], 'the dashboard broke no CSP rule');
  });
});

/** Waits up to 10 s for the number of matches to satisfy `ok`. */
async function untilCount(locator: Locator, ok: (count: number) => boolean, failure: string): Promise<void> {
  await until(failure, async () => ok(await locator.count()), { intervalMs: 200 }).catch(async () => {
    throw new Error(`${failure} (${String(await locator.count())} found)`);
  });
}

/** The editor at `width` px (side bar closed, window narrowed) while `body` runs; the window size is restored after. */
async function atEditorWidth(wb: Workbench, width: number, body: () => Promise<void>): Promise<void> {
  const viewport = wb.page.viewportSize() ?? { width: 1400, height: 900 };
  await wb.runCommand('View: Close Primary Side Bar', { ifOffered: true });
  if (await wb.page.locator('.part.auxiliarybar').isVisible()) await wb.runCommand('View: Toggle Secondary Side Bar Visibility', { ifOffered: true });
  const editor = await wb.page.locator('.part.editor').boundingBox();
  await wb.page.setViewportSize({ width: Math.round(viewport.width - ((editor?.width ?? viewport.width) - width)), height: viewport.height });
  await new Promise((r) => setTimeout(r, 800));
  try {
    await body();
  } finally {
    await wb.page.setViewportSize(viewport);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Layout {
  readonly editorWidth: number;
  readonly pageFits: boolean;
  readonly tables: { fits: boolean; scrolls: boolean; scrollWidth: number; clientWidth: number; right: number }[];
  readonly lastColumnReachable: boolean;
  readonly lastCheckLines: number;
  readonly background: string;
  readonly legendContrast: { label: string; color: string; ratio: number }[];
}

/** What a reader of the dashboard would see clipped, squeezed or pale, measured in the page. */
async function measureLayout(view: FrameLocator): Promise<Layout> {
  return view.locator('body').evaluate(async (body): Promise<Layout> => {
    const doc = body.ownerDocument;
    const win = doc.defaultView ?? window;
    const rgb = (color: string): number[] => {
      const probe = doc.createElement('span');
      probe.style.color = color;
      body.append(probe);
      const computed = win.getComputedStyle(probe).color;
      probe.remove();
      return (computed.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    };
    const lum = (c: number[]): number => {
      const f = (v: number): number => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(c[0] ?? 0) + 0.7152 * f(c[1] ?? 0) + 0.0722 * f(c[2] ?? 0);
    };
    const ratio = (a: number[], b: number[]): number => {
      const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
      return ((hi ?? 0) + 0.05) / ((lo ?? 0) + 0.05);
    };
    const background = win.getComputedStyle(doc.documentElement).getPropertyValue('--vscode-editor-background').trim();
    const tables = Array.from(doc.querySelectorAll<HTMLElement>('.table-scroll')).map((t) => {
      const overflow = win.getComputedStyle(t).overflowX;
      return { fits: t.scrollWidth <= t.clientWidth + 1, scrolls: overflow === 'auto' || overflow === 'scroll', scrollWidth: t.scrollWidth, clientWidth: t.clientWidth, right: t.getBoundingClientRect().right };
    });
    const byConfiguration = doc.querySelector<HTMLElement>('#usage-by-configuration + .table-scroll, #usage-by-configuration ~ .table-scroll');
    let lastColumnReachable = false;
    if (byConfiguration) {
      byConfiguration.scrollLeft = byConfiguration.scrollWidth;
      await new Promise((r) => setTimeout(r, 50));
      const last = byConfiguration.querySelector('thead th:last-child');
      const box = byConfiguration.getBoundingClientRect();
      const cell = last?.getBoundingClientRect();
      lastColumnReachable = cell !== undefined && cell.right <= Math.min(box.right, win.innerWidth) + 1 && cell.left >= box.left - 1;
      byConfiguration.scrollLeft = 0;
    }
    const check = doc.querySelector<HTMLElement>('.health-table tr[data-configuration="Team GPT"] td:nth-of-type(2)');
    // The lines its text is laid out on (the row may be taller for the error below the state; the date must not wrap).
    const range = doc.createRange();
    if (check) range.selectNodeContents(check);
    const lineTops = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)));
    const legendContrast = Array.from(doc.querySelectorAll<HTMLElement>('.u-legend .u-series')).map((row) => {
      const marker = row.querySelector<HTMLElement>('.u-marker');
      const color = marker ? win.getComputedStyle(marker).borderColor : '';
      return { label: row.querySelector('.u-label')?.textContent ?? '', color, ratio: ratio(rgb(color), rgb(background)) };
    }).filter((c) => c.label !== 'Time');
    return {
      editorWidth: win.innerWidth,
      pageFits: doc.documentElement.scrollWidth <= doc.documentElement.clientWidth + 1,
      tables,
      lastColumnReachable,
      lastCheckLines: check ? lineTops.size : 99,
      background,
      legendContrast,
    };
  });
}

/** The dashboard in both themes: the top (totals, table) and the charts. */
async function shoot(wb: Workbench, view: FrameLocator): Promise<void> {
  const theme = async (): Promise<string> => ((await wb.page.locator('.monaco-workbench.vs-dark, .monaco-workbench.hc-black').count()) > 0 ? 'dark' : 'light');
  // The editor gets the whole window, as when someone reads the dashboard.
  await wb.runCommand('View: Close Primary Side Bar', { ifOffered: true });
  // The bottom panel (an earlier test's log) is hidden by whichever of these commands this VS Code offers.
  for (const title of ['View: Hide Panel', 'View: Close Panel', 'View: Toggle Panel Visibility']) {
    if (await wb.page.locator('.part.panel.basepanel').isVisible()) await wb.runCommand(title, { ifOffered: true });
  }
  if (await wb.page.locator('.part.auxiliarybar').isVisible()) await wb.runCommand('View: Toggle Secondary Side Bar Visibility', { ifOffered: true });
  await new Promise((r) => setTimeout(r, 500));
  for (let i = 0; i < 2; i++) {
    await view.locator('.screen-header').scrollIntoViewIfNeeded();
    await new Promise((r) => setTimeout(r, 300));
    const name = await theme();
    await wb.screenshot(`usage-dashboard-${name}`);
    // The last chart: scrolling it into view brings the chart grid up.
    await view.locator('#chart-errors').scrollIntoViewIfNeeded();
    await new Promise((r) => setTimeout(r, 300));
    await wb.screenshot(`usage-dashboard-charts-${name}`);
    await view.locator('tr[data-budget="Team monthly"]').scrollIntoViewIfNeeded();
    await new Promise((r) => setTimeout(r, 300));
    await wb.screenshot(`usage-dashboard-budgets-${name}`);
    await toggleTheme(wb);
  }
}

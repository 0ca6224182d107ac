import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { openStore, type RequestLogEntry, type Store } from '../../src/core/store';
import { TEST_CLOCK_START } from '../host/clock';
import { projectRoot } from '../host/paths';
import { until } from '../helpers/until';
import { expect } from './expect';
import { workbench } from './hooks';
import { toggleTheme, type Workbench } from './workbench';

const CONFIGURATION = 'Client Split Ollama';
/** A configuration with no requests at all: still a budget target. */
const IDLE = 'Idle Budget Target';
/** Requests per client: VS Code's own (no client), and two local endpoint clients. */
const REQUESTS = { vscode: 3, agent: 5, scripts: 2 } as const;

/** The extension's database, once it has written it (it opens the store on the panel's first request). */
async function findDatabase(folder: string): Promise<string> {
  const file = await until(`model-manager.sqlite below ${folder}`, () => readdirSync(folder, { recursive: true, withFileTypes: true }).find((d) => d.isFile() && d.name === 'model-manager.sqlite'), { timeoutMs: 20_000, intervalMs: 250 });
  return join(file.parentPath, file.name);
}

async function withStore<T>(wb: Workbench, work: (store: Store) => Promise<T>): Promise<T> {
  const opened = await openStore({ filePath: await findDatabase(wb.userDataDir), wasmPath: join(projectRoot, 'node_modules', 'sql.js', 'dist', 'sql-wasm.wasm') });
  if (!opened.ok) throw new Error(opened.problem.message);
  try {
    return await work(opened.store);
  } finally {
    await opened.store.close();
  }
}

/** The Requests cell of the configuration's row in the dashboard's table. */
async function requestsShown(view: FrameLocator): Promise<string> {
  return ((await view.locator(`tr[data-configuration="${CONFIGURATION}"] td`).allInnerTexts())[1] ?? '').trim();
}

async function chooseClient(view: FrameLocator, label: string, requests: number): Promise<void> {
  await view.locator('.client-picker select').selectOption({ label });
  await until(`${String(requests)} requests shown for ${label}`, async () => (await requestsShown(view)) === String(requests), { timeoutMs: 15_000, intervalMs: 200 });
}

describe('the usage dashboard by client', function () {
  this.timeout(240_000);
  let configurationId = '';
  let idleId = '';
  const clientIds: string[] = [];

  after(async () => {
    const wb = workbench();
    await wb.runCommand('View: Close All Editors', { ifOffered: true });
    if (configurationId === '') return;
    await withStore(wb, (store) =>
      store.write((r) => {
        const user = r.users.ensureLocalUser();
        r.configurations.delete(user.id, configurationId);
        if (idleId !== '') r.configurations.delete(user.id, idleId);
        for (const budget of r.budgets.list(user.id)) if (budget.name.startsWith('E2E client ') || budget.name.startsWith('Client "agent"')) r.budgets.delete(user.id, budget.id);
        for (const id of clientIds) r.clients.revoke(user.id, id);
      }),
    );
  });

  it('filters the figures by client next to the period: everyone, VS Code\'s own requests, or one local endpoint client, in light and dark', async () => {
    const wb = workbench();
    await wb.runCommand('Model Manager: Open Model Manager');
    await expect(wb.webview().getByRole('heading', { name: 'Model Manager' })).toBeVisible(60_000);
    // Requests an hour before the extension's clock, written as another window would.
    await withStore(wb, (store) =>
      store.write((r) => {
        const user = r.users.ensureLocalUser();
        configurationId = r.configurations.create(user.id, { name: CONFIGURATION, provider: 'ollama', model: 'gemma3:1b', baseUrl: 'http://127.0.0.1:9', isActive: true }).id;
        idleId = r.configurations.create(user.id, { name: IDLE, provider: 'ollama', model: 'gemma3:1b', baseUrl: 'http://127.0.0.1:9', isActive: true }).id;
        const agent = r.clients.insert({ id: 'e2e-client-agent', userId: user.id, name: 'agent', scope: 'chat', tokenHash: 'c'.repeat(64) });
        const scripts = r.clients.insert({ id: 'e2e-client-scripts', userId: user.id, name: 'scripts', scope: 'chat', tokenHash: 'd'.repeat(64) });
        clientIds.push(agent.id, scripts.id);
        const at = Date.parse(TEST_CLOCK_START) - 3_600_000;
        const entries: RequestLogEntry[] = [];
        for (const [clientId, count] of [[null, REQUESTS.vscode], [agent.id, REQUESTS.agent], [scripts.id, REQUESTS.scripts]] as const) {
          for (let i = 0; i < count; i++) {
            entries.push({
              userId: user.id, configurationId, startedAt: new Date(at + entries.length * 1000).toISOString(), provider: 'ollama', model: 'gemma3:1b',
              outcome: 'success', inputTokens: 100, outputTokens: 20, cachedTokens: 0, costUsd: 0, latencyMs: 300, ttftMs: 80, reason: 'chat', priceSource: 'local', clientId,
            });
          }
        }
        r.requestLog.insertMany(entries);
      }),
    );

    await wb.runCommand('View: Close All Editors', { ifOffered: true });
    await wb.runCommand('Model Manager: Open Usage Dashboard');
    const view = wb.webview();
    await expect(view.getByRole('heading', { name: 'Usage', exact: true })).toBeVisible();
    const total = REQUESTS.vscode + REQUESTS.agent + REQUESTS.scripts;
    await until(`${String(total)} requests shown`, async () => (await requestsShown(view)) === String(total), { timeoutMs: 15_000, intervalMs: 200 });
    const options = await view.locator('.client-picker select option').allInnerTexts();
    for (const name of ['All clients', 'VS Code', 'agent', 'scripts']) assert.ok(options.includes(name), `the client list offers ${name} (it offers ${options.join(', ')})`);

    await chooseClient(view, 'VS Code', REQUESTS.vscode);
    await chooseClient(view, 'scripts', REQUESTS.scripts);
    await chooseClient(view, 'agent', REQUESTS.agent);
    // The totals and the charts follow the client too.
    await expect(view.locator('#usage-totals')).toContainText(String(REQUESTS.agent));
    await wb.screenshot('review-usage-by-client-light');
    await toggleTheme(wb);
    await wb.screenshot('review-usage-by-client-dark');
    await toggleTheme(wb);
    await chooseClient(view, 'All clients', total);
  });

  it('offers every configuration (one without requests too) and each endpoint client as a budget target, and saves a budget of one client', async () => {
    const wb = workbench();
    const view = wb.webview();
    await view.locator('vscode-button', { hasText: 'Add budget' }).click();
    const targets = await view.locator('#budget-scope option').allInnerTexts();
    for (const name of ['All configurations', CONFIGURATION, IDLE]) assert.ok(targets.includes(name), `"Applies to" offers ${name} (it offers ${targets.join(', ')})`);
    const clients = await view.locator('#budget-client option').allInnerTexts();
    for (const name of ['agent', 'scripts']) assert.ok(clients.includes(name), `the budget form offers the client ${name} (it offers ${clients.join(', ')})`);
    await view.locator('#budget-name').fill('E2E client agent');
    await view.locator('#budget-client').selectOption({ label: 'agent' });
    await view.locator('#budget-limitTokens').fill('1000');
    await wb.screenshot('review-budget-form-clients');
    await view.locator('.budget-form vscode-button', { hasText: 'Save budget' }).click();
    // Five requests of 120 tokens each from "agent": 600 of 1,000.
    const row = view.locator('tr[data-budget="E2E client agent"]');
    await expect(row).toContainText('client "agent"');
    await expect(row).toContainText('60 %');
  });

  it('shows a budget set from the palette while the dashboard is open, without Refresh', async () => {
    const wb = workbench();
    const view = wb.webview();
    await expect(view.getByRole('heading', { name: 'Usage', exact: true })).toBeVisible();
    await wb.runCommandAnswering('Model Manager: Set Budget…', [{ pick: 'Client "scripts"' }, { pick: 'Daily' }, { type: '3' }, { type: '' }, { pick: 'Warn only' }]);
    await wb.notification(/Budget "Client "scripts" · Daily" saved/);
    await wb.dismissNotifications();
    await expect(view.locator('tr[data-budget="Client \\"scripts\\" · Daily"]')).toContainText('$3.00');
  });
});

import * as vscode from 'vscode';
import { DisposableStore } from '../../core/lifecycle';
import type { ModelInfo, ProviderSummary } from '../../core/providers';
import type { AIConfiguration, UsageTotals } from '../../core/store';
import type { HealthStatus } from '../../core/usage';
import type { ServiceHost } from '../ServiceHost';
import type { StoreSession } from '../../core/session';
import { budgetUri, type BudgetBadge, type BudgetDecorations } from './budgetDecorations';
import { routeGroupChildren, routeGroupItem, routeGroupsRoot, type RouteGroupNode } from './routeGroupNodes';
import { errorMessage } from '../../core/errors';

export type TreeNode =
  | { readonly kind: 'provider'; readonly provider: ProviderSummary; readonly count: number }
  | {
      readonly kind: 'configuration';
      readonly configuration: AIConfiguration;
      /** Worked out once per listing, not once per item: each would be a read of the store. */
      readonly active?: boolean;
      readonly usage?: UsageTotals | undefined;
      readonly health?: HealthStatus | undefined;
      /** A key is stored but cannot be opened (lost or locked master key): no earlier test result counts then. */
      readonly keyLocked?: boolean;
    }
  | { readonly kind: 'model'; readonly configuration: AIConfiguration; readonly model: ModelInfo }
  | RouteGroupNode;

/**
 * Provider → configurations → (for Ollama) installed models. The store opens when the view is first shown;
 * while there are no configurations VS Code shows the welcome content (package.json, viewsWelcome).
 */
export class ConfigurationsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Configurations whose connection test is running: shown with a spinner. */
  private readonly testing = new Set<string>();
  private readonly disposables = new DisposableStore();

  constructor(
    private readonly services: ServiceHost,
    private readonly log: vscode.LogOutputChannel,
    private readonly budgets?: BudgetDecorations,
  ) {
    this.disposables.add(
      services.onSession((session, scope) => {
        const refresh = (): void => {
          this.refresh();
        };
        scope.add(session.configurations.onDidChange(refresh));
        scope.add(session.routeGroups.onDidChange(refresh));
        // Members entering or leaving cooldown, or paused by a budget, show without a refresh.
        scope.add(session.router.onDidChangeMemberState(refresh));
        this.refresh();
      }),
    );
  }

  setTesting(id: string, running: boolean): void {
    if (running) this.testing.add(id);
    else this.testing.delete(id);
    this.refresh();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'provider': {
        const item = new vscode.TreeItem(node.provider.displayName, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `provider:${node.provider.id}`;
        item.description = String(node.count);
        item.contextValue = `provider:${node.provider.id}`;
        item.iconPath = new vscode.ThemeIcon('server-environment');
        return item;
      }
      case 'configuration':
        return this.configurationItem(node.configuration, node.active === true, node.usage, node.health, node.keyLocked === true);
      case 'model': {
        const item = new vscode.TreeItem(node.model.id, vscode.TreeItemCollapsibleState.None);
        item.id = `model:${node.configuration.id}:${node.model.id}`;
        item.contextValue = 'ollamaModel';
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        if (node.model.contextWindow) item.description = vscode.l10n.t('{0} tokens context', node.model.contextWindow.toLocaleString('en-US'));
        return item;
      }
      case 'routeGroups':
      case 'routeGroup':
      case 'routeMember':
        return routeGroupItem(node);
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    let session: StoreSession;
    try {
      session = await this.services.open();
    } catch (error) {
      // ServiceHost has already told the user what went wrong and how to fix it.
      this.log.error(`Could not list configurations: ${messageOf(error)}`);
      return [];
    }
    if (!node) {
      const providers = await this.providers(session);
      // Route groups are made of configurations: with none, the welcome content shows instead.
      return providers.length === 0 ? providers : [...providers, routeGroupsRoot(session)];
    }
    if (node.kind === 'routeGroups' || node.kind === 'routeGroup') return routeGroupChildren(session, node);
    if (node.kind === 'provider') {
      const { configurations } = session;
      const activeId = configurations.getActiveConfiguration()?.id;
      const usage = safeUsage(session);
      const health = new Map(session.health.summary().map((h) => [h.configurationId, h]));
      return configurations
        .listConfigurations()
        .filter((c) => c.provider === node.provider.id)
        .map((configuration) => ({
          kind: 'configuration',
          configuration,
          active: configuration.id === activeId,
          usage: usage?.get(configuration.id),
          health: health.get(configuration.id),
          keyLocked: keyLocked(configurations, configuration),
        }));
    }
    if (node.kind === 'configuration' && node.configuration.provider === 'ollama') {
      try {
        const models = await session.configurations.listModels(node.configuration.id);
        return models.map((model) => ({ kind: 'model', configuration: node.configuration, model }));
      } catch (error) {
        this.log.warn(`Could not list the models of "${node.configuration.name}": ${messageOf(error)}`);
        return [];
      }
    }
    return [];
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
    this.disposables.dispose();
  }

  private async providers(session: StoreSession): Promise<TreeNode[]> {
    this.updateBudgetBadges(session);
    const all = session.configurations.listConfigurations();
    if (all.length === 0) return [];
    const providers = await session.providers.list();
    return providers
      .map((provider) => ({ kind: 'provider' as const, provider, count: all.filter((c) => c.provider === provider.id).length }))
      .filter((p) => p.count > 0);
  }

  /** Each configuration's most used budget of its own (budgets over all configurations are in the view's title). */
  private updateBudgetBadges(session: StoreSession): void {
    if (!this.budgets) return;
    const badges = new Map<string, BudgetBadge>();
    try {
      for (const status of session.budgets.status()) {
        const id = status.budget.configurationId;
        if (id === null) continue;
        const percent = status.fraction * 100;
        if (percent > (badges.get(id)?.percent ?? -1)) badges.set(id, { percent, budgetName: status.budget.name });
      }
    } catch (error) {
      this.log.warn(`Could not read the budgets: ${messageOf(error)}`);
    }
    this.budgets.update(badges);
  }

  private configurationItem(c: AIConfiguration, active: boolean, usage: UsageTotals | undefined, health: HealthStatus | undefined, locked: boolean): vscode.TreeItem {
    const isOllama = c.provider === 'ollama';
    const item = new vscode.TreeItem(c.name, isOllama ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `configuration:${c.id}`;
    const unreachable = health?.state === 'unhealthy';
    item.description = [c.model, active ? vscode.l10n.t('active') : undefined, c.isActive ? undefined : vscode.l10n.t('disabled'), locked ? vscode.l10n.t('key cannot be opened') : undefined, unreachable && !locked ? vscode.l10n.t('unreachable') : undefined]
      .filter(Boolean)
      .join(' · ');
    item.contextValue = `configuration:${c.provider}${active ? ':active' : ''}`;
    item.iconPath = locked
      ? new vscode.ThemeIcon('lock', new vscode.ThemeColor('problemsWarningIcon.foreground'))
      : unreachable && !this.testing.has(c.id) ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('testing.iconFailed')) : this.statusIcon(c);
    item.resourceUri = budgetUri(c.id);
    item.tooltip = tooltip(c, usage, health);
    item.command = { command: 'modelManager.editConfiguration', title: vscode.l10n.t('Edit'), arguments: [{ kind: 'configuration', configuration: c }] };
    item.accessibilityInformation = { label: `${c.name}, ${c.provider} ${c.model}, ${locked ? vscode.l10n.t('stored API key cannot be opened') : statusText(c)}` };
    return item;
  }

  private statusIcon(c: AIConfiguration): vscode.ThemeIcon {
    if (this.testing.has(c.id)) return new vscode.ThemeIcon('loading~spin');
    if (c.testStatus === 'success') return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    if (c.testStatus === 'failed') return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    return new vscode.ThemeIcon('circle-large-outline');
  }
}

function keyLocked(configurations: StoreSession['configurations'], c: AIConfiguration): boolean {
  if (!c.encryptedApiKey) return false;
  try {
    return !configurations.describeApiKey(c.id).readable;
  } catch {
    return true;
  }
}

function statusText(c: AIConfiguration): string {
  if (c.testStatus === 'success') return vscode.l10n.t('last test passed');
  if (c.testStatus === 'failed') return vscode.l10n.t('last test failed');
  return vscode.l10n.t('never tested');
}

function tooltip(c: AIConfiguration, usage: UsageTotals = emptyUsage, health?: HealthStatus): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(c.name)}** — ${escape(c.provider)} · \`${escape(c.model)}\`\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Endpoint')}: ${escape(c.baseUrl ?? vscode.l10n.t('provider default'))}\n\n`);
  const tested = c.lastTestedAt ? new Date(c.lastTestedAt).toLocaleString() : undefined;
  md.appendMarkdown(`${vscode.l10n.t('Last test')}: ${tested ? `${statusText(c)} (${tested})` : vscode.l10n.t('never tested')}\n\n`);
  if (health?.lastCheckedAt) {
    const when = new Date(health.lastCheckedAt).toLocaleString();
    md.appendMarkdown(
      health.state === 'healthy'
        ? `${vscode.l10n.t('Health check')}: ${vscode.l10n.t('answered in {0} ms ({1})', Math.round(health.latencyMs ?? 0), when)}\n\n`
        : `${vscode.l10n.t('Health check')}: ${vscode.l10n.t('failed ({0}): {1}', when, escape(health.error ?? ''))}\n\n`,
    );
  }
  md.appendMarkdown(
    vscode.l10n.t('This month: {0} requests, {1} tokens, ${2}', usage.requestCount, usage.totalTokens.toLocaleString('en-US'), usage.costUsd.toFixed(4)),
  );
  return md;
}

const emptyUsage: UsageTotals = { requestCount: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, totalTokens: 0, costUsd: 0, errorCount: 0, latencyMsSum: 0, latencyCount: 0 };

function safeUsage(session: StoreSession): ReadonlyMap<string, UsageTotals> | undefined {
  try {
    return session.configurations.getUsageStatsByConfiguration('month');
  } catch {
    return undefined;
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

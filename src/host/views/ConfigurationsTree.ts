import * as vscode from 'vscode';
import { requestCount } from '../counts';
import { formatUsd } from '../../protocol/money';
import { DisposableStore } from '../../core/lifecycle';
import type { ModelInfo, ProviderSummary } from '../../core/providers';
import type { AIConfiguration, UsageTotals } from '../../core/store';
import type { HealthStatus } from '../../core/usage';
import type { ServiceHost } from '../ServiceHost';
import type { StoreSession } from '../../core/session';
import { budgetUri, type BudgetBadge, type BudgetDecorations } from './budgetDecorations';
import { configurationStates, type ConfigurationState } from '../../core/services/configurationState';
import { providerDisplayName } from '../../core/providers/displayNames';
import { stateIcon, stateText } from './configurationStateItems';
import { routeGroupChildren, routeGroupItem, routeGroupsRoot, type RouteGroupNode } from './routeGroupNodes';
import { errorMessage } from '../../core/errors';
import { endpointChildren, endpointItem, endpointRoot, type EndpointNode, type EndpointView } from './endpointNodes';
import type { GatewayBudgetState } from '../../core/gateways/GatewayBudgets';
import { gatewayBudgetLine } from './gatewayBudgetText';

export type TreeNode =
  | { readonly kind: 'provider'; readonly provider: ProviderSummary; readonly count: number }
  | {
      readonly kind: 'configuration';
      readonly configuration: AIConfiguration;
      /** Worked out once per listing, not once per item: each would be a read of the store. */
      readonly active?: boolean;
      readonly usage?: UsageTotals | undefined;
      readonly health?: HealthStatus | undefined;
      /** A LiteLLM key's budget as the proxy last reported it (read with the health check). */
      readonly gatewayBudget?: GatewayBudgetState | undefined;
      /** The one state every view shows (configurationState in the core); untested when left out. */
      readonly state?: ConfigurationState;
      /** Why the last connection test failed, in words. */
      readonly failure?: string | undefined;
      /** A connection test of it is running (from any view): its test status is `pending`. */
      readonly testing?: boolean;
    }
  | { readonly kind: 'model'; readonly configuration: AIConfiguration; readonly model: ModelInfo }
  | RouteGroupNode
  | EndpointNode;

type ConfigurationNode = Extract<TreeNode, { kind: 'configuration' }>;

/**
 * Provider → configurations → (for Ollama) installed models. The store opens when the view is first shown;
 * while there are no configurations VS Code shows the welcome content (package.json, viewsWelcome).
 */
export class ConfigurationsTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Configurations whose connection test is running: shown with a spinner. */
  private readonly testing = new Set<string>();
  private readonly disposables = new DisposableStore();
  private usageTimer: NodeJS.Timeout | undefined;
  private endpointView: EndpointView | undefined;
  /**
   * The configuration rows VS Code holds, by id: a change of what a row shows (its usage, a running test) redraws
   * those rows only. A redraw of the whole tree makes VS Code forget every row until it has listed them again, and an
   * inline action clicked meanwhile reaches its command without its row (Test Connection then asks which one).
   */
  private readonly shownRows = new Map<string, ConfigurationNode>();
  /** The Route Groups and Local Endpoint sections VS Code holds: their rows show member states and clients' last use. */
  private shownSections: TreeNode[] = [];
  /** Listings of the tree's top level waiting for the store to open. */
  private rootListings = 0;

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
        // A test starting or ending changes what rows show (a spinner, the result), not which rows there are.
        scope.add(session.configurations.onDidChange((change) => {
          if (change.kind === 'testing' || change.kind === 'tested') this.refreshRows();
          else this.refresh();
        }));
        scope.add(session.routeGroups.onDidChange(refresh));
        // Members entering or leaving cooldown (mid-chat, when a member fails) show without Refresh: the Route Groups
        // section is redrawn, not the tree. So is a LiteLLM key's budget on its configuration's row.
        scope.add(session.router.onDidChangeMemberState(() => {
          this.refreshRows();
        }));
        scope.add(session.gatewayBudgets.onDidChange(() => {
          this.refreshRows();
        }));
        // The hover's request count and cost follow new requests (at most once a second: a chat records often).
        scope.add(session.usage.onDidRecord(() => {
          this.usageTimer ??= setTimeout(() => {
            this.usageTimer = undefined;
            this.refreshRows();
          }, 1_000);
        }));
        // A listing that waited for this store shows it already: a second one right after would only make VS Code
        // forget the rows the user may be clicking (after a window reload, on a loaded machine, for a good second).
        if (this.rootListings === 0) this.refresh();
      }),
    );
  }

  /** Adds the "Local Endpoint" section, following the endpoint's state. */
  showEndpoint(view: EndpointView): void {
    this.endpointView = view;
    this.disposables.add(view.onDidChange(() => {
      this.refresh();
    }));
    this.refresh();
  }

  setTesting(id: string, running: boolean): void {
    if (running) this.testing.add(id);
    else this.testing.delete(id);
    // Its spinner is this tree's own mark, not in what the store reads: the row is redrawn whether or not it changed.
    this.refreshRows(id);
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
        return this.configurationItem(node);
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
      case 'endpoint':
      case 'endpointState':
      case 'endpointClient':
        return endpointItem(node);
    }
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    let session: StoreSession;
    if (!node) this.rootListings++;
    try {
      session = await this.services.open();
    } catch (error) {
      // ServiceHost has already told the user what went wrong and how to fix it.
      this.log.error(`Could not list configurations: ${messageOf(error)}`);
      // A store another open brought up meanwhile was not listed again for this listing's sake: list it now.
      if (!node && this.services.current) this.refresh();
      return [];
    } finally {
      if (!node) this.rootListings--;
    }
    if (!node) {
      // The store was opened again while this listing waited (its session is not the one open now).
      if (session !== this.services.current) this.refresh();
      const providers = await this.providers(session);
      // Route groups are made of configurations: with none, the welcome content shows instead.
      if (providers.length === 0) return providers;
      this.shownSections = [routeGroupsRoot(session), ...(this.endpointView ? [endpointRoot(this.endpointView)] : [])];
      return [...providers, ...this.shownSections];
    }
    if (node.kind === 'endpoint') return this.endpointView ? endpointChildren(session, this.endpointView) : [];
    if (node.kind === 'routeGroups' || node.kind === 'routeGroup') return routeGroupChildren(session, node);
    if (node.kind === 'provider') {
      const rows = configurationRows(session).filter((row) => row.configuration.provider === node.provider.id);
      for (const row of rows) this.shownRows.set(row.configuration.id, row);
      return rows;
    }
    if (node.kind === 'configuration' && node.configuration.provider === 'ollama') {
      try {
        const models = await session.providerAccess.listModels(node.configuration.id);
        return models.map((model) => ({ kind: 'model', configuration: node.configuration, model }));
      } catch (error) {
        this.log.warn(`Could not list the models of "${node.configuration.name}": ${messageOf(error)}`);
        return [];
      }
    }
    return [];
  }

  refresh(): void {
    this.shownRows.clear();
    this.shownSections = [];
    this.changed.fire(undefined);
  }

  /**
   * Reads again what the configuration rows show and redraws the rows that changed, and the Route Groups and Local
   * Endpoint sections (their members' states follow tests, budgets and health checks, their clients' last use
   * follows requests), not the tree. A shown configuration gone or moved to another provider, or no rows shown yet,
   * redraws the tree. Rows of a collapsed provider are not shown: VS Code asks for them when it is expanded.
   */
  private refreshRows(alwaysRedraw?: string): void {
    const session = this.services.current;
    const shown = [...this.shownRows.values()];
    if (!session || shown.length === 0) {
      this.refresh();
      return;
    }
    let fresh: Map<string, ConfigurationNode>;
    try {
      fresh = new Map(configurationRows(session).map((row) => [row.configuration.id, row]));
    } catch (error) {
      this.log.warn(`Could not read the configurations again: ${messageOf(error)}`);
      this.refresh();
      return;
    }
    if (shown.some((row) => fresh.get(row.configuration.id)?.configuration.provider !== row.configuration.provider)) {
      this.refresh();
      return;
    }
    this.updateBudgetBadges(session);
    // Only rows that show something new: a redrawn Ollama row lists its models again (a request to the server).
    const changed = shown.filter((row) => row.configuration.id === alwaysRedraw || rowFigures(row) !== rowFigures(fresh.get(row.configuration.id) ?? row));
    // The very objects VS Code holds are updated: it finds a row to redraw by the element it was given.
    for (const row of changed) Object.assign(row, fresh.get(row.configuration.id));
    const redraw = [...changed, ...this.shownSections];
    if (redraw.length > 0) this.changed.fire(redraw);
  }

  dispose(): void {
    clearTimeout(this.usageTimer);
    this.changed.dispose();
    this.disposables.dispose();
  }

  private async providers(session: StoreSession): Promise<TreeNode[]> {
    this.updateBudgetBadges(session);
    const all = session.configurations.listConfigurations();
    // Test All is offered in the view's title only when there is something to test.
    void vscode.commands.executeCommand('setContext', 'modelManager.hasConfigurations', all.length > 0);
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

  private configurationItem(node: Extract<TreeNode, { kind: 'configuration' }>): vscode.TreeItem {
    const c = node.configuration;
    const active = node.active === true;
    const state = node.state ?? 'untested';
    const isOllama = c.provider === 'ollama';
    const item = new vscode.TreeItem(c.name, isOllama ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `configuration:${c.id}`;
    const running = node.testing === true || this.testing.has(c.id);
    const flag = running ? vscode.l10n.t('testing…') : state === 'key-locked' ? vscode.l10n.t('key cannot be opened') : state === 'unreachable' ? vscode.l10n.t('unreachable') : undefined;
    item.description = [c.model, active ? vscode.l10n.t('active') : undefined, c.isActive ? undefined : vscode.l10n.t('disabled'), flag].filter(Boolean).join(' · ');
    item.contextValue = `configuration:${c.provider}${active ? ':active' : ''}`;
    item.iconPath = running && state !== 'key-locked' ? new vscode.ThemeIcon('loading~spin') : stateIcon(state);
    item.resourceUri = budgetUri(c.id);
    item.tooltip = tooltip(c, state, node.failure, node.usage, node.health, node.gatewayBudget);
    item.command = { command: 'modelManager.editConfiguration', title: vscode.l10n.t('Edit'), arguments: [{ kind: 'configuration', configuration: c }] };
    item.accessibilityInformation = { label: `${c.name}, ${providerDisplayName(c.provider, c.config.preset)} ${c.model}, ${running ? vscode.l10n.t('connection test running') : stateText(state)}` };
    return item;
  }
}

/** What a row shows, to compare two readings of it. */
function rowFigures(row: ConfigurationNode): string {
  return JSON.stringify(row, (_key, value: unknown) => (value instanceof Map || value instanceof Set ? [...value] : value));
}

/** Every configuration's row with what it shows, worked out once per listing (each would be a read of the store). */
function configurationRows(session: StoreSession): ConfigurationNode[] {
  const { configurations } = session;
  const activeId = configurations.getActiveConfiguration()?.id;
  const usage = safeUsage(session);
  const summary = session.health.summary();
  const health = new Map(summary.map((h) => [h.configurationId, h]));
  const rows = configurations.listConfigurations();
  const states = configurationStates(rows, session.keys, summary);
  return rows.map((configuration) => ({
    kind: 'configuration',
    configuration,
    active: configuration.id === activeId,
    usage: usage?.get(configuration.id),
    health: health.get(configuration.id),
    gatewayBudget: configuration.isActive ? session.gatewayBudgets.stateOf(configuration) : session.gatewayBudgets.get(configuration.id),
    state: states.get(configuration.id) ?? 'untested',
    failure: safely(() => session.providerAccess.lastTestFailure(configuration)),
    testing: session.providerAccess.isTesting(configuration.id),
  }));
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function tooltip(c: AIConfiguration, state: ConfigurationState, failure: string | undefined, usage: UsageTotals = emptyUsage, health?: HealthStatus, gatewayBudget?: GatewayBudgetState): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**${escape(c.name)}** — ${escape(providerDisplayName(c.provider, c.config.preset))} · ${codeSpan(c.model)}\n\n`);
  md.appendMarkdown(`${vscode.l10n.t('Endpoint')}: ${c.baseUrl ? codeSpan(c.baseUrl) : vscode.l10n.t('provider default')}\n\n`);
  if (state === 'key-locked') md.appendMarkdown(`$(lock) ${vscode.l10n.t('The stored API key cannot be opened on this machine: no earlier test result counts until it can.')}\n\n`);
  const tested = c.lastTestedAt ? new Date(c.lastTestedAt).toLocaleString() : undefined;
  const testLine = !tested ? vscode.l10n.t('never tested') : c.testStatus === 'success' ? vscode.l10n.t('passed ({0})', tested) : vscode.l10n.t('failed ({0})', tested);
  md.appendMarkdown(`${vscode.l10n.t('Last test')}: ${testLine}${c.testStatus === 'failed' && failure ? `: ${escape(failure)}` : ''}\n\n`);
  if (health?.lastCheckedAt) {
    const when = new Date(health.lastCheckedAt).toLocaleString();
    md.appendMarkdown(
      health.state === 'healthy'
        ? `${vscode.l10n.t('Health check')}: ${vscode.l10n.t('answered in {0} ms ({1})', Math.round(health.latencyMs ?? 0), when)}\n\n`
        : `${vscode.l10n.t('Health check')}: ${vscode.l10n.t('failed ({0}): {1}', when, escape(health.error ?? ''))}\n\n`,
    );
  }
  md.appendMarkdown(vscode.l10n.t('This month (UTC): {0}, {1} tokens, {2}', requestCount(usage.requestCount), usage.totalTokens.toLocaleString('en-US'), formatUsd(usage.costUsd)));
  // The team's own figure beside the local one: what the gateway counts across everyone sharing the key.
  const budget = gatewayBudgetLine(gatewayBudget);
  if (budget) md.appendMarkdown(`\n\n${escape(budget)}`);
  return md;
}

/** Text shown as code, as it is: inside a code span backslash escapes are not read, so they would show. */
function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

const emptyUsage: UsageTotals = { requestCount: 0, inputTokens: 0, outputTokens: 0, cachedTokens: 0, totalTokens: 0, costUsd: 0, errorCount: 0, latencyMsSum: 0, latencyCount: 0 };

function safeUsage(session: StoreSession): ReadonlyMap<string, UsageTotals> | undefined {
  try {
    return session.usage.usageTotalsByConfiguration('month');
  } catch {
    return undefined;
  }
}

/** Text from a name, a server or a provider, shown as written: only the characters that would turn into markup are escaped (an underscore inside a word never does). */
function escape(text: string): string {
  return text.replace(/[\\`*[\]<>$|]/g, '\\$&');
}

function messageOf(error: unknown): string {
  return errorMessage(error);
}

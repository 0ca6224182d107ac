import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { EndpointStatus, EndpointSupervisor } from '../../core/endpoint';
import { errorMessage } from '../../core/errors';
import type { StoreSession } from '../../core/session';
import type { HostContext } from '../hostContext';
import { loggerFor } from '../logAdapter';
import { showMessage } from '../promptSeam';

/** A port no well-known local tool uses (Ollama 11434, LM Studio 1234, LiteLLM 4000, GPT4All 4891, vLLM 8000, Jan 1337). */
export const DEFAULT_ENDPOINT_PORT = 28411;
/** How often each window looks whether the endpoint needs it: the takeover time after the serving window closes. */
const LOOK_INTERVAL_MS = 2_000;
/** How long Stop waits for another window to let the port go. */
const STOP_WAIT_MS = 10_000;

const STOPPED: EndpointStatus = { wanted: false, holder: undefined, servingHere: false };

/**
 * The local endpoint in this window: starts and stops it, and every couple of seconds looks whether it should serve
 * (the endpoint is wanted and no other window serves it). Nothing of the endpoint's code loads until some window
 * has started it: until then a look is two file checks.
 */
export class EndpointController implements vscode.Disposable {
  private supervisor: Promise<EndpointSupervisor> | undefined;
  private shown: EndpointStatus = STOPPED;
  private readonly changed = new vscode.EventEmitter<EndpointStatus>();
  readonly onDidChange = this.changed.event;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly host: HostContext) {
    this.timer = setInterval(() => {
      void this.look();
    }, LOOK_INTERVAL_MS);
    this.timer.unref();
  }

  /** What this window last saw. */
  get status(): EndpointStatus {
    return this.shown;
  }

  /** The address to use: the one the serving window published, else the one this window would serve. */
  get url(): string {
    return this.shown.holder?.url ?? `http://127.0.0.1:${String(endpointPort())}`;
  }

  /** Turns the endpoint on for every window; this one serves unless another already does. */
  async start(): Promise<EndpointStatus> {
    const supervisor = await this.supervisorNow();
    supervisor.lease.setWanted(true);
    return this.look();
  }

  /** Turns the endpoint off for every window, and waits for the serving one (this or another) to let the port go. */
  async stop(): Promise<EndpointStatus> {
    const supervisor = await this.supervisorNow();
    supervisor.lease.setWanted(false);
    let status = await this.look();
    for (const started = performance.now(); status.holder && performance.now() - started < STOP_WAIT_MS; status = await this.look()) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return status;
  }

  /** One look: serve, stop serving, or just see who serves; a start that fails turns the endpoint off and says why. */
  async look(): Promise<EndpointStatus> {
    if (this.closed) return this.shown;
    const paths = leasePaths(this.host.services.databasePath);
    if (!this.supervisor && !existsSync(paths.wanted) && !existsSync(paths.lock)) return this.show(STOPPED);
    const supervisor = await this.supervisorNow();
    try {
      return this.show(await supervisor.tick());
    } catch (error) {
      const status = this.show(supervisor.status());
      await this.reportStartFailure(error);
      return status;
    }
  }

  /** The window is closing: stop serving and let another window take the port (the endpoint stays wanted). */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.supervisor) await (await this.supervisor).close();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
  }

  private show(status: EndpointStatus): EndpointStatus {
    const before = this.shown;
    this.shown = status;
    if (before.wanted !== status.wanted || before.servingHere !== status.servingHere || before.holder?.pid !== status.holder?.pid || before.holder?.url !== status.holder?.url) {
      this.changed.fire(status);
    }
    return status;
  }

  private supervisorNow(): Promise<EndpointSupervisor> {
    this.supervisor ??= this.createSupervisor();
    return this.supervisor;
  }

  private async createSupervisor(): Promise<EndpointSupervisor> {
    const core = await import('../lazyCore');
    const { services, log } = this.host;
    const logger = loggerFor(log);
    const audit = (action: 'endpoint.started' | 'endpoint.stopped', details: Record<string, unknown>): void => {
      void services.open().then((session) => {
        session.audit.endpoint(action, details);
      }).catch((error: unknown) => {
        log.warn(`Could not record ${action} in the audit log: ${errorMessage(error)}`);
      });
    };
    return new core.EndpointSupervisor({
      lease: new core.EndpointLease(services.databasePath),
      window: vscode.workspace.name ?? vscode.l10n.t('a window without a folder'),
      pid: process.pid,
      now: () => new Date(),
      start: async () => {
        // Opening first: a store that cannot open (keys locked, a damaged file) is said before any port is bound.
        await services.open();
        // The management API answers through the session that is open when a request comes (a reload opens a new one).
        const apis = new WeakMap<object, ReturnType<typeof core.managementApi>>();
        const api = (session: StoreSession): ReturnType<typeof core.managementApi> => {
          let handler = apis.get(session);
          if (!handler) apis.set(session, handler = core.managementApi(core.managementDeps(session, logger)));
          return handler;
        };
        return core.startEndpoint({
          ...core.sessionEndpointDeps(services, logger),
          api: async (req, res, client) => api(await services.open())(req, res, client),
        }, { port: endpointPort() });
      },
      onServing: (running) => {
        log.info(`Local endpoint: serving ${running.url} from this window.`);
        audit('endpoint.started', { url: running.url });
      },
      onStopped: (running, why) => {
        log.info(`Local endpoint: this window stopped serving ${running.url} (${why}).`);
        // A closing window's session is closing too: its stop is the next window's start, already in the log.
        if (why !== 'closing') audit('endpoint.stopped', { url: running.url, why });
      },
    });
  }

  private async reportStartFailure(error: unknown): Promise<void> {
    const port = endpointPort();
    const code = (error as { code?: unknown } | undefined)?.code;
    const message = code === 'EADDRINUSE'
      ? vscode.l10n.t('The local endpoint could not start: port {0} is already used by another program. Choose another port in the setting "Model Manager › Endpoint: Port" (modelManager.endpoint.port), then start it again.', port)
      : code === 'EACCES'
        ? vscode.l10n.t('The local endpoint could not start: this system does not allow Model Manager to listen on port {0}. Choose another port in the setting "Model Manager › Endpoint: Port" (modelManager.endpoint.port).', port)
        : vscode.l10n.t('The local endpoint could not start: {0}', errorMessage(error));
    this.host.log.error(message);
    const settings = vscode.l10n.t('Open Setting');
    const choice = await showMessage('error', message, { modal: false }, settings);
    if (choice === settings) await vscode.commands.executeCommand('workbench.action.openSettings', 'modelManager.endpoint.port');
  }
}

export function endpointPort(): number {
  return vscode.workspace.getConfiguration('modelManager.endpoint').get<number>('port', DEFAULT_ENDPOINT_PORT);
}

/** The two files EndpointLease keeps beside the database, looked at without loading it. */
function leasePaths(databasePath: string): { readonly wanted: string; readonly lock: string } {
  return { wanted: `${databasePath}.endpoint-wanted`, lock: `${databasePath}.endpoint.lock` };
}

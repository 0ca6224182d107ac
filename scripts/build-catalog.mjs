// Writes dist/model-catalog.json from the installed @pydantic/genai-prices: the extension reads it on first use
// instead of bundling the package (480 KB minified). Reads node_modules only, never the network.
import { build } from 'esbuild';
import { Buffer } from 'node:buffer';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/** The package's version, from its package.json (its exports map does not expose the file). */
function packageVersion() {
  let dir = dirname(require.resolve('@pydantic/genai-prices'));
  while (!dir.endsWith('genai-prices')) dir = dirname(dir);
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}

export async function buildCatalog(outFile = 'dist/model-catalog.json') {
  // The transform is TypeScript in src/core/catalog so that the unit tests exercise the same code.
  const result = await build({ entryPoints: ['src/core/catalog/fromGenaiPrices.ts'], bundle: true, write: false, platform: 'node', format: 'esm', logLevel: 'warning' });
  const transform = await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0].text).toString('base64')}`);
  const prices = require('@pydantic/genai-prices');
  const data = transform.catalogFromGenaiPrices((id) => prices.findProvider({ providerId: id }), packageVersion());
  mkdirSync(dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(data));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildCatalog(process.argv[2]).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

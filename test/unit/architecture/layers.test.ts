import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.tsx?$/.test(d.name))
    .map((d) => join(d.parentPath, d.name));
}

/** Every module specifier a file imports or requires, including `import type` and dynamic imports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    const specifier = match[1] ?? match[2] ?? match[3];
    if (specifier) found.push(specifier);
  }
  return found;
}

describe('the layers', () => {
  it('src/core never imports vscode or host code', () => {
    const offenders = sourceFiles('src/core').flatMap((file) =>
      importsOf(file)
        .filter((s) => s === 'vscode' || s.includes('/host/') || s.endsWith('/extension'))
        .map((s) => `${relative(root, file)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('src/protocol imports neither vscode, host nor core', () => {
    const offenders = sourceFiles('src/protocol').flatMap((file) =>
      importsOf(file)
        .filter((s) => s === 'vscode' || s.includes('/host/') || s.includes('/core/'))
        .map((s) => `${relative(root, file)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('the webview imports only its own files, src/protocol and browser packages', () => {
    const offenders = sourceFiles('webview').flatMap((file) =>
      importsOf(file)
        .filter((s) => s === 'vscode' || (s.startsWith('.') && resolve(file, '..', s).startsWith(join(root, 'src')) && !resolve(file, '..', s).startsWith(join(root, 'src', 'protocol'))))
        .map((s) => `${relative(root, file)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('finds imports the way the checks above rely on', () => {
    // Guards the checks themselves: if the scanner missed imports, the assertions above would pass vacuously.
    const host = sourceFiles('src/host').flatMap(importsOf);
    assert.ok(host.includes('vscode'), 'the scanner should see that src/host imports vscode');
  });
});

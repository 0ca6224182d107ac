import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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

/** The source file a relative specifier names (extensionless, or a folder's index), or undefined for a package. */
function resolveImport(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(file), specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx'), base].find((candidate) => /\.tsx?$/.test(candidate) && existsSync(candidate));
}

/** Every file's relative imports (type-only and dynamic ones included), as a graph of paths relative to the root. */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap(sourceFiles)) {
    const targets = importsOf(file).flatMap((s) => resolveImport(file, s) ?? []);
    graph.set(relative(root, file), [...new Set(targets.map((t) => relative(root, t)))]);
  }
  return graph;
}

/** One circle of imports per strongly connected group of files (Tarjan), each written as a -> b -> a. */
export function importCycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) ?? 0);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(next) ?? 0));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
      onStack.delete(top);
      group.push(top);
      if (top === node) break;
    }
    if (group.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(circleThrough(graph, new Set(group), node));
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

/** A shortest circle from the node back to itself inside its group: the imports to cut. */
function circleThrough(graph: ReadonlyMap<string, readonly string[]>, group: ReadonlySet<string>, start: string): string {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() ?? start;
    for (const next of graph.get(node) ?? []) {
      if (!group.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = cameFrom.get(at)) path.unshift(at);
        path.unshift(start);
        return path.join(' -> ');
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return start;
}

/**
 * Where a file reaches into the session's store: a `.store` property read (`session.store.read`, `{ store } =`), as
 * opposed to calling a method named store (SecretStorage's `secrets.store(key, value)`).
 */
export function storeReaches(text: string): string[] {
  const found: string[] = [];
  for (const [index, line] of text.split('\n').entries()) {
    if (/\.store\b(?!\s*\()/.test(line) || /\{[^{}]*\bstore\b[^{}]*\}\s*=/.test(line)) found.push(`${String(index + 1)}: ${line.trim()}`);
  }
  return found;
}

/** The host's lazy entry: the bundle of core (and of what runs on first use) that the host requires when needed. */
const LAZY_ENTRY = join('src', 'host', 'lazyCore.ts');

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

  it('no files import each other in a circle (type-only and dynamic imports count)', () => {
    assert.deepEqual(importCycles(importGraph(['src', 'webview'])), []);
  });

  it('every file under src/host imports vscode (other code belongs in core, the panel handlers or protocol)', () => {
    const offenders = sourceFiles('src/host')
      .filter((file) => relative(root, file) !== LAZY_ENTRY && !importsOf(file).includes('vscode'))
      .map((file) => relative(root, file));
    assert.deepEqual(offenders, []);
  });

  it('the panel handlers import only core, protocol and packages', () => {
    const offenders = sourceFiles('src/panelHandlers').flatMap((file) =>
      importsOf(file)
        .filter((s) => s === 'vscode' || s.includes('/host/') || s.endsWith('/extension'))
        .map((s) => `${relative(root, file)} imports ${s}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('the host and the panel handlers reach the store only through the session\'s services, never session.store', () => {
    const offenders = [...sourceFiles('src/host'), ...sourceFiles('src/panelHandlers')].flatMap((file) =>
      storeReaches(readFileSync(file, 'utf8')).map((at) => `${relative(root, file)}:${at}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('finds reaches into the store the way the rule above relies on', () => {
    // Guards the rule itself: a finder that matched nothing would pass vacuously.
    assert.deepEqual(storeReaches('const n = session.store.read((r) => r.x);\nawait this.secrets.store(KEY, value);\nconst { store, userId } = await services.open();'), [
      '1: const n = session.store.read((r) => r.x);',
      '3: const { store, userId } = await services.open();',
    ]);
  });

  it('commands show errors and treat cancellation in one place: sessionCommand, never a try/catch of their own', () => {
    const wrapper = join('src', 'host', 'commands', 'sessionCommand.ts');
    const offenders = sourceFiles('src/host/commands')
      .filter((file) => relative(root, file) !== wrapper && /\bshowError\b/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    assert.deepEqual(offenders, []);
    assert.match(readFileSync(join(root, wrapper), 'utf8'), /\bshowError\b/, 'the wrapper is where errors are shown');
  });

  it('finds circles of imports, through type-only and dynamic imports too', () => {
    // Guards the cycle check itself: a finder that never reported anything would pass vacuously.
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts']],
      ['d.ts', []],
      ['e.ts', ['e.ts']],
    ]);
    assert.deepEqual(importCycles(graph), ['a.ts -> b.ts -> c.ts -> a.ts', 'e.ts -> e.ts']);
    const scanned = importGraph(['src/host']);
    assert.ok(scanned.get(join('src', 'host', 'ServiceHost.ts'))?.includes(LAZY_ENTRY), 'the scanner should see ServiceHost\'s dynamic import of the lazy entry');
  });

  it('finds imports the way the checks above rely on', () => {
    // Guards the checks themselves: if the scanner missed imports, the assertions above would pass vacuously.
    const host = sourceFiles('src/host').flatMap(importsOf);
    assert.ok(host.includes('vscode'), 'the scanner should see that src/host imports vscode');
  });
});

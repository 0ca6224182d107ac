import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..', '..', '..');
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

interface Manifest {
  readonly version: string;
  readonly contributes: { readonly commands: readonly { readonly command: string }[]; readonly chatParticipants?: unknown[]; readonly languageModelChatProviders?: unknown[] };
}

describe('what the README, CHANGELOG and package.json say', () => {
  const manifest = JSON.parse(read('package.json')) as Manifest;
  const readme = read('README.md');
  const status = /^> Status \(([^)]+)\):([\s\S]*?)(?:\n\n|\n[^>])/m.exec(readme);

  it('name the same version: the README status, the manifest and the CHANGELOG section', () => {
    assert.ok(status, 'the README has a "> Status (version):" paragraph');
    assert.equal(status[1], manifest.version);
    const lock = JSON.parse(read('package-lock.json')) as { version: string };
    assert.equal(lock.version, manifest.version);
    const sections = [...read('CHANGELOG.md').matchAll(/^## (\S+)/gm)].map((m) => m[1]);
    assert.ok(sections.includes(manifest.version), `CHANGELOG.md has a "## ${manifest.version}" section (found ${sections.join(', ')})`);
  });

  it('do not call features the manifest ships "next releases"', () => {
    assert.ok(status);
    const text = status[2]?.replace(/\n> /g, ' ') ?? '';
    assert.doesNotMatch(text, /next release|arrive|coming soon|not yet/i, text);
    const shipped = {
      chat: (manifest.contributes.chatParticipants?.length ?? 0) > 0 && (manifest.contributes.languageModelChatProviders?.length ?? 0) > 0,
      rout: manifest.contributes.commands.some((c) => c.command === 'modelManager.createRouteGroup'),
      budget: manifest.contributes.commands.some((c) => c.command === 'modelManager.setBudget'),
    };
    for (const [word, ships] of Object.entries(shipped)) {
      assert.ok(ships, `the manifest contributes ${word}`);
      assert.match(text, new RegExp(word, 'i'), `the status names ${word}`);
    }
  });
});

describe('code comments', () => {
  it('carry no work-tracking numbers such as "(issue 9)"', () => {
    const offenders: string[] = [];
    for (const folder of ['src', 'webview', 'test', 'bench']) {
      for (const entry of readdirSync(join(root, folder), { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !/\.(tsx?|mjs|js)$/.test(entry.name)) continue;
        const file = join(entry.parentPath, entry.name);
        readFileSync(file, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            const comment = /(?:\/\/|\/\*|^\s*\*)(.*)$/.exec(line)?.[1] ?? '';
            if (/\b(?:issue|ticket|bug)\s*#?\d+/i.test(comment)) offenders.push(`${relative(root, file)}:${String(i + 1)}: ${line.trim()}`);
          });
      }
    }
    assert.deepEqual(offenders, []);
  });
});

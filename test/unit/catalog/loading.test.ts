import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogFileLoader, lazyCatalog, MAX_CATALOG_BYTES } from '../../../src/core/catalog/loadCatalog';
import { repoRoot } from '../store/helpers';
import { packageCatalogData } from './packageCatalog';

describe('loading the catalog', () => {
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'mm-catalog-'));
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('the build script writes the same catalog the package yields, small enough to read on first use', () => {
    const file = join(folder, 'model-catalog.json');
    execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build-catalog.mjs'), file], { cwd: repoRoot, stdio: 'pipe' });
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(packageCatalogData())));
    assert.ok(text.length < 400_000, `catalog is ${String(text.length)} bytes`);
  }).timeout(30_000);

  it('loads the data file once, on first use, and shares it between callers', async () => {
    const file = join(folder, 'model-catalog.json');
    writeFileSync(file, JSON.stringify(packageCatalogData()));
    let reads = 0;
    const load = catalogFileLoader(file);
    const get = lazyCatalog(async () => {
      reads++;
      return load();
    });
    assert.equal(reads, 0);
    const [a, b] = await Promise.all([get(), get()]);
    assert.equal(a, b);
    assert.equal(reads, 1);
    assert.equal(a.lookup('openai', 'gpt-4.1-mini')?.id, 'gpt-4.1-mini');
  });

  it('says the catalog is damaged and how to fix it, and tries again on the next call', async () => {
    const file = join(folder, 'model-catalog.json');
    writeFileSync(file, '{"source":"x","providers":[{"id":"openai","name":"OpenAI","apiPattern":"","models":[{"id":"m","prices":[{"input":-1}]}]}]}');
    const get = lazyCatalog(catalogFileLoader(file));
    await assert.rejects(get(), /model catalog is damaged \(providers\.0\.models\.0\.prices\.0\.input.*Reinstall the extension/);
    writeFileSync(file, JSON.stringify(packageCatalogData()));
    assert.ok((await get()).list('openai').length > 0);
  });

  it('refuses a file that is not JSON, or far larger than any catalog, without parsing it', async () => {
    const file = join(folder, 'model-catalog.json');
    writeFileSync(file, 'not json');
    await assert.rejects(catalogFileLoader(file)(), /not valid JSON\. Reinstall/);
    writeFileSync(file, Buffer.alloc(MAX_CATALOG_BYTES + 1, 32));
    await assert.rejects(catalogFileLoader(file)(), /more than expected\. Reinstall/);
  });
});

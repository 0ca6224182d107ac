import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatUsd, formatUsdPrice } from '../../../src/protocol/money';

const root = resolve(__dirname, '..', '..', '..', '..');

describe('money is written one way', () => {
  it('shows exactly zero as $0.00, never $0 or $0.0000', () => {
    assert.equal(formatUsd(0), '$0.00');
  });

  it('shows two decimals from one cent up, with thousands separators', () => {
    assert.equal(formatUsd(0.01), '$0.01');
    assert.equal(formatUsd(0.0149), '$0.01');
    assert.equal(formatUsd(0.5), '$0.50');
    assert.equal(formatUsd(12.345), '$12.35');
    assert.equal(formatUsd(1234.5), '$1,234.50');
  });

  it('shows at most two significant digits below a cent, without trailing zeros', () => {
    assert.equal(formatUsd(0.00304), '$0.003');
    assert.equal(formatUsd(0.003), '$0.003');
    assert.equal(formatUsd(0.0042), '$0.0042');
    assert.equal(formatUsd(0.00012), '$0.00012');
    assert.equal(formatUsd(0.0001), '$0.0001');
    // Rounds up into the cents rule rather than reading "$0.010".
    assert.equal(formatUsd(0.00999), '$0.01');
  });

  it('shows a cost under a hundredth of a cent as "< $0.0001"', () => {
    assert.equal(formatUsd(0.0000123), '< $0.0001');
    assert.equal(formatUsd(Number.MIN_VALUE), '< $0.0001');
  });

  it('writes a negative amount with its sign in front and a non-number as a dash', () => {
    assert.equal(formatUsd(-2.5), '-$2.50');
    assert.equal(formatUsd(Number.NaN), '—');
  });

  it('writes prices per million tokens with the digits they are set in', () => {
    assert.equal(formatUsdPrice(0.0375), '$0.0375');
    assert.equal(formatUsdPrice(0.15), '$0.15');
    assert.equal(formatUsdPrice(1.25), '$1.25');
    assert.equal(formatUsdPrice(10), '$10.00');
    assert.equal(formatUsdPrice(0), '$0.00');
  });

  it('is the only money formatting in the extension and the webview (no other "$" + number anywhere)', () => {
    const files = ['src', 'webview'].flatMap((folder) =>
      readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile() && /\.tsx?$/.test(d.name))
        .map((d) => join(d.parentPath, d.name)),
    );
    const own = join(root, 'src', 'protocol', 'money.ts');
    // "$" followed by an interpolation, a digit or an l10n placeholder, or a currency-style Intl format.
    const money = /\$\$\{|['"`]\$\d|\$\{\d+\}|style:\s*['"]currency['"]|toFixed\([^)]*\)\s*\}?\s*(?:USD|\$)/;
    const offenders = files
      .filter((file) => file !== own)
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(root, file)}:${String(i + 1)}` }))
          // Comments may quote amounts; "$1" in a String.replace replacement is a regex group, not money.
          .filter(({ line }) => money.test(line) && !/^\s*(?:\/\/|\/?\*)/.test(line) && !/\.replace\(.*['"]\$\d/.test(line))
          .map(({ line, at }) => `${at}: ${line.trim()}`),
      );
    assert.deepEqual(offenders, []);
    assert.ok(files.length > 50, 'the scan saw the sources');
  });
});

describe('loading the money module', () => {
  it('builds no Intl formatter until money is first written (the first one loads locale data; the host loads this module at activation)', () => {
    // A fresh Node process, whose Intl.NumberFormat counts what it builds (and still builds the real formatter).
    const script = `
      let built = 0;
      Intl.NumberFormat = new Proxy(Intl.NumberFormat, { construct(target, args) { built++; return new target(...args); } });
      const money = require(process.argv[1]);
      const atLoad = built;
      const written = [money.formatUsd(1234.5), money.formatUsd(2)];
      process.stdout.write(JSON.stringify({ atLoad, written, built }));`;
    const out = execFileSync(process.execPath, ['-e', script, join(__dirname, '..', '..', '..', 'src', 'protocol', 'money.js')], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { atLoad: 0, written: ['$1,234.50', '$2.00'], built: 1 });
  });
});

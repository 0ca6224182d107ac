import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runExtensionTests } from '../test/host/extensionTests';
import { outRoot, probeExtension, projectRoot } from '../test/host/paths';
import { freshRunFolder } from '../test/host/server';
import { provision } from '../test/host/provision';
import { installVsix, packageVsix } from '../test/host/vsix';
import { emit, median, note, percentile } from './result';

const STARTS = 9;

/** The duration activate() logs about itself ("… activated in N ms"), read from the run's log folder. */
function activationFromLog(userDataDir: string): number {
  const logs = readdirSync(join(userDataDir, 'logs'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name === 'Model Manager.log')
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'));
  const match = /activated in ([\d.]+) ms/.exec(logs.join('\n'));
  if (!match?.[1]) throw new Error(`No activation line in the Model Manager log under ${userDataDir}`);
  return Number(match[1]);
}

/** activate() time (as the host sees it, and its body as it logs itself) over fresh starts of the real VS Code host, and the sizes of the bundle and the VSIX. */
export async function run(): Promise<void> {
  const host = await provision(note);
  // Measure what users install: the packaged VSIX. The empty probe rides along as the development extension.
  const vsix = await packageVsix({ outputToStderr: true });
  const ours: number[] = [];
  const observed: number[] = [];
  const probe: number[] = [];
  let failedStarts = 0;
  for (let i = 0; i < STARTS; i++) {
    // Alternate which extension activates first, so neither always pays the host's first-activation costs.
    process.env.MM_BENCH_ORDER = i % 2 ? 'probe-last' : 'probe-first';
    const extensionsDir = join(freshRunFolder('bench-activation'), 'extensions');
    await installVsix(host, vsix, extensionsDir, { outputToStderr: true });
    const result = await runExtensionTests(host, {
      label: 'bench-activation',
      extensionDevelopmentPaths: [probeExtension],
      extensionsDir,
      extensionTestsPath: join(outRoot, 'bench', 'activationProbe.js'),
      print: note,
      timeoutMs: 120_000,
    });
    const figure = result.markers.find((m) => m.kind === 'activation') as { ours: number; probe: number; phases?: Record<'ours' | 'probe', { load: number; activate: number } | undefined> } | undefined;
    if (result.exitCode !== 0 || !figure) {
      // A start the workbench itself fumbled (a worker that failed to load on the busy machine) is started again.
      if (++failedStarts > 3) throw new Error(`start ${String(i + 1)} did not report activation times, after ${String(failedStarts - 1)} retries`);
      note(`start ${String(i + 1)} did not report activation times; starting it again`);
      i--;
      continue;
    }
    const logged = activationFromLog(result.userDataDir);
    ours.push(logged);
    observed.push(figure.ours);
    probe.push(figure.probe);
    const { ours: mine, probe: empty } = figure.phases ?? {};
    const split = mine && empty ? `; code load + activate() call by the host's marks: ${String(mine.load)} + ${String(mine.activate)} ms vs ${String(empty.load)} + ${String(empty.activate)} ms` : '';
    note(`start ${String(i + 1)}: activate() ${logged.toFixed(2)} ms; as the host saw it (module load included): Model Manager ${figure.ours.toFixed(2)} ms, empty extension ${figure.probe.toFixed(2)} ms${split}`);
  }
  const activateMedian = median(observed);
  // Each start activates both extensions in the same host, minutes apart from the next start: the ratio is taken per
  // start (paired), so a start on a busier machine slows both sides of its own pair rather than one median.
  const ratios = observed.map((ms, i) => ms / (probe[i] ?? Number.NaN));
  note(`activation: ${String(observed.length)} starts; per-start ratio p25 ${percentile(ratios, 25).toFixed(2)}, median ${median(ratios).toFixed(2)}, p75 ${percentile(ratios, 75).toFixed(2)}; empty extension p25–p75 ${percentile(probe, 25).toFixed(1)}–${percentile(probe, 75).toFixed(1)} ms`);
  emit({
    bench: 'activation',
    metric: 'activate_ms',
    value: activateMedian,
    unit: 'ms',
    baseline: 'an empty extension activated in the same start, paired',
    ratio: median(ratios),
    goal: 'ratio<=1.3',
    samples: observed,
  });
  emit({ bench: 'activation', metric: 'activate_body_ms', value: median(ours), unit: 'ms', baseline: 'activate() as the host saw it', ratio: median(ours) / activateMedian, goal: '<=5', samples: ours });

  const bundleKb = statSync(join(projectRoot, 'dist', 'extension.js')).size / 1024;
  emit({ bench: 'activation', metric: 'extension_js_kb', value: bundleKb, unit: 'KB', goal: '<=300' });

  const maps = zipEntries(readFileSync(vsix)).filter((name) => name.endsWith('.map'));
  if (maps.length > 0) throw new Error(`the VSIX ships source maps: ${maps.join(', ')}`);
  emit({ bench: 'activation', metric: 'vsix_kb', value: statSync(vsix).size / 1024, unit: 'KB', baseline: 'no source maps in it (checked)', goal: '<=900' });
}

/** The file names in a zip's central directory (a .vsix is a zip). */
export function zipEntries(zip: Buffer): string[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error('not a zip file: no end of central directory');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('corrupt zip central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return names;
}

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runExtensionTests } from '../test/host/extensionTests';
import { outRoot, probeExtension, projectRoot } from '../test/host/paths';
import { freshRunFolder } from '../test/host/server';
import { provision } from '../test/host/provision';
import { installVsix, packageVsix } from '../test/host/vsix';
import { emit, median, note } from './result';

const STARTS = 7;

/** The duration activate() logs about itself ("… activated in N ms"), read from the run's log folder. */
function activationFromLog(userDataDir: string): number {
  const logs = readdirSync(join(userDataDir, 'logs'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name === 'Model Manager.log')
    .map((d) => readFileSync(join(d.parentPath, d.name), 'utf8'));
  const match = /activated in ([\d.]+) ms/.exec(logs.join('\n'));
  if (!match?.[1]) throw new Error(`No activation line in the Model Manager log under ${userDataDir}`);
  return Number(match[1]);
}

/** activate() time over fresh starts of the real VS Code host, and the sizes of the bundle and the VSIX. */
export async function run(): Promise<void> {
  const host = await provision(note);
  // Measure what users install: the packaged VSIX. The empty probe rides along as the development extension.
  const vsix = await packageVsix({ outputToStderr: true });
  const ours: number[] = [];
  const observed: number[] = [];
  const probe: number[] = [];
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
    const figure = result.markers.find((m) => m.kind === 'activation') as { ours: number; probe: number } | undefined;
    if (result.exitCode !== 0 || !figure) throw new Error(`start ${String(i + 1)} did not report activation times`);
    const logged = activationFromLog(result.userDataDir);
    ours.push(logged);
    observed.push(figure.ours);
    probe.push(figure.probe);
    note(`start ${String(i + 1)}: activate() ${logged.toFixed(2)} ms; as the host saw it (module load included): Model Manager ${figure.ours.toFixed(2)} ms, empty extension ${figure.probe.toFixed(2)} ms`);
  }
  note(`activate() body alone, as it logs itself, median: ${median(ours).toFixed(2)} ms`);
  // The figure quoted is the conservative one: activate() as the host sees it, loading our bundle included.
  const activateMedian = median(observed);
  emit({
    bench: 'activation',
    metric: 'activate_ms',
    value: activateMedian,
    unit: 'ms',
    baseline: 'empty extension',
    ratio: activateMedian / median(probe),
    goal: '<=15',
  });

  const bundleKb = statSync(join(projectRoot, 'dist', 'extension.js')).size / 1024;
  emit({ bench: 'activation', metric: 'extension_js_kb', value: bundleKb, unit: 'KB', goal: '<=300' });

  emit({ bench: 'activation', metric: 'vsix_kb', value: statSync(vsix).size / 1024, unit: 'KB', goal: '<=1536' });
}

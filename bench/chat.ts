import { build } from 'esbuild';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runExtensionTests } from '../test/host/extensionTests';
import { outRoot, projectRoot } from '../test/host/paths';
import { provision } from '../test/host/provision';
import { freshRunFolder } from '../test/host/server';
import { runCommand } from '../test/host/tiers';
import { installVsix } from '../test/host/vsix';
import { emit, median, note, percentile } from './result';

interface ChatFigures {
  readonly ours: number[];
  readonly baseline: number[];
  readonly adapter: number[];
  readonly counts: { readonly ours: number[]; readonly estimate: number[]; readonly cold: number[]; readonly firstMs: number; readonly readyMs: number; readonly baseline: number[]; readonly requests: number; readonly calls: number };
}

/**
 * The baseline extension (bench/baseline-extension), bundled with the adapter and packed as a .vsix: the test host
 * loads one development extension (Model Manager, for its test API), so the baseline is installed like a user's.
 */
async function packBaselineExtension(): Promise<string> {
  const folder = freshRunFolder('bench-baseline-extension');
  const source = join(projectRoot, 'bench', 'baseline-extension');
  copyFileSync(join(source, 'package.json'), join(folder, 'package.json'));
  await build({
    entryPoints: [join(source, 'extension.ts')],
    outfile: join(folder, 'dist', 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    minify: true,
    logLevel: 'warning',
  });
  writeFileSync(join(folder, 'LICENSE'), 'MIT\n');
  const vsix = join(folder, 'baseline.vsix');
  const vsce = join(projectRoot, 'node_modules', '.bin', 'vsce');
  const { code } = await runCommand(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--out', vsix], { cwd: folder, outputToStderr: true, timeoutMs: 120_000 });
  if (code !== 0) throw new Error(`packing the bench baseline extension failed (exit ${String(code)})`);
  return vsix;
}

/** Our language-model provider against a minimal one over the same VS Code API and emulator; provideTokenCount's time. */
export async function run(): Promise<void> {
  const host = await provision(note);
  const extensionsDir = join(freshRunFolder('bench-chat-extensions'), 'extensions');
  await installVsix(host, await packBaselineExtension(), extensionsDir, { outputToStderr: true });
  const result = await runExtensionTests(host, {
    label: 'bench-chat',
    extensionDevelopmentPaths: [projectRoot],
    extensionsDir,
    extensionTestsPath: join(outRoot, 'bench', 'chatProbe.js'),
    settings: { 'security.workspace.trust.enabled': false },
    print: note,
    timeoutMs: 900_000,
  });
  const figure = result.markers.find((m) => m.kind === 'chat-ttft') as ChatFigures | undefined;
  if (result.exitCode !== 0 || !figure) throw new Error('the chat probe did not report its timings');
  const ratios = figure.ours.map((t, i) => t / (figure.baseline[i] ?? Number.NaN));
  const added = figure.ours.map((t, i) => t - (figure.baseline[i] ?? Number.NaN));
  const vsAdapter = figure.ours.map((t, i) => t / (figure.adapter[i] ?? Number.NaN));
  note(`chat: median time to first token ${median(figure.ours).toFixed(3)} ms through our provider, ${median(figure.baseline).toFixed(3)} ms through the baseline provider, ${median(figure.adapter).toFixed(3)} ms through the adapter in-process`);
  const baseline = 'a minimal language-model provider (bench/baseline-extension: the OpenAI adapter only), same VS Code API and emulator, paired';
  emit({ bench: 'chat', metric: 'ttft_ratio', value: median(ratios), unit: 'ratio', baseline, ratio: median(ratios), goal: '<=1.05', samples: ratios });
  emit({ bench: 'chat', metric: 'added_ms', value: median(added), unit: 'ms', baseline, ratio: median(ratios), goal: '<=1', samples: added });
  emit({ bench: 'chat', metric: 'ttft_ratio_vs_adapter', value: median(vsAdapter), unit: 'ratio', baseline: 'the OpenAI adapter called in-process, same emulator, paired', ratio: median(vsAdapter), samples: vsAdapter });
  if (figure.counts.requests !== 0) {
    throw new Error(`provideTokenCount made ${String(figure.counts.requests)} provider requests in ${String(figure.counts.calls)} calls; it must make none`);
  }
  const count = median(figure.counts.ours);
  note(`token count: ${String(figure.counts.calls)} calls of provideTokenCount on an OpenAI (exact, o200k) and an Anthropic (estimate) configuration, 0 requests reached either emulator`);
  note(`token count: first call ${figure.counts.firstMs.toFixed(1)} ms (an estimate: it starts the worker that loads the o200k encoding), exact from ${figure.counts.readyMs.toFixed(0)} ms; a 4,000-character message not counted before ${median(figure.counts.cold).toFixed(0)} µs (p25–p75 ${percentile(figure.counts.cold, 25).toFixed(0)}–${percentile(figure.counts.cold, 75).toFixed(0)}); Anthropic estimate, counted before ${median(figure.counts.estimate).toFixed(1)} µs`);
  emit({ bench: 'chat', metric: 'token_count_us', value: count, unit: 'µs', baseline: "the baseline provider's provideTokenCount (characters / 4)", ratio: count / median(figure.counts.baseline), goal: '<=200', samples: figure.counts.ours });
}

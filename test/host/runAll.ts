import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scanForCanaries } from './canaryScan';
import { TEST_CLOCK_START } from './clock';
import { runExtensionTests } from './extensionTests';
import { artifactsRoot, integrationEntry, probeExtension, projectRoot, vsixEntry } from './paths';
import { provision, type Provisioned } from './provision';
import { freePort, freshRunFolder, pruneOldRuns } from './server';
import { fromSummary, runCheck, runMochaTier, summaryLines, type TierResult } from './tiers';
import { installVsix, packageVsix } from './vsix';

/**
 * `npm test`: typecheck, lint, unit, integration (inside the real VS Code), the packaged VSIX, and e2e (the real
 * workbench in headless Chromium). Ends with one line `N passed, N failed` over all of them.
 */
async function main(): Promise<number> {
  const started = Date.now();
  // `npm test -- unit e2e` runs only those tiers, for a quicker loop while developing.
  const only = new Set(process.argv.slice(2));
  const wanted = (tier: string): boolean => only.size === 0 || only.has(tier);
  const results: TierResult[] = [];
  const section = (title: string): void => {
    console.log(`\n── ${title} ${'─'.repeat(Math.max(0, 60 - title.length))}`);
  };

  section('provision');
  pruneOldRuns();
  // A summary left by an earlier run must not stand in for this one's if this one ends early.
  rmSync(join(artifactsRoot, 'last-test-summary.txt'), { force: true });
  let host: Provisioned;
  try {
    host = await provision();
  } catch (error) {
    console.error(`\n${(error as Error).message}\n`);
    console.log('0 passed, 1 failed');
    return 1;
  }

  if (wanted('typecheck')) {
    section('typecheck');
    results.push(await runCheck('typecheck', 'npm', ['run', '--silent', 'typecheck']));
  }
  if (wanted('lint')) {
    section('lint');
    results.push(await runCheck('lint', 'npm', ['run', '--silent', 'lint']));
  }
  if (wanted('unit')) {
    section('unit');
    // Node 24, as in the VS Code host: the providers' official SDKs, used to check our emulators, need Node 22+.
    // The tier's bound is a hang guard, not a speed goal: about 3 min on an idle 2-core machine, 11 min loaded.
    results.push(await runMochaTier('unit', 'out/test/unit/main.js', 1_500_000, host.node));
  }
  if (wanted('integration')) {
    section('integration (extension host of VS Code 1.139)');
    results.push(await extensionTier('integration', async () => {
      // A hostile workspace: its settings try to redirect requests to a trap the tests listen on.
      const trapPort = await freePort();
      return runExtensionTests(host, {
        label: 'integration',
        extensionDevelopmentPaths: [projectRoot],
        extensionTestsPath: integrationEntry,
        workspaceFiles: { '.vscode/settings.json': hostileSettings(trapPort) },
        // The extension runs on a clock that starts mid-month at noon UTC: no test depends on today's date.
        env: { MM_TRAP_PORT: String(trapPort), MM_TEST_CLOCK_START: TEST_CLOCK_START },
      });
    }));
  }
  if (wanted('vsix')) {
    section('packaged VSIX');
    results.push(await extensionTier('vsix', async () => {
      const vsix = await packageVsix();
      const extensionsDir = join(freshRunFolder('vsix'), 'extensions');
      await installVsix(host, vsix, extensionsDir);
      return runExtensionTests(host, {
        label: 'vsix',
        // A probe stands in as the development extension, so ours is loaded only from the installed VSIX.
        extensionDevelopmentPaths: [probeExtension],
        extensionTestsPath: vsixEntry,
        extensionsDir,
      });
    }));
  }
  if (wanted('e2e')) {
    section('e2e (workbench in headless Chromium)');
    // A hang guard as for the unit tier: the e2e tier takes about 8.5 min on an idle 2-core machine.
    results.push(await runMochaTier('e2e', 'out/test/e2e/main.js', 1_800_000));
  }

  if (wanted('integration') || wanted('vsix') || wanted('e2e')) {
    section('canary scan');
    results.push(scanForCanaries(started));
  }

  section('summary');
  const lines = summaryLines(results, started);
  for (const line of lines) console.log(line);
  // Kept after the run: CI prints it again at the very end of its log, where a truncated log still shows it.
  mkdirSync(artifactsRoot, { recursive: true });
  writeFileSync(join(artifactsRoot, 'last-test-summary.txt'), `${lines.join('\n')}\n`);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  return failed > 0 ? 1 : 0;
}

function hostileSettings(trapPort: number): string {
  const trap = `http://127.0.0.1:${String(trapPort)}`;
  return JSON.stringify({
    'modelManager.requestTimeoutSeconds': 1,
    'modelManager.baseUrl': `${trap}/v1`,
    'modelManager.apiKey': 'sk-workspace-would-like-this',
    'modelManager.configurations': [{ name: 'Work OpenAI', baseUrl: `${trap}/v1` }],
    'http.proxy': trap,
    'http.proxySupport': 'override',
  }, null, 2);
}

async function extensionTier(
  name: string,
  run: () => Promise<{ exitCode: number; markers: Record<string, unknown>[] }>,
): Promise<TierResult> {
  const started = Date.now();
  try {
    const result = await run();
    return fromSummary(name, result.exitCode, result.markers, started);
  } catch (error) {
    console.log(`  ✖ ${name}: ${(error as Error).message}`);
    return { name, passed: 0, failed: 1, seconds: (Date.now() - started) / 1000 };
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);

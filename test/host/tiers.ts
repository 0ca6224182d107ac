import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { MARKER } from './reporter';
import { projectRoot } from './paths';

export interface TierResult {
  readonly name: string;
  readonly passed: number;
  readonly failed: number;
  readonly seconds: number;
  /** The failed tests' titles with their reasons, for the run's summary (a crash without a summary is one line too). */
  readonly failures?: readonly string[];
  /** Tests that failed an attempt and were tried again (the e2e tier only), whether or not they then passed. */
  readonly retried?: readonly string[];
}

/** Runs a command, streaming its output, and resolves with its exit code and any result markers it printed. */
export function runCommand(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; outputToStderr?: boolean; onOutput?: (text: string) => void } = {},
): Promise<{ code: number; markers: Record<string, unknown>[] }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? projectRoot,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const markers: Record<string, unknown>[] = [];
    // `onOutput` takes the output instead, to keep each run's together when several run at once (the clock runs).
    const out = options.onOutput ? { write: options.onOutput } : options.outputToStderr ? process.stderr : process.stdout;
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(MARKER)) markers.push(JSON.parse(line.slice(MARKER.length)) as Record<string, unknown>);
        else out.write(`${line}\n`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (options.onOutput) options.onOutput(chunk.toString('utf8'));
      else process.stderr.write(chunk);
    });
    const timer = setTimeout(() => {
      process.stderr.write(`[host] ${command} ${args.join(' ')} did not finish within ${String((options.timeoutMs ?? 0) / 1000)} s; stopping it.\n`);
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      process.stderr.write(`[host] could not run ${command}: ${error.message}\n`);
      resolve({ code: 127, markers });
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (pending) out.write(`${pending}\n`);
      resolve({ code: code ?? (signal ? 128 : 1), markers });
    });
  });
}

/** A check that passes or fails as a whole (typecheck, lint). */
export async function runCheck(name: string, command: string, args: readonly string[]): Promise<TierResult> {
  const started = Date.now();
  const { code } = await runCommand(command, args);
  const ok = code === 0;
  console.log(`  ${ok ? '✔' : '✖'} ${name}`);
  return { name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, seconds: (Date.now() - started) / 1000 };
}

/**
 * A mocha tier in a child Node process, counted from its summary marker; a crash without one counts as a failure.
 * `wrapper` runs Node through another command (faketime and its time), with `env` for that process.
 */
export async function runMochaTier(
  name: string,
  entry: string,
  timeoutMs: number,
  node = process.execPath,
  options: { wrapper?: readonly string[]; env?: NodeJS.ProcessEnv; onOutput?: (text: string) => void } = {},
): Promise<TierResult> {
  const started = Date.now();
  const [command, ...prefix]: [string, ...string[]] = options.wrapper ? [options.wrapper[0] ?? node, ...options.wrapper.slice(1), node] : [node];
  const { code, markers } = await runCommand(command, [...prefix, '--enable-source-maps', join(projectRoot, entry)], { timeoutMs, ...(options.env ? { env: options.env } : {}), ...(options.onOutput ? { onOutput: options.onOutput } : {}) });
  return fromSummary(name, code, markers, started);
}

export function fromSummary(name: string, code: number, markers: Record<string, unknown>[], started: number): TierResult {
  const summary = markers.find((m) => m.kind === 'summary') as { passed: number; failed: number } | undefined;
  const passed = summary?.passed ?? 0;
  let failed = summary?.failed ?? 0;
  const failures = titled(markers, 'failure');
  if (code !== 0 && failed === 0) {
    const line = `${name} ended with exit code ${String(code)} before reporting a failed test`;
    console.log(`  ✖ ${line}`);
    failures.push(line);
    failed = 1;
  }
  return { name, passed, failed, seconds: (Date.now() - started) / 1000, failures, retried: titled(markers, 'retried') };
}

/** Each marked test as "title — reason", a failure followed by the details reported for it (indented lines). */
function titled(markers: Record<string, unknown>[], kind: string): string[] {
  const details = (title: unknown): string =>
    markers
      .filter((m) => m.kind === 'detail' && m.title === title && Array.isArray(m.lines))
      .flatMap((m) => (m.lines as unknown[]).map((line) => `\n        ${String(line)}`))
      .join('');
  return markers.filter((m) => m.kind === kind).map((m) => `${String(m.title)} — ${String(m.reason)}${kind === 'failure' ? details(m.title) : ''}`);
}

/** The per-tier counts, then what failed and what passed only when tried again, then the one closing line. */
export function summaryLines(results: readonly TierResult[], started: number): string[] {
  const lines = results.map((r) => `  ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(4)} failed  ${r.seconds.toFixed(1)} s`);
  lines.push(`  total time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const failures = results.flatMap((r) => (r.failed > 0 ? (r.failures?.length ? r.failures : [`(${r.name} failed; its output above says why)`]).map((f) => `  ✖ ${r.name}: ${f}`) : []));
  if (failures.length) lines.push('', '  failed:', ...failures);
  const retried = results.flatMap((r) => (r.retried ?? []).map((t) => `  ↻ ${r.name}: ${t}`));
  if (retried.length) lines.push('', '  failed an attempt and were tried again (flaky: fix them):', ...retried);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  lines.push('', `${String(passed)} passed, ${String(failed)} failed`);
  return lines;
}

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { wasmPath } from './helpers';

/** The request rows' own time, fixed: each process under faketime has its own clock, and the test reads a fixed window. */
export const ROW_TIME = '2026-11-27T12:00:00.000Z';

export interface WriterJob {
  readonly mode: 'interleave' | 'until-killed';
  readonly file: string;
  readonly name: string;
  readonly userId: string;
  readonly ownConfigurationId: string;
  readonly sharedConfigurationId: string;
  readonly count: number;
  readonly clockSkewMs?: number;
}

export interface Writer {
  readonly child: ChildProcess;
  /** The highest sequence number the writer acknowledged as durable. */
  readonly acked: () => number;
  /** Resolves at the first acknowledgement (the writer is mid-stream). */
  readonly firstAck: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

const running = new Set<Writer>();

/** Kills every writer still running (a test that failed or timed out leaves them writing into its folder). */
export async function stopWriters(): Promise<void> {
  const left = [...running];
  for (const writer of left) writer.child.kill('SIGKILL');
  await Promise.all(left.map((w) => w.exited));
}

/** Spawns the compiled writer.fixture.js in a real Node process. */
export function startWriter(job: WriterJob, onAck: (seq: number) => void = () => undefined): Writer {
  const child = spawn(process.execPath, [join(__dirname, 'writer.fixture.js'), JSON.stringify({ ...job, wasm: wasmPath, rowTime: ROW_TIME })], { stdio: ['ignore', 'pipe', 'pipe'] });
  let acked = 0;
  let buffered = '';
  let stderr = '';
  let onFirstAck: () => void = () => undefined;
  const firstAck = new Promise<void>((resolve) => (onFirstAck = resolve));
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const match = /^ack (\d+)$/.exec(line);
      if (match) {
        acked = Math.max(acked, Number(match[1]));
        onAck(acked);
        onFirstAck();
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      onFirstAck();
      running.delete(writer);
      resolve({ code, signal, stderr });
    });
  });
  const writer: Writer = { child, acked: () => acked, firstAck, exited };
  running.add(writer);
  return writer;
}

/**
 * Memory of a run, measured without a clock: retained memory after a forced collection (for in-process checks
 * before and after), and the kernel's own peak resident set size of the real command run as a child process
 * (report-peak-rss.mjs). Nothing samples on a timer, so a busy machine can neither miss a peak nor time out.
 */
import { spawn } from 'node:child_process';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { childEnv } from './cli.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function retainedBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

export interface MeasuredRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Peak RSS of the command's process, in MB, at its exit (report-peak-rss.mjs: VmHWM on Linux). */
  readonly peakMb: number;
}

/**
 * The real command (bin/ → dist/, with --expose-gc as its shebang has it) in a child process; its peak RSS as the
 * kernel counted it. Asynchronous, so
 * that a server in this process (the test Storage server) goes on answering it.
 */
export function peakRssOf(args: readonly string[], env: Record<string, string> = {}): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    // childEnv: tap's TypeScript loader and coverage do not run in the child and weigh in its memory (its small
    // process tracker still does, in every child alike)
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', './tests/helpers/report-peak-rss.mjs', 'bin/totalis-migrate.js', ...args],
      { env: childEnv(env) },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /\npeak-rss-kb (\d+)\n$/.exec(stderr);
      if (m === null) return reject(new Error(`no peak RSS reported; stderr: ${stderr}`));
      resolve({ code: code ?? -1, stdout, stderr: stderr.slice(0, m.index), peakMb: Number(m[1]) / 1024 });
    });
  });
}

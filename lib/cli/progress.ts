/**
 * Progress for long stages: a cli-progress bar when stderr is a terminal, plain lines otherwise (CI logs,
 * pipes), at most one per tenth of the work so a thousand images do not make a thousand lines.
 */
import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { CliIo } from './io.js';

// Loaded only when a bar is drawn: importing cli-progress (and its string-width) cost every command ~15 ms
// of start-up, and most runs (CI, pipes) print plain lines.
const loadCliProgress = (): typeof cliProgressModule =>
  createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;

export interface Progress {
  tick(): void;
  /** A line that must be seen (a retry, a failure), printed above the bar. */
  note(line: string): void;
  stop(): void;
}

export function progress(io: CliIo, label: string, total: number): Progress {
  let done = 0;
  if (io.isTTY && total > 0) {
    const cliProgress = loadCliProgress();
    // the bar writes through io.stderr, like every other line (the redactor sees it too)
    const stream = {
      isTTY: true,
      columns: process.stderr.columns ?? 80,
      write: (s: string): boolean => (io.stderr(s), true),
      on: () => stream,
      removeListener: () => stream,
    };
    const bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {value}/{total}`,
        stream: stream as unknown as NodeJS.WriteStream,
        clearOnComplete: true,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0);
    return {
      tick: () => {
        done++; // a note restarts the bar where it was, not at 0
        bar.increment();
      },
      note: (line) => {
        bar.stop();
        io.stderr(line + '\n');
        bar.start(total, done);
      },
      stop: () => bar.stop(),
    };
  }
  const step = Math.max(1, Math.ceil(total / 10));
  return {
    tick: () => {
      done++;
      if (done % step === 0 || done === total) io.stderr(`${label}: ${done}/${total}\n`);
    },
    note: (line) => io.stderr(line + '\n'),
    stop: () => undefined,
  };
}

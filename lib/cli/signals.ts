/**
 * SIGINT and SIGTERM, from the first moment of the process. bin/ installs these handlers before it loads the
 * CLI (which takes most of a second): with no handler, Node dies by the signal, with no exit code and no word.
 * Until a run takes the signals over (transform: stop, remove the partial output), a signal ends the process
 * with 130 / 143 and one line. No imports: this module must load in no time.
 */
type Handler = (signal: NodeJS.Signals) => void;

/** 128 + the signal's number, what shells expect of a process stopped by it. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

let current: Handler | null = null;
let installed = false;

export function installSignalHandlers(): void {
  if (installed) return;
  installed = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (current !== null) return current(signal);
      process.stderr.write(`totalis-migrate: interrupted by ${signal} [INTERRUPTED]\n`);
      process.exit(SIGNAL_EXIT[signal]);
    });
  }
}

/** Signals go to `handler` until the returned function is called (then to what had them before). */
export function takeSignals(handler: Handler): () => void {
  installSignalHandlers();
  const before = current;
  current = handler;
  return () => {
    current = before;
  };
}

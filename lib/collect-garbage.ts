/**
 * A full garbage collection, on request, when the process was started with `--expose-gc` (the installed
 * command's shebang and the Makefile pass it; bin/totalis-migrate.js). V8 lets tens of MB of dead strings and
 * outgrown buffers pile up between full collections: after an output file or a line that held a value of
 * LARGE_PART characters or more, collecting keeps the peak near one file's worth (docs/performance.md, "Full
 * collections after a long value": one 40 MB value peaks ~35 MB lower). Without the flag (a library caller, an
 * in-process test) nothing is collected here: the outputs are the same, the peak is higher. Ordinary dumps
 * never ask: a collection costs ~10 ms.
 *
 * Not `v8.setFlagsFromString('--expose-gc')` at run time: Node's docs warn that changing V8's flags after
 * the VM has started may crash or lose data.
 */
export const LARGE_PART = 8 << 20;

const gc = (globalThis as { gc?: () => void }).gc;

export function collectGarbage(): void {
  gc?.();
}

/**
 * A full garbage collection, on request. V8 lets tens of MB of dead strings pile up between collections: a
 * 20 MB legacy prompt leaves a few dead copies per output file (the JSON text, the bytes handed to the
 * kernel), and over migration.sql, verify.sql and the JSON files the transform peaked at 323 MB RSS for it
 * (measured here, Node 20.20). Collecting after each file that held such a value keeps the peak near one
 * file's worth. Only for values of LARGE_PART characters or more: a collection costs ~10 ms, and ordinary
 * dumps never pay it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const LARGE_PART = 8 << 20;

let gc: (() => void) | null = null;

export function collectGarbage(): void {
  if (gc === null) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

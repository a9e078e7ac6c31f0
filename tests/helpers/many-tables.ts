/** A dump of many one-row tables that are not ours (issue 26: a million of them), beside a small legacy dump. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeMiniDump } from './mini-dump.js';
import { DUMP_FOOTER } from './parse.js';

/** Writes the legacy mini dump and `many.sql` with `n` tables `public.t_<i>`, one INSERT row each; returns `dir`. */
export function writeManyTablesDump(dir: string, n: number): string {
  writeMiniDump(dir);
  const fd = openSync(join(dir, 'many.sql'), 'w');
  try {
    writeSync(fd, "SET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n");
    const batch: string[] = [];
    for (let i = 1; i <= n; i++) {
      batch.push(`INSERT INTO public.t_${i} (a) VALUES (${i});\n`);
      if (batch.length === 10_000 || i === n) {
        writeSync(fd, batch.join(''));
        batch.length = 0;
      }
    }
    writeSync(fd, `\n${DUMP_FOOTER}`);
  } finally {
    closeSync(fd);
  }
  return dir;
}

// The reader alone: every row of every table decoded to typed values (images included), nothing else.
// Usage: node bench/read-only.mjs <dir>   (uses the built dist/)
import { listDumpFiles, readDump } from '../dist/dump/read-dump.js';
import { LegacySchema } from '../dist/legacy/schema.js';

const schema = new LegacySchema();
let rows = 0;
let bytes = 0;
for (const file of await listDumpFiles([process.argv[2]])) {
  const stats = { sha256: '', fileBytes: 0, sqlBytes: 0, gzip: false };
  for await (const batch of readDump(file, { tables: schema, stats }))
    for (const e of batch) if (e.kind === 'row') rows++;
  bytes += stats.sqlBytes;
}
console.log(JSON.stringify({ rows, bytes }));

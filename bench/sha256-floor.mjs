// The floor of a transform (issue 18): a node process that only computes the sha256 of every input file, the
// one pass over the bytes the contract cannot avoid. One 1 MB buffer read into again and again, as the
// transform's hash worker reads. Usage: node bench/sha256-floor.mjs <dir>
import { createHash } from 'node:crypto';
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const buf = Buffer.allocUnsafe(1 << 20);
for (const name of readdirSync(dir)
  .filter((n) => /\.sql(\.gz)?$/.test(n))
  .sort()) {
  const h = createHash('sha256');
  const fd = openSync(join(dir, name), 'r');
  let n;
  while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) h.update(buf.subarray(0, n));
  closeSync(fd);
  console.log(h.digest('hex'), name);
}

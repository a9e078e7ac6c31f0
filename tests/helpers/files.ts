/** Reading an output folder for comparisons; deterministic bytes to write. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prng } from '../../bench/generate.js';

/** `n` bytes, the same for the same seed on every run, different for each seed. */
export function seededBytes(n: number, seed: number): Buffer {
  const next = prng(seed);
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (next() * 256) | 0;
  return b;
}

/** Every file below `dir`, relative path → bytes, sorted by path. */
export function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/**
 * Generated SQL without what names the run's inputs: the header's input lines, the run id (a hash of the inputs,
 * options and tool version) and the inputs recorded in the ledger. What is left must not depend on which form
 * (COPY, INSERT, gzip) or which order the same data came in.
 */
export function withoutRunIdentity(sql: string): string {
  return sql
    .replace(/^-- {3}\S+\.sql(\.gz)? {2}sha256 [0-9a-f]{64}\n/gm, '')
    .replace(/'[0-9a-f]{16}'/g, "'RUN'")
    .replace(/\b([Rr]un) [0-9a-f]{16}\b/g, '$1 RUN')
    .replace(/'\[\{"name":[^']*\]'::jsonb/g, 'INPUTS');
}

/**
 * Two outputs the same byte for byte, apart from the "changes since the previous output" of report.md and
 * review.html: that part depends on the output a run replaced (none, or another), which is what it reports.
 */
export function sameOutput(a: Map<string, Buffer>, b: Map<string, Buffer>): boolean {
  const norm = (k: string, v: Buffer): string =>
    k === 'report.md'
      ? v.toString('utf8').replace(/## Changes since the previous output\n[\s\S]*?(?=\n## )/, '')
      : k === 'review.html'
        ? v.toString('utf8').replace(/<h2>What changed since the previous output<\/h2>[\s\S]*?(?=<h2>)/, '')
        : v.toString('latin1');
  return a.size === b.size && [...a].every(([k, v]) => b.has(k) && norm(k, b.get(k)!) === norm(k, v));
}

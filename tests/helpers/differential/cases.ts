/**
 * The differential fuzzer's cases: which base dump, which mutations, gzip or not, all from one seed per case
 * (so that any case can be made again from the run's seed and its number), and the greedy minimiser that turns
 * a disagreement into a small regression file.
 */
import { gzipSync } from 'node:zlib';
import { prng } from '../../../bench/generate.js';
import type { BaseDump } from './base-dumps.js';
import { linesOf, mutate } from './mutate.js';

export interface FuzzCase {
  readonly n: number;
  readonly base: string;
  readonly mutations: readonly string[];
  /** The plain SQL (what psql reads, unless a damaged gzip is the point). */
  readonly sql: Buffer;
  /** What our reader reads instead of `sql` when the case is gzipped. */
  readonly gz: Buffer | null;
}

/** Case `n` of the run with seed `seed`: the same bytes on every machine. */
export function makeCase(seed: number, n: number, pool: readonly BaseDump[]): FuzzCase {
  const r = prng((seed ^ Math.imul(n + 1, 0x9e3779b1)) >>> 0);
  const base = pool[Math.floor(r() * pool.length)]!;
  const others = pool.filter((p) => p !== base).map((p) => p.sql);
  const m = mutate(base.sql, r, others);
  const mutations = [...m.mutations];
  let gz: Buffer | null = null;
  if (r() < 0.25) {
    gz = gzipSync(m.sql, { level: r() < 0.5 ? 1 : 9 });
    mutations.push('gzip');
    const k = r();
    if (k < 0.04) {
      gz = gz.subarray(0, Math.floor(r() * gz.length));
      mutations.push('gzip cut');
    } else if (k < 0.08) {
      gz = Buffer.from(gz);
      const at = Math.floor(r() * gz.length);
      gz[at] = gz[at]! ^ (1 << Math.floor(r() * 8));
      mutations.push('gzip byte');
    } else if (k < 0.14) {
      // two gzip members, as `cat a.gz b.gz` makes: gunzip reads them as one stream
      const at = Math.floor(r() * m.sql.length);
      gz = Buffer.concat([gzipSync(m.sql.subarray(0, at)), gzipSync(m.sql.subarray(at))]);
      mutations.push('gzip members');
    }
  }
  return { n, base: base.name, mutations, sql: m.sql, gz };
}

/**
 * Greedy line removal: the smallest file (by lines, then by the lines' own text left alone) for which `same`
 * still holds, in at most `budget` tries. `same` re-runs both judges.
 */
export async function minimise(
  sql: Buffer,
  same: (candidate: Buffer) => Promise<boolean>,
  budget = 200,
): Promise<Buffer> {
  let lines = linesOf(sql);
  let tries = 0;
  for (let size = Math.max(1, lines.length >> 1); size >= 1; size = size === 1 ? 0 : Math.max(1, size >> 1)) {
    for (let i = 0; i < lines.length && tries < budget;) {
      const candidate = [...lines.slice(0, i), ...lines.slice(i + size)];
      tries++;
      if (candidate.length > 0 && (await same(Buffer.concat(candidate)))) lines = candidate;
      else i += size;
    }
  }
  return Buffer.concat(lines);
}

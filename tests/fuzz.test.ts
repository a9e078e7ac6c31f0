// Fuzzing the reader with random mutations of the real samples: bit flips, cut points, duplicated, dropped
// and swapped lines, inserted bytes, in chunks of random sizes. Whatever the input, the reader either reads
// it or stops with our own coded error (MigrateError): never another exception, never a hang. The memory a
// parser holds is bounded by what the code decides (its store shrinks after a huge line:
// tests/chunk-buffer.test.ts); the heap's growth here is reported, never asserted (the garbage collector and
// the machine's load would decide it). A fixed seed; FUZZ_RUNS=20000 (or FUZZ_SEED) for more.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import t from 'tap';
import { DumpParser } from '../lib/dump/dump-parser.js';
import type { DumpEvent } from '../lib/dump/events.js';
import { MigrateError } from '../lib/errors.js';
import { LegacySchema } from '../lib/legacy/schema.js';
import { prng } from '../bench/generate.js';
import { retainedBytes } from './helpers/memory.js';
import { linesOf } from './helpers/differential/mutate.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261121);

const SOURCES: readonly Buffer[] = [
  readFileSync('samples/config_data.sql'),
  readFileSync('samples/coaches_with_images.sql'),
  readFileSync('samples/totalis_schema.sql'),
  readFileSync('samples/categories.sql').subarray(0, 12_000), // its first rows (the 1 MB text comes later)
  gunzipSync(readFileSync('samples/inserts/config_data.sql.gz')),
  gunzipSync(readFileSync('samples/inserts/coaches_with_images.sql.gz')),
  gunzipSync(readFileSync('samples/inserts/categories.sql.gz')).subarray(0, 12_000),
];

type Mutation = (b: Buffer, r: () => number) => Buffer;
const at = (b: Buffer, r: () => number): number => Math.floor(r() * b.length);
const lines = linesOf;
const MUTATIONS: readonly [string, Mutation][] = [
  [
    'bit flips',
    (b, r) => {
      const c = Buffer.from(b);
      for (let k = 1 + Math.floor(r() * 8); k > 0; k--) c[at(c, r)]! ^= 1 << Math.floor(r() * 8);
      return c;
    },
  ],
  ['cut', (b, r) => b.subarray(0, at(b, r))],
  [
    'duplicated line',
    (b, r) => {
      const l = lines(b);
      const i = Math.floor(r() * l.length);
      return Buffer.concat([...l.slice(0, i + 1), l[i]!, ...l.slice(i + 1)]);
    },
  ],
  [
    'dropped line',
    (b, r) => {
      const l = lines(b);
      const i = Math.floor(r() * l.length);
      return Buffer.concat([...l.slice(0, i), ...l.slice(i + 1)]);
    },
  ],
  [
    'swapped lines',
    (b, r) => {
      const l = lines(b);
      const i = Math.floor(r() * l.length);
      const j = Math.floor(r() * l.length);
      [l[i], l[j]] = [l[j]!, l[i]!];
      return Buffer.concat(l);
    },
  ],
  [
    'inserted bytes',
    (b, r) => {
      const i = at(b, r);
      const junk = Buffer.from(
        Array.from(
          { length: 1 + Math.floor(r() * 6) },
          () => [0x5c, 0x09, 0x0a, 0x0d, 0x27, 0x00, 0xff, 0x2e, 0x4e, 0x3b][Math.floor(r() * 10)]!,
        ),
      );
      return Buffer.concat([b.subarray(0, i), junk, b.subarray(i)]);
    },
  ],
];

t.test(`${RUNS} mutated samples: read, or our own error`, async (t) => {
  const r = prng(SEED);
  const schema = new LegacySchema();
  const outcomes = new Map<string, number>();
  const before = retainedBytes();
  let slowest = 0;
  for (let run = 0; run < RUNS; run++) {
    const src = SOURCES[run % SOURCES.length]!;
    const [name, mutate] = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!;
    let input = mutate(src, r);
    if (r() < 0.3) input = mutate(input, r); // sometimes two mutations
    const chunk = 1 + Math.floor(r() * 4096);
    const t0 = performance.now();
    let outcome = 'read';
    try {
      const p = new DumpParser({ file: 'fuzz.sql', tables: schema });
      const out: DumpEvent[] = [];
      for (let i = 0; i < input.length; i += chunk) p.push(input.subarray(i, i + chunk), out);
      p.end(out);
    } catch (e) {
      if (!(e instanceof MigrateError)) {
        t.fail(`run ${run} (${name}, seed ${SEED}): not our error: ${(e as Error).stack}`);
        continue;
      }
      if (e.position.file !== 'fuzz.sql' || e.position.line === undefined)
        t.fail(`run ${run}: the error has no position: ${e.message}`);
      outcome = e.code;
    }
    slowest = Math.max(slowest, performance.now() - t0);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  const growth = retainedBytes() - before;
  t.comment(
    `outcomes: ${[...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
  // a hang never ends, so it cannot be asserted on here: tests/lexer-termination.test.ts bounds the lexers in a
  // child process; the slowest case is reported, never asserted (the machine's load would decide it)
  t.comment(`slowest case ${slowest.toFixed(0)} ms`);
  t.comment(`retained memory grew by ${(growth / 1e6).toFixed(1)} MB over ${RUNS} runs`);
  t.ok((outcomes.get('read') ?? 0) > 0 && outcomes.size > 5, 'the mutations reach both outcomes and many error codes');
});

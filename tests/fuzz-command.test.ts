// The transform command, fuzzed as users would meet it: seeded mutations of the sample dumps (bit flips,
// cuts, duplicated, dropped and swapped lines, inserted bytes), each case run through the command's own entry
// point (main(), what bin/ calls) over an out/ written by a good run. Whatever the input: exit 0, 1 or 2
// only; every exit-2 error names its position (the file and line; for a table in no file, each file read); a refused
// run leaves the
// previous out/ byte-identical and no partial output. FUZZ_COMMAND_RUNS (default 200) and FUZZ_SEED for more.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { prng } from '../bench/generate.js';
import { cli } from './helpers/cli.js';
import { readTree } from './helpers/files.js';

const RUNS = Number(process.env['FUZZ_COMMAND_RUNS'] ?? 200);
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261130);
const FILES = ['coaches_with_images.sql', 'categories.sql', 'config_data.sql', 'totalis_schema.sql'];

function mutate(b: Buffer, r: () => number): [string, Buffer] {
  const at = Math.floor(r() * b.length);
  const lines = b.toString('latin1').split(/(?<=\n)/);
  const i = Math.floor(r() * lines.length);
  const j = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 6)) {
    case 0: {
      const c = Buffer.from(b);
      for (let k = 1 + Math.floor(r() * 8); k > 0; k--) c[Math.floor(r() * c.length)]! ^= 1 << Math.floor(r() * 8);
      return ['bit flips', c];
    }
    case 1:
      return ['cut', b.subarray(0, at)];
    case 2:
      lines.splice(i, 0, lines[i]!);
      return ['duplicated line', Buffer.from(lines.join(''), 'latin1')];
    case 3:
      lines.splice(i, 1);
      return ['dropped line', Buffer.from(lines.join(''), 'latin1')];
    case 4:
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return ['swapped lines', Buffer.from(lines.join(''), 'latin1')];
    default: {
      const junk = Buffer.from(
        Array.from(
          { length: 1 + Math.floor(r() * 6) },
          () => [0x5c, 0x09, 0x0a, 0x27, 0x00, 0xff, 0x24, 0x3b][Math.floor(r() * 8)]!,
        ),
      );
      return ['inserted bytes', Buffer.concat([b.subarray(0, at), junk, b.subarray(at)])];
    }
  }
}

t.test(`${RUNS} mutated sample sets through the transform command`, async (t) => {
  const root = t.testdir({});
  const out = join(root, 'out');
  t.equal((await cli(['transform', '--dump', 'samples', '--out', out])).code, 0);
  const previous = readTree(out);
  const originals = new Map(FILES.map((f) => [f, readFileSync(join('samples', f))]));
  const r = prng(SEED);
  const outcomes = new Map<string, number>();
  let slowest = 0;
  for (let run = 0; run < RUNS; run++) {
    const dump = join(root, `case${run % 4}`);
    mkdirSync(dump, { recursive: true });
    cpSync('samples', dump, {
      recursive: true,
      filter: (src) => !/\/(gzip|inserts|source)$/.test(src) && !src.endsWith('.sh'),
    });
    const file = FILES[Math.floor(r() * FILES.length)]!;
    const [how, bytes] = mutate(originals.get(file)!, r);
    writeFileSync(join(dump, file), bytes);
    const t0 = performance.now();
    const res = await cli(['transform', '--dump', dump, '--out', out]);
    slowest = Math.max(slowest, performance.now() - t0);
    const label = `case ${run} (${how} in ${file}, seed ${SEED})`;
    const code = res.stderr.match(/\[([A-Z_]+)\]\s*$/)?.[1] ?? String(res.code);
    outcomes.set(`${res.code} ${code}`, (outcomes.get(`${res.code} ${code}`) ?? 0) + 1);
    if (![0, 1, 2].includes(res.code)) {
      t.fail(`${label}: exit ${res.code}: ${res.stderr.slice(0, 500)}`);
      continue;
    }
    // a position: the file and line, or for a table missing from every file, the files read and what each held
    if (res.code === 2 && !/\.sql(:\d+[,:]|: | \()/.test(res.stderr))
      t.fail(`${label}: the error names no position: ${res.stderr.slice(0, 300)}`);
    if (res.code !== 0) {
      const now = readTree(out);
      if (!(now.size === previous.size && [...previous].every(([k, v]) => now.get(k)?.equals(v) === true)))
        t.fail(`${label}: the previous out/ changed`);
    } else {
      // a mutation that still reads is a new output; the next cases are measured against it
      for (const [k, v] of readTree(out)) previous.set(k, v);
      for (const k of [...previous.keys()]) if (!existsSync(join(out, k))) previous.delete(k);
    }
    if (existsSync(`${out}.partial`) || existsSync(`${out}.lock`))
      t.fail(`${label}: a partial output or a lock was left behind`);
  }
  // reported, not asserted: the machine's load decides them (a hang is tests/lexer-termination.test.ts's to catch)
  t.comment(
    `slowest case ${slowest.toFixed(0)} ms; peak RSS of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
  );
  t.comment(
    `outcomes (exit, code): ${[...outcomes]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ×${v}`)
      .join(', ')}`,
  );
  t.ok(
    [...outcomes.keys()].some((k) => k.startsWith('0')) && [...outcomes.keys()].some((k) => k.startsWith('2')),
    'the mutations reach both outcomes',
  );
});

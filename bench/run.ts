/**
 * make bench: generates (once, cached under bench/data/) the large dumps, then runs side by side on the same
 * files: `cat > /dev/null` (the read floor), the reader alone, the whole transform (images written), and,
 * when a PostgreSQL server is reachable (DATABASE_URL), restoring the same dump with psql into a scratch
 * database (what users would otherwise do before writing their own SQL). Reports MB/s, rows/s, peak RSS and
 * the ratios, and writes bench/results.md. Figures are benchmark output, never test assertions.
 * Usage: node --import tsx bench/run.ts [--big] [--runs N]   (--big adds the 4 GB image-heavy dump)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { generateImageHeavy, generateTextHeavy } from './generate.js';
import { measurePush } from './push.js';

const DATA = 'bench/data';
/** Every run's output, kept until the end (see below why), then deleted. */
const SCRATCH = join(DATA, 'scratch');
const big = process.argv.includes('--big');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg === -1 ? 3 : Number(process.argv[runsArg + 1]);
const DATABASE_URL = process.env['DATABASE_URL'];

interface Dataset {
  readonly name: string;
  readonly dir: string;
  readonly describe: string;
  make(): void;
}

const datasets: Dataset[] = [
  { name: 'image-heavy 1 GB', dir: join(DATA, 'img-1g'), describe: 'coaches_with_images.sql: 200 coaches, ~1,550 JPEG/PNG images of 5 kB-2 MB (800 referenced), hex bytea', make: () => generateImageHeavy(join(DATA, 'img-1g'), 1e9, 1) },
  { name: 'text-heavy 1M rows', dir: join(DATA, 'text-1m'), describe: 'messages.sql: 1,000,000 short rows of public.tls_message full of escapes (tabs, newlines, backslashes, quotes, UTF-8), plus the small legacy files. tls_message is not a legacy table: the transform checks each of its rows as PostgreSQL would read them (field count, escapes, encoding) and counts them, but makes no values; the reader row makes every value', make: () => generateTextHeavy(join(DATA, 'text-1m'), 1e6, 1) },
];
if (big) datasets.push({ name: 'image-heavy 4 GB', dir: join(DATA, 'img-4g'), describe: 'as the 1 GB one, four times the images', make: () => generateImageHeavy(join(DATA, 'img-4g'), 4e9, 4) });

interface Measure {
  seconds: number;
  /** User + system time of the fastest run, all its threads (and children) together. */
  cpuSeconds: number;
  maxRssMb: number | null;
}

/**
 * Runs a command under GNU time; the best of RUNS wall times (with that run's CPU time) and the largest peak
 * RSS. `args` may depend on the run (1, 2, ...), e.g. a fresh output folder for each.
 */
function measure(cmd: string, args: string[] | ((run: number) => string[])): Measure {
  let best = Infinity;
  let cpu = 0;
  let rss: number | null = null;
  for (let i = 1; i <= RUNS; i++) {
    const a = typeof args === 'function' ? args(i) : args;
    const t0 = process.hrtime.bigint();
    const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...a], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9; // GNU time's %e has 10 ms resolution
    if (r.status !== 0) throw new Error(`${cmd} ${a.join(' ')} failed:\n${r.stderr}`);
    const [user, sys, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number) as [number, number, number];
    if (seconds < best) [best, cpu] = [seconds, user + sys];
    rss = Math.max(rss ?? 0, kb / 1024);
  }
  return { seconds: best, cpuSeconds: cpu, maxRssMb: rss };
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.sql')).sort().map((f) => join(dir, f));
}

function rowsOf(dir: string): number {
  const out = execFileSync('node', ['bench/read-only.mjs', dir], { encoding: 'utf8' });
  return (JSON.parse(out) as { rows: number }).rows;
}

function psqlRestore(dir: string): Measure | null {
  if (DATABASE_URL === undefined || spawnSync('psql', ['--version']).status !== 0) return null;
  const db = 'totalis_bench_restore';
  const admin = (sql: string): void => void execFileSync('psql', [DATABASE_URL, '-X', '-q', '-c', sql]);
  admin(`DROP DATABASE IF EXISTS ${db}`);
  admin(`CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8'`);
  const u = new URL(DATABASE_URL);
  u.pathname = '/' + db;
  try {
    execFileSync('psql', [u.href, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', 'samples/source/legacy-schema.sql', '-c', 'CREATE TABLE tls_message (id serial PRIMARY KEY, user_id integer, body text, created timestamp)']);
    // a restore of data-only dumps: every file through psql, as users would do
    const files = sqlFiles(dir);
    const m = measure('sh', ['-c', files.map((f) => `psql '${u.href}' -X -q -v ON_ERROR_STOP=1 -f '${f}' > /dev/null`).join(' && ') + ` && psql '${u.href}' -X -q -c 'TRUNCATE tls_coach, tls_image, tls_category, tls_prompt, tls_variable, tls_system, tls_message'`]);
    return m;
  } finally {
    admin(`DROP DATABASE IF EXISTS ${db}`);
  }
}

const results: string[] = [];
const mb = (bytes: number, s: number): string => (bytes / 1e6 / s).toFixed(0);
const rps = (rows: number, s: number): string => Math.round(rows / s).toLocaleString('en-US');

rmSync(SCRATCH, { recursive: true, force: true }); // left by a benchmark that stopped midway
for (const ds of datasets) {
  if (!existsSync(ds.dir)) {
    console.error(`generating ${ds.name} in ${ds.dir} …`);
    ds.make();
  }
  const files = sqlFiles(ds.dir);
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  const rows = rowsOf(ds.dir);
  console.error(`${ds.name}: ${(bytes / 1e6).toFixed(0)} MB, ${rows} rows`);
  measure('sh', ['-c', `cat ${files.join(' ')} > /dev/null`]); // warm the page cache for everyone
  const floor = measure('sh', ['-c', `cat ${files.join(' ')} > /dev/null`]);
  const reader = measure('node', ['bench/read-only.mjs', ds.dir]);
  // Every run writes into a folder of its own, and nothing is deleted until the benchmark ends: on ext4
  // without a journal (this VM), creating files within a minute or so of deleting many makes the kernel step
  // over each recently deleted inode (recently_deleted() in its inode allocator): 800 empty files took
  // 0.70-0.92 s right after such churn, 0.04 s after 100 quiet seconds. Deleting out/ between runs would time
  // that, not us; a user's first run does not follow a thousand deletions.
  const scratch = join(SCRATCH, ds.dir.split('/').at(-1)!);
  const transformArgs = (out: string): string[] => ['bin/totalis-migrate.js', 'transform', '--dump', ds.dir, '--out', out];
  // every run from nothing: no earlier out/ to replace (or to link unchanged images from)
  const transform = measure('node', (i) => transformArgs(join(scratch, `out-${i}`)));
  // and again over the out/ the last run left: what a re-run costs (unchanged images linked, the old out/ deleted)
  const last = join(scratch, `out-${RUNS}`);
  const again = measure('node', transformArgs(last));
  // the images' share of the transform: the kernel's cost of writing the same files, with cp
  const writeFloor = existsSync(join(last, 'images', 'coach-images')) ? measure('cp', (i) => ['-r', join(last, 'images'), join(scratch, `images-copy-${i}`)]) : null;
  const restore = psqlRestore(ds.dir);
  const cpuCell = (m: Measure): string => `${m.cpuSeconds.toFixed(2)} s (${((m.cpuSeconds / m.seconds) * 100).toFixed(0)}%)`;
  const line = (what: string, m: Measure, vsPsql = true): string => `| ${what} | ${m.seconds.toFixed(2)} s | ${cpuCell(m)} | ${mb(bytes, m.seconds)} MB/s | ${rps(rows, m.seconds)} | ${m.maxRssMb === null ? '' : m.maxRssMb.toFixed(0) + ' MB'} | ${(m.seconds / floor.seconds).toFixed(1)}× the floor |${restore !== null && vsPsql ? ` ${(restore.seconds / m.seconds).toFixed(1)}× faster than psql |` : ' |'}`;
  results.push(
    `### ${ds.name}`,
    '',
    `${ds.describe}. ${(bytes / 1e6).toFixed(0)} MB in ${files.length} files, ${rows.toLocaleString('en-US')} rows.`,
    '',
    '| run | time | CPU (% of one core) | throughput | rows/s | peak RSS | vs read floor | vs psql restore |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| cat > /dev/null (read floor) | ${floor.seconds.toFixed(2)} s | ${cpuCell(floor)} | ${mb(bytes, floor.seconds)} MB/s | | | 1.0× | |`,
    line('reader alone (every value decoded)', reader),
    line('transform (whole pipeline, images written)', transform),
    line('transform again, over its previous out/ (unchanged images linked)', again),
    ...(writeFloor === null ? [] : [`| writing the same images alone (\`cp -r out/images\`) | ${writeFloor.seconds.toFixed(2)} s | ${cpuCell(writeFloor)} | | | | | |`]),
    restore === null ? '| psql restore | not run: no DATABASE_URL | | | | | | |' : line('psql restore into a scratch database', restore, false),
    '',
  );
  console.error(results.slice(-6).join('\n'));
}

// push-images against the test Storage server, each request held for a fixed delay
const push: string[] = ['### push-images', '', 'Against the test Storage server (tests/helpers/fake-storage.ts), which holds every request for the delay shown; the real command in a child process, in-flight uploads sampled every millisecond while it uploads.', '', '| images | delay | concurrency | command time | uploads/s while uploading | ideal (concurrency / delay) | mean in flight / concurrency | max in flight |', '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
for (const [delayMs, concurrency] of [[20, 6], [50, 6], [20, 16]] as const) {
  const p = await measurePush(600, 100_000, delayMs, concurrency);
  push.push(`| ${p.images} × ${p.bytes / p.images / 1000} kB | ${p.delayMs} ms | ${p.concurrency} | ${p.seconds.toFixed(2)} s | ${p.uploadsPerSecond.toFixed(0)} | ${p.idealPerSecond.toFixed(0)} | ${(p.busy * 100).toFixed(0)}% | ${p.maxInFlight} |`);
  console.error(push.at(-1));
}
results.push(...push, '');

const cpu = cpus()[0]?.model ?? 'unknown CPU';
writeFileSync(
  'bench/results.md',
  [
    '# Benchmark results',
    '',
    `Written by \`make bench\` (bench/run.ts). Machine: ${cpus().length} cores (${cpu.trim()}), Node ${process.version}, PostgreSQL ${DATABASE_URL !== undefined ? execFileSync('psql', ['-XAtc', 'SHOW server_version', DATABASE_URL], { encoding: 'utf8' }).trim() : 'not reachable'}. Warm page cache; best of ${RUNS} run(s), each into an output folder of its own (all deleted at the end); CPU (user + system time of the run shown, every thread; 200% = both cores busy all along) and peak RSS from GNU time (for psql, of the psql client only: the server's work is not in them).`,
    '',
    ...results,
    'Budgets (issue 6): image-heavy transform at least 6× faster than the psql restore and at least 500 MB/s; text-heavy at least 150 MB/s; peak RSS at most 200 MB, and the 1 GB and 4 GB dumps within 20% of each other.',
    '',
  ].join('\n'),
);
console.error('wrote bench/results.md');
rmSync(SCRATCH, { recursive: true, force: true });

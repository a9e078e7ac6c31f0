/**
 * The differential fuzzer's starting points: real pg_dump 15 output of the legacy schema, made once per test
 * run from a scratch database that holds the committed samples' data, in every form the reader accepts.
 */
import { spawnSync } from 'node:child_process';
import { psql, psqlOk } from '../pg.js';

export interface BaseDump {
  /** e.g. `coaches_with_images --rows-per-insert=3`. */
  readonly name: string;
  /** The pg_dump form: the options after --data-only. */
  readonly form: string;
  /** The plain SQL pg_dump wrote (gzip is applied per case). */
  readonly sql: Buffer;
}

/** The three data files production exports (samples/make-samples.sh), by their tables. */
const GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['coaches_with_images', ['tls_coach', 'tls_image']],
  ['categories', ['tls_category']],
  ['config_data', ['tls_prompt', 'tls_variable', 'tls_system']],
];

/** Every form the reader reads: COPY and the INSERT forms. */
export const FORMS: readonly string[] = ['', '--inserts', '--column-inserts', '--rows-per-insert=3'];
/** Forms that become part of the pool only once the reader reads their unmutated dump. */
export const PENDING_FORMS: readonly string[] = [
  '--inserts --on-conflict-do-nothing',
  '--column-inserts --on-conflict-do-nothing',
  '--rows-per-insert=3 --on-conflict-do-nothing',
];

/**
 * Fills `url` (an empty database) with the legacy schema (samples/totalis_schema.sql, foreign keys and all, so
 * pg_dump writes the tables in production's order) and the samples' rows. The seed keeps one broken reference
 * on purpose, so the rows go in with session_replication_role = replica, as make-samples.sh does.
 */
export function loadLegacySamples(url: string): void {
  psqlOk(['-f', 'samples/totalis_schema.sql'], undefined, url);
  for (const f of ['coaches_with_images', 'categories', 'config_data']) {
    const r = spawnSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', `samples/${f}.sql`], {
      env: { ...process.env, PGOPTIONS: '-c session_replication_role=replica' },
    });
    if (r.status !== 0) throw new Error(`loading samples/${f}.sql failed: ${r.stderr.toString()}`);
  }
  // The samples' 1,000,000-byte text (tests/samples.test.ts reads it) cut to 2,000 bytes of the same text: each case
  // is restored and read whole, and mutations pick a line, so a 1 MB line would cost much and add nothing.
  psqlOk(
    [
      '-c',
      'UPDATE public.tls_category SET guidelines_file_text = left(guidelines_file_text, 2000) WHERE length(guidelines_file_text) > 2000',
    ],
    undefined,
    url,
  );
}

/** pg_dump --data-only of each group in each form (PENDING_FORMS too: the caller decides whether to use them). */
export function makeBaseDumps(url: string): BaseDump[] {
  const out: BaseDump[] = [];
  for (const form of [...FORMS, ...PENDING_FORMS]) {
    for (const [group, tables] of GROUPS) {
      const args = [
        '--no-owner',
        '--no-privileges',
        '--data-only',
        ...restrictKey(),
        ...form.split(' ').filter((a) => a !== ''),
        ...tables.flatMap((t) => ['-t', `public.${t}`]),
        url,
      ];
      const r = spawnSync('pg_dump', args, { maxBuffer: 1 << 28 });
      if (r.status !== 0) throw new Error(`pg_dump ${args.join(' ')} failed: ${r.stderr.toString()}`);
      out.push({
        name: `${group}${form === '' ? ' COPY' : ` ${form}`}`,
        form: form === '' ? 'COPY' : form,
        sql: r.stdout,
      });
    }
  }
  return out;
}

/**
 * A fixed \restrict key where pg_dump has the option (15.14+), so that the base dumps, and so every case of a
 * seed, are the same bytes on every run; older pg_dump writes no key at all.
 */
function restrictKey(): string[] {
  const help = spawnSync('pg_dump', ['--help']).stdout?.toString() ?? '';
  return help.includes('--restrict-key')
    ? ['--restrict-key=DifferentialFuzzerFixedKey0123456789abcdefghijklmnopqrstuvwxyzAB']
    : [];
}

/** The database's name in a URL (scratch databases are named after it, so that each user's stay apart). */
export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1)) || 'postgres';
}

/** The oracle's database: the legacy tables, without their foreign keys (each data file is restored alone). */
export function makeOracleTables(url: string): void {
  psqlOk(['-f', 'samples/totalis_schema.sql'], undefined, url);
  const r = psql(
    [
      '-At',
      '-c',
      "SELECT format('ALTER TABLE %s DROP CONSTRAINT %I;', conrelid::regclass, conname) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
    ],
    undefined,
    url,
  );
  if (r.code !== 0) throw new Error(r.stderr);
  if (r.stdout.trim() !== '') psqlOk(['-c', r.stdout], undefined, url);
}

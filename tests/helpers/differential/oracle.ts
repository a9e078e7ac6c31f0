/**
 * The differential fuzzer's two judges of one file: psql (the oracle) restoring it into a database that holds
 * the legacy tables, in one transaction with ON_ERROR_STOP=1, so that it accepts or refuses the file as a whole;
 * and our reader (readLegacyDump, what the CLI uses). Then the verdict: psql refuses ⇒ we must refuse;
 * psql accepts ⇒ our records must equal, value by value, what the database then holds.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import pg from 'pg';
import { MigrateError } from '../../../lib/errors.js';
import { readLegacyDump, type LegacyDump } from '../../../lib/legacy/read-legacy.js';
import { BUILTIN_SCHEMA, LEGACY_TABLES, type LegacyTableName } from '../../../lib/legacy/schema.js';

/** Rows of each legacy table, sorted by id, every value normalised (`norm`). */
export type Tables = Record<LegacyTableName, Record<string, unknown>[]>;

export type PsqlOutcome =
  { readonly accepted: true; readonly tables: Tables } | { readonly accepted: false; readonly error: string };
export type ReaderOutcome =
  | { readonly accepted: true; readonly tables: Tables }
  | { readonly accepted: false; readonly code: string; readonly message: string }
  | { readonly crashed: string; readonly accepted: false; readonly code: 'CRASH'; readonly message: string };

/**
 * A timestamp as PostgreSQL prints it: the reader keeps a timestamp's exact text (docs/reading.md), so trailing
 * zeros of the fraction, which PostgreSQL does not print, are the one difference the comparison allows.
 */
export function canonicalTimestamp(s: string): string {
  return s.replace(/\.(\d*?)0+(?=$| )/, (_m, d: string) => (d === '' ? '' : `.${d}`));
}

function normValue(v: unknown, pgType: string): unknown {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return `hex:${v.toString('hex')}`;
  if (pgType.startsWith('timestamp') && typeof v === 'string') return canonicalTimestamp(v);
  return v;
}

function emptyTables(): Tables {
  return { tls_image: [], tls_coach: [], tls_category: [], tls_prompt: [], tls_variable: [], tls_system: [] };
}

/** The reader's records, normalised. */
export function tablesOfDump(d: LegacyDump): Tables {
  const src: Record<LegacyTableName, readonly object[]> = {
    tls_image: d.images,
    tls_coach: d.coaches,
    tls_category: d.categories,
    tls_prompt: d.prompts,
    tls_variable: d.variables,
    tls_system: d.systems,
  };
  const out = emptyTables();
  for (const t of LEGACY_TABLES) {
    const cols = BUILTIN_SCHEMA[t].columns;
    out[t] = src[t]
      .map((rec) =>
        Object.fromEntries(cols.map((c) => [c.name, normValue((rec as Record<string, unknown>)[c.name], c.pgType)])),
      )
      .sort((a, b) => (a['id'] as number) - (b['id'] as number));
  }
  return out;
}

/** What the database holds, in the same shape: every column of every legacy table, as PostgreSQL prints it. */
async function tablesOfDb(client: pg.Client): Promise<Tables> {
  const out = emptyTables();
  for (const t of LEGACY_TABLES) {
    const cols = BUILTIN_SCHEMA[t].columns;
    const res = await client.query<Record<string, string | null>>({
      text: `SELECT ${cols.map((c) => `"${c.name}"`).join(', ')} FROM public.${t} ORDER BY id`,
      types: { getTypeParser: () => (v: string) => v },
    });
    out[t] = res.rows.map((row) =>
      Object.fromEntries(
        cols.map((c) => {
          const v = row[c.name] ?? null;
          if (v === null) return [c.name, null];
          switch (c.type) {
            case 'int4':
              return [c.name, Number(v)];
            case 'bool':
              return [c.name, v === 't'];
            case 'bytea':
              return [c.name, `hex:${v.slice(2)}`];
            default:
              return [c.name, v];
          }
        }),
      ),
    );
  }
  return out;
}

/** The first difference between two sets of tables, in words; null when they are equal. */
export function firstDifference(
  ours: Tables,
  theirs: Tables,
): { where: string; type: string; ours: unknown; psql: unknown } | null {
  for (const t of LEGACY_TABLES) {
    const a = ours[t];
    const b = theirs[t];
    const ids = [...new Set([...a.map((x) => x['id']), ...b.map((x) => x['id'])])].sort(
      (x, y) => (x as number) - (y as number),
    );
    for (const id of ids) {
      const ra = a.filter((x) => x['id'] === id);
      const rb = b.filter((x) => x['id'] === id);
      if (ra.length !== rb.length)
        return { where: `${t} id ${String(id)}: rows`, type: 'rows', ours: ra.length, psql: rb.length };
      for (let k = 0; k < ra.length; k++) {
        for (const c of BUILTIN_SCHEMA[t].columns) {
          if (JSON.stringify(ra[k]![c.name]) !== JSON.stringify(rb[k]![c.name]))
            return { where: `${t}.${c.name}`, type: c.pgType, ours: ra[k]![c.name], psql: rb[k]![c.name] };
        }
      }
    }
  }
  return null;
}

/** One database the oracle restores into, cleared before each case. */
export class OracleDb {
  private readonly client: pg.Client;
  constructor(readonly url: string) {
    this.client = new pg.Client({ connectionString: url });
  }
  async open(): Promise<void> {
    await this.client.connect();
    await this.client.query("SET client_encoding = 'UTF8'; SET DateStyle = ISO; SET bytea_output = hex");
  }
  async close(): Promise<void> {
    await this.client.end();
  }

  /**
   * psql restores `sql` (the plain bytes; for a gzip case, what gunzip gives) as the operator does:
   * `psql -X -v ON_ERROR_STOP=1 -1 -f FILE`, the client encoding UTF8 unless the file sets another.
   */
  async restore(sqlPath: string): Promise<PsqlOutcome> {
    await this.client.query(`TRUNCATE ${LEGACY_TABLES.map((t) => `public.${t}`).join(', ')}`);
    const r = await run('psql', [this.url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-1', '-f', sqlPath], {
      PGCLIENTENCODING: 'UTF8',
      PGOPTIONS: '',
    });
    // an ERROR psql went on after (a file that turns ON_ERROR_STOP off) is a refusal too: the operator sees it
    if (r.code !== 0 || /\bERROR: /.test(r.stderr))
      return { accepted: false, error: firstError(r.stderr) || `psql exited ${r.code}` };
    return { accepted: true, tables: await tablesOfDb(this.client) };
  }
}

/** psql's first ERROR line (or its first line), without the file name and line psql puts first. */
export function firstError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const err =
    lines.find((l) => /\b(ERROR|FATAL|error):/.test(l) || /invalid command|unterminated/.test(l)) ?? lines[0] ?? '';
  return err.replace(/^psql:[^:]*:\d+: /, '');
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const err: Buffer[] = [];
    p.stderr.on('data', (d: Buffer) => err.push(d));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code: code ?? -1, stderr: Buffer.concat(err).toString('utf8') }));
  });
}

/**
 * The legacy schema the judging database holds (psql restores into its tables), given to our reader beside each
 * file as the production export gives it: plain --inserts name no columns, and without the schema dump the
 * reader refuses them (COLUMN_ORDER_UNKNOWN, docs/reading.md).
 */
export const LEGACY_SCHEMA_DUMP = 'samples/totalis_schema.sql';

/** Our reader on one file and the schema dump, as the CLI reads the production export. */
export async function readerOutcome(path: string): Promise<ReaderOutcome> {
  try {
    return { accepted: true, tables: tablesOfDump(await readLegacyDump([LEGACY_SCHEMA_DUMP, path])) };
  } catch (e) {
    if (e instanceof MigrateError) return { accepted: false, code: e.code, message: e.message };
    return { accepted: false, code: 'CRASH', crashed: (e as Error).stack ?? String(e), message: String(e) };
  }
}

/**
 * Refusals that docs/reading.md promises although psql would restore the file: the reader is stricter there
 * on purpose. `when` narrows a code to the promised case. Any other refusal of a file psql restores is a
 * disagreement.
 */
export const DOCUMENTED_STRICTER: Readonly<
  Record<string, { readonly why: string; readonly when?: (message: string) => boolean }>
> = {
  DUMP_INCOMPLETE: { why: 'a finished dump only: the file must end as pg_dump ends it (docs/reading.md)' },
  // psql ends a COPY at the end of the file as if \. were there; a file cut there is unfinished
  COPY_NO_END_MARKER: { why: 'a finished dump only: a file cut inside COPY data is refused (docs/reading.md)' },
  VALUE_TIMESTAMP: { why: 'timestamps must be ISO, as pg_dump writes them (docs/reading.md)' },
  META_COMMAND_UNKNOWN: { why: 'a psql meta-command pg_dump never writes is refused (docs/reading.md)' },
  ENCODING_UNSUPPORTED: { why: 'client encodings other than UTF8, LATIN1 and WIN1252 are refused (docs/reading.md)' },
  COPY_LITERAL_CR: { why: 'a bare CR line ending is refused (docs/reading.md)' },
  SQL_STATEMENT_UNKNOWN: {
    why: 'a statement pg_dump does not write is refused, not skipped (issue 26 item 1; docs/reading.md)',
  },
  SQL_SYNTAX: {
    why: "a bit-string constant B'…' / X'…', a national character constant N'…', a Unicode escape string U&'…', DEFAULT as a value or a cast that can change the value is refused (docs/reading.md)",
    when: (m) =>
      m.includes('bit-string constant') ||
      m.includes('national character constant') ||
      m.includes('DEFAULT as a value') ||
      m.includes("a Unicode escape string U&'…'") ||
      /a cast to .*, which pg_dump never writes/.test(m),
  },
  // psql reads a line only up to a NUL byte and silently drops the rest of it; we refuse NUL in text
  ENCODING_INVALID: { why: 'NUL is refused in text (docs/reading.md)', when: (m) => m.includes('0x00') },
  // the same outside values: psql drops the rest of a line after a NUL, its line end too (the next line joins a
  // comment)
  INPUT_BINARY: { why: 'a NUL byte in SQL text is refused (docs/reading.md)' },
  INPUT_EMPTY: { why: 'a file that holds nothing is not a dump (docs/reading.md)' },
  INPUT_NOT_A_DUMP: { why: 'a file without any pg_dump statement or header is not a dump (docs/reading.md)' },
  // refusals on purpose, each in docs/reading.md's list of where the reader is stricter than PostgreSQL
  TABLE_DUPLICATE: {
    why: "one table's data split in two is refused: pg_dump writes it once, in one piece (docs/reading.md)",
  },
  SQL_VALUE_COUNT: { why: 'an INSERT without a column list must give every column (docs/reading.md)' },
  KEY_DUPLICATE: { why: 'a repeated primary key is refused, under ON CONFLICT DO NOTHING too (docs/reading.md)' },
  COLUMN_MISSING: { why: 'data without a column the mapping needs is refused (docs/reading.md)' },
  SQL_UNTERMINATED: {
    why: 'a file that ends inside a statement is an unfinished dump (docs/reading.md)',
    when: (m) => m.includes('the file is truncated'),
  },
  COPY_END_MARKER_CORRUPT: {
    why: 'data before \\. is read only when nothing but blank and comment lines follow (docs/reading.md)',
  },
};

export function documentedStricter(code: string, message: string): boolean {
  const d = DOCUMENTED_STRICTER[code];
  return d !== undefined && (d.when === undefined || d.when(message));
}

export type Verdict =
  | {
      readonly agree: true;
      readonly how: 'both accept, same values' | 'both refuse' | 'stricter, documented';
      readonly code?: string;
    }
  | {
      readonly agree: false;
      readonly kind:
        'psql refuses, reader accepts' | 'values differ' | 'reader refuses what psql accepts' | 'reader crashes';
      readonly detail: string;
      readonly signature: string;
    };

/** psql's error without what varies from case to case (quoted text, numbers), to group disagreements. */
export function errorShape(e: string): string {
  return e
    .replace(/^(ERROR: {2}|error: )/, '')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\\\S*/g, '\\…')
    .replace(/\b0x[0-9a-f]{2}( 0x[0-9a-f]{2})*/g, '0x…')
    .replace(/\d+/g, 'N')
    .replace(/:.*$/, '')
    .trim();
}

export function verdictOf(psql: PsqlOutcome, ours: ReaderOutcome): Verdict {
  if ('crashed' in ours)
    return { agree: false, kind: 'reader crashes', detail: ours.crashed, signature: `reader crashes: ${ours.message}` };
  if (!psql.accepted) {
    if (!ours.accepted) return { agree: true, how: 'both refuse', code: ours.code };
    return {
      agree: false,
      kind: 'psql refuses, reader accepts',
      detail: `psql: ${psql.error}`,
      signature: `psql refuses (${errorShape(psql.error)}), reader accepts`,
    };
  }
  if (!ours.accepted) {
    if (documentedStricter(ours.code, ours.message))
      return { agree: true, how: 'stricter, documented', code: ours.code };
    return {
      agree: false,
      kind: 'reader refuses what psql accepts',
      detail: ours.message,
      signature: `reader refuses (${ours.code}) what psql accepts`,
    };
  }
  const d = firstDifference(ours.tables, psql.tables);
  if (d === null) return { agree: true, how: 'both accept, same values' };
  return {
    agree: false,
    kind: 'values differ',
    detail: `${d.where}: reader ${JSON.stringify(d.ours).slice(0, 200)}, psql ${JSON.stringify(d.psql).slice(0, 200)}`,
    signature: `values differ: ${d.type}`,
  };
}

/** A case as both judges see it: the plain SQL psql reads and the file our reader reads (gzipped or not). */
export interface CaseFiles {
  readonly plainPath: string;
  readonly readerPath: string;
  /** gunzip refused the file (a damaged gzip case): the oracle's verdict is a refusal without psql. */
  readonly gunzipError: string | null;
}

/** Writes the case's files into `dir`: `name.sql` for psql and, for a gzip case, `name.sql.gz` for the reader. */
export function writeCase(dir: string, name: string, plain: Buffer, gz: Buffer | null): CaseFiles {
  const plainPath = join(dir, `${name}.sql`);
  if (gz === null) {
    writeFileSync(plainPath, plain);
    return { plainPath, readerPath: plainPath, gunzipError: null };
  }
  const readerPath = join(dir, `${name}.sql.gz`);
  writeFileSync(readerPath, gz);
  let gunzipError: string | null = null;
  let forPsql = plain;
  try {
    forPsql = gunzipSync(gz);
  } catch (e) {
    gunzipError = `gunzip: ${(e as Error).message}`;
  }
  writeFileSync(plainPath, forPsql);
  return { plainPath, readerPath, gunzipError };
}

/** Both judges on one case, and the verdict. */
export async function judge(
  db: OracleDb,
  files: CaseFiles,
): Promise<{ psql: PsqlOutcome; ours: ReaderOutcome; verdict: Verdict }> {
  const [psqlResult, ours] = await Promise.all([
    files.gunzipError !== null
      ? Promise.resolve<PsqlOutcome>({ accepted: false, error: files.gunzipError })
      : db.restore(files.plainPath),
    readerOutcome(files.readerPath),
  ]);
  return { psql: psqlResult, ours, verdict: verdictOf(psqlResult, ours) };
}

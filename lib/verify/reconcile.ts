/**
 * Reconciliation: reads every target table with pg-query-stream (constant memory, however large the
 * target) and compares it, row by row and column by column, with out/data/*.json: rows missing, rows not
 * expected, and values that differ. Text is compared exactly, jsonb by value (numbers by their exact decimal
 * value and scale, as jsonb's text: never through floats), timestamptz as instants to the microsecond: the rules
 * of lib/sql/compare.ts, which verify.sql follows too. updated_at is not compared: an
 * upsert sets it when it changes a row. A created_at the migration left to the default is not compared.
 *
 * A row not in out/data is the migration's to answer for only when the ledger (totalis_migrate.owned) says
 * the migration wrote it: then it is "unexpected" (a run left it behind). A row the ledger does not list was
 * made by someone else (the app, an admin) and is counted apart, not as a difference. Without the ledger
 * (schemas/target.sql never applied) every such row is unexpected.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { MigrateError, excerptOfText } from '../errors.js';
import { KEEP_REMOVED_OPTION, headerOptions } from '../sql/header.js';
import { OWNED_TABLE, ownedMatch } from '../sql/ledger.js';
import { FRESH_CLAIMS, staleClaimsQuery, type ClaimTable } from '../sql/stale-claims.js';
import { COMPARE, plainText, timestamptzMicros } from '../sql/compare.js';
import { APP_CONFIG, CATEGORIES, COACHES, type ColumnKind, type TargetTableDef } from '../sql/target-tables.js';
import { parseExactJson, stringifyExactJson } from '../transform/exact-json.js';
import { placeholderHash, secretHash } from '../transform/secrets.js';
import { JsonNumber, type JsonValue } from '../transform/target-rows.js';

export { canonicalDecimal, timestamptzMicros } from '../sql/compare.js';

export interface Difference {
  readonly table: string;
  /** stale: a row outside out/data and the ledger's owned set that claims a legacy source the dump lost. */
  readonly kind: 'missing' | 'unexpected' | 'differs' | 'stale';
  /** Which row: its key, and its legacy id where it has one. */
  readonly row: string;
  readonly column?: string;
  readonly expected?: string;
  readonly found?: string;
}

/** Rows of one table that neither out/data nor the ledger has: someone else's, left alone. */
export interface OtherRows {
  readonly count: number;
  /** The first few, in key order. */
  readonly first: readonly string[];
}

export interface ReconcileResult {
  readonly compared: Readonly<Record<string, number>>;
  readonly differences: readonly Difference[];
  /** Rows the ledger owns that this output no longer has, left in by --keep-removed: noted, not differences. */
  readonly kept: Readonly<Record<string, readonly string[]>>;
  /** Whether the target has the ledger; without it, every row not in out/data is unexpected. */
  readonly ledger: boolean;
  readonly others: Readonly<Record<string, OtherRows>>;
}

/** How many of someone else's rows are named, per table. */
export const OTHERS_NAMED = 5;
/** The column that says a row read is in the ledger; no target column begins with `__`. */
const OWNED_FLAG = '__owned';

const TABLES: readonly TargetTableDef<unknown>[] = [
  COACHES,
  CATEGORIES,
  APP_CONFIG,
] as readonly TargetTableDef<unknown>[];

/** out/data's value as reconcile shows it: as COMPARE's readSql reads the column (timestamptz as microseconds). */
function expectedText(kind: ColumnKind, v: JsonValue | undefined): string | null {
  return kind === 'timestamptz' && typeof v === 'string' ? timestamptzMicros(v) : plainText(v);
}

function show(v: string | null): string {
  return v === null ? 'NULL' : excerptOfText(v);
}

async function loadExpected(outDir: string, table: string): Promise<JsonValue[]> {
  const file = join(outDir, 'data', `${table}.json`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MigrateError('INPUT_NOT_FOUND', `no ${file}: run transform first`, { file });
  }
  const v = parseExactJson(text);
  if (!Array.isArray(v)) throw new MigrateError('INPUT_NOT_A_DUMP', `${file} is not a JSON array of rows`, { file });
  return v as JsonValue[];
}

/**
 * One value against the text COMPARE's readSql read (null: SQL NULL), by the same rule as verify.sql's
 * (sql/compare.ts): null when they are the same, else how to show the two. A secret's value is in out/ as its
 * salted hash only (transform/secrets.ts): compared by hash (salted by the config row's `key`), never shown.
 */
export function valueDiffers(
  kind: ColumnKind,
  key: string,
  want: JsonValue | undefined,
  got: string | null,
): { expected: string; found: string } | null {
  const secret = kind === 'jsonb' ? placeholderHash(want) : null;
  let same: boolean;
  if (secret !== null) {
    const parsed = got === null ? undefined : parseExactJson(got);
    same = typeof parsed === 'string' && (parsed === want || secretHash(key, parsed) === secret);
  } else same = COMPARE[kind].same(want, got);
  if (same) return null;
  return {
    expected: show(kind === 'jsonb' ? stringifyExactJson(want ?? null) : expectedText(kind, want)),
    found: secret !== null ? 'a value of another sha256 (not shown: a secret)' : show(got),
  };
}

/** What one reading of the target fills in (reconcile, reconcileTarget). */
export interface Reading {
  readonly compared: Record<string, number>;
  readonly differences: Difference[];
  readonly others: Record<string, OtherRows>;
  readonly kept: Record<string, string[]>;
}

/** Files a row the ledger owns (or, on a target without the ledger, any row) that this output does not have. */
export type LeftOver = (r: Reading, table: string, row: string, ledger: boolean) => void;

/**
 * Where a row the ledger owns but this output does not have goes: with --keep-removed (recorded in verify.sql's
 * header) the run left it in on purpose, as its warning row.removed.kept said, so it is noted; else it is
 * unexpected (a run left it behind). Without the ledger nothing says the run kept a row: unexpected, as ever.
 */
export async function ownedLeftOver(outDir: string): Promise<LeftOver> {
  const text = await readFile(join(outDir, 'verify.sql'), 'utf8').catch(() => '');
  const keepRemoved = headerOptions(text).get(KEEP_REMOVED_OPTION) === 'true';
  return (r, table, row, ledger) => {
    if (keepRemoved && ledger) (r.kept[table] ??= []).push(row);
    else r.differences.push({ table, kind: 'unexpected', row });
  };
}

/**
 * One reading of the target through `client` (connected): whether it has the ledger, then `read` fills in the
 * result; the client is closed after, and a failure of the database is one DB_FAILED line, never a stack trace.
 */
export async function readTarget(
  client: pg.Client,
  read: (ledger: boolean, r: Reading) => Promise<void>,
): Promise<ReconcileResult> {
  const r: Reading = { compared: {}, differences: [], others: {}, kept: {} };
  let ledger = false;
  try {
    const found = await client.query<{ ledger: boolean }>(`SELECT to_regclass('${OWNED_TABLE}') IS NOT NULL AS ledger`);
    ledger = found.rows[0]!.ledger;
    await read(ledger, r);
  } catch (e) {
    if (e instanceof MigrateError) throw e;
    throw new MigrateError('DB_FAILED', `reading the target: ${(e as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  return { ...r, ledger };
}

export async function reconcile(connectionString: string, outDir: string): Promise<ReconcileResult> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (e) {
    throw new MigrateError('DB_FAILED', `cannot connect: ${(e as Error).message}`);
  }
  const leftOver = await ownedLeftOver(outDir);
  return readTarget(client, async (ledger, reading) => {
    const { compared, differences, others } = reading;
    const runKeys: (readonly [string, string])[] = [];
    for (const def of TABLES) {
      const expectedRows = await loadExpected(outDir, def.table);
      const byKey = new Map<string, Record<string, JsonValue>>();
      for (const r of expectedRows) {
        const rec = r as Record<string, JsonValue>;
        byKey.set(String(expectedText('text', rec[def.key]) ?? ''), rec);
      }
      runKeys.push(...[...byKey.keys()].map((k) => [def.table, k] as const));
      const cols = def.columns.filter((c) => c.name !== 'updated_at');
      const label = (rec: Record<string, unknown>): string =>
        `${def.key} ${String(rec[def.key])}${rec['legacy_id'] !== undefined && rec['legacy_id'] !== null ? ` (legacy id ${String(rec['legacy_id'] instanceof JsonNumber ? (rec['legacy_id'] as JsonNumber).digits : rec['legacy_id'])})` : ''}`;
      const owned = ledger ? `EXISTS (SELECT FROM ${OWNED_TABLE} o WHERE ${ownedMatch(def, 't')})` : 'true';
      const sql = `SELECT ${cols.map((c) => `${COMPARE[c.kind].readSql(`t."${c.name}"`)} AS "${c.name}"`).join(', ')}, ${owned} AS "${OWNED_FLAG}" FROM public."${def.table}" t ORDER BY t."${def.key}"`;
      const stream = client.query(new QueryStream(sql, [], { batchSize: 200 }));
      let n = 0;
      const other = { count: 0, first: [] as string[] };
      for await (const row of stream as AsyncIterable<Record<string, string | boolean | null>>) {
        n++;
        const key = row[def.key] as string;
        const exp = byKey.get(key);
        if (exp === undefined) {
          if (row[OWNED_FLAG] === true) leftOver(reading, def.table, label(row), ledger);
          else if (++other.count <= OTHERS_NAMED) other.first.push(label(row));
          continue;
        }
        byKey.delete(key);
        for (const c of cols) {
          if (c.name === def.key) continue;
          const want = exp[c.name];
          const got = (row[c.name] as string | null | undefined) ?? null;
          if (c.name === 'created_at' && want === null) continue; // left to the default
          const d = valueDiffers(c.kind, key, want, got);
          if (d !== null)
            differences.push({ table: def.table, kind: 'differs', row: label(exp), column: c.name, ...d });
        }
      }
      for (const exp of byKey.values()) differences.push({ table: def.table, kind: 'missing', row: label(exp) });
      compared[def.table] = n;
      others[def.table] = other;
    }
    if (ledger) differences.push(...(await staleRows(client, runKeys)));
  });
}

/**
 * Rows that claim a legacy source the dump no longer has, whoever wrote them (issue 28 item 9): verify.sql's rule
 * (sql/stale-claims.ts), run here with out/data's keys as the run's. The ledger's owned rows count as the run's
 * too: one not in out/data is already "unexpected". Read in a transaction that is rolled back. A real target's
 * tables are read by the claims its shape can hold (reconcile-target.ts).
 */
export async function staleRows(
  client: pg.Client,
  runKeys: readonly (readonly [string, string])[],
  claims: readonly ClaimTable[] = FRESH_CLAIMS,
): Promise<Difference[]> {
  const found = await client.query<{ sources: boolean }>(
    "SELECT to_regclass('totalis_migrate.sources') IS NOT NULL AS sources",
  );
  if (!found.rows[0]!.sources) return [];
  await client.query('BEGIN');
  try {
    await client.query(
      'CREATE TEMPORARY TABLE totalis_run_keys (tbl text NOT NULL, key text NOT NULL, PRIMARY KEY (tbl, key))',
    );
    await client.query(
      'INSERT INTO totalis_run_keys SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
      [runKeys.map((k) => k[0]), runKeys.map((k) => k[1])],
    );
    await client.query(`INSERT INTO totalis_run_keys SELECT tbl, key FROM ${OWNED_TABLE} ON CONFLICT DO NOTHING`);
    const r = await client.query<{ tbl: string; x: string }>(
      `SELECT split_part(x, ' ', 1) AS tbl, x FROM (\n${staleClaimsQuery(claims)}\n) s ORDER BY x`,
    );
    return r.rows.map((row) => ({ table: row.tbl, kind: 'stale' as const, row: row.x.slice(row.tbl.length + 1) }));
  } finally {
    await client.query('ROLLBACK');
  }
}

/** The differences as a readable diff, grouped by table; `against`: what the target was compared with. */
export function formatDifferences(r: ReconcileResult, against = 'out/data'): string {
  const out: string[] = [];
  for (const [table, n] of Object.entries(r.compared)) {
    const d = r.differences.filter((x) => x.table === table);
    const count = (k: Difference['kind']): number => d.filter((x) => x.kind === k).length;
    const other = r.others[table] ?? { count: 0, first: [] };
    const others = other.count > 0 ? `; ${other.count} not the migration's (left alone)` : '';
    const stale = count('stale') > 0 ? `; ${count('stale')} stale` : '';
    const kept = r.kept[table] ?? [];
    const keptText = kept.length > 0 ? `; ${kept.length} kept by --keep-removed` : '';
    out.push(
      `${table}: ${n} rows read; ${count('missing')} missing, ${count('unexpected')} unexpected, ${d.filter((x) => x.kind === 'differs').length} values differ${stale}${keptText}${others}`,
    );
    for (const x of d) {
      if (x.kind === 'differs') out.push(`  ~ ${x.row} ${x.column}: expected ${x.expected}, found ${x.found}`);
      else if (x.kind === 'stale')
        out.push(`  ! ${x.row}: claims a legacy source the dump no longer has (stale, whoever wrote it)`);
      else
        out.push(
          `  ${x.kind === 'missing' ? '-' : '+'} ${x.row} ${x.kind === 'missing' ? 'missing' : r.ledger ? `not in ${against}, and the ledger says the migration wrote it` : `not in ${against}`}`,
        );
    }
    for (const row of kept)
      out.push(`  = ${row} kept by --keep-removed: its legacy source is gone from the dump (row.removed.kept)`);
    for (const row of other.first)
      out.push(`  · ${row} not the migration's: the ledger does not list it (made by the app or by hand)`);
    if (other.count > other.first.length)
      out.push(`  · and ${other.count - other.first.length} more not the migration's`);
  }
  if (!r.ledger)
    out.push(
      `no ledger (totalis_migrate.owned) on this target: every row not in ${against} counts as unexpected; apply schemas/target.sql to tell the migration's rows from others'`,
    );
  return out.join('\n') + '\n';
}

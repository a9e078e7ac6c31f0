/**
 * Reconciliation on a real target (issue 31 item 1): the rows transform bound to the target's own shape
 * (out/target-rows.json, lib/sql/target-model/bound-rows.ts) against the live tables, row by row and column by
 * column, streamed with pg-query-stream (constant memory). Each row is read by the key migration.sql wrote it under
 * (an adopted row by the app's own id); each written column is compared by its kind's rule, the one verify.sql uses
 * (sql/compare.ts, through reconcile.ts' valueDiffers; a secret by its hash); each metadata key the migration merged
 * must be in the row's metadata with that value (the app's own keys are the app's). created_at and updated_at are
 * not compared, as verify.sql does not: the upsert leaves created_at alone and the target's triggers set updated_at.
 *
 * A bound row not there is missing; a row the ledger owns that no bound row is, unexpected; a row neither bound nor
 * owned is the app's, counted apart ("not the migration's (left alone)"); rows that claim a legacy source the dump
 * lost are stale (the same rule as verify.sql, by the claims the shape can hold: metadata.legacy_id or the ledger).
 * The result is reconcile.ts' own, printed by its formatDifferences.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import QueryStream from 'pg-query-stream';
import { MigrateError } from '../errors.js';
import { COMPARE } from '../sql/compare.js';
import { OWNED_TABLE, ownedMatch } from '../sql/ledger.js';
import { quoteIdent } from '../sql/literals.js';
import {
  TARGET_ROWS_FILE,
  type RecordedRow,
  type RecordedTable,
  type TargetRows,
} from '../sql/target-model/bound-rows.js';
import { parseExactJson, stringifyExactJson } from '../transform/exact-json.js';
import type { JsonValue } from '../transform/target-rows.js';
import { connectTarget } from './access.js';
import {
  OTHERS_NAMED,
  ownedLeftOver,
  readTarget,
  staleRows,
  valueDiffers,
  type LeftOver,
  type OtherRows,
  type Reading,
  type ReconcileResult,
} from './reconcile.js';

/** Columns read besides the compared ones; no target column begins with `__`. */
const KEY = '__key';
const OWNED = '__owned';
const NAME = '__name';
const METADATA = '__metadata';

/** out/target-rows.json as transform wrote it. */
export async function readTargetRows(out: string): Promise<TargetRows> {
  const file = join(out, TARGET_ROWS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new MigrateError(
      'INPUT_NOT_FOUND',
      'not there: run transform again (an older transform did not record the rows it bound to the target)',
      { file },
    );
  }
  const v = parseExactJson(text) as unknown as TargetRows | undefined;
  if (v === undefined || typeof v !== 'object' || !Array.isArray((v as { tables?: unknown }).tables))
    throw new MigrateError('INPUT_NOT_A_DUMP', `${file}: not the JSON transform writes`, { file });
  return v;
}

/** A bound row as the diff names it: its key, and how a reviewer knows it (legacy table, id and name). */
function boundLabel(t: RecordedTable, r: RecordedRow): string {
  return `${t.keyColumn} ${r.key} (${r.handle}${r.adopted !== null ? `; the app's ${r.adopted}, adopted` : ''})`;
}

function otherLabel(t: RecordedTable, row: Record<string, unknown>): string {
  const name = row[NAME];
  return `${t.keyColumn} ${String(row[KEY])}${typeof name === 'string' ? ` (${name})` : ''}`;
}

async function reconcileTable(
  client: pg.Client,
  t: RecordedTable,
  ledger: boolean,
  reading: Reading,
  leftOver: LeftOver,
): Promise<{ read: number; other: OtherRows }> {
  const { differences } = reading;
  const byKey = new Map(t.rows.map((r) => [r.key, r]));
  const cols = Object.entries(t.columns);
  const hasMetadata = t.rows.some((r) => r.metadata !== null);
  const at = (c: string): string => `t.${quoteIdent(c)}`;
  const owned = ledger
    ? `EXISTS (SELECT FROM ${OWNED_TABLE} o WHERE ${ownedMatch({ table: t.table, key: t.keyColumn }, 't')})`
    : 'true';
  const select = [
    `${at(t.keyColumn)}::text AS "${KEY}"`,
    ...cols.map(([c, kind]) => `${COMPARE[kind].readSql(at(c))} AS ${quoteIdent(c)}`),
    ...(hasMetadata ? [`${COMPARE.jsonb.readSql('t.metadata')} AS "${METADATA}"`] : []),
    ...(t.named ? [`t.name::text AS "${NAME}"`] : []),
    `${owned} AS "${OWNED}"`,
  ];
  const sql = `SELECT ${select.join(', ')} FROM public.${quoteIdent(t.table)} t ORDER BY 1`;
  const stream = client.query(new QueryStream(sql, [], { batchSize: 200 }));
  let read = 0;
  const other = { count: 0, first: [] as string[] };
  for await (const row of stream as AsyncIterable<Record<string, string | boolean | null>>) {
    read++;
    const key = row[KEY] as string;
    const exp = byKey.get(key);
    if (exp === undefined) {
      if (row[OWNED] === true) leftOver(reading, t.table, otherLabel(t, row), ledger);
      else if (++other.count <= OTHERS_NAMED) other.first.push(otherLabel(t, row));
      continue;
    }
    byKey.delete(key);
    const differs = (column: string, d: { expected: string; found: string } | null): void => {
      if (d !== null) differences.push({ table: t.table, kind: 'differs', row: boundLabel(t, exp), column, ...d });
    };
    // the columns this row writes (verify.sql checks those only: `v.e ? column`)
    for (const [c, kind] of cols)
      if (c in exp.values) differs(c, valueDiffers(kind, key, exp.values[c], (row[c] as string | null) ?? null));
    if (exp.metadata !== null) {
      const found = row[METADATA] === null ? undefined : parseExactJson(row[METADATA] as string);
      const has = found !== null && typeof found === 'object' && !Array.isArray(found);
      for (const [k, want] of Object.entries(exp.metadata)) {
        const v = has ? (found as Record<string, JsonValue>)[k] : undefined;
        differs(`metadata.${k}`, valueDiffers('jsonb', key, want, v === undefined ? null : stringifyExactJson(v)));
      }
    }
  }
  for (const exp of byKey.values()) differences.push({ table: t.table, kind: 'missing', row: boundLabel(t, exp) });
  return { read, other };
}

export async function reconcileTarget(url: string, out: string): Promise<ReconcileResult> {
  const record = await readTargetRows(out);
  const client = await connectTarget(url);
  const leftOver = await ownedLeftOver(out);
  return readTarget(client, async (ledger, reading) => {
    const { compared, differences, others } = reading;
    for (const t of record.tables) {
      const { read, other } = await reconcileTable(client, t, ledger, reading, leftOver);
      compared[t.table] = read;
      others[t.table] = other;
    }
    if (ledger) {
      const runKeys = record.tables.flatMap((t) => t.rows.map((r) => [t.table, r.key] as const));
      const claims = record.tables.flatMap((t) => (t.claims === null ? [] : [t.claims]));
      differences.push(...(await staleRows(client, runKeys, claims)));
    }
  });
}

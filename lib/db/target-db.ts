/**
 * A target PostgreSQL to rehearse on: the embedded one here (PGlite, no server, no network: it also serves the
 * pg client over a loopback socket, so reconciliation runs the same code on both), or a real server
 * (server-target.ts).
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { MigrateError } from '../errors.js';

export interface TargetDb {
  readonly description: string;
  /** Applies one SQL file; throws DB_FAILED naming the file and line on error. */
  applyFile(path: string, label: string): Promise<void>;
  /** Applies SQL text the same way (psql reads it from stdin). */
  applySql(sql: string, label: string): Promise<void>;
  /** The first column of the first row, as text. */
  scalar(sql: string): Promise<string | null>;
  /** A connection string for the pg client (reconciliation). */
  readonly connectionString: string;
  close(): Promise<void>;
}

/** The first column of the first row, as text (null when there is none or it is NULL). */
export function firstValue(rows: readonly Record<string, unknown>[]): string | null {
  const v = rows[0] === undefined ? null : Object.values(rows[0])[0];
  return v === null || v === undefined ? null : String(v);
}

/** The line in `sql` of a 1-based character position PostgreSQL reported. */
export function lineOf(sql: string, position: number): number {
  let line = 1;
  for (let i = 0; i < Math.min(position - 1, sql.length); i++) if (sql.charCodeAt(i) === 10) line++;
  return line;
}

export function dbError(label: string, message: string, line?: number): MigrateError {
  return new MigrateError('DB_FAILED', `${label} failed${line !== undefined ? ` at line ${line}` : ''}: ${message}`, {
    file: label,
    ...(line !== undefined ? { line } : {}),
  });
}

export async function pgliteTarget(): Promise<TargetDb> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  const conn = server.getServerConn();
  const applySql = async (sql: string, label: string): Promise<void> => {
    try {
      await db.exec(sql);
    } catch (e) {
      await db.exec('ROLLBACK').catch(() => undefined);
      const err = e as { message: string; position?: string | number };
      throw dbError(label, err.message, err.position !== undefined ? lineOf(sql, Number(err.position)) : undefined);
    }
  };
  return {
    description: 'embedded PostgreSQL (PGlite)',
    connectionString: `postgresql://postgres@${conn}/postgres`,
    applyFile: async (path, label) => applySql(await readFile(path, 'utf8'), label),
    applySql,
    scalar: async (sql) => firstValue((await db.query<Record<string, unknown>>(sql)).rows),
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

/** Where a URL points, without its password. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.href;
  } catch {
    return '(an unparsable URL)';
  }
}

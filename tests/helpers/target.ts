/**
 * A target database for the re-run tests, the same four calls on PGlite and on a real server through psql (as
 * operators apply the files). `failure` returns the error text of a file that failed, or null when it ran.
 */
import { PGlite } from '@electric-sql/pglite';
import { spawnSync } from 'node:child_process';
import type { Test } from 'tap';
import { dropDb, scratchDb } from './pg.js';

export interface TestDb {
  readonly kind: 'pglite' | 'psql';
  exec(sql: string): Promise<void>;
  /** The first column of the first row, as text ('' for NULL or no row). */
  value(sql: string): Promise<string>;
  failure(sql: string): Promise<string | null>;
  /** psql only: the file run as psql runs it with these extra arguments and environment; PGlite: exec. */
  psql(sql: string, args: string[], env?: Record<string, string>): { code: number; stdout: string; stderr: string };
  /** A connection string (psql only). */
  readonly url?: string;
}

export async function pgliteDb(t: Test): Promise<TestDb> {
  const pg = await PGlite.create();
  t.teardown(() => pg.close());
  const failure = async (sql: string): Promise<string | null> => {
    try {
      await pg.exec(sql);
      return null;
    } catch (e) {
      await pg.exec('ROLLBACK').catch(() => undefined);
      return (e as Error).message;
    }
  };
  return {
    kind: 'pglite',
    async exec(sql) {
      const f = await failure(sql);
      if (f !== null) throw new Error(f);
    },
    value: async (sql) => String(Object.values(((await pg.query(sql)).rows[0] as object | undefined) ?? {})[0] ?? ''),
    failure,
    psql: () => {
      throw new Error('psql only');
    },
  };
}

/** A scratch database on DATABASE_URL's server, named `name`, dropped at the end of `t`. */
export function psqlDb(t: Test, name: string): TestDb {
  const url = scratchDb(name);
  t.teardown(() => dropDb(name));
  const psql = (sql: string, args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync('psql', [url, '-X', '-q', '-At', ...args, '-f', '-'], {
      input: sql,
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      env: { ...process.env, ...env },
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };
  const strict = (sql: string) => psql(sql, ['-v', 'ON_ERROR_STOP=1']);
  return {
    kind: 'psql',
    url,
    async exec(sql) {
      const r = strict(sql);
      if (r.code !== 0) throw new Error(r.stderr);
    },
    value: async (sql) => strict(sql).stdout.replace(/\n$/, ''),
    failure: async (sql) => {
      const r = strict(sql);
      return r.code === 0 ? null : r.stderr;
    },
    psql,
  };
}

/** Every row of the three tables, every column, as JSON text: states compared value by value. */
export const STATE = `SELECT string_agg(j, E'\\n' ORDER BY j) FROM (
  SELECT 'coaches ' || row_to_json(c)::text AS j FROM public.coaches c
  UNION ALL SELECT 'categories ' || row_to_json(c)::text FROM public.categories c
  UNION ALL SELECT 'app_config ' || row_to_json(a)::text FROM public.app_config a) s`;

/**
 * A real PostgreSQL server as the target to rehearse on, in a scratch database created for the run and
 * dropped after it. SQL files are applied with the psql binary when it is installed (as operators will),
 * else through the pg client. Runs only when a server is named (`--db`, DATABASE_URL in the tests).
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { MigrateError } from '../errors.js';
import { dbError, firstValue, lineOf, redactUrl, type TargetDb } from './target-db.js';

function hasPsql(): boolean {
  return spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0;
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = '/' + db;
  return u.href;
}

export async function serverTarget(url: string, scratchName: string): Promise<TargetDb> {
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
    // never DROP first: a database of that name is someone else's (the name is unique to this run)
    await admin.query(`CREATE DATABASE ${scratchName} TEMPLATE template0 ENCODING 'UTF8'`);
  } catch (e) {
    await admin.end().catch(() => undefined);
    throw new MigrateError(
      'DB_FAILED',
      `cannot create the scratch database ${scratchName} on ${redactUrl(url)}: ${(e as Error).message} (the role needs CREATEDB; a database of that name is left alone)`,
    );
  }
  const scratchUrl = withDatabase(url, scratchName);
  const client = new pg.Client({ connectionString: scratchUrl });
  await client.connect();
  const usePsql = hasPsql();
  const psqlApply = (args: string[], input: string | undefined, label: string): void => {
    const r = spawnSync('psql', [scratchUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      ...(input !== undefined ? { input } : {}),
    });
    if (r.status !== 0) {
      const m = /psql:[^:]*:(\d+): ERROR:\s*(.*)/.exec(r.stderr);
      throw dbError(
        label,
        m?.[2] ?? r.stderr.trim().split('\n')[0] ?? `psql exited ${r.status}`,
        m !== null ? Number(m[1]) : undefined,
      );
    }
  };
  const applySql = async (sql: string, label: string): Promise<void> => {
    if (usePsql) return psqlApply(['-f', '-'], sql, label);
    try {
      await client.query(sql);
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      const err = e as { message: string; position?: string };
      throw dbError(label, err.message, err.position !== undefined ? lineOf(sql, Number(err.position)) : undefined);
    }
  };
  return {
    description: `${redactUrl(scratchUrl)} (a scratch database, dropped afterwards; files applied with ${usePsql ? 'psql' : 'the pg client'})`,
    connectionString: scratchUrl,
    applyFile: async (path, label) =>
      usePsql ? psqlApply(['-f', path], undefined, label) : applySql(await readFile(path, 'utf8'), label),
    applySql,
    scalar: async (sql) => firstValue((await client.query<Record<string, unknown>>(sql)).rows),
    async close() {
      await client.end().catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${scratchName}`).catch(() => undefined);
      await admin.end().catch(() => undefined);
    },
  };
}

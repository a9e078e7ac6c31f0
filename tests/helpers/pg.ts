/** Access to a real PostgreSQL server for the tests that need one (when DATABASE_URL is set). */
import { spawnSync } from 'node:child_process';

export const DATABASE_URL = process.env['DATABASE_URL'];

/** tap's skip option: a visible reason when there is no server. */
export const needsPg =
  DATABASE_URL === undefined || DATABASE_URL === ''
    ? { skip: 'DATABASE_URL is not set: no PostgreSQL server for this test' }
    : {};

export function psql(
  args: string[],
  input?: string | Buffer,
  url = DATABASE_URL!,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], { input, maxBuffer: 1 << 30 });
  return { code: r.status ?? -1, stdout: r.stdout?.toString('utf8') ?? '', stderr: r.stderr?.toString('utf8') ?? '' };
}

export function psqlOk(args: string[], input?: string | Buffer, url?: string): string {
  const r = psql(args, input, url);
  if (r.code !== 0) throw new Error(`psql failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** A URL for another database on the same server. */
export function urlFor(db: string): string {
  const u = new URL(DATABASE_URL!);
  u.pathname = '/' + db;
  return u.href;
}

/** Creates a fresh scratch database; returns its URL. */
export function scratchDb(name: string): string {
  psqlOk(['-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`]);
  return urlFor(name);
}

export function dropDb(name: string): void {
  psql(['-c', `DROP DATABASE IF EXISTS ${name}`]);
}

export function pgDump(url: string, args: readonly string[]): Buffer {
  const r = spawnSync('pg_dump', [...args, url], { maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr.toString()}`);
  return r.stdout;
}

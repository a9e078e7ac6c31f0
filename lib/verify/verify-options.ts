/** verify's target database, chosen once, here (lib/cli only parses the options). */
import { MigrateError } from '../errors.js';

/** --db, else $DATABASE_URL; neither is refused. */
export function verifyDatabase(db: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const url = db ?? env['DATABASE_URL'];
  if (url === undefined || url === '')
    throw new MigrateError('OPTION_INVALID', 'name the target with --db URL (or set DATABASE_URL)');
  return url;
}

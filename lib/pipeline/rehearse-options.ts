/** rehearse's options beyond the transform's, from what the command line parsed (lib/cli only parses them). */
import type { RehearseOptions } from './rehearse.js';

export interface RehearseArgs {
  readonly db?: string | undefined;
  readonly previous?: string | undefined;
}

export function fromRehearseArgs(args: RehearseArgs): Pick<RehearseOptions, 'db' | 'previous'> {
  return {
    // a server only when asked for by --db: an environment that happens to hold DATABASE_URL must not make the
    // rehearsal create and drop a database there
    ...(args.db !== undefined && args.db !== '' ? { db: args.db } : {}),
    ...(args.previous !== undefined ? { previous: args.previous } : {}),
  };
}

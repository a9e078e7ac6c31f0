import { formatInspect, inspectJson } from '../inspect/inspect.js';
import { readLegacyDump } from '../legacy/read-legacy.js';
import type { CommandSpec } from './main.js';

export const inspectCommand: CommandSpec = {
  name: 'inspect <paths..>',
  describe: 'Show what dump files hold: pg_dump version, encoding, tables, columns, rows, bytes',
  builder: (y) =>
    y
      .positional('paths', { type: 'string', array: true, describe: 'dump files (.sql, .sql.gz) or directories of them' })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON for machines' }),
  run: async (args, io) => {
    const dump = await readLegacyDump(args['paths'] as string[], { onImage: () => undefined });
    io.stdout(args['json'] === true ? JSON.stringify(inspectJson(dump), null, 2) + '\n' : formatInspect(dump));
    return 0;
  },
};

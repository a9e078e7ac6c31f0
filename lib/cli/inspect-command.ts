import { formatInspect, inspectJson } from '../inspect/inspect.js';
import { readLegacyDump } from '../legacy/read-legacy.js';
import { dumpChecks } from '../transform/dump-checks.js';
import { command } from './command.js';

export const inspectCommand = command({
  name: 'inspect <paths..>',
  describe: 'Show what dump files hold: pg_dump version, encoding, tables, columns, rows, bytes',
  builder: (y) =>
    y
      .positional('paths', {
        type: 'string',
        array: true,
        describe: 'dump files (.sql, .sql.gz) or directories of them',
      })
      .option('json', { type: 'boolean', default: false, describe: 'print JSON for machines' })
      .option('check', {
        type: 'boolean',
        default: false,
        describe: 'also run the pre-migration checks on the data (Daniel, hierarchy, references, duplicates)',
      }),
  run: async (args, io) => {
    // never undefined: `<paths..>` makes yargs refuse a command line without one
    const dump = await readLegacyDump(args.paths ?? [], { onImage: () => undefined });
    const checks = args.check ? dumpChecks(dump) : undefined;
    io.stdout(
      args.json
        ? JSON.stringify(
            { ...inspectJson(dump), ...(checks !== undefined ? { checks: Object.fromEntries(checks) } : {}) },
            null,
            2,
          ) + '\n'
        : formatInspect(dump, checks),
    );
    return 0;
  },
});

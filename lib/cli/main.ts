/**
 * The command line: parses arguments (yargs) and calls the library. No business rules here.
 * Exit codes: 0 success, 1 the run found what it refuses (blocking findings, a failed check, a Storage server
 * that kept failing after every retry),
 * 2 bad input or options (a MigrateError), 70 an internal error (a bug: printed with its stack).
 */
import yargs from 'yargs';
import { TOOL_VERSION } from '../version.js';
import { MigrateError } from '../errors.js';
import { type CliIo, processIo, safeIo } from './io.js';
import { inspectCommand } from './inspect-command.js';
import { transformCommand } from './transform-command.js';
import { checkImagesCommand, pushImagesCommand, removeImagesCommand } from './images-commands.js';
import { rehearseCommand, verifyCommand } from './rehearse-commands.js';

export const EXIT = { ok: 0, refused: 1, badInput: 2, internal: 70, sigint: 130, sigterm: 143 } as const;

/** The exit code shells expect of a run stopped by a signal (128 + its number). */
function interruptedExit(e: MigrateError): number {
  return /SIGTERM/.test(e.reason) ? EXIT.sigterm : EXIT.sigint;
}

export type { Command, CommandSpec } from './command.js';
import type { Command } from './command.js';

const COMMANDS: readonly Command[] = [
  inspectCommand,
  transformCommand,
  pushImagesCommand,
  checkImagesCommand,
  removeImagesCommand,
  rehearseCommand,
  verifyCommand,
];

export async function main(argv: readonly string[], rawIo: CliIo = processIo()): Promise<number> {
  const io = safeIo(rawIo);
  let code: number = EXIT.ok;
  let handler: Promise<number> | null = null;
  let y = yargs([...argv])
    .scriptName('totalis-migrate')
    .usage('$0 <command> [options]\n\nMove the legacy Totalis data out of pg_dump files and into Supabase, offline.')
    .strict()
    .demandCommand(1, 'name a command')
    .help()
    .alias('h', 'help')
    .version(TOOL_VERSION)
    .alias('V', 'version')
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new MigrateError('OPTION_INVALID', msg);
    });
  for (const c of COMMANDS) {
    y = c.register(y, io, (run) => {
      handler = run;
    });
  }
  try {
    let helpText = '';
    await y.parseAsync([...argv], {}, (_err, _argv, output) => {
      helpText = output;
    });
    if (handler !== null) code = await handler;
    else if (helpText !== '') io.stdout(helpText + '\n');
  } catch (e) {
    if (e instanceof MigrateError) {
      io.stderr(`totalis-migrate: ${e.message}\n`);
      if (e.code === 'OPTION_INVALID') io.stderr('Run `totalis-migrate --help` for usage.\n');
      if (e.code === 'INTERRUPTED') return interruptedExit(e);
      return e.code === 'FINDINGS_BLOCK' || e.code === 'VERIFY_MISMATCH' || e.code === 'STORAGE_UNAVAILABLE'
        ? EXIT.refused
        : EXIT.badInput;
    }
    io.stderr(
      `totalis-migrate: internal error (a bug; please report it with this output):\n${(e as Error).stack ?? String(e)}\n`,
    );
    return EXIT.internal;
  }
  return code;
}

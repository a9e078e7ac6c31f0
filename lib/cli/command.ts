/** What a command is to main.ts: the command files export these, and main.ts imports them (never the reverse). */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * One command, typed end to end: the `.option(...)` chain of its builder infers the arguments its run reads,
 * so no command casts what yargs parsed.
 */
export interface CommandSpec<A> {
  readonly name: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv<A>;
  readonly run: (args: ArgumentsCamelCase<A>, io: CliIo) => Promise<number>;
}

/** A command as main.ts holds it: its argument type closed over, so that a list of commands needs no `any`. */
export interface Command {
  readonly name: string;
  /** Adds the command to `y`; when it is the one named, `onRun` receives its run. */
  readonly register: (y: Argv, io: CliIo, onRun: (run: Promise<number>) => void) => Argv;
}

export function command<A>(spec: CommandSpec<A>): Command & CommandSpec<A> {
  return {
    ...spec,
    register: (y, io, onRun) =>
      y.command(spec.name, spec.describe, spec.builder, (args) => {
        onRun(spec.run(args, io));
      }),
  };
}

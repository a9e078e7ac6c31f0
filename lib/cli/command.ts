/** What a command is to main.ts: the command files export these, and main.ts imports them (never the reverse). */
import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

export type CommandHandler = (args: Record<string, unknown>, io: CliIo) => Promise<number>;

export interface CommandSpec {
  readonly name: string;
  readonly describe: string;
  readonly builder: (y: Argv) => Argv;
  readonly run: CommandHandler;
}

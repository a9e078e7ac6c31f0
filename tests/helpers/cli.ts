/** Runs the CLI in-process with captured output, or the real installed command as a child process. */
import { spawnSync } from 'node:child_process';
import { main } from '../../lib/cli/main.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), env: { ...env }, isTTY: false });
  return { code, stdout, stderr };
}

/**
 * The environment for a child process that runs the built command (dist/): this one's, without NODE_OPTIONS.
 * Through it tap would load its coverage into the child, whose dist/ code maps back to lib/ by tsc's source
 * maps while the tests' own runs map by tsx's: merged, the two made phantom functions and statements (the
 * suite's coverage read 92% lines with every test passing). The children are for behaviour, not coverage.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _, ...env } = process.env;
  return { ...env, ...extra };
}

/** The real command (bin/ → dist/), as users run it. dist/ is built by `make test` before tap runs. */
export function binCli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['bin/totalis-migrate.js', ...args], { env: childEnv(env), maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

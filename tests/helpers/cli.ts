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
  const code = await main(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { ...env },
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/**
 * The environment for a child process (the built command, or a helper run by tsx): this one's, without
 * NODE_OPTIONS and with tap's coverage off. The children are for behaviour, not coverage: their code maps back
 * to lib/ by other source maps (tsc's for dist/, esbuild's for a tsx child) than the tests' own, and merged, the
 * entries made phantom functions and statements. Leaving out NODE_OPTIONS is not enough: tap's process
 * tracker (@tapjs/processinfo) wraps child_process and puts its own import back into every child's
 * NODE_OPTIONS, where it starts coverage unless _TAPJS_PROCESSINFO_COVERAGE_ is '0' (its register-coverage.js).
 * One tsx child alone (tests/lexer-termination.test.ts) added 112 phantom functions to the count.
 */
export function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _, ...env } = process.env;
  return { ...env, _TAPJS_PROCESSINFO_COVERAGE_: '0', ...extra };
}

/** The real command (bin/ → dist/), as users run it. dist/ is built by `make test` before tap runs. */
export function binCli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['bin/totalis-migrate.js', ...args], {
    env: childEnv(env),
    maxBuffer: 1 << 28,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

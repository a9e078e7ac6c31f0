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

/** The real command (bin/ → dist/), as users run it. dist/ is built by `make test` before tap runs. */
export function binCli(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, ['bin/totalis-migrate.js', ...args], { env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

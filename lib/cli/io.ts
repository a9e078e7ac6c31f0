/**
 * What commands may touch of the outside world, injected so that tests run the CLI in-process.
 * All output goes through a redactor: a service key can never be printed, whatever a message holds.
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (progress bars) . */
  readonly isTTY: boolean;
}

export const SECRET_ENV = ['SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_KEY'] as const;

export function redactor(env: CliIo['env']): (s: string) => string {
  const secrets = SECRET_ENV.map((k) => env[k]).filter((v): v is string => v !== undefined && v.length >= 4);
  if (secrets.length === 0) return (s) => s;
  return (s) => secrets.reduce((acc, sec) => acc.split(sec).join('[redacted]'), s);
}

export function processIo(): CliIo {
  // A reader that stops early (`inspect … | head`) closes the pipe: stop writing quietly, not crash.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    env: process.env,
    isTTY: process.stderr.isTTY === true,
  };
}

export function safeIo(io: CliIo): CliIo {
  const r = redactor(io.env);
  return { ...io, stdout: (t) => io.stdout(r(t)), stderr: (t) => io.stderr(r(t)) };
}

/**
 * One step of a rehearsal: run it, time it, and record pass or fail. A MigrateError is the step failing (its
 * message is the detail); anything else is a bug and propagates. Shared by rehearse.ts and rehearse-target.ts.
 */
import { MigrateError } from '../errors.js';

export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly detail: string;
}

export interface StepLog {
  readonly results: StepResult[];
  readonly now: () => number;
  readonly onStep?: (s: StepResult) => void;
}

/** Runs one step, records it in `log`, and says whether it passed. */
export async function runStep(log: StepLog, name: string, fn: () => Promise<string>): Promise<boolean> {
  const t0 = log.now();
  let ok = true;
  let detail: string;
  try {
    detail = await fn();
  } catch (e) {
    if (!(e instanceof MigrateError)) throw e;
    ok = false;
    detail = e.message;
  }
  const r = { step: name, ok, ms: Math.round(log.now() - t0), detail };
  log.results.push(r);
  log.onStep?.(r);
  return ok;
}

/** A step: its name, what it does (returning its detail), and when given, whether it runs (asked when it is due). */
export type Step = readonly [name: string, run: () => Promise<string>, runIf?: () => boolean];

/** A rehearsal's own check failing: the step fails with this message. */
export function mismatch(msg: string): never {
  throw new MigrateError('VERIFY_MISMATCH', msg);
}

/** The steps' results, in order, up to the first that failed. */
export async function runSteps(
  opts: { readonly now?: () => number; readonly onStep?: (s: StepResult) => void },
  steps: readonly Step[],
): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const log = {
    results,
    now: opts.now ?? (() => performance.now()),
    ...(opts.onStep !== undefined ? { onStep: opts.onStep } : {}),
  };
  for (const [name, fn, runIf] of steps) {
    if (runIf !== undefined && !runIf()) continue;
    if (!(await runStep(log, name, fn))) break;
  }
  return results;
}

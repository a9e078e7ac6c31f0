/**
 * The steps rehearse.ts (the fresh target) and rehearse-target.ts (a real target built from its dumps) both run,
 * each step built over the rehearsal's options and its target once opened.
 */
import { join } from 'node:path';
import { serverTarget } from '../db/server-target.js';
import { pgliteTarget, type TargetDb } from '../db/target-db.js';
import { mismatch, type Step } from './rehearse-step.js';

/** What a shared step reads of a rehearsal: its output folder, and the target (set by 'open the target'). */
export interface OnTarget {
  readonly opts: { readonly out: string; readonly db?: string };
  target: TargetDb | null;
}

export const COUNTS = `SELECT format('coaches %s, categories %s, app_config %s', (SELECT count(*) FROM public.coaches), (SELECT count(*) FROM public.categories), (SELECT count(*) FROM public.app_config))`;

/** A file of this run's output folder. */
export const outFile = (r: OnTarget, f: string): string => join(r.opts.out, f);

/** The opened target (the steps after 'open the target' run only once it is). */
export const db = (r: OnTarget): TargetDb => r.target!;

/** PGlite, or a scratch database of its own (named when the step runs) on --db's server. */
export function openTarget(r: OnTarget, scratchName: () => string): Step {
  return [
    'open the target',
    async () => {
      r.target = r.opts.db === undefined ? await pgliteTarget() : await serverTarget(r.opts.db, scratchName());
      return r.target.description;
    },
  ];
}

/** One of this run's files applied (migration.sql, rollback.sql), the rows then in the three tables counted. */
export function applyAndCount(r: OnTarget, file: string): Step {
  return [file, async () => (await db(r).applyFile(outFile(r, file), file), (await db(r).scalar(COUNTS)) ?? '')];
}

/** migration.sql applied a second time, which must rewrite no row: `stamp` (the rows' xmin) the same after. */
export function migrationAgain(r: OnTarget, stamp: string, rewritten: string, detail: string): Step {
  return [
    'migration.sql again (must change nothing)',
    async () => {
      const before = await db(r).scalar(stamp);
      await db(r).applyFile(outFile(r, 'migration.sql'), 'migration.sql (second run)');
      if ((await db(r).scalar(stamp)) !== before) mismatch(rewritten);
      return detail;
    },
  ];
}

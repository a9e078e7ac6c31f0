/** rehearse and verify: argument parsing and printing only (their libraries load when they run). */
import { fromRehearseArgs } from '../pipeline/rehearse-options.js';
import { fromTransformArgs } from '../pipeline/transform-options.js';
import { verifyDatabase } from '../verify/verify-options.js';
import { command } from './command.js';
import { transformArgs } from './transform-command.js';

export const rehearseCommand = command({
  name: 'rehearse',
  describe: 'Transform, then apply, re-apply, verify, reconcile and roll back in an embedded PostgreSQL (or --db)',
  builder: (y) =>
    transformArgs(y)
      .option('out', {
        type: 'string',
        default: 'rehearsal',
        describe: "the rehearsal's own output folder (never ./out unless you say so)",
      })
      .option('previous', {
        type: 'string',
        describe:
          'an earlier output folder: rehearse a re-run (its migration.sql first, then this one; then both rollbacks, newest first)',
      })
      .option('db', {
        type: 'string',
        describe:
          'rehearse on this server instead of the embedded PostgreSQL (a scratch database is created there and dropped); only when given, never from DATABASE_URL',
      }),
  run: async (args, io) => {
    let failed = false;
    // loaded when used: the embedded PostgreSQL and the pg client cost every other command's start-up
    const { rehearse } = await import('../pipeline/rehearse.js');
    const steps = await rehearse({
      ...fromTransformArgs(args, io.env),
      ...fromRehearseArgs(args),
      onStep: (s) => {
        if (!s.ok) failed = true;
        io.stdout(
          `${s.ok ? 'pass' : 'FAIL'}  ${s.step.padEnd(42)} ${String(s.ms).padStart(6)} ms  ${s.ok ? s.detail : ''}\n`,
        );
        if (!s.ok) io.stderr(`rehearse: ${s.step}: ${s.detail}\n`);
      },
    });
    io.stdout(
      failed
        ? `rehearse: FAILED at "${steps[steps.length - 1]!.step}"\n`
        : `rehearse: all ${steps.length} steps passed\n`,
    );
    return failed ? 1 : 0;
  },
});

export const verifyCommand = command({
  name: 'verify',
  describe:
    'Compare every target table, row by row and column by column, with out/data/*.json (a real target: with out/target-rows.json, and run out/verify.sql)',
  builder: (y) =>
    y
      .option('out', { type: 'string', default: 'out', describe: 'the transform output folder' })
      .option('db', { type: 'string', describe: 'the target database URL (default: $DATABASE_URL)' }),
  run: async (args, io) => {
    const db = verifyDatabase(args.db, io.env);
    // a real target's output (out/target.json): what anon and authenticated can do, and access unchanged
    const { checkAccess, formatAccess, readTargetRecord } = await import('../verify/access.js');
    const record = await readTargetRecord(args.out);
    const access = record === null ? null : await checkAccess(db, record);
    if (access !== null) io.stdout(formatAccess(access));
    const accessChanged = access !== null && access.added.length + access.removed.length > 0;
    // the rows, row by row and column by column: a real target's as transform bound them to its own shape
    // (out/target-rows.json), and its verify.sql too; the fresh project's with out/data
    let rowsOk = true;
    if (record !== null) {
      const { runVerifySql } = await import('../verify/verify-sql.js');
      const failed = await runVerifySql(db, args.out);
      io.stdout(
        failed === null
          ? "verify: the rows are as out/verify.sql expects (the target's own columns, metadata keys and ledger)\n"
          : `verify: out/verify.sql failed: ${failed}\n`,
      );
      rowsOk = failed === null;
    }
    const { formatDifferences, reconcile } = await import('../verify/reconcile.js');
    const { reconcileTarget } = await import('../verify/reconcile-target.js');
    const r = record !== null ? await reconcileTarget(db, args.out) : await reconcile(db, args.out);
    const against = record !== null ? 'out/target-rows.json' : 'out/data';
    io.stdout(formatDifferences(r, against));
    io.stdout(
      r.differences.length === 0
        ? `verify: the target matches ${record !== null ? 'the rows transform bound to it (out/target-rows.json)' : against}\n`
        : `verify: ${r.differences.length} differences from ${against}\n`,
    );
    rowsOk &&= r.differences.length === 0;
    if (accessChanged)
      io.stdout(
        'verify: the policies or grants on coaches, categories, app_config changed since transform read the target\n',
      );
    const widened = access !== null && access.widened.length > 0;
    if (widened)
      io.stdout(
        `verify: anon or authenticated may now read or write more of coaches, categories, app_config than when transform read the target (${access.widened.length} line(s) above)\n`,
      );
    return rowsOk && !accessChanged && !widened ? 0 : 1;
  },
});

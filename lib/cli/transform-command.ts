import { countBySeverity } from '../findings.js';
import type { Argv } from 'yargs';
import { runTransform } from '../pipeline/transform.js';
import { fromTransformArgs } from '../pipeline/transform-options.js';
import { changeLines, type ChangeSummary } from '../transform/changes.js';
import type { Binding } from '../sql/target-model/bind.js';
import { handedBack } from '../sql/target-model/hand-back.js';
import { command } from './command.js';
import { SIGNAL_EXIT, takeSignals } from './signals.js';

/** transform's options, which rehearse takes too. */
export const transformArgs = (y: Argv) =>
  y
    .option('dump', {
      type: 'string',
      array: true,
      demandOption: true,
      describe: 'dump files or directories (.sql, .sql.gz)',
    })
    .option('out', {
      type: 'string',
      default: 'out',
      describe: 'output folder; replaced only by a complete, successful run',
    })
    .option('supabase-url', {
      type: 'string',
      describe: 'for image URLs (default: $SUPABASE_URL, else http://127.0.0.1:54321)',
    })
    .option('source-timezone', {
      type: 'string',
      default: 'UTC',
      describe: 'the time zone legacy timestamps were written in',
    })
    .option('strict', { type: 'boolean', default: false, describe: 'warnings block the run too' })
    .option('break-cycles', {
      type: 'boolean',
      default: false,
      describe: 'break category cycles at their smallest legacy id',
    })
    .option('keep-removed', {
      type: 'boolean',
      default: false,
      describe:
        'keep in the target the rows of earlier runs whose legacy source is gone (each a warning) instead of removing them',
    })
    .option('overwrite-app-edits', {
      type: 'boolean',
      default: false,
      describe:
        'let migration.sql overwrite rows the app changed or deleted since the last run (each a NOTICE) instead of refusing, naming each',
    })
    .option('sanitize-svg', {
      type: 'boolean',
      default: false,
      describe:
        'rewrite an SVG with script, event handlers, javascript: URLs or external references with a sanitizer (DOMPurify) instead of refusing it',
    })
    .option('default-coach', {
      type: 'string',
      describe: 'the default coach, by name or legacy id (default: Daniel)',
    })
    .option('target-db', {
      type: 'string',
      describe:
        'the real target database, read read-only in one snapshot: write into its own columns, take over its rows of the same name (default: the fresh project schemas/target.sql makes)',
    })
    .option('target-schema', {
      type: 'string',
      describe: 'the real target offline: a pg_dump --schema-only or supabase db dump of it',
    })
    .option('target-data', {
      type: 'string',
      describe: 'with --target-schema: a data-only dump (--inserts) of its coaches, categories and app_config',
    })
    .option('adopt', {
      type: 'boolean',
      default: true,
      describe:
        "take over the target's rows of the same natural key (coach name, category path, config key) in place (--no-adopt: refuse, naming each)",
    });

export const transformCommand = command({
  name: 'transform',
  describe: 'Read the dumps and write out/: migration.sql, verify.sql, rollback.sql, data/*.json, images/, report.md',
  builder: transformArgs,
  run: async (args, io) => {
    const r = await whileHandlingSignals((signal) =>
      runTransform({ ...fromTransformArgs(args, io.env), signal, onNote: (m) => io.stderr(`note: ${m}\n`) }),
    );
    const c = countBySeverity(r.findings);
    const outArg = args.out;
    io.stdout(
      [
        `transform: coaches ${r.rows.coaches.length}, categories ${r.rows.categories.length}, app_config ${r.rows.appConfig.length}; images written ${r.images.written}${r.images.linked > 0 ? ` (${r.images.linked} unchanged since the previous output: linked, not written again)` : ''}, not referenced (never written) ${r.images.unreferenced}`,
        `findings: ${c.error} errors, ${c.warning} warnings, ${c.info} info`,
        ...changeSummaryLines(r.changes),
        ...(r.binding !== undefined ? adoptedLines(r.binding) : []),
        ...(r.localDefaultUrl !== null
          ? [
              `note: the image URLs in migration.sql point at ${r.localDefaultUrl}, the local default (a Supabase stack on this machine); for a real project run again with --supabase-url https://<project>.supabase.co (or set SUPABASE_URL)`,
            ]
          : []),
        `wrote ${outArg}/: migration.sql, verify.sql, rollback.sql, data/, images/; read ${outArg}/report.md`,
        '',
      ].join('\n'),
    );
    return 0;
  },
});

/** A real target: which of the app's rows this run takes over, and which it hands back. */
function adoptedLines(b: Binding): string[] {
  const rows = b.tables.flatMap((t) =>
    t.rows
      .filter((r) => r.adopted !== null)
      .map((r) => `  ${t.table} ${r.adopted}: the app's row ${r.key} (${r.handle})`),
  );
  const back = handedBack(b).map((r) => `  ${r.table} ${r.name}: the app's row ${r.key}`);
  return [
    `target: ${b.target.source}; adopted (the app's rows, updated in place): ${rows.length === 0 ? 'none' : rows.length}`,
    ...rows,
    `handed back to the app (adopted earlier, legacy source gone; restored as before adoption, never deleted): ${back.length === 0 ? 'none' : back.length}`,
    ...back,
  ];
}

/** The change summary for the terminal: every table's counts, and at most 30 rows (report.md has them all). */
function changeSummaryLines(changes: ChangeSummary | null): string[] {
  if (changes === null) return ['changes since the previous output: none to compare with (a first run)'];
  const all = changeLines(changes);
  const rows = all.filter((l) => l.startsWith('  '));
  const shown = rows.slice(0, 30);
  return [
    'changes since the previous output:',
    ...all.filter((l) => !l.startsWith('  ')).map((l) => `  ${l}`),
    ...shown.map((l) => `  ${l}`),
    ...(rows.length > shown.length ? [`    … and ${rows.length - shown.length} more in report.md`] : []),
  ];
}

/**
 * Runs `work` with SIGINT and SIGTERM turned into an abort: the run stops at its next chunk, removes its
 * unfinished output and exits 130 or 143. A second signal while it cleans up exits at once (what is left is
 * marked as ours, and the next run clears it).
 */
export async function whileHandlingSignals<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const ac = new AbortController();
  const release = takeSignals((sig) => {
    if (ac.signal.aborted) process.exit(SIGNAL_EXIT[sig as keyof typeof SIGNAL_EXIT]);
    ac.abort(sig);
  });
  try {
    return await work(ac.signal);
  } finally {
    release();
  }
}

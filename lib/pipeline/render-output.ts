/**
 * Stage 3 of a transform, render: every file of out/ but the images, by its path. Each file's text is made
 * when the writer asks for it, one file at a time: a dump of many rows would otherwise hold every file's text
 * at once (the SQL and JSON of the same rows several times over).
 */
import { sortFindings, type Finding } from '../findings.js';
import type { LegacyDump } from '../legacy/read-legacy.js';
import { reportMarkdown } from '../report/report.js';
import { reviewHtml } from '../report/review-html.js';
import { KEEP_REMOVED_OPTION, type RunDescription } from '../sql/header.js';
import { migrationSql } from '../sql/migration.js';
import { rollbackSql } from '../sql/rollback.js';
import { byLegacyId } from '../sql/rows.js';
import { secretsSql, SECRETS_GITIGNORE } from '../sql/secrets.js';
import { bindingReportLines, existingMigrationSql, existingVerifySql } from '../sql/target-model/existing-sql.js';
import { handedBack, handedBackReportLines } from '../sql/target-model/hand-back.js';
import { TARGET_ROWS_FILE, targetRowsJson } from '../sql/target-model/bound-rows.js';
import { TARGET_RECORD_FILE, targetRecordJson } from '../sql/target-model/target-record.js';
import { verifySql } from '../sql/verify.js';
import type { Part } from '../text-parts.js';
import type { ChangeSummary } from '../transform/changes.js';
import { dumpChecks } from '../transform/dump-checks.js';
import { stringifyExactJsonArrayParts } from '../transform/exact-json.js';
import type { ImagePlan } from '../transform/images.js';
import type { JsonValue } from '../transform/target-rows.js';
import { isUtc } from '../transform/timestamps.js';
import type { ImageCounts } from '../images/image-sink.js';
import type { Mapped } from './map-stage.js';
import { keptRemovedFindings } from './removed-rows.js';

export interface RenderInput {
  readonly toolVersion: string;
  readonly dump: LegacyDump;
  readonly mapped: Mapped;
  readonly plan: ImagePlan;
  readonly images: ImageCounts;
  /** What changed since the output this run replaces (null: there was none). */
  readonly changes: ChangeSummary | null;
  readonly options: RenderOptions;
}

export interface RenderOptions {
  readonly sourceTimezone: string;
  readonly supabaseUrl: string;
  readonly strict: boolean;
  readonly breakCycles: boolean;
  readonly sanitizeSvg: boolean;
  readonly keepRemoved: boolean;
  /** Rows the app changed or deleted since the last run are overwritten (each a NOTICE) instead of refused. */
  readonly overwriteAppEdits: boolean;
  readonly defaultCoach?: string;
  readonly adopt: boolean;
}

/** One file of out/: its path inside out/ and how to make its text. */
export interface OutputFile {
  readonly path: string;
  readonly render: () => string | readonly Part[];
}

export interface Rendered {
  readonly files: readonly OutputFile[];
  /** The findings as the report lists them: the mapping's, and one per row --keep-removed leaves. */
  readonly findings: readonly Finding[];
}

/** The options as report.md and the SQL files' headers record them, so a reviewer sees how the output was made. */
export function recordedOptions(o: RenderOptions, target: string | null): [string, string][] {
  return [
    ['source timezone', o.sourceTimezone],
    // the offsets come from Node's ICU: which tz data release, when one is used (the report names it)
    ...(isUtc(o.sourceTimezone)
      ? []
      : [
          ['time-zone data', `tz ${process.versions.tz ?? 'unknown'} (Node ${process.version}, ICU)`] as [
            string,
            string,
          ],
        ]),
    ['supabase url', o.supabaseUrl],
    ['strict', String(o.strict)],
    ['break cycles', String(o.breakCycles)],
    ...(o.sanitizeSvg ? [['sanitize svg', 'true'] as [string, string]] : []),
    ...(o.keepRemoved ? [[KEEP_REMOVED_OPTION, 'true'] as [string, string]] : []),
    ...(o.overwriteAppEdits ? [['overwrite app edits', 'true'] as [string, string]] : []),
    ['default coach', o.defaultCoach ?? 'Daniel (the default)'],
    ...(target !== null
      ? [['target', target] as [string, string], ['adopt', String(o.adopt)] as [string, string]]
      : []),
  ];
}

const json = (rows: readonly unknown[]): Part[] => [...stringifyExactJsonArrayParts(rows as JsonValue[], '  '), '\n'];

export function renderOutput(input: RenderInput): Rendered {
  const { dump, mapped, plan, changes, options: o } = input;
  const { rows, binding } = mapped;
  // with --keep-removed, each row left in the target although its legacy source is gone is said, row by row: with a
  // target the ledger decides (as migration.sql does), otherwise the previous out/, and the report says which
  const removed = o.keepRemoved ? keptRemovedFindings(binding, changes) : null;
  const options = [
    ...recordedOptions(o, binding?.target.source ?? null),
    ...(removed !== null ? [['removed rows decided by', removed.authority] as [string, string]] : []),
  ];
  const kept = removed?.findings ?? [];
  const findings = kept.length === 0 ? mapped.findings : sortFindings([...mapped.findings, ...kept]);
  const { keepRemoved, overwriteAppEdits } = o;
  const run: RunDescription = {
    toolVersion: input.toolVersion,
    inputs: dump.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
    options,
  };
  const files: OutputFile[] = [
    {
      path: 'migration.sql',
      render: () =>
        binding !== null
          ? existingMigrationSql(binding, run, { keepRemoved, overwriteAppEdits })
          : migrationSql(rows, run, { keepRemoved, overwriteAppEdits }),
    },
    {
      path: 'verify.sql',
      render: () =>
        binding !== null ? existingVerifySql(binding, run, { keepRemoved }) : verifySql(rows, run, { keepRemoved }),
    },
    {
      path: 'rollback.sql',
      render: () => (binding !== null ? rollbackSql(rows, run, { quietTriggers: true }) : rollbackSql(rows, run)),
    },
    // a real target: what transform read of its access and where each field went, for verify --db to compare
    ...(binding !== null ? [{ path: TARGET_RECORD_FILE, render: () => targetRecordJson(binding) }] : []),
    // ... and the rows bound to it, under its own keys and columns, for verify --db to reconcile (secrets as
    // placeholders)
    ...(binding !== null ? [{ path: TARGET_ROWS_FILE, render: () => targetRowsJson(binding) }] : []),
    ...(mapped.secrets.length > 0
      ? [
          { path: 'secrets.sql', render: () => secretsSql(mapped.secrets, run) },
          { path: '.gitignore', render: () => SECRETS_GITIGNORE },
        ]
      : []),
    { path: 'data/coaches.json', render: () => json(byLegacyId(rows.coaches)) },
    { path: 'data/categories.json', render: () => json(byLegacyId(rows.categories)) },
    { path: 'data/app_config.json', render: () => json(rows.appConfig) },
    { path: 'images/manifest.json', render: () => json(plan.manifest) },
    { path: 'report.md', render: () => report(input, options, findings) },
    { path: 'review.html', render: () => review(input, findings) },
  ];
  return { files, findings };
}

function report(input: RenderInput, options: readonly [string, string][], findings: readonly Finding[]): string {
  const { dump, mapped, plan, images: c } = input;
  const { rows, binding } = mapped;
  return reportMarkdown({
    toolVersion: input.toolVersion,
    files: dump.files,
    options,
    rowsIn: {
      tls_coach: dump.coaches.length,
      tls_category: dump.categories.length,
      tls_prompt: dump.prompts.length,
      tls_variable: dump.variables.length,
      tls_system: dump.systems.length,
    },
    rowsOut: { coaches: rows.coaches.length, categories: rows.categories.length, app_config: rows.appConfig.length },
    images: { ...c, total: dump.imageCount, referenced: c.referencedSeen },
    manifest: plan.manifest,
    findings,
    tree: mapped.tree,
    checks: dumpChecks(dump, input.options.breakCycles),
    changes: input.changes,
    ...(binding !== null ? { target: [...bindingReportLines(binding), ...handedBackReportLines(binding)] } : {}),
    access: {
      coaches: [rows.coaches.filter((r) => r.is_active).length, rows.coaches.length],
      categories: [rows.categories.filter((r) => r.is_active).length, rows.categories.length],
      publicKeys: rows.appConfig.filter((a) => a.is_public).map((a) => a.key),
      appConfig: rows.appConfig.length,
    },
  });
}

function review(input: RenderInput, findings: readonly Finding[]): string {
  const { dump, mapped, plan } = input;
  const { rows, binding } = mapped;
  const adopted =
    binding?.tables.flatMap((t) => t.rows.filter((r) => r.adopted !== null).map((r) => `${t.table} ${r.adopted}`)) ??
    [];
  return reviewHtml({
    ...(binding !== null
      ? {
          target: {
            source: binding.target.source,
            adopted,
            handedBack: handedBack(binding).map((r) => `${r.table} ${r.name}`),
          },
        }
      : {}),
    toolVersion: input.toolVersion,
    files: dump.files,
    coaches: rows.coaches,
    categories: rows.categories,
    tree: mapped.tree,
    appConfig: rows.appConfig,
    manifest: plan.manifest,
    findings,
    changes: input.changes,
  });
}

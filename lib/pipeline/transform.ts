/**
 * The transform run: read the dumps, map them (pure functions in lib/transform/), write out/ all or
 * nothing. Each input is read once. Images are measured and written while they stream when the coaches and
 * categories that say which images matter came first; in pg_dump's order for the production schema
 * (tls_image before tls_coach, for its foreign keys) each image row's place is noted as it streams by, and
 * only the referenced few are read again from there (lib/dump/read-again.ts).
 */
import { MigrateError, throwIfAborted } from '../errors.js';
import { countBySeverity, sortFindings, type Finding } from '../findings.js';
import { ImageSink } from '../images/image-sink.js';
import { resolveSupabaseUrl } from '../images/object-path.js';
import { recycleBytea } from '../dump/bytea-memory.js';
import { readImagesAgain, readLegacyDump, type ImagePlace, type LegacyDump, type ReadSoFar } from '../legacy/read-legacy.js';
import type { ImageRecord } from '../legacy/records.js';
import { LEGACY_TABLES } from '../legacy/schema.js';
import { collectGarbage, LARGE_PART } from '../collect-garbage.js';
import { OutDir } from '../output/out-dir.js';
import { reportMarkdown } from '../report/report.js';
import { reviewHtml } from '../report/review-html.js';
import { migrationSql } from '../sql/migration.js';
import { rollbackSql } from '../sql/rollback.js';
import { secretsSql, SECRETS_GITIGNORE } from '../sql/secrets.js';
import type { MigrationRows } from '../sql/rows.js';
import { verifySql } from '../sql/verify.js';
import { mapAppConfig } from '../transform/app-config.js';
import { mapCategories } from '../transform/categories.js';
import { mapCoaches } from '../transform/coaches.js';
import { takeOutSecrets } from '../transform/secrets.js';
import { parseExactJson, stringifyExactJsonArrayParts } from '../transform/exact-json.js';
import { compareOutputs, type ChangeSummary } from '../transform/changes.js';
import { readFile } from 'node:fs/promises';
import { imageReferences, planImages, type ImageRef } from '../transform/images.js';
import type { JsonValue } from '../transform/target-rows.js';
import type { Part } from '../text-parts.js';
import { checkTimeZone, isUtc } from '../transform/timestamps.js';
import { validateTargetRows } from '../transform/validate-target.js';
import { TOOL_VERSION } from '../version.js';
import { dumpChecks } from '../transform/dump-checks.js';
import { bindTarget, type Binding } from '../sql/target-model/bind.js';
import { bindingReportLines, existingMigrationSql, existingVerifySql } from '../sql/target-model/existing-sql.js';
import type { TargetDescription } from '../sql/target-model/shape.js';
import { readTarget, type TargetOptions } from './target.js';

export interface TransformOptions {
  readonly dump: readonly string[];
  readonly out: string;
  readonly supabaseUrl?: string;
  readonly sourceTimezone: string;
  readonly strict: boolean;
  readonly breakCycles: boolean;
  /** Rows of earlier runs whose legacy source is gone stay in the target (each a warning) instead of being removed. */
  readonly keepRemoved?: boolean;
  /** Rows the app changed or deleted since the last run are overwritten by migration.sql (each a NOTICE) instead of refused. */
  readonly overwriteAppEdits?: boolean;
  readonly defaultCoach?: string;
  /** Image files written with O_DIRECT where the file system allows (the default; see images/direct-write.ts). */
  readonly directIo?: boolean;
  /** An SVG with active content is rewritten by the sanitizer (a warning) instead of refused (an error). */
  readonly sanitizeSvg?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborting stops the run within a chunk's parse: the partial output is removed, the previous out/ kept. */
  readonly signal?: AbortSignal;
  /** Hears what the user should know that is not an error (a stale lock taken over, an output put back). */
  readonly onNote?: (message: string) => void;
  /** The real target to write for (issue 31); without it, the fresh project schemas/target.sql makes. */
  readonly target?: TargetOptions;
  /** Take over the app's rows of the same natural key (the default); false: each such row blocks the run. */
  readonly adopt?: boolean;
}

export interface TransformResult {
  readonly out: string;
  readonly rows: MigrationRows;
  readonly findings: readonly Finding[];
  /** linked: of the written, how many were the previous output's files, unchanged, linked instead. */
  readonly images: { readonly written: number; readonly linked: number; readonly unreferenced: number };
  /** What changed since the output this run replaced (null: there was none). */
  readonly changes: ChangeSummary | null;
  /** The image URLs point at the local default (no --supabase-url, no SUPABASE_URL): said loudly on success. */
  readonly localDefaultUrl: string | null;
  /** Bound to a real target: where the rows went, and which of the app's rows were taken over. */
  readonly binding?: Binding;
}

export async function runTransform(opts: TransformOptions): Promise<TransformResult> {
  checkTimeZone(opts.sourceTimezone);
  const supabaseUrl = resolveSupabaseUrl(opts.supabaseUrl, opts.env);
  const target = await readTarget(opts.target);
  const out = new OutDir(opts.out);
  await out.begin(opts.onNote);
  const sinks: ImageSink[] = [];
  try {
    const result = await transformInto(out, opts, supabaseUrl, sinks, target);
    throwIfAborted(opts.signal);
    await out.commit();
    return result;
  } catch (e) {
    // every image write under way ends before the folder it writes into is removed
    for (const s of sinks) await s.settle();
    await out.abandon();
    if (e instanceof MigrateError && e.code === 'INTERRUPTED') {
      throw new MigrateError('INTERRUPTED', `${e.reason}: stopped, removed the unfinished ${out.partial}/; ${out.final}/ is as it was`);
    }
    throw e;
  }
}

async function transformInto(out: OutDir, opts: TransformOptions, supabaseUrl: string, sinks: ImageSink[], target: TargetDescription | null = null): Promise<TransformResult> {
  // each sink writes into the new output and links unchanged files from the one it replaces
  const newSink = (refs: ReadonlyMap<number, ImageRef>): ImageSink => {
    const s = new ImageSink(refs, out.path('images'), out.earlier('images'), opts.directIo ?? true, opts.sanitizeSvg === true);
    sinks.push(s);
    return s;
  };
  const signal = opts.signal;
  let sink: ImageSink | null = null;
  let refs: Map<number, ImageRef> | null = null;
  /** Images read before the references were known: where each is, and its size. */
  const deferred: { place: ImagePlace; bytes: number }[] = [];
  const onImage = async (img: ImageRecord, soFar: ReadSoFar, place: ImagePlace): Promise<void> => {
    if (sink === null) {
      if (!soFar.complete.has('tls_coach') || !soFar.complete.has('tls_category')) {
        // which images matter is not known yet: note where this one is and let its bytes go
        deferred.push({ place, bytes: img.data?.length ?? 0 });
        recycleBytea(img.data);
        return;
      }
      refs = imageReferences(soFar.coaches, soFar.categories);
      sink = newSink(refs);
    }
    await sink.accept(img);
  };
  const dump = await readLegacyDump(opts.dump, { onImage, ...(signal !== undefined ? { signal } : {}) });
  requireTables(dump);
  // the reader's buffers for a row of many MB are garbage now: collected before the output makes more
  if (dump.largestRowBytes >= LARGE_PART) collectGarbage();
  refs ??= imageReferences(dump.coaches, dump.categories);
  sink ??= newSink(refs);
  if (deferred.length > 0) {
    // the references are known now: the referenced images are read again from where they are, the rest only counted
    const known = refs;
    const wanted = deferred.filter((d) => known.has(d.place.id));
    for (const d of deferred) if (!known.has(d.place.id)) sink.countUnreferenced(d.bytes);
    for await (const img of readImagesAgain(wanted.map((d) => d.place))) {
      throwIfAborted(signal);
      await sink.accept(img);
    }
  }
  await sink.finish();
  const plan = planImages(refs, sink.facts, supabaseUrl);

  const zone = opts.sourceTimezone;
  const coaches = mapCoaches(dump.coaches, { urlFor: (id) => plan.urlFor('coach-images', id) }, zone);
  const categories = mapCategories(dump.categories, { urlFor: (id) => plan.urlFor('category-icons', id) }, { breakCycles: opts.breakCycles, sourceZone: zone });
  const config = mapAppConfig({ prompts: dump.prompts, variables: dump.variables, systems: dump.systems, coaches: coaches.rows, defaultCoach: opts.defaultCoach !== undefined ? { option: opts.defaultCoach } : {}, sourceZone: zone });
  // credentials leave the rows here: every reviewable file gets a placeholder, secrets.sql the values
  const secrets = takeOutSecrets(config.rows, config.origins);
  const rows: MigrationRows = { coaches: coaches.rows, categories: categories.rows, tree: categories.tree, appConfig: secrets.rows, defaultCoach: config.defaultCoach, appConfigOrigins: config.origins };
  // a real target: the rows under its own columns, the app's rows taken over, what it would refuse found now
  const binding = target === null ? null : bindTarget(rows, target, { adopt: opts.adopt ?? true });
  const findings = sortFindings([...dump.findings, ...coaches.findings, ...categories.findings, ...config.findings, ...secrets.findings, ...plan.findings, ...(binding?.findings ?? [])]);

  const counts = countBySeverity(findings);
  const blocking = findings.filter((f) => f.severity === 'error' || (opts.strict && f.severity === 'warning'));
  if (blocking.length > 0) {
    const shown = blocking.slice(0, 20).map((f) => `  ${f.severity} ${f.code} ${f.subject}: ${f.message}`);
    const more = blocking.length > 20 ? [`  … and ${blocking.length - 20} more`] : [];
    throw new MigrateError('FINDINGS_BLOCK', `the data has ${counts.error} errors${opts.strict ? ` and ${counts.warning} warnings (--strict)` : ''}; nothing was written:\n${[...shown, ...more].join('\n')}`);
  }

  validateTargetRows('coaches', rows.coaches, (r) => `coach legacy id ${(r as { legacy_id: number }).legacy_id}`);
  validateTargetRows('categories', rows.categories, (r) => `category legacy id ${(r as { legacy_id: number }).legacy_id}`);
  validateTargetRows('app_config', rows.appConfig, (r) => `app_config key ${(r as { key: string }).key}`);

  const options: [string, string][] = [
    ['source timezone', opts.sourceTimezone],
    // the offsets come from Node's ICU: which tz data release, when one is used (the report names it)
    ...(isUtc(opts.sourceTimezone) ? [] : [['time-zone data', `tz ${process.versions.tz ?? 'unknown'} (Node ${process.version}, ICU)`] as [string, string]]),
    ['supabase url', supabaseUrl],
    ['strict', String(opts.strict)],
    ['break cycles', String(opts.breakCycles)],
    ...(opts.sanitizeSvg === true ? [['sanitize svg', 'true'] as [string, string]] : []),
    ...(opts.keepRemoved === true ? [['keep removed', 'true'] as [string, string]] : []),
    ...(opts.overwriteAppEdits === true ? [['overwrite app edits', 'true'] as [string, string]] : []),
    ['default coach', opts.defaultCoach ?? 'Daniel (the default)'],
    ...(binding !== null ? [['target', binding.target.source] as [string, string], ['adopt', String(opts.adopt ?? true)] as [string, string]] : []),
  ];
  const changes = await changesSincePrevious(out, rows);
  // with --keep-removed, each row the previous output had and this dump no longer gives stays: said, row by row
  const keepRemoved = opts.keepRemoved === true;
  const kept: Finding[] = keepRemoved && changes !== null ? Object.entries(changes).flatMap(([table, c]) => c.removed.map((row) => ({ severity: 'warning' as const, code: 'row.removed.kept', subject: row, message: `its legacy source is gone from the dump; --keep-removed leaves it in ${table}` }))) : [];
  const reported = kept.length === 0 ? findings : sortFindings([...findings, ...kept]);
  const run = { toolVersion: TOOL_VERSION, inputs: dump.files.map((f) => ({ name: f.name, sha256: f.sha256 })), options };
  const overwriteAppEdits = opts.overwriteAppEdits === true;
  await out.write('migration.sql', binding !== null ? existingMigrationSql(binding, run, { keepRemoved, overwriteAppEdits }) : migrationSql(rows, run, { keepRemoved, overwriteAppEdits }));
  await out.write('verify.sql', binding !== null ? existingVerifySql(binding, run, { keepRemoved }) : verifySql(rows, run, { keepRemoved }));
  await out.write('rollback.sql', binding !== null ? rollbackSql(rows, run, { quietTriggers: true }) : rollbackSql(rows, run));
  if (secrets.secrets.length > 0) {
    await out.write('secrets.sql', secretsSql(secrets.secrets, run));
    await out.write('.gitignore', SECRETS_GITIGNORE);
  }
  const json = (rows: readonly unknown[]): Part[] => [...stringifyExactJsonArrayParts(rows as JsonValue[], '  '), '\n'];
  await out.write('data/coaches.json', json([...rows.coaches].sort((a, b) => a.legacy_id - b.legacy_id)));
  await out.write('data/categories.json', json([...rows.categories].sort((a, b) => a.legacy_id - b.legacy_id)));
  await out.write('data/app_config.json', json(rows.appConfig));
  await out.write('images/manifest.json', json(plan.manifest));
  const c = sink.counts;
  await out.write(
    'report.md',
    reportMarkdown({
      toolVersion: TOOL_VERSION,
      files: dump.files,
      options,
      rowsIn: { tls_coach: dump.coaches.length, tls_category: dump.categories.length, tls_prompt: dump.prompts.length, tls_variable: dump.variables.length, tls_system: dump.systems.length },
      rowsOut: { coaches: rows.coaches.length, categories: rows.categories.length, app_config: rows.appConfig.length },
      images: { ...c, total: dump.imageCount, referenced: c.referencedSeen },
      manifest: plan.manifest,
      findings: reported,
      tree: categories.tree,
      checks: dumpChecks(dump, opts.breakCycles),
      changes,
      ...(binding !== null ? { target: bindingReportLines(binding) } : {}),
      access: {
        coaches: [rows.coaches.filter((c) => c.is_active).length, rows.coaches.length],
        categories: [rows.categories.filter((c) => c.is_active).length, rows.categories.length],
        publicKeys: rows.appConfig.filter((a) => a.is_public).map((a) => a.key),
        appConfig: rows.appConfig.length,
      },
    }),
  );
  await out.write(
    'review.html',
    reviewHtml({ ...(binding !== null ? { target: { source: binding.target.source, adopted: binding.tables.flatMap((t) => t.rows.filter((r) => r.adopted !== null).map((r) => `${t.table} ${r.adopted}`)) } } : {}), toolVersion: TOOL_VERSION, files: dump.files, coaches: rows.coaches, categories: rows.categories, tree: categories.tree, appConfig: rows.appConfig, manifest: plan.manifest, findings: reported, changes }),
  );
  return { out: out.final, rows, findings: reported, images: { written: c.filesWritten, linked: c.filesLinked, unreferenced: c.unreferenced }, changes, localDefaultUrl: opts.supabaseUrl === undefined && (opts.env['SUPABASE_URL'] ?? '') === '' && plan.manifest.length > 0 ? supabaseUrl : null, ...(binding !== null ? { binding } : {}) };
}

/** The new rows against the previous output's data/*.json, when this run replaces an output of ours. */
async function changesSincePrevious(out: OutDir, rows: MigrationRows): Promise<ChangeSummary | null> {
  const read = async (name: string): Promise<Record<string, JsonValue>[] | null> => {
    const path = out.earlier('data', name);
    if (path === null) return null;
    try {
      const v = parseExactJson(await readFile(path, 'utf8'));
      return Array.isArray(v) ? (v as Record<string, JsonValue>[]) : null;
    } catch {
      return null; // an earlier output without data files: nothing to compare with
    }
  };
  const [coaches, categories, appConfig] = await Promise.all([read('coaches.json'), read('categories.json'), read('app_config.json')]);
  if (coaches === null || categories === null || appConfig === null) return null;
  const asJson = (r: readonly unknown[]): Record<string, JsonValue>[] => r as Record<string, JsonValue>[];
  return compareOutputs({ coaches, categories, app_config: appConfig }, { coaches: asJson(rows.coaches), categories: asJson(rows.categories), app_config: asJson(rows.appConfig) });
}

function requireTables(dump: LegacyDump): void {
  const missing = LEGACY_TABLES.filter((t) => dump.sources[t] === undefined);
  if (missing.length > 0) {
    const read = dump.files.map((f) => `${f.name} (${f.tables.map((t) => t.table).join(', ') || 'no data'})`).join('; ');
    // pg_dump announces every table it dumps, an empty one too; a table no data dump announces was not dumped
    // (a schema dump shows only that it exists: reading it as empty would migrate nothing and remove its rows)
    const [its, it] = missing.length === 1 ? ['its', 'it'] : ['their', 'them'];
    const bySchemaDump = new Map<string, string[]>();
    for (const t of missing) if (dump.defined[t] !== undefined) bySchemaDump.set(dump.defined[t], [...(bySchemaDump.get(dump.defined[t]) ?? []), t]);
    const defined = [...bySchemaDump].map(([file, ts]) => `${file} defines ${ts.length === missing.length ? it : ts.join(', ')}`);
    const how = `${defined.length > 0 ? `${defined.join(', ')}, but ` : ''}no data dump has ${its} "-- Data for Name: ${missing[0]}; Type: TABLE DATA" entry, which pg_dump writes for every table it dumps, empty or not: dump ${it} with pg_dump --data-only ${missing.map((t) => `-t public.${t}`).join(' ')}`;
    throw new MigrateError('TABLE_MISSING', `no data for ${missing.join(', ')} in the inputs (${how}); read: ${read}`, { table: missing[0]! });
  }
}

/**
 * The transform run, in stages with named data between them, out/ written all or nothing:
 * read → plan images (read-stage.ts: ReadStage) → map → gate (map-stage.ts: Mapped) → compare with the output
 * this run replaces (ChangeSummary) → render (render-output.ts: {path → text}) → write (OutDir).
 */
import { MigrateError, throwIfAborted } from '../errors.js';
import type { Finding } from '../findings.js';
import type { ImageSink } from '../images/image-sink.js';
import { resolveSupabaseUrl } from '../images/object-path.js';
import { OutDir } from '../output/out-dir.js';
import type { MigrationRows } from '../sql/rows.js';
import type { Binding } from '../sql/target-model/bind.js';
import type { TargetDescription } from '../sql/target-model/shape.js';
import { compareOutputs, type ChangeSummary } from '../transform/changes.js';
import { parseExactJson } from '../transform/exact-json.js';
import type { JsonValue } from '../transform/target-rows.js';
import { checkTimeZone } from '../transform/timestamps.js';
import { TOOL_VERSION } from '../version.js';
import { readFile } from 'node:fs/promises';
import { gate, mapDump } from './map-stage.js';
import { readWithImages } from './read-stage.js';
import { renderOutput } from './render-output.js';
import { normalizeTransformOptions, type TransformOptions } from './transform-options.js';
import { readTarget } from './target.js';

export type { TransformOptions } from './transform-options.js';

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
      throw new MigrateError(
        'INTERRUPTED',
        `${e.reason}: stopped, removed the unfinished ${out.partial}/; ${out.final}/ is as it was`,
      );
    }
    throw e;
  }
}

async function transformInto(
  out: OutDir,
  opts: TransformOptions,
  supabaseUrl: string,
  sinks: ImageSink[],
  target: TargetDescription | null = null,
): Promise<TransformResult> {
  const o = normalizeTransformOptions(opts, supabaseUrl);
  const { dump, plan, sink } = await readWithImages(out, o, sinks);
  const mapped = mapDump(dump, plan, o, target);
  gate(mapped, o.strict);
  const changes = await changesSincePrevious(out, mapped.rows);
  const rendered = renderOutput({
    toolVersion: TOOL_VERSION,
    dump,
    mapped,
    plan,
    images: sink.counts,
    changes,
    options: o,
  });
  for (const file of rendered.files) await out.write(file.path, file.render());
  const c = sink.counts;
  // the image URLs point at the local default (no --supabase-url, no SUPABASE_URL): said loudly on success
  const localDefault = opts.supabaseUrl === undefined && (opts.env['SUPABASE_URL'] ?? '') === '';
  return {
    out: out.final,
    rows: mapped.rows,
    findings: rendered.findings,
    images: { written: c.filesWritten, linked: c.filesLinked, unreferenced: c.unreferenced },
    changes,
    localDefaultUrl: localDefault && plan.manifest.length > 0 ? supabaseUrl : null,
    ...(mapped.binding !== null ? { binding: mapped.binding } : {}),
  };
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
  const [coaches, categories, appConfig] = await Promise.all([
    read('coaches.json'),
    read('categories.json'),
    read('app_config.json'),
  ]);
  if (coaches === null || categories === null || appConfig === null) return null;
  const asJson = (r: readonly unknown[]): Record<string, JsonValue>[] => r as Record<string, JsonValue>[];
  return compareOutputs(
    { coaches, categories, app_config: appConfig },
    { coaches: asJson(rows.coaches), categories: asJson(rows.categories), app_config: asJson(rows.appConfig) },
  );
}

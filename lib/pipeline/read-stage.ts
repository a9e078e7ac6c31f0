/**
 * Stage 1 of a transform, read → plan images: every input read once; images measured and written while they
 * stream when the coaches and categories that say which images matter came first. In pg_dump's order for the
 * production schema (tls_image before tls_coach, for its foreign keys) each image row's place is noted as it
 * streams by, and only the referenced few are read again from there (lib/dump/read-again.ts).
 */
import { MigrateError, throwIfAborted } from '../errors.js';
import { ImageSink } from '../images/image-sink.js';
import {
  readImagesAgain,
  readLegacyDump,
  type ImagePlace,
  type LegacyDump,
  type ReadSoFar,
} from '../legacy/read-legacy.js';
import type { ImageRecord } from '../legacy/records.js';
import { LEGACY_TABLES } from '../legacy/schema.js';
import { collectGarbage, LARGE_PART } from '../collect-garbage.js';
import type { OutDir } from '../output/out-dir.js';
import { imageReferences, planImages, type ImagePlan, type ImageRef } from '../transform/images.js';

export interface ReadStageOptions {
  readonly dump: readonly string[];
  readonly supabaseUrl: string;
  readonly sanitizeSvg: boolean;
  readonly signal?: AbortSignal;
}

/** The dump as records, the images written to out/images/, and where each referenced image will live. */
export interface ReadStage {
  readonly dump: LegacyDump;
  readonly plan: ImagePlan;
  readonly sink: ImageSink;
}

/**
 * Reads the dumps into records and the referenced images into out/images/. Every sink made is pushed to
 * `sinks` at once, so that a failed run can let its writes end before the new output is removed.
 */
export async function readWithImages(out: OutDir, opts: ReadStageOptions, sinks: ImageSink[]): Promise<ReadStage> {
  // each sink writes into the new output and links unchanged files from the one it replaces
  const newSink = (refs: ReadonlyMap<number, ImageRef>): ImageSink => {
    const s = new ImageSink(refs, out.path('images'), out.earlier('images'), opts.sanitizeSvg);
    sinks.push(s);
    return s;
  };
  let sink: ImageSink | null = null;
  let refs: Map<number, ImageRef> | null = null;
  /** Images read before the references were known: where each is, and its size. */
  const deferred: { place: ImagePlace; bytes: number }[] = [];
  const onImage = async (img: ImageRecord, soFar: ReadSoFar, place: ImagePlace): Promise<void> => {
    if (sink === null) {
      if (!soFar.complete.has('tls_coach') || !soFar.complete.has('tls_category')) {
        // which images matter is not known yet: note where this one is and let its bytes go
        deferred.push({ place, bytes: img.data?.length ?? 0 });
        return;
      }
      refs = imageReferences(soFar.coaches, soFar.categories);
      sink = newSink(refs);
    }
    await sink.accept(img);
  };
  const dump = await readLegacyDump(opts.dump, {
    onImage,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
  });
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
      throwIfAborted(opts.signal);
      await sink.accept(img);
    }
  }
  await sink.finish();
  return { dump, sink, plan: planImages(refs, sink.facts, opts.supabaseUrl) };
}

/** Every legacy table the mapping reads was dumped (an empty table too): else nothing is written. */
function requireTables(dump: LegacyDump): void {
  const missing = LEGACY_TABLES.filter((t) => dump.sources[t] === undefined);
  if (missing.length > 0) {
    const read = dump.files
      .map((f) => `${f.name} (${f.tables.map((t) => t.table).join(', ') || 'no data'})`)
      .join('; ');
    // pg_dump announces every table it dumps, an empty one too; a table no data dump announces was not dumped
    // (a schema dump shows only that it exists: reading it as empty would migrate nothing and remove its rows)
    const [its, it] = missing.length === 1 ? ['its', 'it'] : ['their', 'them'];
    const bySchemaDump = new Map<string, string[]>();
    for (const t of missing)
      if (dump.defined[t] !== undefined)
        bySchemaDump.set(dump.defined[t], [...(bySchemaDump.get(dump.defined[t]) ?? []), t]);
    const defined = [...bySchemaDump].map(
      ([file, ts]) => `${file} defines ${ts.length === missing.length ? it : ts.join(', ')}`,
    );
    const how = `${defined.length > 0 ? `${defined.join(', ')}, but ` : ''}no data dump has ${its} "-- Data for Name: ${missing[0]}; Type: TABLE DATA" entry, which pg_dump writes for every table it dumps, empty or not: dump ${it} with pg_dump --data-only ${missing.map((t) => `-t public.${t}`).join(' ')}`;
    throw new MigrateError('TABLE_MISSING', `no data for ${missing.join(', ')} in the inputs (${how}); read: ${read}`, {
      table: missing[0]!,
    });
  }
}

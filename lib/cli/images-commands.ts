/** push-images, check-images and remove-images: argument parsing and printing only. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { MigrateError } from '../errors.js';
import { formatBytes } from '../format.js';
import { resolveSupabaseUrl } from '../images/object-path.js';
import { loadManifest } from '../storage/manifest.js';
import type { CliIo } from './io.js';
import type { CommandSpec } from './main.js';
import { progress } from './progress.js';

const common = (y: Argv): Argv =>
  y
    .option('out', { type: 'string', default: 'out', describe: 'the transform output folder' })
    .option('supabase-url', { type: 'string', describe: 'default: $SUPABASE_URL, else http://127.0.0.1:54321' })
    .option('concurrency', { type: 'number', default: 6, describe: 'requests in flight at once' })
    .option('retries', { type: 'number', default: 5, describe: 'tries after the first, on 429, 5xx, network errors and non-JSON answers' })
    .option('retry-base-ms', { type: 'number', default: 500, describe: 'backoff: this × 2^attempt milliseconds', hidden: true });

interface Common {
  out: string;
  url: string;
  concurrency: number;
  retry: { retries: number; baseMs: number };
}

function commonArgs(args: Record<string, unknown>, io: CliIo): Common {
  const concurrency = args['concurrency'] as number;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new MigrateError('OPTION_INVALID', '--concurrency takes a whole number from 1 to 64');
  const retries = args['retries'] as number;
  if (!Number.isInteger(retries) || retries < 0) throw new MigrateError('OPTION_INVALID', '--retries takes a whole number from 0');
  return { out: args['out'] as string, url: resolveSupabaseUrl(args['supabaseUrl'] as string | undefined, io.env), concurrency, retry: { retries, baseMs: args['retryBaseMs'] as number } };
}

/** The Supabase URL the transform wrote into the SQL, to warn when images would go elsewhere. */
async function transformUrl(out: string): Promise<string | null> {
  try {
    const head = (await readFile(join(out, 'migration.sql'), 'utf8')).slice(0, 4096);
    return /^-- {3}supabase url: (\S+)$/m.exec(head)?.[1] ?? null;
  } catch {
    return null;
  }
}

async function check(c: Common, io: CliIo): Promise<number> {
  const { checkImages } = await import('../storage/check-images.js');
  const entries = await loadManifest(c.out);
  const bar = progress(io, 'check', entries.length);
  const r = await checkImages(entries, c.url, c.concurrency, () => bar.tick());
  bar.stop();
  for (const b of r.bad) io.stderr(`mismatch ${b.bucket}/${b.path}: ${b.reason}\n`);
  io.stdout(`check-images: ${r.ok} match, ${r.bad.length} differ or are missing (${c.url})\n`);
  return r.bad.length === 0 ? 0 : 1;
}

export const pushImagesCommand: CommandSpec = {
  name: 'push-images',
  describe: 'Upload out/images/ to Supabase Storage (the key comes from SUPABASE_SERVICE_ROLE_KEY)',
  builder: (y) =>
    common(y)
      .option('dry-run', { type: 'boolean', default: false, describe: 'list what would be uploaded; no network' })
      .option('check', { type: 'boolean', default: false, describe: 'after uploading, fetch every object back and compare size and sha256' }),
  run: async (args, io) => {
    const c = commonArgs(args, io);
    const entries = await loadManifest(c.out);
    const total = entries.reduce((a, e) => a + e.size, 0);
    if (args['dryRun'] === true) {
      for (const e of entries) io.stdout(`would upload ${e.bucket}/${e.path} (${e.contentType}, ${formatBytes(e.size)})\n`);
      io.stdout(`push-images --dry-run: ${entries.length} objects, ${formatBytes(total)}, to ${c.url}\n`);
      return 0;
    }
    // storage-js loads when used, not at every command's start-up
    const { serviceKey } = await import('../storage/storage-target.js');
    const { pushImages } = await import('../storage/push-images.js');
    const key = serviceKey(io.env);
    const used = await transformUrl(c.out);
    if (used !== null && used !== c.url) io.stderr(`warning: transform wrote URLs for ${used}, but images go to ${c.url}\n`);
    const bar = progress(io, 'upload', entries.length);
    const r = await pushImages({
      outDir: c.out,
      entries,
      supabaseUrl: c.url,
      key,
      concurrency: c.concurrency,
      retry: c.retry,
      onEvent: (e) => {
        if (e.kind === 'uploaded' || e.kind === 'skipped' || e.kind === 'failed') bar.tick();
        if (e.kind === 'failed') bar.note(`failed ${e.entry.bucket}/${e.entry.path}: ${e.reason}`);
        if (e.kind === 'retry') bar.note(`retry ${e.attempt} ${e.entry.bucket}/${e.entry.path}: ${e.reason}`);
        if (e.kind === 'bucket') bar.note(`bucket ${e.bucket}: ${e.state}`);
      },
    });
    bar.stop();
    io.stdout(`push-images: ${r.uploaded} uploaded, ${r.skipped} skipped (already there), ${r.failed.length} failed, of ${entries.length} (${formatBytes(total)}) to ${c.url}\n`);
    if (r.failed.length > 0) return 1;
    return args['check'] === true ? check(c, io) : 0;
  },
};

export const checkImagesCommand: CommandSpec = {
  name: 'check-images',
  describe: 'Fetch every uploaded image back by its public URL and compare size and sha256',
  builder: common,
  run: async (args, io) => check(commonArgs(args, io), io),
};

export const removeImagesCommand: CommandSpec = {
  name: 'remove-images',
  describe: "Delete exactly the manifest's objects from Storage (the storage half of a rollback)",
  builder: common,
  run: async (args, io) => {
    const c = commonArgs(args, io);
    const entries = await loadManifest(c.out);
    const { serviceKey } = await import('../storage/storage-target.js');
    const { removeImages } = await import('../storage/remove-images.js');
    const r = await removeImages(entries, c.url, serviceKey(io.env), c.retry);
    io.stdout(`remove-images: ${r.removed} removed, ${r.absent} were not there, of ${entries.length} (${c.url})\n`);
    return 0;
  },
};

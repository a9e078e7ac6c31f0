// The system refusing to store the output (a file where a folder should be, a folder where a file should be,
// disk full, no permission) is a clear OUTPUT_IO error naming what could not be written: exit 2, no stack
// trace, and nothing left half-written in place of the previous out/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { MigrateError, outputError } from '../lib/errors.js';
import { ImageSink } from '../lib/images/image-sink.js';
import { OutDir } from '../lib/output/out-dir.js';
import type { ImageRef } from '../lib/transform/images.js';
import { cli } from './helpers/cli.js';

// the smallest PNG signature the sniffer takes: its 8-byte magic, then an IHDR chunk header
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);
const refs = new Map<number, ImageRef>([
  [7, { buckets: new Set(['coach-images'] as const), referencedBy: ['tls_coach#1.image_id'] }],
]);
const image = { id: 7, extension: 'png', data: png, user_id: null, time_create: null };

t.test('outputError: errors of the system become OUTPUT_IO; anything else stays what it was', async (t) => {
  const e = outputError(
    Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
    'images/a.png',
  );
  t.ok(e instanceof MigrateError);
  t.equal((e as MigrateError).code, 'OUTPUT_IO');
  t.equal((e as MigrateError).message, 'cannot write images/a.png: ENOSPC: no space left on device, write [OUTPUT_IO]');
  const bug = new TypeError('x is undefined');
  t.equal(outputError(bug, 'a'), bug, 'a bug is not dressed up as a disk error');
  const ours = new MigrateError('OUTPUT_IO', 'refusing');
  t.equal(outputError(ours, 'a'), ours);
});

t.test('the image sink: a bucket folder it cannot make, an image file it cannot write', async (t) => {
  const dir = t.testdir({ 'not-a-folder': 'x', images: { 'coach-images': {} } });
  const blocked = new ImageSink(refs, join(dir, 'not-a-folder'));
  await t.rejects(blocked.accept(image), {
    code: 'OUTPUT_IO',
    message: /^cannot write images\/coach-images\/: ENOTDIR/,
  });

  const sink = new ImageSink(refs, join(dir, 'images'));
  // a folder already where the image file goes
  const probe = new ImageSink(refs, join(dir, 'probe'));
  await probe.accept(image);
  await probe.finish();
  const path = [...(await import('node:fs')).readdirSync(join(dir, 'probe', 'coach-images'))][0]!;
  mkdirSync(join(dir, 'images', 'coach-images', path));
  await sink.accept(image);
  await t.rejects(sink.finish(), {
    code: 'OUTPUT_IO',
    message: new RegExp(`^cannot write images/coach-images/${path.replace('.', '\\.')}: EEXIST`),
  }); // O_EXCL: the kernel says EEXIST for anything in the way
});

t.test('OutDir: a file where a folder goes', async (t) => {
  const dir = t.testdir({ out: {} });
  const out = new OutDir(join(dir, 'out'));
  await out.begin();
  writeFileSync(out.path('data'), 'x');
  await t.rejects(out.write('data/coaches.json', '[]'), {
    code: 'OUTPUT_IO',
    message: /^cannot write data\/coaches\.json: (ENOTDIR|EEXIST)/,
  });
});

t.test('the command: --out under a file is a clear error, exit 2, no stack trace', async (t) => {
  const dir = t.testdir({ 'a-file': 'x' });
  const r = await cli(['transform', '--dump', 'samples', '--out', join(dir, 'a-file', 'out')]);
  t.equal(r.code, 2, r.stderr);
  t.match(r.stderr, /cannot write .*a-file\/out\/: ENOTDIR/);
  t.notMatch(r.stderr, /internal error|\n\s+at /);
});

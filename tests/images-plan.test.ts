// Images: content type from the bytes, object paths and URLs from one place, and the findings.
import { createHash } from 'node:crypto';
import t from 'tap';
import { extensionMatches, sniffImage } from '../lib/images/content-type.js';
import { objectPath, publicUrl, resolveSupabaseUrl } from '../lib/images/object-path.js';
import { imageReferences, planImages, type ImageFacts } from '../lib/transform/images.js';
import { cat, coach } from './helpers/records.js';

t.test('content type from the bytes', async (t) => {
  const b = (hex: string): Buffer => Buffer.from(hex, 'hex');
  t.equal(sniffImage(b('ffd8ffe000104a464946')), 'jpg');
  t.equal(sniffImage(b('89504e470d0a1a0a0000000d')), 'png');
  t.equal(sniffImage(Buffer.from('GIF87a....')), 'gif');
  t.equal(sniffImage(Buffer.from('GIF89a....')), 'gif');
  t.equal(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1')), 'webp');
  t.equal(sniffImage(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1')), null, 'RIFF but not WebP');
  t.equal(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), 'svg');
  t.equal(
    sniffImage(
      Buffer.from(
        '\uFEFF<?xml version="1.0"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n  <svg>',
      ),
    ),
    'svg',
  );
  t.equal(sniffImage(Buffer.from('<html><svg></svg></html>')), null, 'the first element must be svg');
  t.equal(sniffImage(Buffer.from('<svgfoo>')), null);
  t.equal(sniffImage(Buffer.from('this is not an image')), null);
  t.equal(sniffImage(Buffer.from([0xff, 0xd8])), null, 'too short');
  t.ok(
    extensionMatches('jpg', 'JPEG') &&
      extensionMatches('jpg', '.jpg') &&
      !extensionMatches('png', 'jpg') &&
      !extensionMatches('png', null),
  );
});

t.test('paths and URLs', async (t) => {
  t.equal(objectPath(12, 'abcdef0123456789ffff', 'png'), '12-abcdef0123456789.png');
  t.equal(
    publicUrl('https://p.supabase.co', 'coach-images', '1-x.jpg'),
    'https://p.supabase.co/storage/v1/object/public/coach-images/1-x.jpg',
  );
  t.equal(
    resolveSupabaseUrl('https://a/', { SUPABASE_URL: 'https://b' }),
    'https://a',
    'the option first, trailing / dropped',
  );
  t.equal(resolveSupabaseUrl(undefined, { SUPABASE_URL: 'https://b//' }), 'https://b', 'then the environment');
  t.equal(resolveSupabaseUrl(undefined, {}), 'http://127.0.0.1:54321', 'then a local Supabase stack');
});

t.test('the plan: references, buckets, findings', async (t) => {
  const refs = imageReferences(
    [coach({ id: 1, image_id: 1, image30_id: 2, image45_id: 9, image60_id: 1 }), coach({ id: 2, image_id: 3 })],
    [cat(5, null, { icon_id: 2, icon_id_secondary: 4 }), cat(6, null, { icon_id: 5 })],
  );
  t.same([...refs.keys()].sort(), [1, 2, 3, 4, 5, 9]);
  t.same([...refs.get(2)!.buckets].sort(), ['category-icons', 'coach-images'], 'referenced by both: both buckets');
  t.same(refs.get(1)!.referencedBy, ['tls_coach#1.image_id', 'tls_coach#1.image60_id']);
  const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
  const facts = new Map<number, ImageFacts>([
    [1, { id: 1, extension: 'jpg', size: 10, sha256: sha('one'), kind: 'jpg' }],
    [2, { id: 2, extension: 'jpg', size: 20, sha256: sha('two'), kind: 'png' }],
    [3, { id: 3, extension: 'png', size: 0, sha256: null, kind: null }],
    [4, { id: 4, extension: null, size: null, sha256: null, kind: null }],
    [5, { id: 5, extension: 'svg', size: 5, sha256: sha('five'), kind: null }],
  ]);
  const plan = planImages(refs, facts, 'https://s');
  t.equal(
    plan.urlFor('coach-images', 1),
    `https://s/storage/v1/object/public/coach-images/1-${sha('one').slice(0, 16)}.jpg`,
  );
  t.equal(
    plan.urlFor('category-icons', 2),
    `https://s/storage/v1/object/public/category-icons/2-${sha('two').slice(0, 16)}.png`,
  );
  t.equal(plan.urlFor('category-icons', 1), null, 'only in the buckets that reference it');
  for (const id of [3, 4, 5, 9])
    t.equal(plan.urlFor('coach-images', id) ?? plan.urlFor('category-icons', id), null, `image ${id}: no URL`);
  t.same(
    plan.findings.map((f) => [f.severity, f.code, f.subject]),
    [
      ['info', 'image.extension.mismatch', 'tls_image#2'],
      ['warning', 'image.empty', 'tls_image#3'],
      ['warning', 'image.empty', 'tls_image#4'],
      ['warning', 'image.unrecognised', 'tls_image#5'],
      ['warning', 'image.missing', 'tls_image#9'],
    ],
  );
  t.same(
    plan.manifest.map((m) => [m.bucket, m.legacyImageId, m.contentType, m.referencedBy]),
    [
      ['category-icons', 2, 'image/png', ['tls_category#5.icon_id']],
      ['coach-images', 1, 'image/jpeg', ['tls_coach#1.image_id', 'tls_coach#1.image60_id']],
      ['coach-images', 2, 'image/png', ['tls_coach#1.image30_id']],
    ],
  );
});

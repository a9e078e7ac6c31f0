// An image file of the new output is created, never opened where a path exists: an unchanged image is a hard
// link to the previous output's file, and writing through it would change the output we promise to keep.
import { linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { writeImageFile } from '../lib/images/write-image.js';
import { seededBytes as bytes } from './helpers/files.js';

t.test("never writes through a path that exists (a link to the previous output's file)", async (t) => {
  const dir = t.testdir({});
  const previous = join(dir, 'previous.png');
  const kept = bytes(9000, 3);
  writeFileSync(previous, kept);
  linkSync(previous, join(dir, 'new.png'));
  await t.rejects(writeImageFile(join(dir, 'new.png'), bytes(100, 4), null), { code: 'EEXIST' });
  t.ok(readFileSync(previous).equals(kept), 'the previous output is byte-identical');
});

t.test('the same bytes in the previous output: linked; other bytes: written', async (t) => {
  const dir = t.testdir({});
  const earlier = join(dir, 'earlier.png');
  writeFileSync(earlier, bytes(5000, 1));
  t.equal(await writeImageFile(join(dir, 'same.png'), bytes(5000, 1), earlier), 'linked');
  t.equal(await writeImageFile(join(dir, 'other.png'), bytes(5000, 2), earlier), 'written');
  t.ok(readFileSync(join(dir, 'other.png')).equals(bytes(5000, 2)), 'the new bytes, not the earlier file');
});

// Reading a plain file: one buffer, read into again and again (the parser copies what it keeps before the
// next read). Whatever the read size, the events are the same as reading the file whole; a consumer that stops
// early, or a parser that throws, leaves no read running and the file closed.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readDump, type ReadStats } from '../lib/dump/read-dump.js';
import type { DumpEvent } from '../lib/dump/events.js';
import { LegacySchema } from '../lib/legacy/schema.js';
import { asyncErrorOf, norm, parseAll } from './helpers/parse.js';

const tables = new LegacySchema(undefined, 'decode');
const file = { path: 'samples/categories.sql', name: 'categories.sql' };
const whole = parseAll(readFileSync(file.path), { tables, file: file.name });
const normEvents = (events: readonly DumpEvent[]): unknown =>
  events.map((e) => ('values' in e ? { ...e, values: e.values.map(norm) } : e));

t.test('any read size gives the events of the whole file, and its stats', async (t) => {
  for (const chunkSize of [1, 3, 64, 4096, 65_536, 1 << 20]) {
    const stats: ReadStats = { sha256: '', fileBytes: 0, sqlBytes: 0, gzip: false };
    const events: DumpEvent[] = [];
    for await (const batch of readDump(file, { tables, chunkSize, stats })) events.push(...batch);
    t.same(normEvents(events), normEvents(whole), `chunk ${chunkSize}`);
    t.equal(stats.fileBytes, readFileSync(file.path).length);
    t.equal(stats.sha256, createHash('sha256').update(readFileSync(file.path)).digest('hex'));
  }
});

/** The descriptors this process holds open on `path` (its own, and its worker threads'). */
const openOn = (path: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

t.test(
  'stopping early or failing leaves the file closed and no hashing behind',
  { skip: existsSync('/proc/self/fd') ? false : 'no /proc here' },
  async (t) => {
    const dir = t.testdir({});
    // 8 MB and more: the input's sha256 is computed on a worker thread, which must stop too
    const big = join(dir, 'big.sql');
    const text = readFileSync(file.path, 'latin1');
    writeFileSync(big, text.repeat(Math.ceil(9e6 / text.length)), 'latin1'); // read only in part: its end does not matter
    let batches = 0;
    for await (const _ of readDump({ path: big, name: 'big.sql' }, { tables, chunkSize: 4096 })) {
      if (++batches === 2) break;
    }
    t.equal(batches, 2);
    // the worker is asked to stop between reads and closes its file before it answers; the reader waits for that
    // answer before its loop ends (read-dump.ts), so nothing is left open by now, however busy the machine
    t.equal(openOn(big), 0, 'no descriptor left on the file: the reader closed it and the hash worker stopped');
    const bad = join(dir, 'bad.sql');
    writeFileSync(bad, readFileSync(file.path, 'latin1').replace(/\n(\d+)\t/, '\nnot-a-number\t'), 'latin1');
    const e = await asyncErrorOf(async () => {
      for await (const _ of readDump({ path: bad, name: 'bad.sql' }, { tables, chunkSize: 4096 })) void _;
    });
    t.equal(e.code, 'VALUE_INTEGER');
    t.equal(e.position.file, 'bad.sql');
    t.equal(openOn(bad), 0, 'and the failed read closed its file');
  },
);

// What users hand the tool by mistake: pg_dump's archive formats, made by the real pg_dump 15 (needs
// DATABASE_URL). Each is named for what it is, with the pg_restore command that turns it into what the tool
// reads; and that command's output is then read.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { readLegacyDump } from '../lib/legacy/read-legacy.js';
import { cli } from './helpers/cli.js';
import { dropDb, needsPg, psqlOk, scratchDb } from './helpers/pg.js';

t.test('-Fc, -Ft, -Fd and one -Fd member: named, with the command that converts them', needsPg, async (t) => {
  const db = 'totalis_archives';
  const url = scratchDb(db);
  t.teardown(() => dropDb(db));
  psqlOk(
    [
      '-f',
      'samples/source/legacy-schema.sql',
      '-c',
      'SET session_replication_role = replica',
      '-f',
      'samples/source/seed.sql',
    ],
    undefined,
    url,
  );
  const dir = t.testdir({});
  const dump = (format: string, path: string): void => {
    const r = spawnSync('pg_dump', ['--data-only', `--format=${format}`, '-t', 'public.tls_category', '-f', path, url]);
    t.equal(r.status, 0, `pg_dump -F${format}: ${r.stderr.toString()}`);
  };
  dump('c', join(dir, 'categories.dump'));
  dump('t', join(dir, 'categories.tar'));
  dump('d', join(dir, 'categories.dir'));
  const member = readdirSync(join(dir, 'categories.dir')).find((n) => /^\d+\.dat\.gz$/.test(n))!;
  const cases: [string, RegExp][] = [
    [
      join(dir, 'categories.dump'),
      /categories\.dump:1: this is a pg_dump custom-format archive \(-Fc\), not plain SQL: convert it with `pg_restore -f plain\.sql <file>`/,
    ],
    [
      join(dir, 'categories.tar'),
      /categories\.tar:1: this is a tar archive \(pg_dump -Ft writes one\), not plain SQL: convert it with `pg_restore -f plain\.sql <file>`/,
    ],
    [
      join(dir, 'categories.dir'),
      /categories\.dir is a pg_dump directory-format archive \(-Fd: toc\.dat and a \.dat file per table\), not plain SQL: convert the whole folder with `pg_restore -f plain\.sql .*categories\.dir`/,
    ],
    [
      join(dir, 'categories.dir', member),
      new RegExp(
        `${member.replace('.', '\\.')} is one table's data file of a pg_dump directory-format archive \\(-Fd; its toc\\.dat is beside it\\), not plain SQL: convert the whole folder with \`pg_restore -f plain\\.sql .*categories\\.dir\``,
      ),
    ],
  ];
  for (const [input, says] of cases) {
    const r = await cli(['inspect', input]);
    t.equal(r.code, 2, `${input}: exit 2`);
    t.match(r.stderr, says);
    t.match(r.stderr, /\[INPUT_(CUSTOM|ARCHIVE)_FORMAT\]/);
  }
  // the advice works: pg_restore -f turns each archive into plain SQL that is read whole
  for (const archive of ['categories.dump', 'categories.tar', 'categories.dir']) {
    const plain = join(dir, `${archive}.plain.sql`);
    const r = spawnSync('pg_restore', ['-f', plain, join(dir, archive)]);
    t.equal(r.status, 0, r.stderr.toString());
    const d = await readLegacyDump([plain]);
    t.equal(d.categories.length, 10, `${archive} → pg_restore -f → 10 categories`);
  }
});

// Control characters in file names (docs/reliability.md): escaped as \xNN wherever a name is printed, on
// stderr and stdout, in report.md, review.html and the SQL files' comments, by one helper (lib/printable.ts).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { printable } from '../lib/printable.js';
import { cli } from './helpers/cli.js';
import { writeMiniDump } from './helpers/mini-dump.js';
import { DUMP_FOOTER } from './helpers/parse.js';

// ESC [31m recolours a terminal; the line break would end a SQL comment's line and a Markdown table's row
const NAME = 'extra\x1b[31m\nred\x07.sql';
const SHOWN = 'extra\\x1b[31m\\x0ared\\x07.sql';
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/; // eslint-disable-line no-control-regex

function textFiles(dir: string): [string, string][] {
  const out: [string, string][] = [];
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...textFiles(p));
    else if (/\.(sql|md|html|json)$/.test(n)) out.push([p, readFileSync(p, 'utf8')]);
  }
  return out;
}

t.test(
  'printable(): control characters as \\xNN, the rest untouched, and escaping twice changes nothing more',
  async (t) => {
    t.equal(printable(NAME), SHOWN);
    t.equal(printable('tab\there\r\x7f\x9b.sql'), 'tab\\x09here\\x0d\\x7f\\x9b.sql');
    t.equal(printable('café ünïcode 🙂.sql'), 'café ünïcode 🙂.sql');
    t.equal(printable(printable(NAME)), SHOWN);
  },
);

t.test(
  'a dump file named with ESC and a line break: every output names it escaped, none holds the raw bytes',
  async (t) => {
    const dir = writeMiniDump(t.testdir({}));
    writeFileSync(
      join(dir, NAME),
      `SET client_encoding = 'UTF8';\n\nCOPY public.other (a) FROM stdin;\n1\n\\.\n\n${DUMP_FOOTER}`,
    );
    const out = join(dir, 'out');
    const r = await cli(['transform', '--dump', dir, '--out', out]);
    t.equal(r.code, 0, r.stderr);
    t.notMatch(r.stdout + r.stderr, RAW_CONTROL);
    const files = textFiles(out);
    for (const f of ['report.md', 'review.html', 'migration.sql', 'verify.sql', 'rollback.sql']) {
      const text = files.find(([p]) => p === join(out, f))?.[1] ?? '';
      t.ok(text.includes(SHOWN), `${f} names the file, escaped`);
    }
    for (const [p, text] of files) t.notMatch(text, RAW_CONTROL, `${p}: no raw control character`);
    const sql = readFileSync(join(out, 'migration.sql'), 'utf8');
    t.match(
      sql,
      new RegExp(`^-- {3}${SHOWN.replace(/[\\[.]/g, '\\$&')} {2}sha256 [0-9a-f]{64}$`, 'm'),
      'one comment line, not broken in two',
    );
    t.notMatch(sql, /^red/m);

    const i = await cli(['inspect', join(dir, NAME)]);
    t.equal(i.code, 0, i.stderr);
    t.ok(i.stdout.startsWith(`${SHOWN}  (`), 'inspect names it escaped');
    t.notMatch(i.stdout, RAW_CONTROL);
  },
);

t.test('an error in such a file: one line on stderr, the name escaped', async (t) => {
  const dir = writeMiniDump(t.testdir({}));
  writeFileSync(join(dir, NAME), `COPY public.other (a) FROM stdin;\n1\t2\n\\.\n\n${DUMP_FOOTER}`);
  const r = await cli(['transform', '--dump', dir, '--out', join(dir, 'out')]);
  t.equal(r.code, 2);
  t.ok(r.stderr.startsWith(`totalis-migrate: ${SHOWN}:2`), r.stderr);
  t.notMatch(r.stderr, RAW_CONTROL);
  t.equal(r.stderr.split('\n').length, 2, 'one line');
  const missing = await cli(['inspect', join(dir, 'no\x1b[2Jsuch.sql')]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, /no\\x1b\[2Jsuch\.sql: no such file or directory/);
  t.notMatch(missing.stderr, RAW_CONTROL);
});

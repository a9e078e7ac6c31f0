// Many tables that are not ours (issue 26: a dump of 1,000,000 one-row tables took 1.5 GB to inspect and made a
// 20 MB report.md). What is kept of them is counted here, not timed: the summaries hold the legacy tables and the
// first OTHER_TABLES_LISTED others, whatever their number, and report.md, review.html and inspect's output stay
// the same size for 300 tables as for 3,000 (docs/performance.md has the hand-measured million).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { OTHER_TABLES_LISTED, readLegacyDump } from '../lib/legacy/read-legacy.js';
import { cli } from './helpers/cli.js';
import { writeManyTablesDump } from './helpers/many-tables.js';

const SIZES = [300, 3000] as const;

t.test('the summaries keep the first few tables that are not ours and count the rest', async (t) => {
  for (const n of SIZES) {
    const dir = writeManyTablesDump(t.testdir({}), n);
    const dump = await readLegacyDump([dir]);
    const many = dump.files.find((f) => f.name === 'many.sql')!;
    t.equal(many.tables.length, OTHER_TABLES_LISTED, `${n} tables: ${OTHER_TABLES_LISTED} kept`);
    t.same(
      many.tables.map((x) => x.table).slice(0, 2),
      ['public.t_1', 'public.t_2'],
      'the first ones, in the order of the file',
    );
    t.same(many.otherTables, { count: n, rows: n, bytes: many.otherTables.bytes, listed: OTHER_TABLES_LISTED });
    t.equal(
      dump.files.reduce((a, f) => a + f.tables.length, 0),
      6 + OTHER_TABLES_LISTED,
      'the six legacy tables are all kept',
    );
  }
});

t.test(
  'report.md, review.html and inspect name the first few and count the rest: their size does not grow with the tables',
  async (t) => {
    const sizes: Record<string, number[]> = { 'report.md': [], 'review.html': [], inspect: [] };
    for (const n of SIZES) {
      const dir = writeManyTablesDump(t.testdir({}), n);
      const out = join(dir, 'out');
      const r = await cli(['transform', '--dump', dir, '--out', out]);
      t.equal(r.code, 0, r.stderr);
      const report = readFileSync(join(out, 'report.md'), 'utf8');
      t.match(
        report,
        new RegExp(
          `public\\.t_10 \\(1\\), and ${n - OTHER_TABLES_LISTED} more tables that are not migrated \\(${n - OTHER_TABLES_LISTED} rows\\)`,
        ),
      );
      t.notMatch(report, /public\.t_11\b/);
      const review = readFileSync(join(out, 'review.html'), 'utf8');
      t.match(review, `and ${n - OTHER_TABLES_LISTED} more tables that are not migrated`);
      t.notMatch(review, /public\.t_11\b/);
      const i = await cli(['inspect', dir]);
      t.equal(i.code, 0, i.stderr);
      t.match(
        i.stdout,
        `… and ${n - OTHER_TABLES_LISTED} more tables that are not legacy tables (${n} tables not migrated in all: ${n} rows,`,
      );
      t.notMatch(i.stdout, /public\.t_11\b/);
      sizes['report.md']!.push(report.length);
      sizes['review.html']!.push(review.length);
      sizes['inspect']!.push(i.stdout.length);
    }
    // the counts have one digit more at 3,000 than at 300: a few bytes, not a line per table
    for (const [what, [small, large]] of Object.entries(sizes))
      t.ok(large! - small! < 20, `${what}: ${small} bytes for ${SIZES[0]} tables, ${large} for ${SIZES[1]}`);
  },
);

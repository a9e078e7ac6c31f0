// Real pg_dump 15 output in every data form the reader accepts (tests/fixtures/forms/make-forms.sh): an empty
// table is empty, not missing (issue 27 item 3), and INSERTs that name no columns are never mapped by a column
// order nobody gave (item 4: the fixture's tls_coach has description and intro in each other's place).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import t, { type Test } from 'tap';
import { MigrateError } from '../lib/errors.js';
import { readLegacyDump, type LegacyDump } from '../lib/legacy/read-legacy.js';
import { asyncErrorOf } from './helpers/parse.js';
import { childEnv, cli } from './helpers/cli.js';
import { DATABASE_URL, needsPg } from './helpers/pg.js';

const FIX = 'tests/fixtures/forms';
const SCHEMA = join(FIX, 'totalis_schema.sql');
interface Form {
  readonly name: string;
  readonly dir: string;
  /** Whether its statements name the columns (COPY header, --column-inserts). */
  readonly named: boolean;
}
const FORMS: readonly Form[] = ['copy', 'inserts', 'column-inserts', 'rows-per-insert'].flatMap((f) => {
  const named = f === 'copy' || f === 'column-inserts';
  return [
    { name: f, dir: join(FIX, f), named },
    { name: `${f}, gzip`, dir: join(FIX, 'gzip', f), named },
  ];
});
const ext = (form: Form): string => (form.name.endsWith('gzip') ? '.sql.gz' : '.sql');

/** A folder holding the form's three data files, and the schema dump when asked. */
function inputs(t: Test, form: Form, withSchema: boolean): string {
  const d = join(t.testdirName, `${form.name.replace(/\W+/g, '-')}${withSchema ? '-schema' : ''}`);
  mkdirSync(d, { recursive: true });
  for (const f of readdirSync(form.dir)) cpSync(join(form.dir, f), join(d, f));
  if (withSchema) cpSync(SCHEMA, join(d, 'totalis_schema.sql'));
  return d;
}

/** What the database holds (source.sql): each coach's own description and intro. */
function coachTexts(dump: LegacyDump): string[][] {
  return dump.coaches.map((c) => [c.name!, c.description!, c.intro!]);
}
const TRUTH = [
  ['Daniel', 'Description of Daniel: calm, practical, direct.', 'Intro of Daniel: I was born in 1985.'],
  ['Ana', 'Description of Ana: clear and kind.', 'Intro of Ana: I am 34 years old.'],
  ['Sam', 'Description of Sam: brief.', 'Intro of Sam: hello.'],
];

/** Every dump file under dir, by its path there. */
function dumpsUnder(dir: string, top = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? dumpsUnder(join(dir, e.name), top)
      : /\.sql(\.gz)?$/.test(e.name) && e.name !== 'source.sql'
        ? [relative(top, join(dir, e.name))]
        : [],
  );
}

t.test(
  'the fixtures are what make-forms.sh makes with the real pg_dump now (apart from the random restrict key and the version lines)',
  needsPg,
  async (t) => {
    const d = t.testdir({});
    const r = spawnSync('bash', [join(FIX, 'make-forms.sh')], {
      env: childEnv({ DATABASE_URL, FORMS_OUT: d, FORMS_DB: 'totalis_forms_check' }),
      encoding: 'utf8',
    });
    t.equal(r.status, 0, r.stderr);
    const text = (p: string): string => {
      const b = readFileSync(p);
      return (p.endsWith('.gz') ? gunzipSync(b) : b)
        .toString('utf8')
        .replace(/^\\(un)?restrict \S+$/gm, '\\$1restrict KEY')
        .replace(/^-- Dumped (from database|by pg_dump) version .*$/gm, '-- Dumped $1 version V');
    };
    const committed = dumpsUnder(FIX).sort();
    t.same(dumpsUnder(d).sort(), committed, 'the same files');
    for (const f of committed) t.equal(text(join(d, f)), text(join(FIX, f)), f);
  },
);

t.test(
  'the fixture is what it claims: tls_coach in another column order, tls_system empty with only its entry in the INSERT forms',
  async (t) => {
    const copy = readFileSync(join(FIX, 'copy/coaches_with_images.sql'), 'utf8');
    t.match(
      copy,
      /COPY public\.tls_coach \(id, name, intro, image_id, image30_id, image45_id, image60_id, sex, description, prompt, time_create\) FROM stdin;/,
    );
    const inserts = readFileSync(join(FIX, 'inserts/config_data.sql'), 'utf8');
    t.match(
      inserts,
      /-- Data for Name: tls_system; Type: TABLE DATA; Schema: public; Owner: -\n--\n\n\n\n--\n-- Data for Name: tls_variable/,
    );
    t.notMatch(inserts, /INSERT INTO public\.tls_system/);
  },
);

t.test('an empty table is empty, not missing, in every form', async (t) => {
  t.testdir({});
  for (const form of FORMS) {
    // the schema dump is needed by the forms that name no columns (item 4); the others show the table by pg_dump's
    // entry alone
    for (const withSchema of form.named ? [true, false] : [true]) {
      const label = `${form.name}${withSchema ? ', with the schema dump' : ', no schema dump'}`;
      const d = inputs(t, form, withSchema);
      const dump = await readLegacyDump([d]);
      t.equal(dump.sources.tls_system, `config_data${ext(form)}`, `${label}: tls_system read from config_data`);
      t.same(
        [dump.systems.length, dump.prompts.length, dump.variables.length],
        [0, 3, 3],
        `${label}: no systems, the other tables read`,
      );
      const summary = dump.files
        .find((f) => f.name === `config_data${ext(form)}`)!
        .tables.map((x) => [x.table, x.rows]);
      t.same(
        summary,
        [
          ['public.tls_prompt', 3],
          ['public.tls_system', 0],
          ['public.tls_variable', 3],
        ],
        `${label}: listed with 0 rows, in the file's order`,
      );
      t.same(coachTexts(dump), TRUTH, `${label}: description and intro where the database has them`);
      const i = await cli(['inspect', d]);
      t.match(
        i.stdout,
        new RegExp(`public\\.tls_system +${form.name.startsWith('copy') ? 'COPY' : 'INSERT'} +0 rows`),
        `${label}: inspect lists it with 0 rows`,
      );
      const r = await cli(['transform', '--dump', d, '--out', join(d, 'out')]);
      t.equal(r.code, 0, `${label}: transform succeeds (${r.stderr.trim()})`);
    }
  }
});

t.test(
  'a table no data dump has is refused, saying how to dump it; a schema dump alone does not make it empty',
  async (t) => {
    t.testdir({});
    for (const withSchema of [true, false]) {
      const d = inputs(
        t,
        FORMS.find((f) => f.name === 'column-inserts')!,
        withSchema,
      );
      cpSync(join(FIX, 'no-system/config_data.sql'), join(d, 'config_data.sql'));
      const r = await cli(['transform', '--dump', d, '--out', join(d, 'out')]);
      t.equal(r.code, 2, r.stderr);
      const defines = withSchema ? 'totalis_schema\\.sql defines it, but ' : '';
      t.match(
        r.stderr,
        new RegExp(
          `^totalis-migrate: table tls_system: no data for tls_system in the inputs \\(${defines}no data dump has its "-- Data for Name: tls_system; Type: TABLE DATA" entry, which pg_dump writes for every table it dumps, empty or not: dump it with pg_dump --data-only -t public\\.tls_system\\); read: categories\\.sql \\(public\\.tls_category\\); coaches_with_images\\.sql \\(public\\.tls_image, public\\.tls_coach\\); config_data\\.sql \\(public\\.tls_prompt, public\\.tls_variable\\)${withSchema ? '; totalis_schema\\.sql \\(no data\\)' : ''} \\[TABLE_MISSING\\]\\n$`,
        ),
        withSchema ? 'with the schema dump' : 'without it',
      );
      t.notOk(existsSync(join(d, 'out')), 'nothing written');
    }
  },
);

t.test(
  'INSERTs that name no columns, without the schema dump, are refused: description and intro never swap',
  async (t) => {
    t.testdir({});
    for (const form of FORMS.filter((f) => !f.named)) {
      const file = `coaches_with_images${ext(form)}`;
      const e = await asyncErrorOf(() => readLegacyDump([join(form.dir, file)]));
      t.ok(e instanceof MigrateError, `${form.name}: refused, not read`);
      const m = e as MigrateError;
      t.equal(m.code, 'COLUMN_ORDER_UNKNOWN', form.name);
      t.match(
        m.position,
        { file, table: 'tls_image' },
        `${form.name}: the first table without column names, in its file`,
      );
      t.match(
        m.message,
        /no schema dump read before them defines tls_image, so which value belongs to which column cannot be known: add the schema dump \(pg_dump --schema-only, totalis_schema\.sql\) to the inputs, or dump the data with --column-inserts/,
      );

      const d = inputs(t, form, false);
      const r = await cli(['transform', '--dump', d, '--out', join(d, 'out')]);
      t.equal(r.code, 2, `${form.name}: transform exits 2`);
      t.match(
        r.stderr,
        /^totalis-migrate: categories\.sql(\.gz)?:\d+, table tls_category: the INSERTs of tls_category name no columns \(pg_dump --inserts\).*--column-inserts \[COLUMN_ORDER_UNKNOWN\]\n$/,
        `${form.name}: one line naming the file`,
      );
      t.notOk(existsSync(join(d, 'out')), 'nothing written');

      const known = await readLegacyDump([join(form.dir, file), SCHEMA]);
      t.same(
        coachTexts(known),
        TRUTH,
        `${form.name}: with the schema dump, description and intro are where the database has them`,
      );
    }
  },
);

t.test('a CREATE TABLE in the same file as the data does not count for it, and the refusal says so', async (t) => {
  const e = await asyncErrorOf(() => readLegacyDump([join(FIX, 'full/coaches_with_images.sql')]));
  t.ok(e instanceof MigrateError);
  t.match(
    (e as MigrateError).message,
    /its CREATE TABLE in this same file counts only after the file's data, so give the schema as its own pg_dump --schema-only file: add the schema dump/,
  );
});

t.test(
  "an entry names the table schema-qualified, older pg_dump's data did not: the same table, read once",
  async (t) => {
    const d = t.testdir({});
    for (const form of ['copy', 'column-inserts']) {
      // pg_dump before 10.3 set search_path to public and wrote the table names bare; its entries said "Schema: public"
      // (the search path as that pg_dump set it: an emptied one would make PostgreSQL find no bare name at all)
      const text = readFileSync(join(FIX, form, 'config_data.sql'), 'utf8')
        .replaceAll('public.tls_', 'tls_')
        .replace("SELECT pg_catalog.set_config('search_path', '', false);", 'SET search_path = public, pg_catalog;');
      t.match(text, /-- Data for Name: tls_prompt; Type: TABLE DATA; Schema: public;/);
      const p = join(d, `${form}.sql`);
      writeFileSync(p, text);
      const dump = await readLegacyDump([p]);
      t.same([dump.prompts.length, dump.variables.length, dump.systems.length], [3, 3, 0], `${form}: every table once`);
    }
  },
);

// Issue 27 (items 1, 2, 6-9), end to end: one of each new case in a real legacy database, dumped by the real
// pg_dump in every data form, and with the rows stored in the opposite physical order: every dump gives the
// same data files and the same findings, and the run does not crash on a duplicate key at `infinity`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';
import { dropDb, needsPg, pgDump, psqlOk, scratchDb } from './helpers/pg.js';

/** One row of each new case, as SQL VALUES per table (docs/mapping.md). */
export const NEW_CASES: Readonly<Record<string, readonly string[]>> = {
  // a user's photo, referenced by no coach: every table has a row (an empty one is issue 27 item 3's)
  tls_image: [`(1, 'png', '\\x89504e470d0a1a0a0000000d49484452'::bytea, NULL, '2022-01-01')`],
  tls_coach: [
    `(1, 'Daniel', NULL, NULL, NULL, NULL, NULL, 'M', 'born in 1980', NULL, '2023-01-01 00:00:00')`,
    `(2, 'Dániel', NULL, NULL, NULL, NULL, NULL, 'm', 'born in 2010', NULL, '2022-03-01 00:00:00')`,
    `(3, 'Old', NULL, NULL, NULL, NULL, NULL, 'f', 'born in 1899', NULL, '2023-01-01 00:00:00')`,
    `(4, 'Ageless', NULL, NULL, NULL, NULL, NULL, 'f', 'aged 30', NULL, 'infinity')`,
    `(5, 'Ancient', NULL, NULL, NULL, NULL, NULL, NULL, 'born 2023', NULL, '1000-01-01 00:00:00 BC')`,
    `(6, 'Phrases', NULL, NULL, NULL, NULL, NULL, 'f', 'born on the 4th of July, 1976', NULL, '2023-01-01 00:00:00')`,
  ],
  tls_category: [
    `(1, NULL, 'Colours', NULL, NULL, NULL, NULL, 1, '#GGGGGG', 'rgb(1,2,3)', NULL, NULL, NULL, -5, NULL, NULL, NULL, NULL, NULL, '2022-01-01')`,
    `(2, NULL, 'Fine', NULL, NULL, NULL, NULL, 2, '#4D96FF', '', NULL, NULL, NULL, 30, NULL, NULL, NULL, NULL, NULL, 'infinity')`,
  ],
  tls_prompt: [`(1, '', 'an empty name', NULL)`, `(2, 'hello', 'hi', '2021-01-01')`],
  tls_variable: [
    `(1, 'theme', 'dark', NULL, 'infinity')`,
    `(2, 'theme', 'light', NULL, '2020-01-01 00:00:00')`,
    `(3, 'theme', 'blue', NULL, NULL)`,
    `(4, 'k', '1', true, '2022-01-01')`,
    `(5, 'k', '2', true, NULL)`,
    `(6, 'k', '3', true, '2021-01-01')`,
    `(7, '', '3.50', NULL, NULL)`,
  ],
  tls_system: [`(1, '', 'x', NULL)`, `(2, 'version', '3.50', '-infinity')`],
};

const FORMS: readonly (readonly [string, readonly string[]])[] = [
  ['COPY', []],
  ['--inserts', ['--inserts']],
  ['--column-inserts', ['--column-inserts']],
  ['--rows-per-insert=2', ['--rows-per-insert=2']],
];
const FILES: Readonly<Record<string, readonly string[]>> = {
  'coaches_with_images.sql': ['tls_image', 'tls_coach'],
  'categories.sql': ['tls_category'],
  'config_data.sql': ['tls_prompt', 'tls_variable', 'tls_system'],
};

/** The legacy database with the rows inserted forwards or backwards (another physical order, another dump order). */
export function legacyDb(name: string, reverse: boolean): string {
  const url = scratchDb(name);
  psqlOk(['-f', 'samples/totalis_schema.sql'], undefined, url);
  const sql = Object.entries(NEW_CASES)
    .map(([table, rows]) => `INSERT INTO public.${table} VALUES ${(reverse ? [...rows].reverse() : rows).join(', ')};`)
    .join('\n');
  psqlOk([], sql, url);
  return url;
}

/** The four production files of one dump form in `dir`. */
export function dumpForm(url: string, dir: string, args: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'totalis_schema.sql'), pgDump(url, ['--schema-only']));
  for (const [file, tables] of Object.entries(FILES))
    writeFileSync(
      join(dir, file),
      pgDump(url, ['--data-only', ...tables.flatMap((x) => ['-t', `public.${x}`]), ...args]),
    );
}

t.test('one of each new case: every dump form and both row orders give the same output', needsPg, async (t) => {
  const root = t.testdir({});
  const outputs = new Map<string, string>();
  for (const reverse of [false, true]) {
    const name = `mapping_cases_${reverse ? 'rev' : 'fwd'}`;
    const url = legacyDb(name, reverse);
    t.teardown(() => dropDb(name));
    for (const [form, args] of FORMS) {
      const dir = join(root, `${name}-${form}`);
      dumpForm(url, dir, args);
      const out = join(dir, 'out');
      const r = await runTransform({
        dump: [dir],
        out,
        sourceTimezone: 'UTC',
        strict: false,
        breakCycles: false,
        env: {},
      });
      const files = ['data/coaches.json', 'data/categories.json', 'data/app_config.json'].map((f) =>
        readFileSync(join(out, f), 'utf8'),
      );
      // the findings, less the reader's own (which name the dump form: dump.columns.positional)
      const findings = r.findings
        .filter((f) => !f.code.startsWith('dump.'))
        .map((f) => `${f.severity} ${f.code} ${f.subject}: ${f.message}`);
      outputs.set(`${reverse ? 'backwards' : 'forwards'}, ${form}`, JSON.stringify([files, findings]));
    }
  }
  const [first, ...rest] = [...outputs.entries()];
  for (const [label, text] of rest) t.equal(text, first![1], `${label} gives what ${first![0]} gives`);
  const [files, findings] = JSON.parse(first![1]) as [string[], string[]];
  const config = JSON.parse(files[2]!) as { key: string; value: unknown }[];
  t.same(
    config.map((c) => c.key),
    ['default_coach', 'prompt_hello', 'system_version', 'var_k', 'var_theme'],
    'no bare-prefix keys',
  );
  t.equal(config.find((c) => c.key === 'var_theme')!.value, 'dark', 'the infinity row wins');
  t.equal(config.find((c) => c.key === 'var_k')!.value, 1, 'the 2022 row wins whatever the order');
  for (const code of [
    'coach.voice_id.duplicate',
    'coach.year_of_birth.rejected',
    'coach.year_of_birth.no_reference',
    'category.color.invalid',
    'category.followup_timer.negative',
    'timestamp.infinite',
    'timestamp.bc',
    'config.name.missing',
    'config.key.duplicate',
  ]) {
    t.ok(
      findings.some((f) => f.includes(` ${code} `)),
      `a ${code} finding`,
    );
  }
});

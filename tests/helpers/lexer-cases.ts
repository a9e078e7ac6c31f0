// Run as a child process by tests/lexer-termination.test.ts: feeds generated SQL text, built from every
// quoting construct, through each scanner and lexer of the reader (the dump parser also fed a few bytes at a
// time, so that the tokenizer resumes inside every item), and writes each case to CASE_FILE before
// running it, so that a hang (the parent kills this process) is reported with the input that caused it.
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { DumpParser } from '../../lib/dump/dump-parser.js';
import type { DumpEvent } from '../../lib/dump/events.js';
import { MigrateError } from '../../lib/errors.js';
import { parseCreateTable } from '../../lib/legacy/create-table.js';
import { schemaFromDump } from '../../lib/legacy/schema-dump.js';
import { LegacySchema } from '../../lib/legacy/schema.js';
import { FRAGMENTS } from './sql-fragments.js';

const CASE_FILE = process.argv[2]!;
const RUNS = Number(process.argv[3] ?? 300);
const SEED = Number(process.argv[4] ?? 17);

const junk = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 400 }).map((a) => a.join(''));
// column lists as pg_dump writes them, with a construct slipped into some names and types: a general
// parser's error recovery blew up on exactly these (a long valid list, then one bad token)
const word = fc.constantFrom('id', 'name', 'description', 'sort_order', 'time_create', '"user"', 'x');
const type = fc.oneof(
  fc.constantFrom(
    'integer',
    'text',
    'boolean',
    'timestamp without time zone',
    'character varying(200)',
    'integer NOT NULL',
  ),
  fc.array(fc.constantFrom(...FRAGMENTS), { minLength: 1, maxLength: 4 }).map((a) => `te${a.join('')}xt`),
);
const columns = fc
  .array(fc.tuple(word, type), { minLength: 1, maxLength: 30 })
  .map((cols) => cols.map(([n, t]) => `${n} ${t}`).join(',\n    '));
const text = fc.oneof(junk, columns);

const ours = (e: unknown): void => {
  if (!(e instanceof MigrateError)) throw e;
};

async function main(): Promise<void> {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(text, fc.constantFrom('create', 'schema', 'dump', 'chunks'), async (body, where) => {
      writeFileSync(CASE_FILE, JSON.stringify({ n: n++, where, body }));
      const createTable = `CREATE TABLE public.tls_category (\n    ${body}\n);`;
      if (where === 'create') {
        try {
          parseCreateTable(createTable);
        } catch (e) {
          ours(e);
        }
      } else if (where === 'schema') {
        await schemaFromDump([{ sql: createTable, file: 's.sql', line: 1 }]).catch(ours);
      } else {
        try {
          const p = new DumpParser({ file: 'f.sql', tables: new LegacySchema() });
          const out: DumpEvent[] = [];
          const dump = Buffer.from(`SET standard_conforming_strings = on;\n${createTable}\n${body}\n`);
          // 'chunks': the bytes arrive a few at a time, so the tokenizer stops and resumes inside every item
          const step = where === 'chunks' ? 1 + (n % 7) : dump.length;
          for (let i = 0; i < dump.length; i += step) p.push(dump.subarray(i, i + step), out);
          p.end(out);
        } catch (e) {
          ours(e);
        }
      }
    }),
    { numRuns: RUNS, seed: SEED },
  );
  process.stdout.write(`${n} cases\n`);
}

await main();

// Our JSON Schemas and the validators compiled ahead of time from them (lib/validation/validators.ts):
// - every schema in schemas/ is valid draft-07 (neither the build nor the runtime loads the meta-schema);
// - the committed validators are what lib/validation/build-validators.mjs makes of the schemas now;
// - each compiled validator decides exactly as ajv compiling the schema at run time does (the way the
//   command validated before), first error included, on records near and far from valid.
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import t from 'tap';
import { Ajv } from 'ajv';
import { schemaValidator } from '../lib/validation/json-schemas.js';
// @ts-expect-error -- a build script in plain JavaScript, without types
import { compileValidators } from '../lib/validation/build-validators.mjs';

const RUNS = Number(process.env['FC_RUNS'] ?? 3000);
const SEED = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : 20261121;

const files = [
  'manifest.schema.json',
  ...readdirSync('schemas/legacy').map((f) => `legacy/${f}`),
  ...readdirSync('schemas/target').map((f) => `target/${f}`),
].filter((f) => f.endsWith('.schema.json'));
const schemaOf = (
  f: string,
): { properties?: Record<string, unknown>; items?: { properties?: Record<string, unknown> } } =>
  JSON.parse(readFileSync(`schemas/${f}`, 'utf8'));

t.test('every JSON Schema in schemas/ is valid draft-07', async (t) => {
  const ajv = new Ajv({ strict: true });
  ajv.addKeyword({ keyword: 'bytea', schemaType: 'boolean' });
  for (const f of files) t.ok(ajv.validateSchema(schemaOf(f)), `${f} ${ajv.errorsText()}`);
  t.equal(files.length, 10);
});

t.test('the committed validators are what the schemas compile to (make validators)', async (t) => {
  t.equal((compileValidators as () => string)(), readFileSync('lib/validation/validators.ts', 'utf8'));
  t.throws(
    () => schemaValidator('legacy/nope.schema.json'),
    /no compiled validator for schemas\/legacy\/nope\.schema\.json/,
  );
});

t.test('each compiled validator decides as ajv compiling the schema at run time', async (t) => {
  // the old runtime set-up: the same options, bytea as a validate function
  const ajv = new Ajv({ strict: true, allErrors: false, meta: false, validateSchema: false });
  ajv.addKeyword({
    keyword: 'bytea',
    schemaType: 'boolean',
    validate: (_s: boolean, data: unknown) => data === null || Buffer.isBuffer(data),
  });
  // values each field may take: the golden output's own (valid) values, and anything else
  const seen = (f: string, k: string): unknown[] => {
    if (!f.startsWith('target/')) return [];
    const rows = JSON.parse(readFileSync(`tests/golden/samples/data/${f.slice(7, -12)}.json`, 'utf8')) as Record<
      string,
      unknown
    >[];
    return rows.flatMap((r) => (k in r ? [r[k]] : []));
  };
  const plain = fc.oneof(
    fc.constant(null),
    fc.integer({ min: -3_000_000_000, max: 3_000_000_000 }),
    fc.double(),
    fc.boolean(),
    fc.string(),
    fc.constantFrom(
      '2024-01-01 00:00:00',
      '2024-01-01 00:00:00.123456 BC',
      'infinity',
      '2024-1-1',
      'c97234c2-d048-5131-a21e-70a3d40e81ed',
      'jpg',
      'coach-images',
    ),
    fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b)),
    fc.array(fc.string(), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
  );
  // a value the property's own schema suggests (so that whole records are often valid), or anything
  const guess = (
    f: string,
    k: string,
    p: { type?: string | string[]; pattern?: string; bytea?: boolean },
  ): fc.Arbitrary<unknown> => {
    const golden = seen(f, k);
    if (golden.length > 0) return fc.constantFrom(...golden);
    if (p.bytea === true)
      return fc.oneof(
        fc.constant(null),
        fc.uint8Array({ maxLength: 4 }).map((b) => Buffer.from(b)),
      );
    const types = Array.isArray(p.type) ? p.type : p.type !== undefined ? [p.type] : ['null'];
    return fc.oneof(
      ...types.map((ty): fc.Arbitrary<unknown> => {
        if (ty === 'integer')
          return fc.oneof(
            fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
            fc.constantFrom(-(2 ** 31) - 1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31),
          );
        if (ty === 'string')
          return p.pattern !== undefined
            ? fc.constantFrom('2024-01-01 00:00:00', '1999-12-31 23:59:59.5 BC', '-infinity')
            : fc.string();
        if (ty === 'boolean') return fc.boolean();
        if (ty === 'number') return fc.double();
        return fc.constant(null);
      }),
    );
  };
  const rarely = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
    fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: a });
  const outcomes = new Set<string>();
  for (const f of files) {
    const schema = schemaOf(f);
    const props = Object.entries(schema.properties ?? schema.items?.properties ?? {}) as [
      string,
      Parameters<typeof guess>[2],
    ][];
    const field = (k: string, p: Parameters<typeof guess>[2]) =>
      fc.oneof({ weight: 12, arbitrary: guess(f, k, p) }, { weight: 1, arbitrary: plain });
    const record = fc.record(Object.fromEntries(props.map(([k, p]) => [k, field(k, p)])));
    // sometimes a column too many or one missing
    const edited = fc
      .tuple(record, rarely(fc.constantFrom('extra', 'ID')), rarely(fc.constantFrom(...props.map(([k]) => k))))
      .map(([r, extra, drop]) => {
        const o: Record<string, unknown> = { ...r };
        if (extra !== null) o[extra] = 1;
        if (drop !== null) delete o[drop];
        return o;
      });
    const value =
      schema.items !== undefined
        ? fc.array(edited, { maxLength: 3 })
        : fc.oneof({ weight: 12, arbitrary: edited }, { weight: 1, arbitrary: plain });
    const runtime = ajv.compile(schema);
    const compiled = schemaValidator(f);
    fc.assert(
      fc.property(value, (v) => {
        const want = runtime(v);
        const got = compiled(v);
        const first = (e: typeof runtime.errors) =>
          e === null || e === undefined
            ? null
            : { path: e[0]?.instancePath, keyword: e[0]?.keyword, message: e[0]?.message };
        outcomes.add(`${f} ${want ? 'valid' : first(runtime.errors)?.keyword}`);
        return (
          got === want && (want || JSON.stringify(first(compiled.errors)) === JSON.stringify(first(runtime.errors)))
        );
      }),
      { numRuns: Math.ceil(RUNS / 10), seed: SEED },
    );
  }
  // the cases reached both sides of each schema and several kinds of refusal
  for (const f of files) t.ok(outcomes.has(`${f} valid`), `${f}: some values valid`);
  const keywords = new Set([...outcomes].map((o) => o.split(' ')[1]));
  for (const k of ['type', 'required', 'additionalProperties', 'pattern', 'bytea', 'minimum'])
    t.ok(keywords.has(k), `some values refused by ${k}`);
});

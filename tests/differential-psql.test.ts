// The differential fuzzer: psql is the oracle. Real pg_dump 15 output of the legacy schema (made in this run
// from a scratch database holding the samples' rows, in every form the reader reads, gzipped or not) is
// mutated; each case is restored by psql (ON_ERROR_STOP=1, one transaction, so psql accepts or refuses the
// file as a whole) and read by our reader. psql refuses ⇒ we refuse; psql accepts ⇒ our records equal what
// the database then holds, value by value. DIFF_FUZZ_RUNS (default 300) and DIFF_FUZZ_SEED choose the cases;
// DIFF_FUZZ_SAVE=DIR writes each disagreement, minimised, into DIR. docs/testing.md says more.
// The regression cases (tests/fixtures/differential/) run without a server too; with one, psql's recorded
// verdict is checked again.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import t from 'tap';
import { DATABASE_URL, dropDb, needsPg, scratchDb } from './helpers/pg.js';
import {
  databaseOf,
  FORMS,
  loadLegacySamples,
  makeBaseDumps,
  makeOracleTables,
  PENDING_FORMS,
  type BaseDump,
} from './helpers/differential/base-dumps.js';
import { makeCase, minimise } from './helpers/differential/cases.js';
import {
  firstDifference,
  judge,
  OracleDb,
  readerOutcome,
  verdictOf,
  writeCase,
  type Tables,
  type Verdict,
} from './helpers/differential/oracle.js';

const RUNS = Number(process.env['DIFF_FUZZ_RUNS'] ?? 300);
const SEED = Number(process.env['DIFF_FUZZ_SEED'] ?? 20261206);
const SAVE = process.env['DIFF_FUZZ_SAVE'];
// made up front: a folder that is not there yet must not end a long run at its first disagreement
if (SAVE !== undefined) mkdirSync(SAVE, { recursive: true });
/** Cases judged at once, each lane with its own database (DIFF_FUZZ_LANES; two suit two cores). */
const LANES = Number(process.env['DIFF_FUZZ_LANES'] ?? 2);

/** A regression case: a file, psql's verdict on it, and whether our reader still disagrees (then `open`). */
interface RegressionCase {
  readonly file: string;
  readonly disagreement: string;
  readonly signature: string;
  readonly psql:
    { readonly accepted: true; readonly tables: Tables } | { readonly accepted: false; readonly error: string };
  /** Still failing: the name of the open disagreement (the check runs as a tap todo). */
  readonly open?: string;
}
const FIXTURES = 'tests/fixtures/differential';
const REGRESSIONS = JSON.parse(readFileSync(join(FIXTURES, 'cases.json'), 'utf8')) as RegressionCase[];
/** Open disagreements by signature (one signature can group several: all are named). */
const OPEN = new Map<string, string>();
for (const c of REGRESSIONS)
  if (c.open !== undefined)
    OPEN.set(c.signature, OPEN.has(c.signature) ? `${OPEN.get(c.signature)!} | or ${c.open}` : c.open);

t.test("regression cases: our reader agrees with psql's recorded verdict", async (t) => {
  for (const c of REGRESSIONS) {
    const ours = await readerOutcome(join(FIXTURES, c.file));
    const verdict = verdictOf(c.psql, ours);
    const what = c.psql.accepted
      ? 'psql restores it: our records equal what it holds, or we refuse it as docs/reading.md promises'
      : `psql refuses it (${c.psql.error}), so must we, with our own error`;
    t.ok(verdict.agree, `${c.file}: ${what} (was: ${c.disagreement})`, {
      ...(c.open !== undefined ? { todo: `open: ${c.open}` } : {}),
      ...(verdict.agree ? {} : { found: verdict.detail }),
    });
  }
});

t.test('regression cases: psql still gives the recorded verdict', needsPg, async (t) => {
  const name = `${databaseOf(DATABASE_URL!)}_dfz_reg`;
  const url = scratchDb(name);
  makeOracleTables(url);
  const db = new OracleDb(url);
  await db.open();
  const dir = mkdtempSync(join(tmpdir(), 'dfz-reg-'));
  t.teardown(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    dropDb(name);
  });
  for (const c of REGRESSIONS) {
    const bytes = readFileSync(join(FIXTURES, c.file));
    const gz = c.file.endsWith('.gz') ? bytes : null;
    const files = writeCase(dir, 'case', gz === null ? bytes : Buffer.alloc(0), gz);
    const { psql } = await judge(db, files);
    t.equal(psql.accepted, c.psql.accepted, `${c.file}: psql ${c.psql.accepted ? 'accepts' : 'refuses'} it`);
    if (psql.accepted && c.psql.accepted)
      t.same(firstDifference(psql.tables, c.psql.tables), null, `${c.file}: psql holds the recorded values`);
  }
});

t.test(
  `differential fuzzer: ${RUNS} mutated pg_dump files, psql against our reader (seed ${SEED})`,
  needsPg,
  async (t) => {
    t.comment(`DIFF_FUZZ_SEED=${SEED} DIFF_FUZZ_RUNS=${RUNS}`);
    const prefix = databaseOf(DATABASE_URL!);
    const srcName = `${prefix}_dfz_src`;
    const src = scratchDb(srcName);
    let dumps: BaseDump[];
    try {
      loadLegacySamples(src);
      dumps = makeBaseDumps(src);
    } finally {
      dropDb(srcName);
    }
    const dbs: OracleDb[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'dfz-'));
    t.teardown(async () => {
      for (const db of dbs) await db.close();
      for (let i = 0; i < LANES; i++) dropDb(`${prefix}_dfz_o${i}`);
      rmSync(dir, { recursive: true, force: true });
    });
    for (let i = 0; i < LANES; i++) {
      const url = scratchDb(`${prefix}_dfz_o${i}`);
      makeOracleTables(url);
      const db = new OracleDb(url);
      await db.open();
      dbs.push(db);
    }

    // The unmutated dumps first: both judges accept each, with the same values. A form the reader does not read
    // yet (PENDING_FORMS) stays out of the pool, and says so.
    const pool: BaseDump[] = [];
    for (const d of dumps) {
      const { verdict } = await judge(dbs[0]!, writeCase(dir, 'base', d.sql, null));
      const pending = PENDING_FORMS.includes(d.form);
      if (pending && !(verdict.agree && verdict.how === 'both accept, same values')) {
        t.comment(
          `${d.name}: left out of the pool, the reader does not read this form yet (${verdict.agree ? verdict.how : verdict.detail})`,
        );
        continue;
      }
      t.ok(
        verdict.agree && verdict.how === 'both accept, same values',
        `unmutated ${d.name}: psql and our reader hold the same rows`,
      );
      pool.push(d);
    }
    t.ok(
      FORMS.every((f) => pool.some((d) => d.form === (f === '' ? 'COPY' : f))),
      'every form is in the pool',
    );

    const tally = new Map<string, number>();
    const count = (k: string): void => void tally.set(k, (tally.get(k) ?? 0) + 1);
    const found = new Map<string, { n: number; mutations: readonly string[]; detail: string; count: number }>();
    let next = 0;
    let busy = 0; // reported, never asserted
    const lane = async (li: number): Promise<void> => {
      for (let n = next++; n < RUNS; n = next++) {
        const c = makeCase(SEED, n, pool);
        const files = writeCase(dir, `lane${li}`, c.sql, c.gz);
        const t0 = performance.now();
        const { psql, verdict } = await judge(dbs[li]!, files);
        busy += performance.now() - t0;
        count(psql.accepted ? 'psql accepted' : 'psql refused');
        if ((n + 1) % 500 === 0)
          t.comment(
            `after about ${n + 1} cases: ${[...tally].map(([k, v]) => `${k} ${v}`).join('; ')}; kinds so far: ${[...found].map(([sig, f]) => `${sig} ×${f.count}`).join('; ') || 'none'}`,
          );
        if (verdict.agree) {
          count(
            verdict.how +
              (verdict.code !== undefined && verdict.how === 'stricter, documented' ? ` (${verdict.code})` : ''),
          );
          continue;
        }
        count(`disagreement: ${verdict.kind}`);
        const seen = found.get(verdict.signature);
        if (seen !== undefined) {
          seen.count++;
          continue;
        }
        found.set(verdict.signature, { n, mutations: c.mutations, detail: verdict.detail.split('\n')[0]!, count: 1 });
        if (SAVE !== undefined) await save(dbs[li]!, dir, li, c, verdict);
      }
    };
    await Promise.all(dbs.map((_db, li) => lane(li)));

    t.comment(
      `cases ${RUNS}: ${[...tally]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([k, v]) => `${k} ${v}`)
        .join('; ')}`,
    );
    t.comment(`judging took ${(busy / 1000).toFixed(1)} s over ${LANES} lanes (${(busy / RUNS).toFixed(0)} ms a case)`);
    t.ok(
      (tally.get('psql accepted') ?? 0) > RUNS / 10 && (tally.get('psql refused') ?? 0) > RUNS / 10,
      "the mutations reach both of psql's verdicts",
    );
    for (const [sig, f] of [...found].sort((a, b) => a[1].n - b[1].n)) {
      const open = OPEN.get(sig);
      t.fail(
        `${sig} (${f.count} cases; first: case ${f.n} of seed ${SEED}, ${f.mutations.join(' + ')}: ${f.detail})`,
        open !== undefined ? { todo: `open: ${open}` } : {},
      );
    }
    t.equal(
      [...found.keys()].filter((s) => !OPEN.has(s)).length,
      0,
      'no disagreement other than the open regression cases',
    );
  },
);

/** Writes a disagreement, minimised, into DIFF_FUZZ_SAVE for a regression case. */
async function save(
  db: OracleDb,
  dir: string,
  li: number,
  c: ReturnType<typeof makeCase>,
  verdict: Verdict & { agree: false },
): Promise<void> {
  const damaged = c.mutations.some((m) => m.startsWith('gzip ') && m !== 'gzip members');
  const small = damaged
    ? c.sql
    : await minimise(c.sql, async (cand) => {
        const v = (await judge(db, writeCase(dir, `min${li}`, cand, c.gz === null ? null : gzipSync(cand)))).verdict;
        return !v.agree && v.signature === verdict.signature;
      });
  const name = `case-${SEED}-${c.n}.sql${c.gz === null ? '' : '.gz'}`;
  const bytes = c.gz === null ? small : damaged ? c.gz : gzipSync(small);
  writeFileSync(join(SAVE!, name), bytes);
  const again = await judge(db, writeCase(dir, `min${li}`, damaged ? c.sql : small, c.gz === null ? null : bytes));
  writeFileSync(
    join(SAVE!, `${name}.json`),
    JSON.stringify(
      {
        file: name,
        disagreement: verdict.kind,
        signature: verdict.signature,
        mutations: c.mutations,
        detail: again.verdict.agree ? '' : again.verdict.detail,
        psql: again.psql,
      },
      null,
      1,
    ) + '\n',
  );
}

/**
 * Both judges on files of your own, for a repro: `DATABASE_URL=… npx tsx tests/helpers/differential/judge-file.ts
 * FILE…`
 * prints psql's verdict (restoring the file alone into a scratch database with the legacy tables), our reader's,
 * and whether they agree. A `.gz` file is given to psql gunzipped, as `zcat FILE | psql` would.
 * `--record` prints instead the entries for tests/fixtures/differential/cases.json (psql's verdict and values).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DATABASE_URL, dropDb, scratchDb } from '../pg.js';
import { databaseOf, makeOracleTables } from './base-dumps.js';
import { judge, OracleDb, writeCase } from './oracle.js';

const record = process.argv.includes('--record');
const files = process.argv.slice(2).filter((a) => a !== '--record');
const entries: object[] = [];
if (DATABASE_URL === undefined || files.length === 0) {
  console.error('usage: DATABASE_URL=postgresql://… npx tsx tests/helpers/differential/judge-file.ts FILE…');
  process.exit(2);
}
const name = `${databaseOf(DATABASE_URL)}_dfz_judge`;
const db = new OracleDb(scratchDb(name));
makeOracleTables(db.url);
await db.open();
const dir = mkdtempSync(join(tmpdir(), 'dfz-judge-'));
try {
  for (const f of files) {
    const bytes = readFileSync(f);
    const gz = f.endsWith('.gz') ? bytes : null;
    const { psql, ours, verdict } = await judge(db, writeCase(dir, 'case', gz === null ? bytes : Buffer.alloc(0), gz));
    if (record) {
      entries.push({
        file: basename(f),
        disagreement: verdict.agree ? 'none' : verdict.kind,
        signature: verdict.agree ? '' : verdict.signature,
        psql,
      });
      continue;
    }
    console.log(`== ${f}`);
    console.log(`psql:   ${psql.accepted ? 'accepts' : `refuses: ${psql.error}`}`);
    console.log(`reader: ${ours.accepted ? 'accepts' : `refuses: ${ours.message}`}`);
    console.log(
      `verdict: ${verdict.agree ? `agree (${verdict.how})` : `DISAGREE, ${verdict.kind}: ${verdict.detail}`}`,
    );
  }
  if (record) console.log(JSON.stringify(entries, null, 1));
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  dropDb(name);
}

// Every scanner and lexer finishes on any bytes (issue 17: `description te$$xt,` in a schema dump hung
// inspect and transform at 100% CPU). Generated text made of every quoting construct (dollar quotes and
// tags, E'' strings and backslashes, quoted identifiers, comments) goes through the CREATE TABLE reader,
// the schema step and the dump parser in a child process; a bound of minutes, which only a hang reaches
// (the cases take about a second), ends it, and the case it was on is reported.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { childEnv } from './helpers/cli.js';

const RUNS = process.env['LEXER_RUNS'] ?? '600';

t.test(`${RUNS} generated texts through every lexer: each ends, with a result or our own error`, async (t) => {
  const dir = t.testdir({});
  const caseFile = join(dir, 'case.json');
  // childEnv: no coverage in the child (tests/helpers/cli.ts says why)
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'tests/helpers/lexer-cases.ts', caseFile, RUNS], {
    timeout: 180_000,
    encoding: 'utf8',
    env: childEnv(),
  });
  const last = existsSync(caseFile) ? readFileSync(caseFile, 'utf8') : '(none)';
  t.equal(r.signal, null, `no case runs away (the last case: ${last.slice(0, 400)})`);
  t.equal(r.status, 0, r.stderr.slice(0, 2000));
  t.match(r.stdout, new RegExp(`^${RUNS} cases\\n$`));
});

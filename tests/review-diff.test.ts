// What a reviewer sees in a pull request when one value changes in the dump: one category's sort_order. The
// generated files are diffed with the real diff(1); migration.sql must change in a handful of lines, each
// understandable: the input's hash in the header, the run id, the ledger's input list, and the one row's VALUES.
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';

t.test(
  "a one-value change in the dump changes a handful of migration.sql's lines, and the row's comment names it",
  async (t) => {
    const root = t.testdir({});
    const changed = join(root, 'changed');
    cpSync('samples', changed, { recursive: true });
    const cats = join(changed, 'categories.sql');
    const text = readFileSync(cats, 'utf8');
    const line = /^12\t3\tNaps\tNaps\t\t\\N\t\\N\t5\t/m;
    t.match(text, line, 'category 12 (Naps) has sort_order 5 in the samples');
    writeFileSync(
      cats,
      text.replace(line, (m) => m.replace(/\t5\t$/, '\t6\t')),
    );
    for (const [dump, out] of [
      ['samples', 'a'],
      [changed, 'b'],
    ] as const) {
      await runTransform({
        dump: [dump],
        out: join(root, out),
        sourceTimezone: 'UTC',
        strict: false,
        breakCycles: false,
        env: {},
      });
    }
    const diff = spawnSync('diff', ['-U0', join(root, 'a', 'migration.sql'), join(root, 'b', 'migration.sql')], {
      encoding: 'utf8',
    });
    const lines = diff.stdout.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l));
    t.comment(
      `diff -U0 migration.sql:\n${diff.stdout
        .split('\n')
        .filter((l) => !l.startsWith('---') && !l.startsWith('+++'))
        .map((l) => (l.length > 150 ? l.slice(0, 150) + '…' : l))
        .join('\n')}`,
    );
    t.ok(lines.length <= 10, `${lines.length} lines changed (at most 10: 5 removed, 5 added)`);
    t.equal(
      lines.filter((l) => l.startsWith('+')).length,
      lines.filter((l) => l.startsWith('-')).length,
      'each changed line replaced by one',
    );
    t.match(diff.stdout, /^-VALUES \('[0-9a-f-]{36}'::uuid, 12, .*, 5, /m, "the row's old VALUES line");
    t.match(diff.stdout, /^\+VALUES \('[0-9a-f-]{36}'::uuid, 12, .*, 6, /m, 'and its new one');
    const at = readFileSync(join(root, 'b', 'migration.sql'), 'utf8').split('\n');
    const values = at.findIndex((l) => /^VALUES \('[0-9a-f-]{36}'::uuid, 12, /.test(l));
    t.equal(
      at[values - 2],
      '-- tls_category#12 Health › Sleep › Naps',
      'the comment above the row names its source and where it is in the tree',
    );
    const rollback = spawnSync('diff', ['-U0', join(root, 'a', 'rollback.sql'), join(root, 'b', 'rollback.sql')], {
      encoding: 'utf8',
    }).stdout;
    t.ok(
      rollback
        .split('\n')
        .filter((l) => /^[-+](?![-+]{2} )/.test(l))
        .every((l) => /sha256 [0-9a-f]{64}|run [0-9a-f]{16}|v_run constant text := '[0-9a-f]{16}'/.test(l)),
      'rollback.sql: only the input hash and the run id change',
    );
  },
);

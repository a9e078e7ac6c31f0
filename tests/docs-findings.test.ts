// Issue 27, item 11: docs/mapping.md's finding list names every code the code can emit, and no other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';

const sources = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

t.test("every finding code in lib/ is in docs/mapping.md's table, and every code there is in lib/", async (t) => {
  // a finding is an object literal with a severity and a code; other `code:` fields (errors, HTTP) have no severity
  const inCode = new Set(
    sources('lib').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/severity: [^,]+,\s*code: '([a-z_.0-9]+)'/g)].map((m) => m[1]!),
    ),
  );
  const doc = readFileSync('docs/mapping.md', 'utf8');
  const table = doc.slice(doc.indexOf('| code | severity | when |'), doc.indexOf('## General rules'));
  const inDoc = new Set<string>();
  for (const m of table.matchAll(/^\| `([a-z_.0-9]+)`(?: \/ `\.([a-z_]+)`)?/gm)) {
    inDoc.add(m[1]!);
    if (m[2] !== undefined) inDoc.add(m[1]!.replace(/[a-z_]+$/, m[2])); // `a.b.gap` / `.duplicate`
  }
  t.ok(inCode.size >= 30, `${inCode.size} codes found in lib/`);
  t.same([...inCode].filter((c) => !inDoc.has(c)).sort(), [], 'codes the doc does not list');
  t.same([...inDoc].filter((c) => !inCode.has(c)).sort(), [], 'codes the doc lists that the code never emits');
});

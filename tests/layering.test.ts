// The import graph between lib/'s folders (one per stage of the data's journey) has no cycle: each stage
// depends only on stages it comes after, and shared files at lib/'s top level depend on no folder.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import t from 'tap';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The folder of lib/ a file is in ('.' for lib/'s top level). */
const folderOf = (file: string): string => relative('lib', dirname(file)).split('/')[0] || '.';

/** Every cycle a depth-first search meets (a back edge), as `a → b → a`. */
function cyclesIn(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (n: string, path: string[]): void => {
    state.set(n, 'open');
    for (const m of edges.get(n) ?? []) {
      if (state.get(m) === 'open') cycles.push([...path.slice(path.indexOf(m)), n, m].join(' → '));
      else if (state.get(m) === undefined) visit(m, [...path, n]);
    }
    state.set(n, 'done');
  };
  for (const n of edges.keys()) if (state.get(n) === undefined) visit(n, []);
  return cycles;
}

t.test("no cycle between lib/'s folders", async (t) => {
  const edges = new Map<string, Set<string>>();
  for (const f of files('lib')) {
    const from = folderOf(f);
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)) {
      const to = folderOf(relative(process.cwd(), resolve(dirname(f), m[1]!)));
      if (to !== from) (edges.get(from) ?? edges.set(from, new Set()).get(from)!).add(to);
    }
  }
  t.ok(edges.size > 5, `${edges.size} folders import others`);
  t.same([...(edges.get('.') ?? [])], [], "lib/'s top-level files import no folder");
  const cycles = cyclesIn(edges);
  t.same(cycles, [], 'no folder reaches itself through its imports');
});

t.test('no cycle between the files of lib/ either (type imports included)', async (t) => {
  const edges = new Map<string, Set<string>>();
  for (const f of files('lib')) {
    const deps = new Set<string>();
    for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm))
      deps.add(relative(process.cwd(), resolve(dirname(f), m[1]!)).replace(/\.js$/, '.ts'));
    edges.set(f, deps);
  }
  const cycles = cyclesIn(edges);
  t.same(cycles, [], 'no file reaches itself through its imports (cli/main.ts and the command files did)');
});

t.test('every command starts without the heavy packages: they load when a command needs them', async (t) => {
  // pg, PGlite, sharp and storage-js cost ~0.1 s of start-up each (docs/performance.md), and most runs never need
  // them: they are imported with import() where used. Static imports that are not `import type` count here.
  const HEAVY = [
    'pg',
    'pg-query-stream',
    '@electric-sql/pglite',
    '@electric-sql/pglite-socket',
    'sharp',
    '@supabase/storage-js',
  ];
  const reached = new Map<string, string>(); // file → the file that imported it
  const heavy: string[] = [];
  const visit = (file: string): void => {
    for (const m of readFileSync(file, 'utf8').matchAll(/^(import|export)(?! type)[^'"]*from '([^']+)'/gm)) {
      const spec = m[2]!;
      if (spec.startsWith('.')) {
        const dep = relative(process.cwd(), resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
        if (!reached.has(dep)) {
          reached.set(dep, file);
          visit(dep);
        }
      } else if (HEAVY.some((h) => spec === h || spec.startsWith(`${h}/`))) heavy.push(`${spec} ← ${file}`);
    }
  };
  visit('lib/cli/main.ts');
  t.ok(reached.size > 50, `${reached.size} files load with the command line`);
  t.same(heavy, [], 'none of them imports a heavy package statically');
});

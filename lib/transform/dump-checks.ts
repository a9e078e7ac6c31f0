/**
 * The pre-migration checks the migration plan runs as SQL on production, done offline on the typed records:
 * shown in report.md and by `inspect --check`. Pure. Each check is a label and a one-line result.
 */
import type { LegacyDump } from '../legacy/read-legacy.js';
import { hierarchyParents, sortOrderIssues } from './categories.js';
import { imageReferences } from './images.js';
import { pgTrim } from './blank.js';

/** `breakCycles`: the sort_order groups as --break-cycles makes them, so the counts match the run's findings. */
export function dumpChecks(
  d: Pick<LegacyDump, 'coaches' | 'categories' | 'prompts' | 'variables' | 'systems' | 'images' | 'imageCount'> & {
    readonly imageIds?: ReadonlySet<number>;
  },
  breakCycles = false,
): [string, string][] {
  const out: [string, string][] = [];
  out.push([
    'rows per legacy table',
    `tls_coach ${d.coaches.length}, tls_category ${d.categories.length}, tls_prompt ${d.prompts.length}, tls_variable ${d.variables.length}, tls_system ${d.systems.length}, tls_image ${d.imageCount}`,
  ]);
  const daniels = d.coaches
    .filter((c) => c.name !== null && pgTrim(c.name).toLowerCase() === 'daniel')
    .map((c) => `#${c.id}`);
  out.push(['a coach named Daniel', daniels.length === 0 ? 'none' : `yes (${daniels.join(', ')})`]);

  const { parentOf, missing, cycles } = hierarchyParents(d.categories, false);
  const broken = missing.map(([id, parent]) => `#${id} → ${parent}`);
  const inCycle = new Set(cycles.flat());
  const depth = new Map<number, number>();
  const depthOf = (id: number): number => {
    if (inCycle.has(id)) return -1;
    const known = depth.get(id);
    if (known !== undefined) return known;
    const p = parentOf.get(id) ?? null;
    const dd = p === null ? 0 : depthOf(p) < 0 ? -1 : depthOf(p) + 1;
    depth.set(id, dd);
    return dd;
  };
  const perLevel = new Map<number, number>();
  for (const c of d.categories) {
    const dd = depthOf(c.id);
    if (dd >= 0) perLevel.set(dd, (perLevel.get(dd) ?? 0) + 1);
  }
  out.push([
    'categories per hierarchy level',
    [...perLevel]
      .sort((a, b) => a[0] - b[0])
      .map(([l, n]) => `level ${l}: ${n}`)
      .join(', ') || 'none',
  ]);
  out.push(['broken parent references', broken.length === 0 ? 'none' : broken.join(', ')]);
  out.push(['cycles', cycles.length === 0 ? 'none' : cycles.map((c) => c.map((x) => `#${x}`).join(' → ')).join('; ')]);

  // the groups the run has: with --break-cycles a cycle's smallest id sits among the roots
  const groupParent = hierarchyParents(d.categories, breakCycles).parentOf;
  const siblings = new Map<number | null, number[]>();
  for (const c of d.categories) {
    const p = groupParent.get(c.id) ?? null;
    siblings.set(p, [...(siblings.get(p) ?? []), c.sort_order ?? 0]);
  }
  let gaps = 0;
  let dupes = 0;
  for (const orders of siblings.values()) {
    const issues = sortOrderIssues(orders);
    if (issues.dupes.length > 0) dupes++;
    if (issues.gaps) gaps++;
  }
  out.push([
    `sort_order among siblings${breakCycles && cycles.length > 0 ? ' (cycles broken)' : ''}`,
    `${gaps} sibling groups with gaps, ${dupes} with duplicates`,
  ]);

  const dupNames = (rows: readonly { name: string | null }[], table: string): string[] => {
    const seen = new Map<string, number>();
    // NULL and empty names make no key (config.name.missing): they are no duplicates
    for (const r of rows) if (r.name !== null && r.name !== '') seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1).map(([name, n]) => `${table} ${JSON.stringify(name)} ×${n}`);
  };
  const dups = [
    ...dupNames(d.prompts, 'tls_prompt'),
    ...dupNames(d.variables, 'tls_variable'),
    ...dupNames(d.systems, 'tls_system'),
  ];
  out.push(['duplicate config names', dups.length === 0 ? 'none' : dups.join(', ')]);

  if (d.imageIds !== undefined) {
    const imageIds = d.imageIds;
    const missing = [...imageReferences(d.coaches, d.categories)]
      .filter(([id]) => !imageIds.has(id))
      .sort((a, b) => a[0] - b[0])
      .flatMap(([id, ref]) => ref.referencedBy.map((by) => `${by} → ${id}`));
    out.push(['images referenced but missing', missing.length === 0 ? 'none' : missing.join(', ')]);
  }
  return out;
}

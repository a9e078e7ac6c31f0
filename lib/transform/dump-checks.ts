/**
 * The pre-migration checks the migration plan runs as SQL on production, done offline on the typed records:
 * shown in report.md and by `inspect --check`. Pure. Each check is a label and a one-line result.
 */
import type { LegacyDump } from '../legacy/read-legacy.js';
import { hierarchyParents, sortOrderIssues } from './categories.js';
import { imageReferences } from './images.js';
import { pgTrim } from './blank.js';

/** What the checks read of the dump; imageIds (when given): the ids tls_image holds, for the missing-images check. */
type CheckedDump = Pick<
  LegacyDump,
  'coaches' | 'categories' | 'prompts' | 'variables' | 'systems' | 'images' | 'imageCount'
> & {
  readonly imageIds?: ReadonlySet<number>;
};

/** The hierarchy as the dump has it, cycles unbroken: what the level, parent and cycle checks report. */
type Hierarchy = ReturnType<typeof hierarchyParents>;

/**
 * The checks in the order report.md shows them. `breakCycles`: the sort_order groups as --break-cycles makes
 * them, so the counts match the run's findings.
 */
export function dumpChecks(d: CheckedDump, breakCycles = false): [string, string][] {
  const hierarchy = hierarchyParents(d.categories, false);
  return [
    rowsPerTable(d),
    coachNamedDaniel(d.coaches),
    categoriesPerLevel(d.categories, hierarchy),
    brokenParents(hierarchy),
    cyclesFound(hierarchy),
    sortOrderAmongSiblings(d.categories, breakCycles, hierarchy.cycles.length > 0),
    duplicateConfigNames(d),
    ...(d.imageIds === undefined ? [] : [imagesMissing(d, d.imageIds)]),
  ];
}

/** The row count of each legacy table. */
function rowsPerTable(d: CheckedDump): [string, string] {
  return [
    'rows per legacy table',
    `tls_coach ${d.coaches.length}, tls_category ${d.categories.length}, tls_prompt ${d.prompts.length}, tls_variable ${d.variables.length}, tls_system ${d.systems.length}, tls_image ${d.imageCount}`,
  ];
}

/** Whether a coach is named Daniel (without --default-coach, the coach named Daniel becomes default_coach). */
function coachNamedDaniel(coaches: CheckedDump['coaches']): [string, string] {
  const daniels = coaches
    .filter((c) => c.name !== null && pgTrim(c.name).toLowerCase() === 'daniel')
    .map((c) => `#${c.id}`);
  return ['a coach named Daniel', daniels.length === 0 ? 'none' : `yes (${daniels.join(', ')})`];
}

/** How many categories sit on each level of the tree; those in or under a cycle have no level and are not counted. */
function categoriesPerLevel(categories: CheckedDump['categories'], { parentOf, cycles }: Hierarchy): [string, string] {
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
  for (const c of categories) {
    const dd = depthOf(c.id);
    if (dd >= 0) perLevel.set(dd, (perLevel.get(dd) ?? 0) + 1);
  }
  return [
    'categories per hierarchy level',
    [...perLevel]
      .sort((a, b) => a[0] - b[0])
      .map(([l, n]) => `level ${l}: ${n}`)
      .join(', ') || 'none',
  ];
}

/** Each category whose parent is not in the dump (it becomes a root), with that parent. */
function brokenParents({ missing }: Hierarchy): [string, string] {
  return [
    'broken parent references',
    missing.length === 0 ? 'none' : missing.map(([id, parent]) => `#${id} → ${parent}`).join(', '),
  ];
}

/** Each cycle of parent links, as a path of legacy ids. */
function cyclesFound({ cycles }: Hierarchy): [string, string] {
  return ['cycles', cycles.length === 0 ? 'none' : cycles.map((c) => c.map((x) => `#${x}`).join(' → ')).join('; ')];
}

/** How many sibling groups have gaps or duplicates in sort_order, grouped as the run groups them. */
function sortOrderAmongSiblings(
  categories: CheckedDump['categories'],
  breakCycles: boolean,
  hasCycles: boolean,
): [string, string] {
  // the groups the run has: with --break-cycles a cycle's smallest id sits among the roots
  const groupParent = hierarchyParents(categories, breakCycles).parentOf;
  const siblings = new Map<number | null, number[]>();
  for (const c of categories) {
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
  return [
    `sort_order among siblings${breakCycles && hasCycles ? ' (cycles broken)' : ''}`,
    `${gaps} sibling groups with gaps, ${dupes} with duplicates`,
  ];
}

/** Names that occur more than once in a config table: the run keeps one row of each (config.key.duplicate). */
function duplicateConfigNames(d: CheckedDump): [string, string] {
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
  return ['duplicate config names', dups.length === 0 ? 'none' : dups.join(', ')];
}

/** Each reference to an image id that tls_image does not hold, by referrer, in image id order. */
function imagesMissing(d: CheckedDump, imageIds: ReadonlySet<number>): [string, string] {
  const missing = [...imageReferences(d.coaches, d.categories)]
    .filter(([id]) => !imageIds.has(id))
    .sort((a, b) => a[0] - b[0])
    .flatMap(([id, ref]) => ref.referencedBy.map((by) => `${by} → ${id}`));
  return ['images referenced but missing', missing.length === 0 ? 'none' : missing.join(', ')];
}

/**
 * tls_category → categories (docs/mapping.md; the contract is the project's shared mapping spec, "tls_category →
 * categories"). Pure.
 * The hierarchy: parents that are not in the dump make roots; cycles are errors naming every member, or
 * with --break-cycles are broken at their smallest legacy id. Rows come out parents first (depth-first;
 * siblings and roots by sort_order, then legacy id), the order migration.sql inserts them in.
 */
import type { Finding } from '../findings.js';
import type { CategoryRecord } from '../legacy/records.js';
import type { CategoryRow } from './target-rows.js';
import { rowTimestamptz } from './timestamps.js';
import { categoryId } from './uuid-v5.js';
import { isBlank } from './blank.js';

export interface CategoryImageUrls {
  urlFor(imageId: number | null): string | null;
}

export interface CategoryOptions {
  readonly breakCycles: boolean;
  readonly sourceZone: string;
}

export interface CategoryTreeNode {
  readonly legacyId: number;
  readonly name: string;
  readonly depth: number;
}

export interface CategoryResult {
  /** Parents before children. */
  readonly rows: CategoryRow[];
  /** The same order, with depths (0 = root): for the report's tree and verify's per-level counts. */
  readonly tree: CategoryTreeNode[];
  readonly findings: Finding[];
}

const subjectOf = (id: number): string => `tls_category#${id}`;

/** Every cycle among parent links, each as its members in ascending legacy id. */
export function findCycles(parentOf: ReadonlyMap<number, number | null>): number[][] {
  const state = new Map<number, 'visiting' | 'done'>();
  const cycles: number[][] = [];
  for (const start of [...parentOf.keys()].sort((a, b) => a - b)) {
    const path: number[] = [];
    let cur: number | null | undefined = start;
    while (cur !== null && cur !== undefined && state.get(cur) === undefined) {
      state.set(cur, 'visiting');
      path.push(cur);
      cur = parentOf.get(cur);
    }
    if (cur !== null && cur !== undefined && state.get(cur) === 'visiting') {
      cycles.push(path.slice(path.indexOf(cur)).sort((a, b) => a - b));
    }
    for (const p of path) state.set(p, 'done');
  }
  return cycles.sort((a, b) => a[0]! - b[0]!);
}

/**
 * The parent links as the hierarchy will have them: a parent not in the dump makes a root; with breakCycles,
 * each cycle's smallest legacy id is a root. Both the mapping and the report's checks on the dump use it.
 */
export function hierarchyParents(
  records: readonly CategoryRecord[],
  breakCycles: boolean,
): { parentOf: Map<number, number | null>; missing: [number, number][]; cycles: number[][] } {
  const ids = new Set(records.map((r) => r.id));
  const parentOf = new Map<number, number | null>();
  const missing: [number, number][] = [];
  for (const r of records) {
    const parent = r.parent_id !== null && !ids.has(r.parent_id) ? null : r.parent_id;
    if (r.parent_id !== null && parent === null) missing.push([r.id, r.parent_id]);
    parentOf.set(r.id, parent);
  }
  const cycles = findCycles(parentOf);
  if (breakCycles) for (const cycle of cycles) parentOf.set(cycle[0]!, null);
  return { parentOf, missing, cycles };
}

export function mapCategories(
  records: readonly CategoryRecord[],
  images: CategoryImageUrls,
  opts: CategoryOptions,
): CategoryResult {
  const findings: Finding[] = [];
  const { parentOf, missing, cycles } = hierarchyParents(records, opts.breakCycles);
  for (const [id, parent] of missing) {
    findings.push({
      severity: 'warning',
      code: 'category.parent.missing',
      subject: subjectOf(id),
      message: `parent_id ${parent} is not in the dump: the category becomes a root`,
    });
  }
  for (const cycle of cycles) {
    const members = cycle.map(subjectOf).join(', ');
    if (opts.breakCycles) {
      const root = cycle[0]!;
      findings.push({
        severity: 'warning',
        code: 'category.cycle.broken',
        subject: subjectOf(root),
        message: `the cycle ${members} was broken (--break-cycles): ${subjectOf(root)}, its smallest legacy id, became a root`,
      });
    } else {
      findings.push({
        severity: 'error',
        code: 'category.cycle',
        subject: subjectOf(cycle[0]!),
        message: `the parent links form a cycle: ${members}; fix the data or run with --break-cycles`,
      });
    }
  }

  const children = new Map<number | null, CategoryRecord[]>();
  for (const r of records) {
    const p = parentOf.get(r.id) ?? null;
    const list = children.get(p) ?? [];
    list.push(r);
    children.set(p, list);
  }
  const order = (a: CategoryRecord, b: CategoryRecord): number =>
    (a.sort_order ?? 0) - (b.sort_order ?? 0) || a.id - b.id;
  for (const [parent, list] of children) {
    list.sort(order);
    siblingFindings(parent, list, findings);
  }

  const rows: CategoryRow[] = [];
  const tree: CategoryTreeNode[] = [];
  const visit = (r: CategoryRecord, depth: number): void => {
    rows.push(toRow(r, parentOf.get(r.id) ?? null, images, opts.sourceZone, findings));
    tree.push({ legacyId: r.id, name: r.name ?? '', depth });
    for (const c of children.get(r.id) ?? []) visit(c, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  // Members of unbroken cycles are unreachable from any root; they are already an error. Keep them in
  // the output order anyway (by legacy id) so the report can show them.
  const seen = new Set(rows.map((r) => r.legacy_id));
  for (const r of [...records].sort((a, b) => a.id - b.id)) {
    if (!seen.has(r.id)) {
      rows.push(toRow(r, parentOf.get(r.id) ?? null, images, opts.sourceZone, findings));
      tree.push({ legacyId: r.id, name: r.name ?? '', depth: -1 });
    }
  }
  return { rows, tree, findings };
}

/** Gaps or duplicates among one parent's children's sort_order values: info. */
function siblingFindings(parent: number | null, list: readonly CategoryRecord[], findings: Finding[]): void {
  if (list.length < 2) return;
  const where = parent === null ? 'among the roots' : `among the children of ${subjectOf(parent)}`;
  const subject = parent === null ? 'tls_category (roots)' : subjectOf(parent);
  const { dupes, sorted, gaps } = sortOrderIssues(list.map((r) => r.sort_order ?? 0));
  if (dupes.length > 0)
    findings.push({
      severity: 'info',
      code: 'category.sort_order.duplicate',
      subject,
      message: `sort_order ${dupes.join(', ')} is used more than once ${where}; ties are ordered by legacy id`,
    });
  if (gaps)
    findings.push({
      severity: 'info',
      code: 'category.sort_order.gap',
      subject,
      message: `sort_order has gaps ${where} (${sorted.join(', ')})`,
    });
}

/** One sibling group's sort_order values: those used more than once, the distinct values in order, whether they have gaps. */
export function sortOrderIssues(orders: readonly number[]): { dupes: number[]; sorted: number[]; gaps: boolean } {
  const dupes = [...new Set(orders.filter((o, i) => orders.indexOf(o) !== i))];
  const sorted = [...new Set(orders)].sort((a, b) => a - b);
  return { dupes, sorted, gaps: sorted.slice(1).some((o, i) => o - sorted[i]! > 1) };
}

function toRow(
  r: CategoryRecord,
  parent: number | null,
  images: CategoryImageUrls,
  zone: string,
  findings: Finding[],
): CategoryRow {
  const subject = subjectOf(r.id);
  if (isBlank(r.name)) {
    findings.push({
      severity: 'error',
      code: 'category.name.missing',
      subject,
      message: `the category has ${r.name === null ? 'a NULL' : 'a blank'} name; categories.name is required`,
    });
  }
  const created = rowTimestamptz(r.time_create, zone, subject, 'time_create', findings);
  displayedValueFindings(r, subject, findings);
  return {
    id: categoryId(r.id),
    legacy_id: r.id,
    parent_id: parent === null ? null : categoryId(parent),
    name: r.name ?? '',
    name_short: r.name_short,
    description: r.description,
    icon_url: images.urlFor(r.icon_id),
    icon_secondary_url: images.urlFor(r.icon_id_secondary),
    sort_order: r.sort_order ?? 0,
    primary_color: r.primary_color,
    secondary_color: r.secondary_color,
    show_checkin_history: r.show_checkin_history ?? false,
    checkin_enabled: r.checkin_enabled ?? true,
    followup_chat_enabled: r.followup_chat_enabled ?? false,
    followup_timer: r.followup_timer,
    prompt_checkin: r.prompt_checkin,
    prompt_checkin_2: r.prompt_checkin_2,
    guidelines_file_text: r.guidelines_file_text,
    max_questions: r.max_questions,
    scope: r.scope,
    is_active: true,
    created_at: created,
    updated_at: created,
  };
}

/** A colour the app can read: `#` and 3, 6 or 8 hex digits (`#RGB`, `#RRGGBB`, `#AARRGGBB`). */
const COLOUR = /^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})$/;

/** Values the app shows or acts on, migrated verbatim but said when they cannot mean what they should. */
function displayedValueFindings(r: CategoryRecord, subject: string, findings: Finding[]): void {
  for (const column of ['primary_color', 'secondary_color'] as const) {
    const v = r[column];
    // NULL and empty both mean "no colour"
    if (v !== null && v !== '' && !COLOUR.test(v)) {
      findings.push({
        severity: 'warning',
        code: 'category.color.invalid',
        subject,
        message: `${column} ${JSON.stringify(v)} is not a hex colour (#RGB, #RRGGBB or #AARRGGBB): migrated as it is`,
      });
    }
  }
  if (r.followup_timer !== null && r.followup_timer < 0) {
    findings.push({
      severity: 'warning',
      code: 'category.followup_timer.negative',
      subject,
      message: `followup_timer ${r.followup_timer} is negative: migrated as it is`,
    });
  }
}

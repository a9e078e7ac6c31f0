/**
 * Findings: what the reader and the transform noticed about the data. The row is still migrated unless the
 * finding says it is skipped (`config.name.missing`, the losing rows of `config.key.duplicate`; docs/mapping.md
 * lists them); the severity decides the run: `error` blocks it, `warning` blocks it only under --strict, `info`
 * is reported.
 */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  readonly severity: Severity;
  /** Stable, dotted: `coach.sex.unknown`. */
  readonly code: string;
  /** What it is about: `tls_coach#7`, or a file name. */
  readonly subject: string;
  readonly message: string;
}

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Findings in a stable order: severity, then code, then subject (numerically aware), then message. */
export function sortFindings(list: readonly Finding[]): Finding[] {
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  return [...list].sort(
    (a, b) =>
      rank(a.severity) - rank(b.severity) ||
      cmp(a.code, b.code) ||
      a.subject.localeCompare(b.subject, 'en', { numeric: true }) ||
      cmp(a.message, b.message),
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function countBySeverity(list: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const f of list) out[f.severity]++;
  return out;
}

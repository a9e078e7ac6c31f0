/**
 * `inspect`: what each dump file holds (pg_dump version, encoding, tables, columns, rows, bytes, whether a
 * restrict key guarded it), as text for people or JSON for machines. Pure: formats a LegacyDump.
 */
import { formatBytes, plural, table } from '../format.js';
import type { LegacyDump } from '../legacy/read-legacy.js';

export interface InspectJson {
  readonly files: LegacyDump['files'];
  readonly findings: LegacyDump['findings'];
}

export function inspectJson(dump: LegacyDump): InspectJson {
  return { files: dump.files, findings: dump.findings };
}

export function formatInspect(dump: LegacyDump, checks?: readonly (readonly [string, string])[]): string {
  const out: string[] = [];
  for (const f of dump.files) {
    out.push(
      `${f.name}  (${formatBytes(f.fileBytes)}${f.gzip ? `, gzip of ${formatBytes(f.sqlBytes)}` : ''}, sha256 ${f.sha256.slice(0, 16)}…)`,
    );
    out.push(
      `  pg_dump ${f.pgDumpVersion ?? 'version unknown'}; server ${f.serverVersion ?? 'unknown'}; encoding ${f.encoding ?? 'not set (UTF8 assumed)'}; restrict key ${f.restrictKey ? 'present (never shown)' : 'absent'}${f.connect ? '; has \\connect lines (skipped)' : ''}`,
    );
    if (f.tables.length === 0) {
      out.push(
        `  no table data${f.createTables > 0 ? ` (schema only: ${plural(f.createTables, 'CREATE TABLE')})` : ''}`,
      );
    } else {
      out.push(
        table(
          f.tables.map((t) => [
            t.table,
            t.form === 'copy' ? 'COPY' : 'INSERT',
            plural(t.rows, 'row'),
            formatBytes(t.bytes),
            t.legacy === null ? '(not a legacy table)' : '',
          ]),
          '  ',
        ),
      );
      for (const t of f.tables)
        out.push(
          `    ${t.table} columns: ${t.columns.join(', ') || '(none: an empty table, for which the INSERT forms write no statement)'}`,
        );
      const o = f.otherTables;
      if (o.count > o.listed)
        out.push(
          `  … and ${plural(o.count - o.listed, 'more table')} that ${o.count - o.listed === 1 ? 'is' : 'are'} not legacy tables (${plural(o.count, 'table')} not migrated in all: ${plural(o.rows, 'row')}, ${formatBytes(o.bytes)})`,
        );
    }
    if (f.setvals.length > 0)
      out.push(
        `  sequences: ${f.setvals.map((s) => `${s.sequence} = ${s.value}`).join(', ')}${f.setvalsNotListed > 0 ? `, and ${f.setvalsNotListed} more of other tables` : ''}`,
      );
    out.push('');
  }
  if (checks !== undefined) {
    out.push('checks on the data:');
    out.push(
      table(
        checks.map(([k, v]) => [k, v]),
        '  ',
      ),
    );
    out.push('');
  }
  if (dump.findings.length > 0) {
    out.push('findings:');
    for (const x of dump.findings) out.push(`  ${x.severity} ${x.code} ${x.subject}: ${x.message}`);
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

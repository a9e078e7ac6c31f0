/**
 * The header comment every generated SQL file starts with: the tool version, the inputs by name and
 * sha256, and the options that shaped the output. Nothing that varies between identical runs: no clock
 * time, no restrict key, no machine path.
 */
import { comment } from './literals.js';

export interface RunDescription {
  readonly toolVersion: string;
  readonly inputs: readonly { readonly name: string; readonly sha256: string }[];
  readonly options: readonly (readonly [string, string])[];
}

/**
 * First statement of every file: the text is UTF-8 whatever the client's encoding (PGCLIENTENCODING=LATIN1 stored
 * every non-ASCII value as mojibake). Outside the transaction, so it holds for the whole file.
 */
export const CLIENT_ENCODING = "SET client_encoding = 'UTF8';";

/** The option --keep-removed is recorded under (verify --db reads it back: kept rows are not differences). */
export const KEEP_REMOVED_OPTION = 'keep removed';

export function header(title: string, run: RunDescription, usage: string[]): string {
  return [
    comment(`totalis-migrate ${run.toolVersion}: ${title}`),
    comment('Generated; do not edit. Inputs:'),
    ...run.inputs.map((i) => comment(`  ${i.name}  sha256 ${i.sha256}`)),
    comment('Options:'),
    ...run.options.map(([k, v]) => comment(`  ${k}: ${v}`)),
    ...usage.map((u) => comment(u)),
    '',
    CLIENT_ENCODING,
    '',
  ].join('\n');
}

/** The options a header() recorded, read back from the start of a generated file (the reverse of header()). */
export function headerOptions(text: string): ReadonlyMap<string, string> {
  const options = new Map<string, string>();
  const end = text.indexOf(CLIENT_ENCODING);
  const lines = (end === -1 ? text : text.slice(0, end)).split('\n');
  const from = lines.indexOf('-- Options:');
  if (from === -1) return options;
  for (const line of lines.slice(from + 1)) {
    const m = /^-- {3}([^:]+): (.*)$/.exec(line);
    if (m === null) break;
    options.set(m[1]!, m[2]!);
  }
  return options;
}

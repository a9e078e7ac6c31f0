/**
 * The one way a name from outside (a dump file's name, a path given) is printed: its control characters (C0,
 * DEL, C1: ESC, CR, LF, TAB, …) written as `\xNN`. A file name is whatever bytes the file system allows; raw,
 * an ESC sequence would recolour or rewrite the operator's terminal, and a line break would end a SQL
 * comment's line or a Markdown table's row. Everything else is left as it is (no quoting), so an ordinary
 * name reads the same, and escaping twice changes nothing more.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function printable(name: string): string {
  return name.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

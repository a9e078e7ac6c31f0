/**
 * What counts as "blank" text, decided as PostgreSQL sees whitespace, not as JavaScript does: JavaScript's
 * trim() also strips U+FEFF, U+00A0 and every other Unicode space, which PostgreSQL keeps as characters.
 * PostgreSQL's whitespace is the C locale's isspace(): space, \t, \n, \v, \f, \r. A name is blank when
 * `btrim(name, E' \t\n\v\f\r') = ''` in PostgreSQL; "\uFEFF" alone is a name of one (invisible) character.
 */
const PG_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;

/** `btrim(s, E' \t\n\v\f\r')`. */
export function pgTrim(s: string): string {
  return s.replace(PG_SPACE, '');
}

/** NULL, empty, or only PostgreSQL whitespace. */
export function isBlank(s: string | null): s is null | '' {
  return s === null || pgTrim(s) === '';
}

/** JSON's own whitespace (RFC 8259: space, \t, \n, \r), the only kind jsonb accepts around a value. */
const JSON_SPACE = /^[ \t\n\r]+|[ \t\n\r]+$/g;

export function jsonTrim(s: string): string {
  return s.replace(JSON_SPACE, '');
}

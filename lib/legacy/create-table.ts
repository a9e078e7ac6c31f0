/**
 * The columns of one `CREATE TABLE` statement: each column's name and type, as a schema dump declares them.
 *
 * A hand-written reader instead of a general SQL parser, for one reason: it must finish in time linear in
 * its input on any bytes. pgsql-ast-parser (nearley), used before, takes exponential time to describe a
 * syntax error in a long statement: `description te$$xt,` in a 20-column CREATE TABLE kept it at 100% CPU
 * for good. Every loop below moves `pos` forward, and each byte is looked at a bounded number of times.
 *
 * What it understands is what pg_dump writes in a CREATE TABLE (and a little more, as people edit DDL):
 * `CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name ( element, ... ) ...;`
 * where an element is a table constraint (skipped) or `column type [constraints]`. The type is every word
 * up to the first column-constraint keyword, modifiers (`(200)`) and array brackets included. Tokens:
 * identifiers (unquoted ones fold to lower case; `$` may continue one, as in PostgreSQL), "quoted"
 * identifiers, '...' and E'...' strings, $tag$ dollar quotes, numbers, comments, and single characters.
 */
import { MigrateError } from '../errors.js';
import { isIdentStart, QUOTE } from '../dump/sql-bytes.js';
import { identEnd, Item, mayOpen, MORE, SqlTokens } from '../dump/sql-tokens.js';

export interface DeclaredColumn {
  readonly name: string;
  /** The type as declared, without modifiers: `character varying`, `timestamp without time zone`. */
  readonly pgType: string;
}

export interface DeclaredTable {
  readonly schema: string | null;
  readonly name: string;
  readonly columns: readonly DeclaredColumn[];
}

type Token =
  | { readonly kind: 'ident'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'other'; readonly text: string };

/** Keywords that end a column's type and begin its constraints. */
const COLUMN_CONSTRAINT = new Set([
  'not',
  'null',
  'default',
  'constraint',
  'primary',
  'unique',
  'check',
  'references',
  'collate',
  'generated',
]);
/** Keywords that begin a table constraint (or a LIKE clause) instead of a column. */
const TABLE_ELEMENT = new Set(['constraint', 'primary', 'unique', 'check', 'foreign', 'exclude', 'like']);

/** Parses the statement; a SCHEMA_PARSE error (without position: the caller adds file and line) if it cannot. */
export function parseCreateTable(sql: string): DeclaredTable {
  const at = new TokenCursor(tokenize(sql));
  const { schema, name } = tableName(at);
  return { schema, name, columns: columnList(at) };
}

/** The table's schema (null: none written) and name, after `CREATE [...] TABLE [IF NOT EXISTS]`. */
function tableName(at: TokenCursor): { schema: string | null; name: string } {
  if (!at.word('create')) at.fail('CREATE');
  if (!at.word('global')) at.word('local');
  if (!at.word('temp') && !at.word('temporary')) at.word('unlogged');
  if (!at.word('table')) at.fail('TABLE');
  if (at.word('if')) {
    if (!at.word('not') || !at.word('exists')) at.fail('IF NOT EXISTS');
  }
  const first = at.ident('a table name');
  if (!at.punct('.')) return { schema: null, name: first };
  return { schema: first, name: at.ident('a table name') };
}

/** The columns of the parenthesized element list, in order; table constraints and LIKE clauses are skipped. */
function columnList(at: TokenCursor): DeclaredColumn[] {
  if (!at.punct('(')) at.fail('"(" before the columns');
  const columns: DeclaredColumn[] = [];
  if (at.punct(')')) return columns;
  for (;;) {
    const first = at.peek();
    if (first === undefined) at.fail('a column');
    if (first.kind === 'ident' && !first.quoted && TABLE_ELEMENT.has(first.text)) at.skipElement();
    else columns.push(column(at));
    if (at.punct(')')) return columns;
    if (!at.punct(',')) at.fail('"," or ")"');
  }
}

/** One column's name and declared type; its constraints are skipped. */
function column(at: TokenCursor): DeclaredColumn {
  const name = at.ident('a column name');
  const type = typeWords(at);
  if (type.length === 0) at.fail(`a type for column ${name}`);
  at.skipElement(); // the column's constraints
  return {
    name,
    pgType: type
      .join(' ')
      .replace(/ ?\. ?/g, '.')
      .replace(/ \[/g, '[')
      .replace(/\[ \]/g, '[]'),
  };
}

/** The words of a column's type up to its constraints or the element's end: modifiers left out, brackets kept. */
function typeWords(at: TokenCursor): string[] {
  const type: string[] = [];
  for (let t = at.peek(); t !== undefined; t = at.peek()) {
    if (t.kind === 'other' && (t.text === ',' || t.text === ')')) break;
    if (t.kind === 'ident' && !t.quoted && COLUMN_CONSTRAINT.has(t.text)) break;
    if (t.kind === 'other' && t.text === '(')
      at.skipGroup(); // a type modifier: (200), (6)
    else if (t.kind === 'other' && (t.text === '[' || t.text === ']')) type.push(at.next()!.text);
    else if (t.kind === 'ident' || t.text === '.') type.push(at.next()!.text);
    else at.fail('a type');
  }
  return type;
}

/** The parser's place in the tokens; every method that accepts a token moves past it, so parsing ends. */
class TokenCursor {
  private i = 0;
  constructor(private readonly toks: readonly Token[]) {}

  /** The token at the cursor, not consumed (undefined: the statement has ended). */
  peek(): Token | undefined {
    return this.toks[this.i];
  }

  /** The token at the cursor, consumed. */
  next(): Token | undefined {
    return this.toks[this.i++];
  }

  /** Never returns: the SCHEMA_PARSE error naming what was expected and the token found instead. */
  fail(what: string): never {
    const near = this.toks[this.i]?.text ?? 'the end of the statement';
    throw new MigrateError(
      'SCHEMA_PARSE',
      `cannot parse CREATE TABLE: expected ${what}, found ${JSON.stringify(near.slice(0, 40))}`,
    );
  }

  /** Whether the unquoted keyword is next (then consumed). */
  word(w: string): boolean {
    const t = this.toks[this.i];
    if (t?.kind === 'ident' && !t.quoted && t.text === w) {
      this.i++;
      return true;
    }
    return false;
  }

  /** Whether the punctuation is next (then consumed). */
  punct(c: string): boolean {
    const t = this.toks[this.i];
    if (t?.kind === 'other' && t.text === c) {
      this.i++;
      return true;
    }
    return false;
  }

  /** The identifier that must come next, consumed; what it is for names it in the error otherwise. */
  ident(what: string): string {
    const t = this.toks[this.i];
    if (t?.kind !== 'ident') return this.fail(what);
    this.i++;
    return t.text;
  }

  /** Moves past the rest of an element: to the "," or ")" that ends it, at its own nesting level. */
  skipElement(): void {
    while (this.i < this.toks.length) {
      const t = this.toks[this.i]!;
      if (t.kind === 'other' && (t.text === ',' || t.text === ')')) return;
      if (t.kind === 'other' && t.text === '(') this.skipGroup();
      else this.i++;
    }
  }

  /** Moves past a parenthesized group, nested ones included (the cursor is at its "("). */
  skipGroup(): void {
    let depth = 0;
    do {
      const t = this.toks[this.i++];
      if (t === undefined) this.fail('")"');
      if (t!.kind === 'other' && t!.text === '(') depth++;
      else if (t!.kind === 'other' && t!.text === ')') depth--;
    } while (depth > 0);
  }
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;

/**
 * Splits SQL text into tokens; strings, comments and dollar quotes come out as one opaque token each. Where
 * each ends is the reader's one tokenizer's call (lib/dump/sql-tokens.ts), over the text's UTF-8 bytes; each
 * item is read from where its token begins (no look-behind): `E'` at a token is an escape string, and `$tag$`
 * at a token opens a dollar quote.
 */
export function tokenize(sql: string): Token[] {
  const src = Buffer.from(sql, 'utf8');
  const toks: Token[] = [];
  const n = src.length;
  const items = new SqlTokens();
  let p = 0;
  while (p < n) {
    const c = src[p]!;
    if (isSpace(c)) {
      p++;
      continue;
    }
    const e = (c === 0x45 || c === 0x65) && src[p + 1] === QUOTE;
    const from = e ? items.open(src, p, p + 1, n, true) : mayOpen(c) ? items.open(src, p, p, n, true) : p;
    if (items.item !== Item.None) {
      const item = items.item;
      const open = items.describeOpen();
      const after = items.close(src, from, n, true);
      if (after === MORE) throw new MigrateError('SCHEMA_PARSE', `cannot parse CREATE TABLE: a ${open} is not closed`);
      if (item === Item.DQuote) {
        const text = src.toString('utf8', p + 1, after - 1);
        toks.push({ kind: 'ident', text: items.escaped ? text.replace(/""/g, '"') : text, quoted: true });
      } else if (item !== Item.LineComment && item !== Item.BlockComment)
        toks.push({ kind: 'other', text: src.toString('utf8', p, after) });
      p = after;
    } else if (isIdentStart(c)) {
      const q = identEnd(src, p, n);
      toks.push({ kind: 'ident', text: src.toString('utf8', p, q).toLowerCase(), quoted: false });
      p = q;
    } else if (c >= 0x30 && c <= 0x39) {
      let q = p + 1;
      while (q < n && isNumberByte(src[q]!)) q++;
      toks.push({ kind: 'other', text: src.toString('latin1', p, q) });
      p = q;
    } else {
      toks.push({ kind: 'other', text: String.fromCharCode(c) });
      p++;
    }
  }
  return toks;
}

/** A digit, `.`, `e` or `E`: what a number token goes on with. */
const isNumberByte = (c: number): boolean => (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x45 || c === 0x65;

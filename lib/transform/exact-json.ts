/**
 * Strict JSON (RFC 8259) that keeps every digit of every number: JSON.parse would turn
 * 12345678901234567890123 into 1.2345678901234568e22. Numbers become JsonNumber holding their text.
 */
import { LazyText, LONG_TEXT, slicesOf, type Part } from '../text-parts.js';
import { JsonNumber, type JsonValue } from './target-rows.js';

/** The value, or undefined when `text` is not exactly one JSON value (white space around it allowed). */
export function parseExactJson(text: string): JsonValue | undefined {
  const p = { s: text, i: 0 };
  try {
    ws(p);
    const v = value(p);
    ws(p);
    return p.i === p.s.length ? v : undefined;
  } catch {
    return undefined;
  }
}

interface P {
  s: string;
  i: number;
}

function ws(p: P): void {
  while (p.i < p.s.length && ' \t\n\r'.includes(p.s[p.i]!)) p.i++;
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

function value(p: P): JsonValue {
  const c = p.s[p.i];
  if (c === '{') {
    p.i++;
    const out: Record<string, JsonValue> = {};
    ws(p);
    if (p.s[p.i] === '}') {
      p.i++;
      return out;
    }
    for (;;) {
      ws(p);
      if (p.s[p.i] !== '"') throw new Error('key');
      const k = str(p);
      ws(p);
      if (p.s[p.i++] !== ':') throw new Error(':');
      ws(p);
      // an own property even for "__proto__" (a plain assignment would set the prototype and lose the key)
      Object.defineProperty(out, k, { value: value(p), enumerable: true, writable: true, configurable: true });
      ws(p);
      const n = p.s[p.i++];
      if (n === '}') return out;
      if (n !== ',') throw new Error(',');
    }
  }
  if (c === '[') {
    p.i++;
    const out: JsonValue[] = [];
    ws(p);
    if (p.s[p.i] === ']') {
      p.i++;
      return out;
    }
    for (;;) {
      ws(p);
      out.push(value(p));
      ws(p);
      const n = p.s[p.i++];
      if (n === ']') return out;
      if (n !== ',') throw new Error(',');
    }
  }
  if (c === '"') return str(p);
  for (const [word, v] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (p.s.startsWith(word, p.i)) {
      p.i += word.length;
      return v;
    }
  }
  NUMBER_RE.lastIndex = p.i;
  const m = NUMBER_RE.exec(p.s);
  if (m === null) throw new Error('value');
  p.i += m[0].length;
  return new JsonNumber(m[0]);
}

function str(p: P): string {
  const start = p.i;
  p.i++;
  for (;;) {
    const c = p.s[p.i];
    if (c === undefined || c < ' ') throw new Error('string');
    if (c === '\\') p.i += 2;
    else if (c === '"') {
      p.i++;
      return JSON.parse(p.s.slice(start, p.i)) as string;
    } else p.i++;
  }
}

/** JSON text with numbers written as their exact digits; object keys in their given order. */
export function stringifyExactJson(v: JsonValue, indent?: string, depth = 0): string {
  if (v instanceof JsonNumber) return v.digits;
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const nl = indent === undefined ? '' : '\n' + indent.repeat(depth + 1);
  const end = indent === undefined ? '' : '\n' + indent.repeat(depth);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((x) => nl + stringifyExactJson(x, indent, depth + 1)).join(',') + end + ']';
  }
  const entries = Object.entries(v as Record<string, JsonValue>);
  if (entries.length === 0) return '{}';
  const colon = indent === undefined ? ':' : ': ';
  return (
    '{' +
    entries.map(([k, x]) => nl + JSON.stringify(k) + colon + stringifyExactJson(x, indent, depth + 1)).join(',') +
    end +
    '}'
  );
}

/**
 * stringifyExactJson(v, indent, depth) as parts: the same text, with each long string (text-parts.ts) a
 * LazyText that escapes it a slice at a time, so no whole JSON copy of a value of tens of MB is made.
 */
export function stringifyExactJsonParts(v: JsonValue, indent: string, depth = 0): Part[] {
  if (typeof v === 'string' && v.length >= LONG_TEXT) {
    return [new LazyText(() => jsonStringSlices(v))];
  }
  if (v === null || typeof v !== 'object' || v instanceof JsonNumber || !hasLongString(v))
    return [stringifyExactJson(v, indent, depth)];
  const nl = '\n' + indent.repeat(depth + 1);
  const end = '\n' + indent.repeat(depth);
  if (Array.isArray(v))
    return [
      '[',
      ...v.flatMap((x, i) => [i === 0 ? nl : ',' + nl, ...stringifyExactJsonParts(x, indent, depth + 1)]),
      end + ']',
    ];
  const entries = Object.entries(v as Record<string, JsonValue>);
  return [
    '{',
    ...entries.flatMap(([k, x], i) => [
      (i === 0 ? nl : ',' + nl) + JSON.stringify(k) + ': ',
      ...stringifyExactJsonParts(x, indent, depth + 1),
    ]),
    end + '}',
  ];
}

/** JSON.stringify(s) a slice at a time: each well-formed slice's own JSON text is its part of the whole's. */
export function* jsonStringSlices(s: string): Generator<string> {
  yield '"';
  for (const slice of slicesOf(s)) yield JSON.stringify(slice).slice(1, -1);
  yield '"';
}

function hasLongString(v: JsonValue): boolean {
  if (typeof v === 'string') return v.length >= LONG_TEXT;
  if (v === null || typeof v !== 'object' || v instanceof JsonNumber) return false;
  return (Array.isArray(v) ? v : Object.values(v as Record<string, JsonValue>)).some(hasLongString);
}

/**
 * An array as stringifyExactJson(rows, indent) writes it, as parts per element: the same text, without
 * first copying every row (a value of tens of MB included) into one string.
 */
export function stringifyExactJsonArrayParts(rows: readonly JsonValue[], indent: string): Part[] {
  if (rows.length === 0) return ['[]'];
  const parts = rows.flatMap((x, i) => [
    (i === 0 ? '[' : ',') + '\n' + indent,
    ...stringifyExactJsonParts(x, indent, 1),
  ]);
  parts.push('\n]');
  return parts;
}

/**
 * The value as JSON.parse(stringifyExactJson(v)) gives it (numbers as JavaScript numbers), built directly:
 * what a JSON Schema validator sees of a row, without a text copy of its long strings.
 */
export function plainJson(v: JsonValue): unknown {
  if (v instanceof JsonNumber) return Number(v.digits);
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plainJson);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, JsonValue>))
    Object.defineProperty(out, k, { value: plainJson(x), enumerable: true, writable: true, configurable: true });
  return out;
}

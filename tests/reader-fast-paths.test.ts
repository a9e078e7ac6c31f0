// The reader's fast paths must agree exactly with its exact paths:
// - long hex bytea through the WebAssembly SIMD decoder (lib/dump/hex-decode.ts) = Node's own hex decoding,
//   and any byte that is not a hex digit is refused with the exact path's message;
// - the WebAssembly module committed is what lib/dump/wasm/build.mjs makes of hex-decode.wat;
// - rows nobody reads (TableResolver.valuesWanted false) are checked, not decoded: for any line, the check
//   throws exactly when decoding would (same code), and counts the same rows;
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import t from 'tap';
import { CHECKED_TEXT, decoderFor } from '../lib/dump/column-decoders.js';
import type { DumpEvent, TableResolver } from '../lib/dump/events.js';
import { MigrateError } from '../lib/errors.js';
import { childEnv } from './helpers/cli.js';
import { copyDump, parseAll, rowsOf } from './helpers/parse.js';

const RUNS = Number(process.env['FC_RUNS'] ?? 3000);
const SEED = process.env['FC_SEED'] !== undefined ? Number(process.env['FC_SEED']) : 20261121;
const bytea = decoderFor('bytea');

t.test('long hex bytea: the SIMD decoder gives what Buffer.from(hex) gives, any length and case', async (t) => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 0, maxLength: 40_000 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 7 }),
      (bytes, upper, pad) => {
        const digits = Buffer.from(bytes).toString('hex');
        // the value sits at an odd offset inside a larger buffer, as it does inside a chunk
        const src = Buffer.from('x'.repeat(pad) + '\\x' + (upper ? digits.toUpperCase() : digits) + '\t');
        const got = bytea.decode(src, pad, src.length - 1) as Buffer;
        t.equal(got.toString('hex'), digits);
        return true;
      },
    ),
    { numRuns: 300, seed: SEED },
  );
  // sizes around the switch to the SIMD routine (256 digits) and its 32-digit steps and 64 kB blocks
  for (const n of [126, 127, 128, 129, 143, 144, 145, 160, 32767, 32768, 32769, 65536 + 17]) {
    const bytes = Buffer.alloc(n, 0).map((_, i) => (i * 131 + 7) & 0xff);
    const src = Buffer.from('\\x' + Buffer.from(bytes).toString('hex'));
    t.ok((bytea.decode(src, 0, src.length) as Buffer).equals(Buffer.from(bytes)), `${n} bytes`);
  }
});

t.test(
  'long hex bytea: a byte that is not a hex digit, anywhere, is refused as the exact path refuses it',
  async (t) => {
    const bytes = Buffer.from(Buffer.alloc(3000).map((_, i) => (i * 37) & 0xff));
    const good = Buffer.from('\\x' + bytes.toString('hex'));
    const spots = [2, 3, 33, 34, 1000, 2047, 4095, good.length - 2, good.length - 1];
    const intruders = [0x2f, 0x3a, 0x40, 0x47, 0x60, 0x67, 0x00, 0x80, 0xb0, 0xc1, 0xff];
    for (const at of spots) {
      for (const b of intruders) {
        const bad = Buffer.from(good);
        bad[at] = b;
        let err: unknown = null;
        try {
          bytea.decode(bad, 0, bad.length);
        } catch (e) {
          err = e;
        }
        if (
          !(err instanceof MigrateError) ||
          err.code !== 'VALUE_BYTEA' ||
          !/invalid hexadecimal digit/.test(err.reason)
        ) {
          t.fail(`byte 0x${b.toString(16)} at ${at}: ${String(err)}`);
          return;
        }
      }
    }
    t.pass(`${spots.length * intruders.length} corruptions refused`);
    // whitespace between pairs is accepted by byteain; the exact path takes it
    const spaced = Buffer.from('\\x' + bytes.toString('hex').replace(/(.{64})/g, '$1 \n'));
    t.ok((bytea.decode(spaced, 0, spaced.length) as Buffer).equals(bytes), 'whitespace between pairs');
    // an odd number of digits
    const odd = Buffer.from(good.subarray(0, good.length - 1));
    t.match(
      String(
        (() => {
          try {
            bytea.decode(odd, 0, odd.length);
          } catch (e) {
            return (e as MigrateError).reason;
          }
          return '';
        })(),
      ),
      /odd number of digits/,
    );
  },
);

t.test('the committed WebAssembly module is what hex-decode.wat compiles to', async (t) => {
  execFileSync(process.execPath, ['lib/dump/wasm/build.mjs', '--check'], { stdio: 'pipe', env: childEnv() });
  t.pass('lib/dump/wasm/build.mjs --check');
});

// ---- rows nobody reads -------------------------------------------------------------------------------

const decodeAll: TableResolver = {
  columnsOf: () => undefined,
  decodersOf: (_t, cols) => cols.map(() => decoderFor('text')),
};
const checkOnly: TableResolver = {
  columnsOf: () => undefined,
  decodersOf: (_t, cols) => cols.map(() => CHECKED_TEXT),
  valuesWanted: () => false,
};

function outcome(events: () => DumpEvent[]): { code: string } | { rows: number; rowEvents: number } {
  try {
    const ev = events();
    const end = ev.find((e) => e.kind === 'data-end');
    return { rows: end?.kind === 'data-end' ? end.rows : -1, rowEvents: ev.filter((e) => e.kind === 'row').length };
  } catch (e) {
    if (e instanceof MigrateError)
      return { code: `${e.code} line ${e.position.line ?? '?'} column ${e.position.column ?? '?'}` };
    throw e;
  }
}

// Bytes that matter to COPY text: tabs, backslashes and what follows them, high and invalid UTF-8, NUL.
// Mostly well-formed lines of three fields (so that both the fast check and the counting are exercised),
// now and then a wrong field count or a byte or escape that must be refused.
const u = (...s: string[]): Buffer[] => s.map((x) => Buffer.from(x, 'utf8'));
const piece = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(...u('a', 'bc', ' ', 'N', '.', '0', '7', '8', 'x', 'f', 'G', 'é', '🙂')) },
  // escapes that always decode to valid text, and a backslash before a raw tab (the tab is data)
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      ...u(
        String.raw`\\`,
        String.raw`\t`,
        String.raw`\n`,
        String.raw`\N`,
        String.raw`\101`,
        String.raw`\x41`,
        String.raw`\x`,
        String.raw`\r`,
        String.raw`\q`,
        '\\\t',
      ),
    ),
  },
  // trouble: a stray end marker, escapes making a NUL or invalid UTF-8, a lone backslash, raw NUL/CR,
  // invalid or cut UTF-8, a raw tab (one field too many)
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...u(String.raw`\.`, String.raw`\0`, String.raw`\377`, String.raw`\xff`, '\\', '\u0000', '\r', '\t'),
      Buffer.from([0xff]),
      Buffer.from([0xc3]),
      Buffer.from([0xe6, 0x97]),
    ),
  },
);
const field = fc.array(piece, { maxLength: 6 }).map((a) => Buffer.concat(a));
const TAB = Buffer.from('\t');
const line = fc
  .oneof({ weight: 10, arbitrary: fc.constant(3) }, { weight: 1, arbitrary: fc.constantFrom(1, 2, 4) })
  .chain((n) =>
    fc
      .array(field, { minLength: n, maxLength: n })
      .map((f) => Buffer.concat(f.flatMap((x, i) => (i === 0 ? [x] : [TAB, x])))),
  );

/** A COPY block of table `other` (a, b, c) holding these lines, after 600 bytes of comment (so that a NUL
 * in the data is reported at its line, not taken for a binary file). */
function otherDump(lines: readonly Buffer[]): Buffer {
  const head =
    '-- ' +
    'pg_dump plain-text padding. '.repeat(24) +
    "\nSET client_encoding = 'UTF8';\nCOPY public.other (a, b, c) FROM stdin;\n";
  return Buffer.concat([Buffer.from(head), ...lines.flatMap((l) => [l, Buffer.from('\n')]), Buffer.from('\\.\n\n')]);
}

t.test('rows nobody reads: checked exactly as decoding would check them, without values', async (t) => {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), fc.boolean(), (lines, long) => {
      // `long`: one line over the short-line limit, which takes the exact path in both modes
      const dump = otherDump(long ? [...lines, Buffer.from('y'.repeat(300) + '\tz\tw')] : lines);
      const decoded = outcome(() => parseAll(dump, { tables: decodeAll, chunk: 37 }));
      const checked = outcome(() => parseAll(dump, { tables: checkOnly, chunk: 37 }));
      const kind = 'code' in decoded ? decoded.code.split(' ')[0]! : 'read';
      seen.set(kind, (seen.get(kind) ?? 0) + 1);
      if ('code' in decoded) t.same(checked, decoded);
      else t.same(checked, { rows: decoded.rows, rowEvents: 0 });
      return true;
    }),
    { numRuns: RUNS, seed: SEED + 5 },
  );
  // the cases cover both outcomes and the errors that matter
  for (const k of ['read', 'COPY_MISSING_DATA', 'COPY_EXTRA_DATA', 'ENCODING_INVALID', 'COPY_END_MARKER_CORRUPT'])
    t.ok((seen.get(k) ?? 0) >= RUNS / 100, `${k}: ${seen.get(k) ?? 0} cases`);
  // and the data is really checked: a missing column, an invalid escape result, a corrupt end marker
  for (const [bad, code] of [
    ['a\tb', 'COPY_MISSING_DATA'],
    ['a\tb\tc\td', 'COPY_EXTRA_DATA'],
    ['a\t\\377\tc', 'ENCODING_INVALID'],
    ['a\t\\0\tc', 'ENCODING_INVALID'],
    ['a\tb\\.c\tc', 'COPY_END_MARKER_CORRUPT'],
  ] as const) {
    const o = outcome(() => parseAll(copyDump('other', ['a', 'b', 'c'], ['x\ty\tz', bad]), { tables: checkOnly }));
    t.match(o, { code: new RegExp(`^${code} line 6`) }, bad);
  }
  t.same(rowsOf(parseAll(copyDump('other', ['a', 'b', 'c'], ['x\ty\tz']), { tables: checkOnly })), [], 'no row events');
});

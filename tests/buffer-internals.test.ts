// lib/dump/column-decoders.ts decodes text with Buffer's own range decoders, utf8Slice and latin1Slice: Node has
// them on every Buffer, but does not document them (no view object per field; see the comment there). If a
// Node release drops or changes them, this fails first, before any reader test does in a puzzling way.
import t from 'tap';
import { decodeText, decodeValidText, latin1 } from '../lib/dump/column-decoders.js';

t.test("Buffer's undocumented utf8Slice and latin1Slice are there and decode ranges as toString does", async (t) => {
  const b = Buffer.from('xx café 日本 🙂 \u0000\u00ff yy', 'utf8');
  const proto = Buffer.prototype as unknown as Record<string, unknown>;
  t.equal(typeof proto['utf8Slice'], 'function', 'utf8Slice');
  t.equal(typeof proto['latin1Slice'], 'function', 'latin1Slice');
  for (const [start, end] of [
    [0, b.length],
    [3, 9],
    [2, 2],
    [8, 20],
  ] as const) {
    t.equal(decodeValidText(b, start, end), b.toString('utf8', start, end), `utf8 ${start}..${end}`);
    t.equal(latin1(b, start, end), b.toString('latin1', start, end), `latin1 ${start}..${end}`);
  }
  t.equal(decodeText(Buffer.from('naïve'), 0, 6), 'naïve');
});

/**
 * `SET client_encoding` support. PostgreSQL converts client input to the server encoding before it parses
 * a COPY line or a statement, so we do the same: a line or statement in LATIN1 or WIN1252 that holds any
 * non-ASCII byte is transcoded to UTF-8 first, and everything after that reads UTF-8.
 */
import { isAscii } from 'node:buffer';
import { MigrateError } from '../errors.js';

export type ClientEncoding = 'UTF8' | 'LATIN1' | 'WIN1252';

/** PostgreSQL's encoding-name matching: case and punctuation are ignored; aliases accepted. */
export function parseClientEncoding(name: string): ClientEncoding {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  switch (key) {
    case 'utf8':
    case 'unicode':
      return 'UTF8';
    case 'latin1':
    case 'iso88591':
      return 'LATIN1';
    case 'win1252':
    case 'windows1252':
      return 'WIN1252';
    default:
      throw new MigrateError(
        'ENCODING_UNSUPPORTED',
        `client_encoding ${JSON.stringify(name)} is not supported (supported: UTF8, LATIN1, WIN1252); re-export with pg_dump --encoding=UTF8`,
      );
  }
}

/**
 * WIN1252's 0x80..0x9F (the rest is Latin-1). Written out because Node 20's TextDecoder('windows-1252')
 * decodes as plain Latin-1. The five bytes WIN1252 leaves undefined are refused, as PostgreSQL does.
 */
const WIN1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const WIN1252_UNDEFINED = [0x81, 0x8d, 0x8f, 0x90, 0x9d];

function decodeWin1252(part: Buffer): string {
  const latin1 = part.toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => WIN1252_HIGH[c.charCodeAt(0) - 0x80]!);
}

/**
 * The bytes src[start, end) as UTF-8: the same range when already UTF-8 or plain ASCII (no copy),
 * otherwise a transcoded copy.
 */
export function toUtf8(
  enc: ClientEncoding,
  src: Buffer,
  start: number,
  end: number,
): { src: Buffer; start: number; end: number } {
  if (enc === 'UTF8') return { src, start, end };
  const part = src.subarray(start, end);
  if (isAscii(part)) return { src, start, end };
  let text: string;
  if (enc === 'LATIN1') text = part.toString('latin1');
  else {
    for (const b of WIN1252_UNDEFINED) {
      if (part.indexOf(b) !== -1) {
        throw new MigrateError(
          'ENCODING_INVALID',
          `character with byte sequence 0x${b.toString(16)} in encoding "WIN1252" has no equivalent in encoding "UTF8"`,
        );
      }
    }
    text = decodeWin1252(part);
  }
  const out = Buffer.from(text, 'utf8');
  return { src: out, start: 0, end: out.length };
}

// The WebAssembly hex decoder against the plain path (Node's Buffer.from(text, 'hex')): CPU time of 100 decodes of a 1
// MB
// value, 9 interleaved rounds, medians (docs/performance.md, "The WebAssembly hex decoder"). `node --import tsx
// bench/hex-decode-ab.ts`
import { decodeByteaHexDigits } from '../lib/dump/column-decoders.js';
// 1 MB values (an image's size in the bench), 100 of them: 200 MB of hex digits
const N = 1 << 20;
const bytes = Buffer.alloc(N);
for (let i = 0; i < N; i++) bytes[i] = (i * 2654435761) >>> 24;
const hex = Buffer.from(bytes.toString('hex'), 'latin1');
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const runs: Record<string, number[]> = { wasm: [], plain: [] };
const ways: Record<string, () => Buffer> = {
  wasm: () => decodeByteaHexDigits(hex, 0, hex.length),
  plain: () => Buffer.from(hex.toString('latin1'), 'hex'),
};
if (!ways['wasm']!().equals(bytes) || !ways['plain']!().equals(bytes)) throw new Error('not equal');
for (let round = 0; round < 9; round++)
  for (const w of round % 2 ? ['wasm', 'plain'] : ['plain', 'wasm']) {
    const t0 = cpu();
    for (let k = 0; k < 100; k++) ways[w]!();
    runs[w]!.push(cpu() - t0);
  }
const med = (a: number[]): number => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (const w of Object.keys(runs))
  console.log(
    w,
    'median CPU ms per 100 MB decoded',
    med(runs[w]!).toFixed(0),
    'runs',
    runs[w]!.map((x) => x.toFixed(0)).join(' '),
  );

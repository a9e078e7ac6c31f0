/**
 * Long hex bytea values decoded by a small WebAssembly SIMD routine (wasm/hex-decode.wat): 32 digits per
 * step, straight from the dump's buffer, no intermediate string. Measured on 2 MB values: 4.6 GB/s of digits
 * end to end (copies in and out included), against 0.8 GB/s for the JavaScript table loop and 2.3 GB/s for
 * Node's native decoder through a latin1 string (whose 4 MB strings also cost GC time and memory).
 */
import { HEX_DECODE_WASM } from './wasm/hex-decode-wasm.js';

interface HexDecodeExports {
  readonly memory: WebAssembly.Memory;
  decode(src: number, n: number, dst: number): number;
}

/** Digits copied into the module's memory per call: its first 64 kB page; the bytes come out in the second. */
const BLOCK = 65536;

let instance: { readonly exports: HexDecodeExports; readonly memory: Uint8Array } | null | undefined;

function hexDecoder(): typeof instance {
  if (instance !== undefined) return instance;
  try {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(HEX_DECODE_WASM, 'base64')))
      .exports as unknown as HexDecodeExports;
    instance = { exports, memory: new Uint8Array(exports.memory.buffer) };
  } catch {
    // a runtime without WebAssembly SIMD: the caller's JavaScript path does the work
    instance = null;
  }
  return instance;
}

/**
 * Decodes the hex digits src[start, start + n) into out[at, at + n/2), where n is a multiple of 32.
 * Returns false (with out partly written) when some byte is not a hex digit, or when WebAssembly is not
 * available; the caller then decides, exactly, on its own.
 */
export function decodeHexBlocks(src: Uint8Array, start: number, n: number, out: Uint8Array, at: number): boolean {
  const w = hexDecoder();
  if (w === null || w === undefined) return false;
  const { exports, memory } = w;
  for (let i = start, o = at, end = start + n; i < end;) {
    const len = Math.min(BLOCK, end - i);
    memory.set(src.subarray(i, i + len), 0);
    if (exports.decode(0, len, BLOCK) !== 1) return false;
    out.set(memory.subarray(BLOCK, BLOCK + (len >> 1)), o);
    i += len;
    o += len >> 1;
  }
  return true;
}

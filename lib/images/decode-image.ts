/**
 * Whether an image's bytes decode, in full, with a real image decoder: libvips through sharp (JPEG by
 * libjpeg-turbo, PNG by libpng, GIF, WebP by libwebp, SVG by librsvg). The magic numbers content-type.ts reads
 * say only what the file claims to be; a JPEG header followed by garbage passes them and shows a broken image
 * in every browser. Every pixel of every frame is decoded, and only the last line of each frame is kept: the
 * decoder reads line by line (sharp's default sequential read), in order, so it decodes every line before the
 * last one to reach it, but no raw picture of it all is made (a progressive JPEG or an interlaced PNG is still
 * buffered whole inside its decoder, as it must be). Keeping the whole raw picture (toBuffer() of it all)
 * cost a third more CPU, most of it the kernel mapping pages for buffers of up to 9 MB; stats(), which reads the
 * pixels without keeping them, cost 3-5× (its statistics are work). The last-line verdicts were the same as the
 * whole decode's on 1,240 truncated, bit-flipped and garbled images (docs/performance.md;
 * tests/image-content.test.ts keeps that comparison). Decoder errors and a truncated image fail; a decoder
 * warning does not (failOn 'error': libpng warns of benign things such as a known-incorrect sRGB profile, which
 * browsers show without complaint).
 */
import type { ImageKind } from './content-type.js';

type Sharp = typeof import('sharp').default;
let loaded: Promise<Sharp> | null = null;

/** sharp (and libvips with it) is loaded on the first image, not at every command's start-up. */
function sharpModule(): Promise<Sharp> {
  loaded ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false); // each image is decoded once: a cache would only hold memory
    return sharp;
  });
  return loaded;
}

/** null when the bytes decode in full as `kind`; else the decoder's reason, one line. */
export async function decodeFailure(data: Buffer, kind: ImageKind): Promise<string | null> {
  const sharp = await sharpModule();
  try {
    const image = sharp(data, {
      failOn: 'error',
      pages: kind === 'gif' || kind === 'webp' ? -1 : 1,
      limitInputPixels: MAX_PIXELS,
    });
    const meta = await image.metadata();
    if (meta.format !== FORMAT[kind])
      return `the decoder reads it as ${meta.format ?? 'nothing it knows'}, not ${kind.toUpperCase()}`;
    // an animated image (pages -1) is cut frame by frame: the last line of each frame, every frame decoded
    const lastLine = (meta.pageHeight ?? meta.height) - 1;
    await image.extract({ left: 0, top: lastLine, width: meta.width, height: 1 }).raw().toBuffer();
    return null;
  } catch (e) {
    return oneLine((e as Error).message);
  }
}

/** libvips's name of the format each kind must decode as. */
const FORMAT: Readonly<Record<ImageKind, string>> = { jpg: 'jpeg', png: 'png', gif: 'gif', webp: 'webp', svg: 'svg' };

/** 100 megapixels: far above any photo or icon; a larger image is refused rather than decoded into gigabytes. */
const MAX_PIXELS = 100_000_000;

/** The decoder's message: its first line, without libvips's repeats, at most 200 characters. */
function oneLine(message: string): string {
  const first =
    message
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '')[0] ?? 'the decoder failed';
  return first.length > 200 ? `${first.slice(0, 199)}…` : first;
}

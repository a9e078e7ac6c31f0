/**
 * What the image stage knows of an image: who references it (from the transform's plan) and what its bytes
 * are (measured by the sink as they stream). The types live here, with the stage that measures images, so
 * that images/ never imports transform/ (transform/images.ts plans with them).
 */
import type { ImageKind } from './content-type.js';
import type { Bucket } from './object-path.js';

export interface ImageRef {
  readonly buckets: ReadonlySet<Bucket>;
  /** `tls_coach#1.image_id`, sorted. */
  readonly referencedBy: readonly string[];
}

/** What the sink measured of one referenced image. */
export interface ImageFacts {
  readonly id: number;
  readonly extension: string | null;
  /** null: the data column is NULL. */
  readonly size: number | null;
  readonly sha256: string | null;
  readonly kind: ImageKind | null;
  /** Set when the bytes do not decode in full (decode-image.ts): the decoder's reason. */
  readonly undecodable?: string;
  /** An SVG's active content (svg-active.ts), and whether the bytes measured are the sanitized rewrite. */
  readonly svgActive?: {
    readonly kinds: readonly string[];
    readonly examples: readonly string[];
    readonly sanitized: boolean;
  };
}

/** What the sink counted of the images it was given. */
export interface ImageCounts {
  referencedSeen: number;
  unreferenced: number;
  unreferencedBytes: number;
  filesWritten: number;
  bytesWritten: number;
  /** Of filesWritten: the same bytes were in the previous output, linked instead of written again. */
  filesLinked: number;
}

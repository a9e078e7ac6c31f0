/** RFC 9562 UUIDv5 (SHA-1, name as UTF-8): the same name always gives the same id. */
import { createHash } from 'node:crypto';

export const ID_NAMESPACE = '38fc2188-b3a4-49cf-b6c7-ecddb37bfe47';

export function uuidV5(name: string, namespace: string = ID_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`bad UUID namespace: ${namespace}`);
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50; // version 5
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 9562 variant
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

export const coachId = (legacyId: number): string => uuidV5(`coach:${legacyId}`);
export const categoryId = (legacyId: number): string => uuidV5(`category:${legacyId}`);

/**
 * tls_coach → coaches (docs/mapping.md; the contract is the project's shared mapping spec, "tls_coach → coaches"). Pure: records in, rows and
 * findings out. Image URLs come from the image plan (images.ts), which asks lib/images/object-path.ts.
 */
import type { Finding } from '../findings.js';
import type { CoachRecord } from '../legacy/records.js';
import type { CoachRow } from './target-rows.js';
import { coachId } from './uuid-v5.js';
import { rowTimestamptz } from './timestamps.js';
import { isBlank, pgTrim } from './blank.js';

export type Sex = NonNullable<CoachRow['sex']>;

const SEX_WORDS: Readonly<Record<string, Sex>> = {
  m: 'male', male: 'male', man: 'male',
  f: 'female', female: 'female', woman: 'female',
  n: 'non_binary', nb: 'non_binary', 'non-binary': 'non_binary', non_binary: 'non_binary', nonbinary: 'non_binary', 'non binary': 'non_binary',
  o: 'other', other: 'other', x: 'other',
};

export function mapSex(raw: string | null, subject: string, findings: Finding[]): Sex | null {
  if (raw === null) return null;
  const key = pgTrim(raw).toLowerCase();
  if (key === '') return null;
  const sex = SEX_WORDS[key];
  if (sex !== undefined) return sex;
  findings.push({ severity: 'warning', code: 'coach.sex.unknown', subject, message: `sex ${JSON.stringify(raw)} is not a known value: migrated as "other"` });
  return 'other';
}

const YEAR_RULES: readonly { re: RegExp; kind: 'year' | 'age' }[] = [
  { re: /\bborn\b\D{0,20}?\b(1[89]\d\d|20\d\d)\b/i, kind: 'year' },
  { re: /\bbirth\s*year\b\D{0,5}?\b(1[89]\d\d|20\d\d)\b/i, kind: 'year' },
  { re: /\baged?\b\s*[:=]?\s*(\d{1,3})\b/i, kind: 'age' },
  { re: /\b(\d{1,3})[\s-]*(?:years?|yrs?)[\s-]*old\b/i, kind: 'age' },
];

/** The year of time_create's own calendar date (the text is read as written: no time zone shift). */
function referenceYear(timeCreate: string | null): number | null {
  if (timeCreate === null) return null;
  const m = /^(\d{4,})-/.exec(timeCreate);
  if (m === null || / BC$/.test(timeCreate)) return null;
  return Number(m[1]);
}

/**
 * year_of_birth from the intro: the first rule that yields a valid value wins. The reference year is the
 * coach's own time_create year, never today's date, so the result never changes with the calendar.
 */
export function yearOfBirth(intro: string | null, timeCreate: string | null, subject: string, findings: Finding[]): number | null {
  const ref = referenceYear(timeCreate);
  let ageWithoutReference = false;
  if (intro !== null) {
    for (const rule of YEAR_RULES) {
      const m = rule.re.exec(intro);
      if (m === null) continue;
      const n = Number(m[1]);
      if (rule.kind === 'year') {
        if (ref === null ? n >= 1900 : n >= 1900 && n <= ref) return n;
      } else if (n >= 16 && n <= 100) {
        if (ref !== null) return ref - n;
        ageWithoutReference = true;
      }
    }
  }
  if (ageWithoutReference) {
    findings.push({ severity: 'warning', code: 'coach.year_of_birth.no_reference', subject, message: 'the intro gives an age but time_create is NULL, so there is no reference year: year_of_birth is NULL' });
  } else {
    findings.push({ severity: 'info', code: 'coach.year_of_birth.not_found', subject, message: 'no birth year or age found in the intro: year_of_birth is NULL' });
  }
  return null;
}

const SEX_SUFFIX: Readonly<Record<Sex | 'null', string>> = { male: 'm', female: 'f', non_binary: 'nb', other: 'x', null: 'x' };

/** NFKD, combining marks dropped, lower-case, runs outside [a-z0-9] → `_`, `_` trimmed at both ends. */
export function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function voiceId(name: string, sex: Sex | null, legacyId: number): string {
  const s = slug(name);
  return `${s === '' ? `coach_${legacyId}` : s}_${SEX_SUFFIX[sex ?? 'null']}`;
}

export interface CoachImageUrls {
  /** The public URL of a tls_image id referenced by a coach, or null (with a finding made elsewhere). */
  urlFor(imageId: number | null): string | null;
}

export function mapCoaches(records: readonly CoachRecord[], images: CoachImageUrls, sourceZone: string): { rows: CoachRow[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const rows: CoachRow[] = [];
  for (const r of [...records].sort((a, b) => a.id - b.id)) {
    const subject = `tls_coach#${r.id}`;
    if (isBlank(r.name)) {
      findings.push({ severity: 'error', code: 'coach.name.missing', subject, message: `the coach has ${r.name === null ? 'a NULL' : 'a blank'} name; coaches.name is required` });
    }
    const name = r.name ?? '';
    const sex = mapSex(r.sex, subject, findings);
    const created = rowTimestamptz(r.time_create, sourceZone, subject, 'time_create', findings);
    rows.push({
      id: coachId(r.id),
      legacy_id: r.id,
      name,
      description: r.description,
      intro: r.intro,
      prompt: r.prompt,
      sex,
      year_of_birth: yearOfBirth(r.intro, r.time_create, subject, findings),
      photo_url: images.urlFor(r.image_id),
      photo_30_url: images.urlFor(r.image30_id),
      photo_45_url: images.urlFor(r.image45_id),
      photo_60_url: images.urlFor(r.image60_id),
      voice_id: voiceId(name, sex, r.id),
      voice_settings: {},
      is_active: true,
      created_at: created,
      updated_at: created,
    });
  }
  return { rows, findings };
}

/**
 * tls_coach → coaches (docs/mapping.md, "tls_coach → coaches"). Pure: records in, rows and
 * findings out. Image URLs come from the image plan (images.ts), which asks lib/images/object-path.ts.
 */
import type { Finding } from '../findings.js';
import type { CoachRecord } from '../legacy/records.js';
import type { CoachRow } from './target-rows.js';
import { coachId } from './uuid-v5.js';
import { rowTimestamptz } from './timestamps.js';
import { isBlank, pgTrim } from './blank.js';
import { slug } from './slug.js';

export { slug };

export type Sex = NonNullable<CoachRow['sex']>;

const SEX_WORDS: Readonly<Record<string, Sex>> = {
  m: 'male',
  male: 'male',
  man: 'male',
  f: 'female',
  female: 'female',
  woman: 'female',
  n: 'non_binary',
  nb: 'non_binary',
  'non-binary': 'non_binary',
  non_binary: 'non_binary',
  nonbinary: 'non_binary',
  'non binary': 'non_binary',
  o: 'other',
  other: 'other',
  x: 'other',
};

export function mapSex(raw: string | null, subject: string, findings: Finding[]): Sex | null {
  if (raw === null) return null;
  const key = pgTrim(raw).toLowerCase();
  if (key === '') return null;
  const sex = SEX_WORDS[key];
  if (sex !== undefined) return sex;
  findings.push({
    severity: 'warning',
    code: 'coach.sex.unknown',
    subject,
    message: `sex ${JSON.stringify(raw)} is not a known value: migrated as "other"`,
  });
  return 'other';
}

/**
 * The rules that find a year of birth in an intro, in order. They are ASCII rules, written out so that no
 * runtime's Unicode tables change what they match: they run on the intro with only A-Z lowered (so no `i`
 * flag), a word character is `[a-z0-9_]` (the lookarounds stand for `\b`), a digit `[0-9]`, a space one of
 * ` \t\n\v\f\r`; the `u` flag makes every count a count of code points. docs/mapping.md quotes them.
 */
const YEAR_RULES: readonly { re: RegExp; kind: 'year' | 'age' }[] = [
  // born 1992, born in 1899, Born: 12/03/1990, born on the 4th of July, 1976, b. 1969, Year of birth: 1992, birth year
  // 1992
  {
    re: /(?<![a-z0-9_])(?:(?:born|birth[ \t\n\v\f\r]*year|(?:year|date)[ \t\n\v\f\r]+of[ \t\n\v\f\r]+birth)(?![a-z0-9_])|b\.)[^\n]{0,30}?(?<![a-z0-9_])([0-9]{4})(?![a-z0-9_])/u,
    kind: 'year',
  },
  // aged 30, age: 30, age=30
  { re: /(?<![a-z0-9_])aged?(?![a-z0-9_])[ \t\n\v\f\r]*[:=]?[ \t\n\v\f\r]*([0-9]{1,3})(?![a-z0-9_])/u, kind: 'age' },
  // 30 years old, 30-year-old, 30 yrs old
  { re: /(?<![a-z0-9_])([0-9]{1,3})[ \t\n\v\f\r-]*(?:years?|yrs?)[ \t\n\v\f\r-]*old(?![a-z0-9_])/u, kind: 'age' },
];

/** Ages taken: a year of birth is taken when it makes the coach this old in the reference year. */
const MIN_AGE = 16;
const MAX_AGE = 100;
/** No year of birth before this one is taken, whatever the reference year. */
const FIRST_YEAR = 1900;

/** The reference year: time_create's own calendar year as written (no zone shift), 1 BC = 0, or why there is none. */
type Reference = { readonly year: number; readonly label: string } | { readonly year: null; readonly why: string };

function referenceYear(timeCreate: string | null): Reference {
  if (timeCreate === null) return { year: null, why: 'time_create is NULL' };
  const m = /^(\d{4,})-.*?( BC)?$/.exec(timeCreate);
  if (m === null) return { year: null, why: `time_create is ${timeCreate}` }; // infinity, -infinity
  return m[2] === undefined
    ? { year: Number(m[1]), label: m[1]!.replace(/^0+(?=\d)/, '') }
    : { year: 1 - Number(m[1]), label: `${Number(m[1])} BC` };
}

const yearText = (y: number): string => (y > 0 ? String(y) : `${1 - y} BC`);

/**
 * year_of_birth from the intro: the first rule whose first match yields a valid value wins. One rule decides
 * validity: the year is 1900 or later and, when there is a reference year, makes the coach 16 to 100 years old
 * in it. The reference year is the coach's own time_create year, never today's date, so the result never
 * changes with the calendar. A value found and rejected is said, with why.
 */
export function yearOfBirth(
  intro: string | null,
  timeCreate: string | null,
  subject: string,
  findings: Finding[],
): number | null {
  const ref = referenceYear(timeCreate);
  const rejected: string[] = [];
  let ageWithoutReference: string | null = null;
  if (intro !== null) {
    const lowered = intro.replace(/[A-Z]+/g, (s) => s.toLowerCase());
    for (const rule of YEAR_RULES) {
      const m = rule.re.exec(lowered);
      if (m === null) continue;
      const found = JSON.stringify(intro.slice(m.index, m.index + Math.min(m[0].length, 60)));
      const n = Number(m[1]);
      if (rule.kind === 'age') {
        if (n < MIN_AGE || n > MAX_AGE) rejected.push(`${found}: age ${n} is outside ${MIN_AGE} to ${MAX_AGE}`);
        else if (ref.year === null) ageWithoutReference ??= found;
        else if (ref.year - n < FIRST_YEAR)
          rejected.push(
            `${found}: age ${n} in ${ref.label}, the year of time_create, is a birth in ${yearText(ref.year - n)}, before ${FIRST_YEAR}`,
          );
        else return ref.year - n;
      } else if (n < FIRST_YEAR) rejected.push(`${found}: ${n} is before ${FIRST_YEAR}`);
      else if (ref.year === null) return n;
      else if (ref.year - n < MIN_AGE || ref.year - n > MAX_AGE)
        rejected.push(
          `${found}: ${n} is age ${ref.year - n} in ${ref.label}, the year of time_create (ages ${MIN_AGE} to ${MAX_AGE} are taken)`,
        );
      else return n;
    }
  }
  if (rejected.length > 0) {
    findings.push({
      severity: 'warning',
      code: 'coach.year_of_birth.rejected',
      subject,
      message: `the intro gives ${rejected.join('; ')}: year_of_birth is NULL`,
    });
  }
  if (ageWithoutReference !== null) {
    findings.push({
      severity: 'warning',
      code: 'coach.year_of_birth.no_reference',
      subject,
      message: `the intro gives an age (${ageWithoutReference}) but ${ref.year === null ? ref.why : ''}, so there is no reference year: year_of_birth is NULL`,
    });
  } else if (rejected.length === 0) {
    findings.push({
      severity: 'info',
      code: 'coach.year_of_birth.not_found',
      subject,
      message: 'no birth year or age found in the intro: year_of_birth is NULL',
    });
  }
  return null;
}

const SEX_SUFFIX: Readonly<Record<Sex | 'null', string>> = {
  male: 'm',
  female: 'f',
  non_binary: 'nb',
  other: 'x',
  null: 'x',
};

export function voiceId(name: string, sex: Sex | null, legacyId: number): string {
  const s = slug(name);
  return `${s === '' ? `coach_${legacyId}` : s}_${SEX_SUFFIX[sex ?? 'null']}`;
}

export interface CoachImageUrls {
  /** The public URL of a tls_image id referenced by a coach, or null (with a finding made elsewhere). */
  urlFor(imageId: number | null): string | null;
}

export function mapCoaches(
  records: readonly CoachRecord[],
  images: CoachImageUrls,
  sourceZone: string,
): { rows: CoachRow[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const rows: CoachRow[] = [];
  for (const r of [...records].sort((a, b) => a.id - b.id)) {
    const subject = `tls_coach#${r.id}`;
    if (isBlank(r.name)) {
      findings.push({
        severity: 'error',
        code: 'coach.name.missing',
        subject,
        message: `the coach has ${r.name === null ? 'a NULL' : 'a blank'} name; coaches.name is required`,
      });
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
  voiceIdCollisions(rows, findings);
  return { rows, findings };
}

/** Coaches whose names fold to one voice_id ("Daniel" and "Dániel"): a voice service keyed by it cannot tell them apart. */
function voiceIdCollisions(rows: readonly CoachRow[], findings: Finding[]): void {
  const byVoice = new Map<string, CoachRow[]>();
  for (const r of rows) byVoice.set(r.voice_id, [...(byVoice.get(r.voice_id) ?? []), r]);
  for (const [voice, list] of byVoice) {
    if (list.length < 2) continue;
    const who = list.map((r) => `tls_coach#${r.legacy_id} (${JSON.stringify(r.name)})`).join(', ');
    findings.push({
      severity: 'warning',
      code: 'coach.voice_id.duplicate',
      subject: `tls_coach#${list[0]!.legacy_id}`,
      message: `${list.length} coaches get the voice_id ${JSON.stringify(voice)}: ${who}; kept as it is`,
    });
  }
}

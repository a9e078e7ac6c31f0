/**
 * Legacy `timestamp without time zone` text, read in the source time zone, as a timestamptz literal with
 * an explicit offset. Every digit of the fraction is kept (the text is re-used, not parsed into a float).
 * Local times that a DST change makes ambiguous or impossible are resolved as PostgreSQL resolves them
 * (tests check this against a real server).
 */
import { MigrateError } from '../errors.js';
import type { Finding } from '../findings.js';

const TS_RE = /^(\d{4,})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?( BC)?$/;

/** UTC and its alias need no time-zone data: their offset is always +00:00. */
export const isUtc = (zone: string): boolean => zone === 'UTC' || zone === 'Etc/UTC';

/** Checks that a zone name is one the runtime knows (IANA names, and UTC). */
export function checkTimeZone(zone: string): void {
  // the default needs no check, and a first Intl.DateTimeFormat loads ICU's zone data: measured alone, ~10 ms
  // more than the collator that sorts the findings loads anyway
  if (isUtc(zone)) return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new MigrateError(
      'OPTION_INVALID',
      `--source-timezone ${JSON.stringify(zone)} is not a time zone name (use an IANA name such as UTC or Europe/Lisbon)`,
    );
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Date.UTC for every year: Date.UTC reads the years 0 to 99 as 1900 to 1999 (so 0050-06-15 became 1950, and
 * its offset 1900 years wide); setUTCFullYear takes the year as given, and year 0 is 1 BC (astronomical).
 */
function utcMillis(year: number, month0: number, day: number, h: number, mi: number, s: number): number {
  const d = new Date(Date.UTC(2000, 0, 1, h, mi, s));
  d.setUTCFullYear(year, month0, day);
  return d.getTime();
}

/** The zone's offset from UTC, in seconds, at the instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
  const parts = Object.fromEntries(
    formatter(zone)
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  let year = Number(parts['year']);
  if (parts['era'] === 'BC' || parts['era'] === 'B') year = 1 - year;
  const local = utcMillis(
    year,
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  const wholeSeconds = Math.floor(utcMs / 1000) * 1000;
  return Math.round((local - wholeSeconds) / 1000);
}

function formatOffset(seconds: number): string {
  const sign = seconds < 0 ? '-' : '+';
  const a = Math.abs(seconds);
  const h = String(Math.floor(a / 3600)).padStart(2, '0');
  const m = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
  const s = a % 60;
  return `${sign}${h}:${m}${s !== 0 ? ':' + String(s).padStart(2, '0') : ''}`;
}

/** A wall time whose instant timestamptz cannot hold (what rowTimestamptz makes a finding of). */
class OutOfRange extends MigrateError {
  constructor(reason: string) {
    super('VALUE_TIMESTAMP', reason);
  }
}

/**
 * `2023-03-14 09:26:53.589793` in `zone` → `2023-03-14 09:26:53.589793+00:00` (the same wall-clock text
 * with the offset that applies there). `infinity` and `-infinity` stay as they are.
 */
export function toTimestamptz(text: string, zone: string): string {
  if (text === 'infinity' || text === '-infinity') return text;
  const m = TS_RE.exec(text);
  if (m === null) throw new MigrateError('VALUE_TIMESTAMP', `not a timestamp: ${JSON.stringify(text)}`);
  if (isUtc(zone)) return `${text.replace(/ BC$/, '')}+00:00${m[8] ?? ''}`;
  let year = Number(m[1]);
  if (m[8] !== undefined) year = 1 - year;
  // PostgreSQL's timestamps run to the year 294276, JavaScript's dates to 275760. Far-future offsets come
  // from the zone's last rule, which repeats every year, and the Gregorian calendar repeats every 400 years:
  // so the offset of a year beyond is that of the same date 400·k years earlier.
  const shift = year > FAR_FUTURE ? Math.ceil((year - FAR_FUTURE) / 400) * 400 : 0;
  const wallMs = utcMillis(year - shift, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  // PostgreSQL's rule: take the offset in force just before the wall time read as UTC... then re-check.
  // Try the offsets in force a day either side; prefer the one a wall clock actually shows, and among
  // two that both do (a fall-back hour) the later one's standard (larger west) offset, as PostgreSQL does.
  const before = offsetAt(zone, wallMs - 86_400_000);
  const after = offsetAt(zone, wallMs + 86_400_000);
  const candidates = [...new Set([before, after])];
  const valid = candidates.filter((o) => offsetAt(zone, wallMs - o * 1000) === o);
  let offset: number;
  if (valid.length === 1) offset = valid[0]!;
  else if (valid.length > 1)
    offset = Math.min(...valid); // ambiguous: the later instant (standard time)
  else offset = before; // in a gap: the offset in force before the jump
  // the instant must be one timestamptz holds: from 4714-11-24 00:00:00 BC to 294276-12-31 23:59:59.999999 UTC
  const secondOfDay = Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  const lastDay = year === 294276 && m[2] === '12' && m[3] === '31';
  const firstDay = year === -4713 && m[2] === '11' && m[3] === '24';
  if ((lastDay && secondOfDay - offset >= 86_400) || (firstDay && secondOfDay - offset < 0)) {
    throw new OutOfRange(
      `${text} in ${zone} (UTC${formatOffset(offset)}) is outside the instants PostgreSQL's timestamptz holds`,
    );
  }
  return `${text.replace(/ BC$/, '')}${formatOffset(offset)}${m[8] ?? ''}`;
}

/**
 * Before 1970 the tz database keeps zone histories in its "backzone" file, which builds differ on: ICU (Node)
 * and PostgreSQL's own copy disagree there for some zones (Europe/Amsterdam is a link to Brussels in one, has
 * its own local mean time +00:19:32 in the other). From 1970 on the histories are the same everywhere.
 */
function beforeZoneHistoriesAgree(text: string): boolean {
  if (text === 'infinity' || text === '-infinity') return false; // no offset applies to them
  return / BC$/.test(text) || Number(text.slice(0, text.indexOf('-'))) < 1970;
}

/** Years from here on take their offsets from 400·k years earlier (see toTimestamptz). */
const FAR_FUTURE = 200_000;

/**
 * toTimestamptz for a row's column (NULL stays NULL): a timestamp no timestamptz holds is an `error` finding
 * naming the row (the run is blocked, nothing written), not a failure of migration.sql at apply time.
 */
export function rowTimestamptz(
  text: string | null,
  zone: string,
  subject: string,
  column: string,
  findings: Finding[],
): string | null {
  if (text === null) return null;
  // the app shows created_at as a date: infinity and BC years are none it can show, though timestamptz holds them
  if (text === 'infinity' || text === '-infinity') {
    findings.push({
      severity: 'warning',
      code: 'timestamp.infinite',
      subject,
      message: `${column} is ${text}: migrated as it is, but no date the app can show`,
    });
  } else if (text.endsWith(' BC')) {
    findings.push({
      severity: 'warning',
      code: 'timestamp.bc',
      subject,
      message: `${column} ${text} is before the Common Era: migrated as it is, but no date the app can show`,
    });
  }
  try {
    const converted = toTimestamptz(text, zone);
    if (!isUtc(zone) && beforeZoneHistoriesAgree(text)) {
      findings.push({
        severity: 'warning',
        code: 'timestamp.before_1970',
        subject,
        message: `${column} ${text} in ${zone} became ${converted}: before 1970 the tz data of Node's ICU and of PostgreSQL can disagree (Europe/Amsterdam: up to 40 minutes before 1940, an hour in 1940-1946); check it on the target: SELECT timestamp '${text}' AT TIME ZONE '${zone}'`,
      });
    }
    return converted;
  } catch (e) {
    if (!(e instanceof OutOfRange)) throw e;
    findings.push({ severity: 'error', code: 'timestamp.out_of_range', subject, message: `${column}: ${e.reason}` });
    return null;
  }
}

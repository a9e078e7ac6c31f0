/**
 * tls_prompt, tls_variable, tls_system → app_config (docs/mapping.md; the contract is the project's shared mapping
 * spec), plus the default_coach key.
 * Pure: records in, rows and findings out.
 */
import type { Finding } from '../findings.js';
import type { PromptRecord, SystemRecord, VariableRecord } from '../legacy/records.js';
import { parseExactJson } from './exact-json.js';
import { jsonbRefusal } from './jsonb.js';
import type { AppConfigRow, CoachRow, JsonValue } from './target-rows.js';
import { JsonNumber } from './target-rows.js';
import { rowTimestamptz } from './timestamps.js';
import { jsonTrim, pgTrim } from './blank.js';

type Source = 'prompt' | 'variable' | 'system';
const TABLE: Readonly<Record<Source, string>> = {
  prompt: 'tls_prompt',
  variable: 'tls_variable',
  system: 'tls_system',
};
const LABEL: Readonly<Record<Source, string>> = { prompt: 'Prompt', variable: 'Variable', system: 'System' };
export const KEY_PREFIXES: Readonly<Record<Source, string>> = {
  prompt: 'prompt_',
  variable: 'var_',
  system: 'system_',
};

export interface Candidate {
  readonly source: Source;
  readonly legacyId: number;
  readonly timeCreate: string | null;
  readonly row: AppConfigRow;
}

/**
 * Variables and system values: a JSON number, true, false, an object or an array (the trimmed text) is
 * that JSON value, numbers with their exact digits; anything else is the exact text as a JSON string.
 */
export function configValue(text: string): JsonValue {
  const parsed = parseExactJson(jsonTrim(text));
  if (parsed === undefined || parsed === null || typeof parsed === 'string') return text;
  return parsed;
}

function candidate(
  source: Source,
  id: number,
  name: string | null,
  text: string | null,
  isPublic: boolean,
  timeCreate: string | null,
  zone: string,
  findings: Finding[],
): Candidate | null {
  const subject = `${TABLE[source]}#${id}`;
  // an empty name is no name either: the key would be the bare prefix (`var_`), which names nothing
  if (name === null || name === '') {
    findings.push({
      severity: 'warning',
      code: 'config.name.missing',
      subject,
      message: `the name is ${name === null ? 'NULL' : 'empty'}, so there is no key: the row is skipped`,
    });
    return null;
  }
  const key = KEY_PREFIXES[source] + name;
  if (!/^[A-Za-z0-9_.-]*$/.test(key)) {
    findings.push({
      severity: 'warning',
      code: 'config.key.characters',
      subject,
      message: `the key ${JSON.stringify(key)} has characters outside [A-Za-z0-9_.-]; kept as it is`,
    });
  }
  let value: JsonValue;
  if (text === null) {
    findings.push({
      severity: 'warning',
      code: 'config.value.null',
      subject,
      message: `the ${source === 'prompt' ? 'prompt' : 'value'} is NULL: stored as JSON null`,
    });
    value = null;
  } else if (source === 'prompt') value = text;
  else {
    value = configValue(text);
    const refusal = jsonbRefusal(value);
    if (refusal !== null) {
      findings.push({
        severity: 'warning',
        code: 'config.value.jsonb',
        subject,
        message: `the value is JSON that PostgreSQL's jsonb refuses (${refusal}): stored as the exact text, a JSON string`,
      });
      value = text;
    }
  }
  const created = rowTimestamptz(timeCreate, zone, subject, 'time_create', findings);
  return {
    source,
    legacyId: id,
    timeCreate,
    row: {
      key,
      value,
      description: `${LABEL[source]}: ${name}`,
      is_public: isPublic,
      created_at: created,
      updated_at: created,
    },
  };
}

/**
 * The order in which rows with the same key compete, the winner first: one total order, so the winner never
 * depends on the order of the rows in the dump. time_create newest first (`infinity` the newest, `-infinity`
 * the oldest, as PostgreSQL orders them), a NULL time_create after every time; then the highest legacy id (ids
 * are unique within a table, and a key's rows all come from one table: its prefix names it).
 */
export function byPrecedence(a: Candidate, b: Candidate): number {
  if (a.timeCreate !== b.timeCreate) {
    if (a.timeCreate === null) return 1;
    if (b.timeCreate === null) return -1;
    const newer = compareTimestampText(b.timeCreate, a.timeCreate);
    if (newer !== 0) return newer;
  }
  return b.legacyId - a.legacyId;
}

/** A timestamp text's place in time: `-infinity` < every BC year < every AD year < `infinity`. */
function timeKey(s: string): readonly [number, number, string] {
  if (s === 'infinity') return [1, 0, ''];
  if (s === '-infinity') return [-1, 0, ''];
  const m = /^(\d+)(-\d\d-\d\d \d\d:\d\d:\d\d)(?:\.(\d*))?( BC)?$/.exec(s);
  if (m === null) return [0, 0, s]; // not reached: rowTimestamptz refuses such a text first
  // 1 BC is the year 0 (astronomical); the fraction without its trailing zeros, so .5 and .50 are one instant
  const year = m[4] === undefined ? Number(m[1]) : 1 - Number(m[1]);
  return [0, year, `${m[2]!}.${(m[3] ?? '').replace(/0+$/, '')}`];
}

/** Orders ISO timestamp texts as PostgreSQL orders the timestamps (years of any length, BC before AD, ±infinity). */
export function compareTimestampText(a: string, b: string): number {
  const [ka, ya, ra] = timeKey(a);
  const [kb, yb, rb] = timeKey(b);
  return ka - kb || ya - yb || (ra < rb ? -1 : ra > rb ? 1 : 0);
}

export interface DefaultCoachChoice {
  /** `--default-coach`: a name or a legacy id; undefined means the coach named Daniel. */
  readonly option?: string;
}

export function chooseDefaultCoach(
  coaches: readonly CoachRow[],
  choice: DefaultCoachChoice,
  findings: Finding[],
): CoachRow | null {
  const opt = choice.option;
  let matches: CoachRow[];
  let wanted: string;
  // legacy ids may be negative (they are integers): `-5` is a legacy id too
  if (opt !== undefined && /^\s*-?\d+\s*$/.test(opt)) {
    const id = Number(opt);
    matches = coaches.filter((c) => c.legacy_id === id);
    wanted = `legacy id ${id}`;
  } else {
    const name = pgTrim(opt ?? 'Daniel').toLowerCase();
    matches = coaches.filter((c) => pgTrim(c.name).toLowerCase() === name);
    wanted = `named ${JSON.stringify(opt ?? 'Daniel')}`;
  }
  matches.sort((a, b) => a.legacy_id - b.legacy_id);
  if (matches.length === 0) {
    findings.push({
      severity: 'error',
      code: 'config.default_coach.missing',
      subject: 'app_config:default_coach',
      message: `no migrated coach ${wanted}: choose one with --default-coach NAME|LEGACY_ID`,
    });
    return null;
  }
  if (matches.length > 1) {
    findings.push({
      severity: 'warning',
      code: 'config.default_coach.several',
      subject: 'app_config:default_coach',
      message: `${matches.length} coaches are ${wanted} (${matches.map((c) => `tls_coach#${c.legacy_id}`).join(', ')}): the lowest legacy id is the default`,
    });
  }
  return matches[0]!;
}

export interface AppConfigInput {
  readonly prompts: readonly PromptRecord[];
  readonly variables: readonly VariableRecord[];
  readonly systems: readonly SystemRecord[];
  readonly coaches: readonly CoachRow[];
  readonly defaultCoach: DefaultCoachChoice;
  readonly sourceZone: string;
}

export function mapAppConfig(input: AppConfigInput): {
  rows: AppConfigRow[];
  findings: Finding[];
  defaultCoach: CoachRow | null;
  origins: Map<string, string>;
} {
  /** Each key's legacy source (`tls_prompt#3`), for the comments a reviewer reads in migration.sql. */
  const origins = new Map<string, string>();
  const findings: Finding[] = [];
  const z = input.sourceZone;
  const all: Candidate[] = [];
  const push = (c: Candidate | null): void => void (c !== null && all.push(c));
  for (const r of input.prompts) push(candidate('prompt', r.id, r.name, r.prompt, false, r.time_create, z, findings));
  for (const r of input.variables)
    push(candidate('variable', r.id, r.name, r.value, r.user ?? false, r.time_create, z, findings));
  for (const r of input.systems) push(candidate('system', r.id, r.name, r.value, false, r.time_create, z, findings));

  const byKey = new Map<string, Candidate[]>();
  for (const c of all) byKey.set(c.row.key, [...(byKey.get(c.row.key) ?? []), c]);
  const rows: AppConfigRow[] = [];
  for (const [key, list] of byKey) {
    const winner = [...list].sort(byPrecedence)[0]!;
    rows.push(winner.row);
    origins.set(key, `${TABLE[winner.source]}#${winner.legacyId}`);
    if (list.length > 1) {
      const dropped = list
        .filter((c) => c !== winner)
        .map((c) => `${TABLE[c.source]}#${c.legacyId}`)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      findings.push({
        severity: 'warning',
        code: 'config.key.duplicate',
        subject: `${TABLE[winner.source]}#${winner.legacyId}`,
        message: `the key ${JSON.stringify(key)} appears ${list.length} times: this row wins (newest time_create, NULL last, then highest id); dropped: ${dropped.join(', ')}`,
      });
    }
  }

  const coach = chooseDefaultCoach(input.coaches, input.defaultCoach, findings);
  if (coach !== null) {
    rows.push({
      key: 'default_coach',
      value: { default_coach_id: coach.id, legacy_id: new JsonNumber(String(coach.legacy_id)), name: coach.name },
      description: 'Default coach for new users',
      is_public: false,
      created_at: null,
      updated_at: null,
    });
  }
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows, findings, defaultCoach: coach, origins };
}

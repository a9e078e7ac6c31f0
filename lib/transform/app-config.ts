/**
 * tls_prompt, tls_variable, tls_system → app_config (docs/mapping.md; the contract is the project's shared mapping spec), plus the default_coach key.
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
const TABLE: Readonly<Record<Source, string>> = { prompt: 'tls_prompt', variable: 'tls_variable', system: 'tls_system' };
const LABEL: Readonly<Record<Source, string>> = { prompt: 'Prompt', variable: 'Variable', system: 'System' };
export const KEY_PREFIXES: Readonly<Record<Source, string>> = { prompt: 'prompt_', variable: 'var_', system: 'system_' };

interface Candidate {
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

function candidate(source: Source, id: number, name: string | null, text: string | null, isPublic: boolean, timeCreate: string | null, zone: string, findings: Finding[]): Candidate | null {
  const subject = `${TABLE[source]}#${id}`;
  if (name === null) {
    findings.push({ severity: 'warning', code: 'config.name.missing', subject, message: 'the name is NULL, so there is no key: the row is skipped' });
    return null;
  }
  const key = KEY_PREFIXES[source] + name;
  if (!/^[A-Za-z0-9_.-]*$/.test(key)) {
    findings.push({ severity: 'warning', code: 'config.key.characters', subject, message: `the key ${JSON.stringify(key)} has characters outside [A-Za-z0-9_.-]; kept as it is` });
  }
  let value: JsonValue;
  if (text === null) {
    findings.push({ severity: 'warning', code: 'config.value.null', subject, message: `the ${source === 'prompt' ? 'prompt' : 'value'} is NULL: stored as JSON null` });
    value = null;
  } else if (source === 'prompt') value = text;
  else {
    value = configValue(text);
    const refusal = jsonbRefusal(value);
    if (refusal !== null) {
      findings.push({ severity: 'warning', code: 'config.value.jsonb', subject, message: `the value is JSON that PostgreSQL's jsonb refuses (${refusal}): stored as the exact text, a JSON string` });
      value = text;
    }
  }
  const created = rowTimestamptz(timeCreate, zone, subject, 'time_create', findings);
  return { source, legacyId: id, timeCreate, row: { key, value, description: `${LABEL[source]}: ${name}`, is_public: isPublic, created_at: created, updated_at: created } };
}

/** Which of two rows with the same key wins: the newest time_create; ties and NULLs, the highest id. */
function newer(a: Candidate, b: Candidate): Candidate {
  if (a.timeCreate !== null && b.timeCreate !== null && a.timeCreate !== b.timeCreate) {
    return compareTimestampText(a.timeCreate, b.timeCreate) > 0 ? a : b;
  }
  return a.legacyId > b.legacyId ? a : b;
}

/** Orders ISO timestamp texts (years of any length, BC before AD). */
export function compareTimestampText(a: string, b: string): number {
  const key = (s: string): [number, string] => {
    const bc = s.endsWith(' BC');
    const m = /^(\d+)(.*?)( BC)?$/.exec(s)!;
    const year = Number(m[1]) * (bc ? -1 : 1);
    return [year, m[2]!];
  };
  const [ya, ra] = key(a);
  const [yb, rb] = key(b);
  return ya - yb || (ra < rb ? -1 : ra > rb ? 1 : 0);
}

export interface DefaultCoachChoice {
  /** `--default-coach`: a name or a legacy id; undefined means the coach named Daniel. */
  readonly option?: string;
}

export function chooseDefaultCoach(coaches: readonly CoachRow[], choice: DefaultCoachChoice, findings: Finding[]): CoachRow | null {
  const opt = choice.option;
  let matches: CoachRow[];
  let wanted: string;
  if (opt !== undefined && /^\s*\d+\s*$/.test(opt)) {
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
    findings.push({ severity: 'error', code: 'config.default_coach.missing', subject: 'app_config:default_coach', message: `no migrated coach ${wanted}: choose one with --default-coach NAME|LEGACY_ID` });
    return null;
  }
  if (matches.length > 1) {
    findings.push({ severity: 'warning', code: 'config.default_coach.several', subject: 'app_config:default_coach', message: `${matches.length} coaches are ${wanted} (${matches.map((c) => `tls_coach#${c.legacy_id}`).join(', ')}): the lowest legacy id is the default` });
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

export function mapAppConfig(input: AppConfigInput): { rows: AppConfigRow[]; findings: Finding[]; defaultCoach: CoachRow | null; origins: Map<string, string> } {
  /** Each key's legacy source (`tls_prompt#3`), for the comments a reviewer reads in migration.sql. */
  const origins = new Map<string, string>();
  const findings: Finding[] = [];
  const z = input.sourceZone;
  const all: Candidate[] = [];
  const push = (c: Candidate | null): void => void (c !== null && all.push(c));
  for (const r of input.prompts) push(candidate('prompt', r.id, r.name, r.prompt, false, r.time_create, z, findings));
  for (const r of input.variables) push(candidate('variable', r.id, r.name, r.value, r.user ?? false, r.time_create, z, findings));
  for (const r of input.systems) push(candidate('system', r.id, r.name, r.value, false, r.time_create, z, findings));

  const byKey = new Map<string, Candidate[]>();
  for (const c of all) byKey.set(c.row.key, [...(byKey.get(c.row.key) ?? []), c]);
  const rows: AppConfigRow[] = [];
  for (const [key, list] of byKey) {
    const winner = list.reduce(newer);
    rows.push(winner.row);
    origins.set(key, `${TABLE[winner.source]}#${winner.legacyId}`);
    if (list.length > 1) {
      const dropped = list.filter((c) => c !== winner).map((c) => `${TABLE[c.source]}#${c.legacyId}`).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      findings.push({ severity: 'warning', code: 'config.key.duplicate', subject: `${TABLE[winner.source]}#${winner.legacyId}`, message: `the key ${JSON.stringify(key)} appears ${list.length} times: this row wins (newest time_create, then highest id); dropped: ${dropped.join(', ')}` });
    }
  }

  const coach = chooseDefaultCoach(input.coaches, input.defaultCoach, findings);
  if (coach !== null) {
    if (byKey.has('default_coach')) findings.push({ severity: 'error', code: 'config.key.reserved', subject: 'app_config:default_coach', message: 'a legacy row produced the key "default_coach", which the migration writes itself' });
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

/**
 * Credentials in app_config (docs/mapping.md, "Secrets"). out/ is reviewed as a diff in a pull request, so a
 * value that looks like a credential must not be in any file meant for review. Pure: which rows hold one (by
 * the key's name, or by the value: a known key prefix, high entropy), those rows with the value replaced by a
 * reference (its salted sha256), and the real values for out/secrets.sql, which git ignores.
 */
import { createHash } from 'node:crypto';
import type { Finding } from '../findings.js';
import { KEY_PREFIXES } from './app-config.js';
import type { AppConfigRow, JsonValue } from './target-rows.js';

export interface Secret {
  readonly key: string;
  readonly value: string;
  /** sha256 of the key and value (secretHash): what the reviewable files hold in its place. */
  readonly sha256: string;
}

/**
 * The hash that stands for a secret: sha256 of `<key>\n<value>` (UTF-8), salted by the key so that a table of
 * hashes of common passwords does not give it away (a weak password can still be guessed: change those).
 * verify.sql computes the same in PostgreSQL: sha256(convert_to(key || E'\n' || (value #>> '{}'), 'UTF8')).
 */
export function secretHash(key: string, value: string): string {
  return createHash('sha256').update(`${key}\n${value}`, 'utf8').digest('hex');
}

/** A secret's placeholder; its source is a POSIX regex too (app-edits.ts matches it in SQL). */
export const PLACEHOLDER = /^\[secret: set by secrets\.sql; sha256 ([0-9a-f]{64})\]$/;

/** What the reviewable files hold for a secret's value (a JSON string). */
export function secretPlaceholder(hash: string): string {
  return `[secret: set by secrets.sql; sha256 ${hash}]`;
}

/** The hash a value written as a placeholder stands for; null when it is not one. */
export function placeholderHash(value: JsonValue | undefined): string | null {
  return typeof value === 'string' ? (PLACEHOLDER.exec(value)?.[1] ?? null) : null;
}

/** Words in a key's name that say it holds a credential. */
const SECRET_WORDS = new Set([
  'key',
  'apikey',
  'secret',
  'token',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'credential',
  'credentials',
  'jwt',
  'dsn',
]);
/** Parts of a word that do, inside a longer word (smtppassword, clientsecret, accesstoken). */
const SECRET_PARTS = /password|passwd|secret|apikey|accesskey|privatekey|(access|auth|refresh|bearer|api)token$/;

/** Why the key's name says credential, or null. Prompts are text for the model, judged by value only. */
function byName(key: string): string | null {
  if (key.startsWith(KEY_PREFIXES.prompt)) return null;
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .slice(1); // the prefix (var_, system_)
  const word = words.find((w) => SECRET_WORDS.has(w) || SECRET_PARTS.test(w));
  return word === undefined ? null : `its name ("${word}")`;
}

/** Known shapes of credentials, each named without the value. */
const KNOWN: readonly [RegExp, string][] = [
  [/^(sk|rk)[-_](live|test|proj|ant)[-_]/, 'a secret API key prefix (sk-live-, sk_test_, …)'],
  [/^sk-[A-Za-z0-9_-]{20,}$/, 'a secret API key prefix (sk-)'],
  [/^(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}$|^github_pat_/, 'a GitHub token prefix'],
  [/^xox[abprs]-/, 'a Slack token prefix'],
  [/^(AKIA|ASIA)[0-9A-Z]{16}$/, 'an AWS access key id'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'a Google API key'],
  [/^SG\.[\w-]{16,}\.[\w-]{16,}$/, 'a SendGrid key'],
  [/^whsec_/, 'a webhook signing secret'],
  [/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/, 'a JSON Web Token'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password'],
];

/** Bits per character of the value's own character distribution. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Why the value looks like a credential, or null. */
function byValue(value: string): string | null {
  const v = value.trim();
  for (const [shape, what] of KNOWN) if (shape.test(v)) return `its value (${what})`;
  // one long token of random-looking characters: not a sentence, not a URL, not a UUID or a number
  if (
    /\s/.test(v) ||
    /^[a-z][a-z0-9+.-]*:\/\//i.test(v) ||
    /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(v) ||
    !/[0-9]/.test(v) ||
    !/[a-z]/i.test(v)
  )
    return null;
  if (/^[0-9a-f]+$/i.test(v) ? v.length >= 32 && entropy(v) >= 3 : v.length >= 20 && entropy(v) >= 4)
    return 'its value (a long random-looking token: high entropy)';
  return null;
}

export interface SecretsFound {
  /** The rows, each secret's value replaced by its placeholder. */
  readonly rows: AppConfigRow[];
  readonly secrets: Secret[];
  readonly findings: Finding[];
}

/** The app_config rows whose value looks like a credential, found, named in a warning and taken out. */
export function takeOutSecrets(rows: readonly AppConfigRow[], origins?: ReadonlyMap<string, string>): SecretsFound {
  const secrets: Secret[] = [];
  const findings: Finding[] = [];
  const out = rows.map((row) => {
    if (typeof row.value !== 'string' || row.value.trim() === '') return row;
    const why = byName(row.key) ?? byValue(row.value);
    if (why === null) return row;
    const sha256 = secretHash(row.key, row.value);
    secrets.push({ key: row.key, value: row.value, sha256 });
    const exposed = row.is_public
      ? '; and it is public (is_public): the anon key reads it once secrets.sql is applied'
      : '';
    findings.push({
      severity: 'warning',
      code: 'config.value.secret',
      subject: origins?.get(row.key) ?? row.key,
      message: `app_config ${row.key} looks like a credential by ${why}: its value is kept out of every file for review (migration.sql, verify.sql, data/, report.md and review.html hold its sha256); out/secrets.sql, which git ignores, sets it${exposed}`,
    });
    return { ...row, value: secretPlaceholder(sha256) };
  });
  secrets.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { rows: out, secrets, findings };
}

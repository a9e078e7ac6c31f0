/**
 * The secrets' SQL (lib/transform/secrets.ts finds them). secrets.sql sets each secret's real value after
 * migration.sql wrote its placeholder; it is the one file of out/ that holds them, and out/.gitignore keeps it
 * out of git. verify.sql checks each secret by its salted sha256, never by value.
 */
import { header, type RunDescription } from './header.js';
import { quoteString } from './literals.js';
import { lines, type TextParts } from '../text-parts.js';
import { PLACEHOLDER, placeholderHash, type Secret } from '../transform/secrets.js';
import type { AppConfigRow } from '../transform/target-rows.js';

/** What the run writes beside secrets.sql so that git never takes it (out/ is reviewed in a pull request). */
export const SECRETS_GITIGNORE =
  '# written by totalis-migrate: secrets.sql holds credentials; never commit it\nsecrets.sql\n';

/** The value's hash as PostgreSQL computes it (secretHash in lib/transform/secrets.ts). */
export const secretHashSql = (key: string, value: string): string =>
  `encode(sha256(convert_to(${key} || E'\\n' || (${value} #>> '{}'), 'UTF8')), 'hex')`;
const HASH_SQL = (t: string): string => secretHashSql(`${t}.key`, `${t}.value`);

/**
 * SQL: true when `found` (jsonb) is not the secret whose placeholder (a jsonb string) `placeholder` is: compared by
 * the salted hash, so the value is never in the SQL. A placeholder still there (secrets.sql not applied) differs.
 */
export const secretDiffersSql = (key: string, found: string, placeholder: string): string =>
  `(jsonb_typeof(${found}) IS DISTINCT FROM 'string' OR ${secretHashSql(key, found)} IS DISTINCT FROM substring(${placeholder} #>> '{}' from ${quoteString(PLACEHOLDER.source)}))`;

/** A dollar-quote tag that none of the texts holds (a value holding the tag must not end the block early). */
function tagFor(texts: readonly string[]): string {
  let tag = '$secrets$';
  for (let n = 1; texts.some((s) => s.includes(tag)); n++) tag = `$secrets_${n}$`;
  return tag;
}

export function secretsSql(secrets: readonly Secret[], run: RunDescription): TextParts {
  const sets = secrets.map((s) =>
    [
      `  UPDATE public.app_config SET value = to_jsonb(${quoteString(s.value)}::text) WHERE key = ${quoteString(s.key)};`,
      `  IF NOT FOUND THEN RAISE EXCEPTION 'secrets: app_config key % is not there: apply migration.sql first', ${quoteString(s.key)}; END IF;`,
    ].join('\n'),
  );
  const tag = tagFor(sets);
  return lines([
    header('secrets', run, [
      'HOLDS CREDENTIALS. Never commit it, paste it or attach it to a review: out/.gitignore keeps it out of git.',
      'Apply right after migration.sql (which writes a placeholder for each of these values), before verify.sql:',
      '  psql -v ON_ERROR_STOP=1 -f secrets.sql   (one transaction; safe to run again)',
      `Sets ${secrets.length} app_config values: ${secrets.map((s) => s.key).join(', ')}.`,
    ]),
    'BEGIN;',
    'SET LOCAL standard_conforming_strings = on;',
    `DO ${tag}`,
    'BEGIN',
    ...sets,
    'END',
    `${tag};`,
    'COMMIT;',
    '',
  ]);
}

/**
 * The app_config rows verify.sql compares by value (the others) and a check of the secrets, by hash: each
 * secret's row there, its value the one secrets.sql set (a placeholder still there means secrets.sql was not
 * applied), and its other columns as written. The check goes inside verify.sql's DO block.
 */
export function splitSecretRows(rows: readonly AppConfigRow[]): { plain: AppConfigRow[]; check: string } {
  const plain: AppConfigRow[] = [];
  const secret: { row: AppConfigRow; hash: string }[] = [];
  for (const row of rows) {
    const hash = placeholderHash(row.value);
    if (hash === null) plain.push(row);
    else secret.push({ row, hash });
  }
  if (secret.length === 0) return { plain, check: '' };
  const values = secret
    .map(
      ({ row, hash }) =>
        `(${quoteString(row.key)}, ${quoteString(hash)}, ${row.is_public ? 'true' : 'false'}, ${quoteString(row.description)})`,
    )
    .join(',\n      ');
  return {
    plain,
    check: `
  -- app_config: the secrets, by their salted sha256 (their values are only in secrets.sql)
  SELECT string_agg(format('%s (%s)', v.key, CASE WHEN t.key IS NULL THEN 'missing' WHEN jsonb_typeof(t.value) <> 'string' OR ${HASH_SQL('t')} <> v.hash THEN CASE WHEN t.value #>> '{}' LIKE '[secret: set by secrets.sql;%' THEN 'still the placeholder: apply secrets.sql' ELSE 'a value other than the one secrets.sql sets' END ELSE 'is_public or description differ' END), '; ' ORDER BY v.key)
    INTO v_bad
    FROM (VALUES
      ${values}
    ) AS v(key, hash, is_public, description)
    LEFT JOIN public.app_config t ON t.key = v.key
   WHERE t.key IS NULL OR jsonb_typeof(t.value) <> 'string' OR ${HASH_SQL('t')} <> v.hash OR t.is_public IS DISTINCT FROM v.is_public OR t.description IS DISTINCT FROM v.description;
  IF v_bad IS NOT NULL THEN
    RAISE EXCEPTION 'verify: app_config secrets differ: %', v_bad;
  END IF;
`,
  };
}

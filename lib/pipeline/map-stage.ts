/**
 * Stage 2 of a transform, map → gate: the records become the target's rows (pure functions in lib/transform/),
 * bound to a real target's shape when there is one, and the run stops here when a finding blocks it.
 */
import { MigrateError } from '../errors.js';
import { countBySeverity, sortFindings, type Finding } from '../findings.js';
import type { LegacyDump } from '../legacy/read-legacy.js';
import type { MigrationRows } from '../sql/rows.js';
import { advanceFindings } from '../sql/target-model/advance.js';
import { bindTarget, type Binding } from '../sql/target-model/bind.js';
import type { TargetDescription } from '../sql/target-model/shape.js';
import { mapAppConfig } from '../transform/app-config.js';
import { mapCategories, type CategoryTreeNode } from '../transform/categories.js';
import { mapCoaches } from '../transform/coaches.js';
import type { ImagePlan } from '../transform/images.js';
import { takeOutSecrets, type Secret } from '../transform/secrets.js';
import { validateTargetRows } from '../transform/validate-target.js';

export interface MapStageOptions {
  readonly sourceTimezone: string;
  readonly breakCycles: boolean;
  readonly defaultCoach?: string;
  readonly adopt: boolean;
  readonly keepRemoved?: boolean;
  readonly overwriteAppEdits?: boolean;
}

export interface Mapped {
  readonly rows: MigrationRows;
  readonly tree: readonly CategoryTreeNode[];
  /** Credentials taken out of the rows (secrets.sql's values). */
  readonly secrets: readonly Secret[];
  /** Every finding of reading, mapping, images and binding, in report order. */
  readonly findings: readonly Finding[];
  /** Bound to a real target: where the rows went, and which of the app's rows were taken over. */
  readonly binding: Binding | null;
}

export function mapDump(
  dump: LegacyDump,
  plan: ImagePlan,
  opts: MapStageOptions,
  target: TargetDescription | null,
): Mapped {
  const zone = opts.sourceTimezone;
  const coaches = mapCoaches(dump.coaches, { urlFor: (id) => plan.urlFor('coach-images', id) }, zone);
  const categories = mapCategories(
    dump.categories,
    { urlFor: (id) => plan.urlFor('category-icons', id) },
    { breakCycles: opts.breakCycles, sourceZone: zone },
  );
  const config = mapAppConfig({
    prompts: dump.prompts,
    variables: dump.variables,
    systems: dump.systems,
    coaches: coaches.rows,
    defaultCoach: opts.defaultCoach !== undefined ? { option: opts.defaultCoach } : {},
    sourceZone: zone,
  });
  // credentials leave the rows here: every reviewable file gets a placeholder, secrets.sql the values
  const secrets = takeOutSecrets(config.rows, config.origins);
  const rows: MigrationRows = {
    coaches: coaches.rows,
    categories: categories.rows,
    tree: categories.tree,
    appConfig: secrets.rows,
    defaultCoach: config.defaultCoach,
    appConfigOrigins: config.origins,
  };
  // a real target: the rows under its own columns, the app's rows taken over, what it would refuse found now
  const binding = target === null ? null : bindTarget(rows, target, { adopt: opts.adopt });
  const findings = sortFindings([
    ...dump.findings,
    ...coaches.findings,
    ...categories.findings,
    ...config.findings,
    ...secrets.findings,
    ...plan.findings,
    ...(binding?.findings ?? []),
    // what migration.sql would refuse on this target (the app's edits, rows it references), known now
    ...(binding === null
      ? []
      : advanceFindings(binding, {
          keepRemoved: opts.keepRemoved === true,
          overwriteAppEdits: opts.overwriteAppEdits === true,
        })),
  ]);
  return { rows, tree: categories.tree, secrets: secrets.secrets, findings, binding };
}

/** Stops the run when a finding blocks it (an error; a warning too with --strict), then checks the rows against the target's JSON Schemas. */
export function gate(mapped: Mapped, strict: boolean): void {
  const counts = countBySeverity(mapped.findings);
  const blocking = mapped.findings.filter((f) => f.severity === 'error' || (strict && f.severity === 'warning'));
  if (blocking.length > 0) {
    const shown = blocking.slice(0, 20).map((f) => `  ${f.severity} ${f.code} ${f.subject}: ${f.message}`);
    const more = blocking.length > 20 ? [`  … and ${blocking.length - 20} more`] : [];
    throw new MigrateError(
      'FINDINGS_BLOCK',
      `the data has ${counts.error} errors${strict ? ` and ${counts.warning} warnings (--strict)` : ''}; nothing was written:\n${[...shown, ...more].join('\n')}`,
    );
  }
  const { rows } = mapped;
  validateTargetRows('coaches', rows.coaches, (r) => `coach legacy id ${(r as { legacy_id: number }).legacy_id}`);
  validateTargetRows(
    'categories',
    rows.categories,
    (r) => `category legacy id ${(r as { legacy_id: number }).legacy_id}`,
  );
  validateTargetRows('app_config', rows.appConfig, (r) => `app_config key ${(r as { key: string }).key}`);
}

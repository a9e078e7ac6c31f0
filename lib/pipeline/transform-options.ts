/**
 * A transform's options as every stage reads them: each default applied once, here (csv-parse's
 * normalize_options is the model), so that no stage decides a default of its own.
 */
import type { MapStageOptions } from './map-stage.js';
import type { ReadStageOptions } from './read-stage.js';
import type { RenderOptions } from './render-output.js';
import type { TargetOptions } from './target.js';

export interface TransformOptions {
  readonly dump: readonly string[];
  readonly out: string;
  readonly supabaseUrl?: string;
  readonly sourceTimezone: string;
  readonly strict: boolean;
  readonly breakCycles: boolean;
  /** Rows of earlier runs whose legacy source is gone stay in the target (each a warning) instead of being removed. */
  readonly keepRemoved?: boolean;
  /** Rows the app changed or deleted since the last run are overwritten by migration.sql (each a NOTICE) instead of refused. */
  readonly overwriteAppEdits?: boolean;
  readonly defaultCoach?: string;
  /** An SVG with active content is rewritten by the sanitizer (a warning) instead of refused (an error). */
  readonly sanitizeSvg?: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborting stops the run within a chunk's parse: the partial output is removed, the previous out/ kept. */
  readonly signal?: AbortSignal;
  /** Hears what the user should know that is not an error (a stale lock taken over, an output put back). */
  readonly onNote?: (message: string) => void;
  /** The real target to write for (issue 31); without it, the fresh project schemas/target.sql makes. */
  readonly target?: TargetOptions;
  /** Take over the app's rows of the same natural key (the default); false: each such row blocks the run. */
  readonly adopt?: boolean;
}

export type NormalizedTransformOptions = ReadStageOptions &
  MapStageOptions &
  RenderOptions & { readonly strict: boolean };

export function normalizeTransformOptions(opts: TransformOptions, supabaseUrl: string): NormalizedTransformOptions {
  return {
    dump: opts.dump,
    supabaseUrl,
    sourceTimezone: opts.sourceTimezone,
    strict: opts.strict,
    breakCycles: opts.breakCycles,
    sanitizeSvg: opts.sanitizeSvg === true,
    keepRemoved: opts.keepRemoved === true,
    overwriteAppEdits: opts.overwriteAppEdits === true,
    adopt: opts.adopt ?? true,
    ...(opts.defaultCoach !== undefined ? { defaultCoach: opts.defaultCoach } : {}),
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
  };
}

/** transform's (and rehearse's) options as the command line parsed them: what `fromTransformArgs` reads. */
export interface TransformArgs {
  readonly dump: readonly string[];
  readonly out: string;
  readonly supabaseUrl?: string | undefined;
  readonly sourceTimezone: string;
  readonly strict: boolean;
  readonly breakCycles: boolean;
  readonly keepRemoved: boolean;
  readonly overwriteAppEdits: boolean;
  readonly defaultCoach?: string | undefined;
  readonly sanitizeSvg: boolean;
  readonly targetDb?: string | undefined;
  readonly targetSchema?: string | undefined;
  readonly targetData?: string | undefined;
  readonly adopt: boolean;
}

/** The transform's options from parsed arguments (shared with rehearse, which takes the same ones). */
export function fromTransformArgs(
  args: TransformArgs,
  env: Readonly<Record<string, string | undefined>>,
): TransformOptions {
  const target = {
    ...(args.targetDb !== undefined ? { db: args.targetDb } : {}),
    ...(args.targetSchema !== undefined ? { schema: args.targetSchema } : {}),
    ...(args.targetData !== undefined ? { data: args.targetData } : {}),
  };
  return {
    dump: args.dump,
    out: args.out,
    ...(args.supabaseUrl !== undefined ? { supabaseUrl: args.supabaseUrl } : {}),
    sourceTimezone: args.sourceTimezone,
    strict: args.strict,
    breakCycles: args.breakCycles,
    keepRemoved: args.keepRemoved,
    overwriteAppEdits: args.overwriteAppEdits,
    ...(args.defaultCoach !== undefined ? { defaultCoach: args.defaultCoach } : {}),
    sanitizeSvg: args.sanitizeSvg,
    env,
    // the real target (issue 31), when one is named; --no-adopt
    ...(Object.keys(target).length > 0 ? { target } : {}),
    ...(!args.adopt ? { adopt: false } : {}),
  };
}

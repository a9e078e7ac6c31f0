/**
 * What reading all the inputs builds up across files: the records, which file gave each legacy table, the
 * schema in force (a schema dump read first replaces the built-in one), and the findings.
 */
import { MigrateError } from '../errors.js';
import type { Finding } from '../findings.js';
import type { InputFileSummary, LegacyDump, OnImage, ReadSoFar } from './legacy-dump.js';
import type { LegacyRecordOf } from './records.js';
import { BUILTIN_SCHEMA, LegacySchema, type LegacyTableName } from './schema.js';

export class LegacyRun {
  // Tables that are not legacy tables are only counted: their rows are checked, not decoded into values.
  schema = new LegacySchema(BUILTIN_SCHEMA, 'check');
  readonly collected: { [T in LegacyTableName]: LegacyRecordOf[T][] } = {
    tls_image: [],
    tls_coach: [],
    tls_category: [],
    tls_prompt: [],
    tls_variable: [],
    tls_system: [],
  };
  /** Which file each legacy table's data came from. */
  readonly sources: Partial<Record<LegacyTableName, string>> = {};
  /** Which schema dump defines each legacy table (the last one read decides). */
  readonly defined: Partial<Record<LegacyTableName, string>> = {};
  readonly findings: Finding[] = [];
  imageCount = 0;
  largestRowBytes = 0;
  readonly imageIds = new Set<number>();
  readonly complete = new Set<LegacyTableName>();
  readonly soFar: ReadSoFar = {
    complete: this.complete,
    coaches: this.collected.tls_coach,
    categories: this.collected.tls_category,
  };
  // tables that are not ours: each checked where its data begins against the schema dumps' CREATE TABLEs
  readonly declared = new Set<string>();
  readonly schemaFiles = new Set<string>();

  constructor(readonly onImage: OnImage | undefined) {}

  /** A legacy table's data is given once among all the inputs: a second time is an error, not a merge. */
  claim(legacy: LegacyTableName, file: string, line: number): void {
    const prior = this.sources[legacy];
    if (prior !== undefined) {
      const where = prior === file ? `twice in ${file}` : `in both ${prior} and ${file}`;
      throw new MigrateError('TABLE_DUPLICATE', `the data of ${legacy} is ${where}: give each table once`, {
        file,
        line,
        table: legacy,
      });
    }
    this.sources[legacy] = file;
  }

  result(summaries: readonly InputFileSummary[]): LegacyDump {
    const c = this.collected;
    return {
      files: [...summaries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      coaches: c.tls_coach,
      categories: c.tls_category,
      prompts: c.tls_prompt,
      variables: c.tls_variable,
      systems: c.tls_system,
      images: c.tls_image,
      imageCount: this.imageCount,
      largestRowBytes: this.largestRowBytes,
      imageIds: this.imageIds,
      sources: this.sources,
      defined: this.defined,
      findings: this.findings,
    };
  }
}

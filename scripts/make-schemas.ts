// Writes what the table model (lib/transform/model/tables.ts) generates into the committed files: the head of
// schemas/target.sql (its tables; the access block and the ledger after it are hand-written and kept) and
// schemas/target/*.schema.json. Run by `make schemas` (which then runs `make validators`);
// tests/table-model.test.ts fails when the committed files are not what this writes.
// Usage: node --import tsx scripts/make-schemas.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HAND_WRITTEN_START, tablesDdl } from '../lib/transform/model/ddl.js';
import { rowSchemaFiles } from '../lib/transform/model/json-schema.js';

const schemas = join(import.meta.dirname, '..', 'schemas');
const targetSql = join(schemas, 'target.sql');
const text = readFileSync(targetSql, 'utf8');
const at = text.indexOf(HAND_WRITTEN_START);
if (at < 0)
  throw new Error(
    `schemas/target.sql has no line "${HAND_WRITTEN_START}": where its hand-written part starts is unknown`,
  );
writeFileSync(targetSql, tablesDdl() + text.slice(at));
for (const f of rowSchemaFiles()) writeFileSync(join(schemas, f.path), f.text);

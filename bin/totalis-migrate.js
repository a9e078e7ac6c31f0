#!/usr/bin/env -S node --expose-gc
// The installed command. --expose-gc lets it collect garbage after a value of many MB (lib/collect-garbage.ts);
// `node bin/totalis-migrate.js` without it runs the same, with a higher peak of memory. The TypeScript in lib/ is
// compiled to dist/ by `npm run build` (run by `prepare`, so `npm ci` builds it).
//
// SIGINT and SIGTERM are handled before anything else is loaded (lib/cli/signals.ts, a module without imports):
// the CLI takes most of a second to load, and a signal then killed Node outright. The CLI loads afterwards.
import { installSignalHandlers } from '../dist/cli/signals.js';

installSignalHandlers();
// For tests only (tests/signals.test.ts): stop here, say so on stderr, and wait, so that a test can send a
// signal at this very moment, before the CLI is loaded, without guessing at timing.
if (process.env.TOTALIS_MIGRATE_TEST_PAUSE_AT_START === '1') {
  process.stderr.write('paused at start\n');
  await new Promise((resolve) => setTimeout(resolve, 60_000));
}
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));

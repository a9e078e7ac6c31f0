#!/usr/bin/env node
// The installed command. The TypeScript in lib/ is compiled to dist/ by `npm run build` (run by `prepare`,
// so `npm ci` builds it).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));

#!/usr/bin/env node
// Runs tap, passes its output through, and ends with the plain closing line CI reads
// ("tests: N passed, N failed, N skipped"), taken from tap's own summary. Exits with tap's code.
import { spawn } from 'node:child_process';

const child = spawn('npx', ['tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (b) => {
  process.stdout.write(b);
  tail = (tail + b.toString('utf8')).slice(-4096);
});
child.on('close', (code) => {
  const m = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?(?:, todo: (\d+))? \}/.exec(tail);
  if (m === null) {
    console.log('tests: tap printed no summary');
    process.exit(code === 0 ? 1 : code ?? 1);
  }
  const [, , pass = '0', fail = '0', skip = '0'] = m;
  console.log(`\ntests: ${pass} passed, ${fail} failed, ${skip} skipped`);
  process.exit(code ?? 1);
});

#!/usr/bin/env node
// Runs tap, passes its output through, and ends with the plain closing line CI reads
// ("tests: N passed, N failed, N skipped[, N todo]"), taken from tap's own summary. Exits with tap's code.
import { spawn } from 'node:child_process';

const child = spawn('npx', ['tap', ...process.argv.slice(2)], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (b) => {
  process.stdout.write(b);
  tail = (tail + b.toString('utf8')).slice(-4096);
});
child.on('close', (code) => {
  // tap writes the counts it has in the order total, pass, fail, todo, skip (@tapjs/core counts.js), each only when not
  // 0
  const m = /# \{ (total: \d+(?:, \w+: \d+)*) \}/.exec(tail);
  if (m === null) {
    console.log('tests: tap printed no summary');
    process.exit(code === 0 ? 1 : (code ?? 1));
  }
  const counts = Object.fromEntries(m[1].split(', ').map((kv) => kv.split(': ')));
  const todo = counts.todo !== undefined ? `, ${counts.todo} todo` : '';
  console.log(
    `\ntests: ${counts.pass ?? '0'} passed, ${counts.fail ?? '0'} failed, ${counts.skip ?? '0'} skipped${todo}`,
  );
  process.exit(code ?? 1);
});

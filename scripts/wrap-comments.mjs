#!/usr/bin/env node
// Rewraps comment lines longer than the width prettier keeps code to (it leaves comments as written): a `//`
// line or a ` * ` line of a doc comment is split at spaces, each piece with the same prefix. Lines that are
// tables (`|`), code in comments (``` fences), URLs that cannot be split, or comments after code are left.
// Usage: node scripts/wrap-comments.mjs [--check] FILE...   (make format runs it over lib/, tests/, bench/)
import { readFileSync, writeFileSync } from 'node:fs';

const WIDTH = 120;
const check = process.argv.includes('--check');
const files = process.argv.slice(2).filter((a) => a !== '--check');
let long = 0;

function wrap(prefix, text) {
  const words = text.split(' ');
  const out = [];
  let line = '';
  for (const w of words) {
    const next = line === '' ? w : `${line} ${w}`;
    if (prefix.length + next.length > WIDTH && line !== '') {
      out.push(prefix + line);
      line = w;
    } else line = next;
  }
  if (line !== '') out.push(prefix + line);
  return out;
}

for (const file of files) {
  const src = readFileSync(file, 'utf8');
  const lines = src.split('\n');
  const res = [];
  let fence = false;
  for (const l of lines) {
    const m = /^(\s*(?:\/\/ |\* ))(.*)$/.exec(l);
    if (m !== null && /```/.test(m[2])) fence = !fence;
    if (m === null || l.length <= WIDTH || fence || m[2].includes('|') || !m[2].includes(' ')) {
      res.push(l);
      continue;
    }
    // a list item's continuation lines are indented under its text
    const item = /^((?:[-*]|\d+\.) )/.exec(m[2]);
    const pieces = wrap(m[1], m[2]);
    res.push(
      pieces[0],
      ...pieces.slice(1).map((p) => (item !== null ? m[1] + ' '.repeat(item[1].length) + p.slice(m[1].length) : p)),
    );
    long++;
  }
  const text = res.join('\n');
  if (text !== src) {
    if (check) console.log(`${file}: comment lines over ${WIDTH} columns`);
    else writeFileSync(file, text);
  }
}
if (check && long > 0) process.exit(1);

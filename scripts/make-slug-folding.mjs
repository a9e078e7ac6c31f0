// Writes lib/transform/slug-folding.ts: the voice_id slug's folding table (docs/mapping.md, issue 27 item 7).
// Run once, on purpose, to change the table: `node scripts/make-slug-folding.mjs > lib/transform/slug-folding.ts`.
// Each non-ASCII code point is folded as NFKD, combining marks (\p{M}) dropped, lower case, every run outside
// [a-z0-9] one `_`, as this runtime's Unicode tables say; the table then fixes that answer, so that later
// runtimes (whose Unicode knows more characters) give the same slugs. The committed table was made on
// Node v20.20.2 (ICU 78.2, Unicode 17.0).
const fold = (c) => c.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
const dropped = [];
const folded = [];
for (let cp = 0x80; cp <= 0x10ffff; cp++) {
  if (cp >= 0xd800 && cp <= 0xdfff) continue;
  const f = fold(String.fromCodePoint(cp));
  if (f === '') dropped.push(cp);
  else {
    const s = f.replace(/[^a-z0-9]+/g, '_');
    if (/[a-z0-9]/.test(s)) folded.push([cp, s]);
  }
}
const hex = (n) => n.toString(16);
// runs of consecutive code points: dropped as `from-to`; folded to one character each, consecutive, as `from-to:first`
const ranges = [];
for (const cp of dropped) {
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last[1] === cp - 1) last[1] = cp;
  else ranges.push([cp, cp]);
}
const runs = [];
for (const [cp, s] of folded) {
  const last = runs[runs.length - 1];
  const next =
    last !== undefined &&
    last.value.length === 1 &&
    s.length === 1 &&
    last.to === cp - 1 &&
    s.charCodeAt(0) === last.value.charCodeAt(0) + (cp - last.from);
  if (next) last.to = cp;
  else runs.push({ from: cp, to: cp, value: s });
}
const dropText = ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join(' ');
const foldText = runs
  .map((r) => (r.from === r.to ? `${hex(r.from)}:${r.value}` : `${hex(r.from)}-${hex(r.to)}:${r.value}`))
  .join(' ');
const wrap = (s) =>
  s
    .match(/.{1,110}(?: |$)/g)
    .map((l) => `  '${l}'`)
    .join(' +\n');
process.stdout.write(`/**
 * The voice_id slug's folding table (docs/mapping.md): what each non-ASCII code point becomes in a slug. Made
 * once by scripts/make-slug-folding.mjs (NFKD, combining marks dropped, lower case, as Unicode 17.0 says) and
 * fixed here, so that the slug never depends on the runtime's Unicode or ICU version. Generated: do not edit.
 * DROPPED: code points that fold to nothing (combining marks), as hex \`from-to\` ranges. FOLDED: code points that
 * fold to ASCII letters or digits, as \`cp:text\` or \`from-to:first\` (consecutive code points to consecutive
 * letters). Every other non-ASCII code point is a separator.
 */
export const DROPPED =
${wrap(dropText)};

export const FOLDED =
${wrap(foldText)};
`);

// out/review.html: one static page for reviewers. Checked twice: its content (every coach, category, key and
// input; images only by relative path into out/images/; no script, nothing from the network), and in a real
// headless browser (Debian's chromium; skipped where it is not installed): every image on it loads.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { runTransform } from '../lib/pipeline/transform.js';

const chromium = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0);

async function reviewOf(
  t: Test,
): Promise<{ out: string; html: string; rows: Awaited<ReturnType<typeof runTransform>>['rows'] }> {
  const out = join(t.testdir({}), 'out');
  const r = await runTransform({
    dump: ['samples'],
    out,
    supabaseUrl: 'https://abc.supabase.co',
    sourceTimezone: 'UTC',
    strict: false,
    breakCycles: false,
    env: {},
  });
  return { out, html: readFileSync(join(out, 'review.html'), 'utf8'), rows: r.rows };
}

t.test('review.html shows everything, self-contained, images by relative path', async (t) => {
  const { out, html, rows } = await reviewOf(t);
  const r = { rows };
  const esc = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  for (const c of r.rows.coaches)
    t.ok(html.includes(`${esc(c.name)} <small>tls_coach#${c.legacy_id}`), `coach ${c.legacy_id}`);
  for (const c of r.rows.categories)
    t.ok(html.includes(`<b>${esc(c.name)}</b> <small>tls_category#${c.legacy_id}`), `category ${c.legacy_id}`);
  for (const a of r.rows.appConfig) t.ok(html.includes(`<code>${esc(a.key)}</code>`), `key ${a.key}`);
  t.notMatch(html, /<script|<link|@import|src="https?:/i, 'no script, no stylesheet or image from the network');
  const srcs = [...html.matchAll(/<img [^>]*src="([^"]+)"/g)].map((m) => m[1]!);
  t.equal(srcs.length, 9, "nine images: the coaches' photos and the categories' icons that exist");
  for (const s of srcs)
    t.ok(
      /^images\/(coach-images|category-icons)\/\d+-[0-9a-f]{16}\.(jpg|png|gif|webp|svg)$/.test(s) &&
        existsSync(join(out, s)),
      `${s}: a file of out/images/`,
    );
});

t.test(
  'every image of review.html loads in headless Chromium',
  {
    skip:
      chromium === undefined
        ? 'no chromium on this machine (apt-get install chromium): the page is not rendered'
        : false,
  },
  async (t) => {
    const { out, html } = await reviewOf(t);
    // a copy with a check appended: after load, the title says how many images loaded (the page itself has no script)
    const check = join(out, 'review-check.html');
    writeFileSync(
      check,
      html.replace(
        '</body>',
        `<script>addEventListener('load', () => { const i = [...document.images]; document.title = 'IMAGES ' + i.length + ' LOADED ' + i.filter((x) => x.complete && x.naturalWidth > 0).length; });</script></body>`,
      ),
    );
    const run = spawnSync(
      chromium!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--allow-file-access-from-files',
        '--virtual-time-budget=10000',
        '--dump-dom',
        `file://${check}`,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    t.equal(run.status, 0, run.stderr.slice(-500));
    t.match(run.stdout, /<title>IMAGES 9 LOADED 9<\/title>/, 'all 9 images loaded in a real browser');
  },
);

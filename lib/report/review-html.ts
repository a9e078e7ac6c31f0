/**
 * out/review.html (issue 19): one static, self-contained page for a reviewer who would rather look than read.
 * It shows every coach with its photos and mapped fields, the category tree with its icons, the app_config keys,
 * what changed since the previous output, the findings by severity, and the inputs with their hashes. It needs
 * no network and no script; images are linked by relative path into out/images/. Pure: data in, HTML out.
 */
import type { Finding } from '../findings.js';
import { SEVERITIES } from '../findings.js';
import type { InputFileSummary } from '../legacy/read-legacy.js';
import { tablesRead } from './report.js';
import type { ChangeSummary } from '../transform/changes.js';
import { changeLines } from '../transform/changes.js';
import type { CategoryTreeNode } from '../transform/categories.js';
import type { ManifestEntry } from '../transform/images.js';
import type { AppConfigRow, CategoryRow, CoachRow } from '../transform/target-rows.js';
import { stringifyExactJson } from '../transform/exact-json.js';

export interface ReviewInput {
  readonly toolVersion: string;
  /** A real target (issue 31): where the output is made for, and the app's rows it takes over. */
  readonly target?: {
    readonly source: string;
    readonly adopted: readonly string[];
    /** The app's rows an earlier run adopted that this run hands back (their legacy source is gone). */
    readonly handedBack: readonly string[];
  };
  readonly files: readonly InputFileSummary[];
  readonly coaches: readonly CoachRow[];
  readonly categories: readonly CategoryRow[];
  readonly tree: readonly CategoryTreeNode[];
  readonly appConfig: readonly AppConfigRow[];
  readonly manifest: readonly ManifestEntry[];
  readonly findings: readonly Finding[];
  readonly changes: ChangeSummary | null;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Long texts (a prompt of many MB) are shown cut: the page is for looking, data/*.json holds every byte. */
const SHOWN = 600;
const shown = (s: string | null): string =>
  s === null
    ? '<i>NULL</i>'
    : s.length > SHOWN
      ? `${esc(s.slice(0, SHOWN))}<i> … (${s.length.toLocaleString('en-US')} characters)</i>`
      : esc(s);

/** review.html: the page head, then its sections in order, each one block of HTML. */
export function reviewHtml(r: ReviewInput): string {
  const img = localImages(r.manifest);
  const sections: readonly string[] = [
    PAGE_HEAD,
    heading(r),
    changes(r),
    coaches(r, img),
    categories(r, img),
    appConfig(r),
    findings(r),
    inputs(r),
    '</body>\n</html>\n',
  ];
  return sections.join('\n');
}

/** Shows an image URL of the SQL: `<img>` of its file in out/images/ (the one that will be uploaded there), or why not. */
type ShowImage = (url: string | null, alt: string, cls: string) => string;

/** The page links images by relative path, so it needs no network: a public URL in the SQL → its local file. */
function localImages(manifest: readonly ManifestEntry[]): ShowImage {
  const local = new Map(manifest.map((m) => [m.url, `images/${m.bucket}/${m.path}`]));
  return (url, alt, cls) => {
    if (url === null) return `<span class="none ${cls}">no image</span>`;
    const src = local.get(url);
    return src === undefined
      ? `<span class="none ${cls}">${esc(url)}</span>`
      : `<img class="${cls}" src="${esc(src)}" alt="${esc(alt)}">`;
  };
}

/** The title, the counts, and for a real target where the output is made for and what it takes over. */
function heading(r: ReviewInput): string {
  return `<h1>Totalis migration review</h1>
<p><small>totalis-migrate ${esc(r.toolVersion)} · coaches ${r.coaches.length} · categories ${r.categories.length} · app_config ${r.appConfig.length} · images ${r.manifest.length}</small></p>${r.target === undefined ? '' : `\n<p>Made for ${esc(r.target.source)}: its own columns; its policies and grants left as they are. The app's rows taken over in place: ${r.target.adopted.length === 0 ? 'none' : esc(r.target.adopted.join('; '))}. Handed back to the app as they were before adoption (their legacy source is gone): ${r.target.handedBack.length === 0 ? 'none' : esc(r.target.handedBack.join('; '))}.</p>`}`;
}

/** What changed since the previous output, as the change list of report.md. */
function changes(r: ReviewInput): string {
  return `<h2>What changed since the previous output</h2>
${r.changes === null ? '<p>No previous output to compare with (a first run).</p>' : `<pre>${esc(changeLines(r.changes).join('\n'))}</pre>`}`;
}

/** Every coach by legacy id, with its photos and mapped fields. */
function coaches(r: ReviewInput, img: ShowImage): string {
  const cards = [...r.coaches]
    .sort((a, b) => a.legacy_id - b.legacy_id)
    .map(
      (c) => `
<article class="coach">
  <div class="photos">${img(c.photo_url, `${c.name}: photo`, 'photo')}${[c.photo_30_url, c.photo_45_url, c.photo_60_url].map((u, i) => img(u, `${c.name}: photo ${[30, 45, 60][i]}`, 'thumb')).join('')}</div>
  <div>
    <h3>${esc(c.name)} <small>tls_coach#${c.legacy_id}${c.is_active ? '' : ' · inactive'}</small></h3>
    <dl>
      <dt>sex</dt><dd>${shown(c.sex)}</dd><dt>year of birth</dt><dd>${c.year_of_birth ?? '<i>NULL</i>'}</dd>
      <dt>description</dt><dd>${shown(c.description)}</dd><dt>intro</dt><dd>${shown(c.intro)}</dd><dt>prompt</dt><dd class="pre">${shown(c.prompt)}</dd>
    </dl>
  </div>
</article>`,
    );
  return `<h2>Coaches</h2>
${cards.join('\n')}`;
}

/** The category tree with each category's icons, indented by depth. */
function categories(r: ReviewInput, img: ShowImage): string {
  const byLegacy = new Map(r.categories.map((c) => [c.legacy_id, c]));
  const items = r.tree.map((n) => {
    const c = byLegacy.get(n.legacyId);
    const icons =
      c === undefined
        ? ''
        : `${img(c.icon_url, `${n.name}: icon`, 'icon')}${c.icon_secondary_url !== null ? img(c.icon_secondary_url, `${n.name}: second icon`, 'icon') : ''}`;
    return `<li style="margin-left:${Math.max(0, n.depth) * 1.6}em">${icons}<b>${esc(n.name)}</b> <small>tls_category#${n.legacyId}${c !== undefined ? ` · sort ${c.sort_order}` : ''}${n.depth < 0 ? ' · outside the tree' : ''}</small></li>`;
  });
  return `<h2>Categories</h2>
<ul class="tree">
${items.join('\n')}
</ul>`;
}

/** Every app_config key, whether the anon key may read it, and its value (cut when long). */
function appConfig(r: ReviewInput): string {
  const rows = r.appConfig.map(
    (a) =>
      `<tr><td><code>${esc(a.key)}</code></td><td>${a.is_public ? 'public' : ''}</td><td class="pre">${shown(typeof a.value === 'string' ? a.value : stringifyExactJson(a.value))}</td></tr>`,
  );
  return `<h2>app_config</h2>
<table><tr><th>key</th><th>access</th><th>value</th></tr>
${rows.join('\n')}
</table>`;
}

/** The findings, one table per severity (a heading with 0 for a severity that has none). */
function findings(r: ReviewInput): string {
  const bySeverity = SEVERITIES.map((sev) => {
    const list = r.findings.filter((f) => f.severity === sev);
    return `<h3>${sev} (${list.length})</h3>${list.length === 0 ? '' : `<table><tr><th>code</th><th>subject</th><th>message</th></tr>${list.map((f) => `<tr><td><code>${esc(f.code)}</code></td><td>${esc(f.subject)}</td><td>${esc(f.message)}</td></tr>`).join('')}</table>`}`;
  });
  return `<h2>Findings</h2>
${bySeverity.join('\n')}`;
}

/** The input files with their hashes and the tables read from them. */
function inputs(r: ReviewInput): string {
  const rows = r.files.map(
    (f) =>
      `<tr><td>${esc(f.name)}</td><td><code>${f.sha256}</code></td><td>${esc(tablesRead(f)) || 'schema only'}</td></tr>`,
  );
  return `<h2>Inputs</h2>
<table><tr><th>file</th><th>sha256</th><th>tables</th></tr>
${rows.join('\n')}
</table>`;
}

/** Everything before the first section: the document head with its style sheet (no script, no network). */
const PAGE_HEAD = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Totalis migration review</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; }
small { color: #777; font-weight: normal; }
.coach { display: flex; gap: 1.2em; border: 1px solid #ddd; border-radius: 6px; padding: 0.8em; margin: 0.8em 0; }
.photos { display: flex; flex-direction: column; align-items: center; gap: 0.3em; min-width: 130px; }
.photo { width: 120px; height: 120px; object-fit: cover; border-radius: 4px; }
.thumb { width: 40px; height: 40px; object-fit: cover; }
.icon { width: 24px; height: 24px; object-fit: contain; vertical-align: middle; margin-right: 0.3em; }
.none { font-size: 11px; color: #999; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; margin: 0; }
dt { color: #777; } dd { margin: 0; } .pre { white-space: pre-wrap; }
ul.tree { list-style: none; padding: 0; } ul.tree li { margin: 0.25em 0; }
table { border-collapse: collapse; width: 100%; } td, th { border-bottom: 1px solid #eee; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
pre { background: #f6f6f6; padding: 0.8em; }
</style>
</head>
<body>`;

/**
 * Active content in an SVG. The images go to public buckets and are served as image/svg+xml from the
 * project's own domain, where an SVG opened directly runs its scripts with that origin. So an SVG with a
 * script, an event-handler attribute, a javascript: URL or a reference to anything outside itself (a link,
 * an external image or stylesheet, an external entity) is refused, unless the operator asks for it to be
 * sanitized: then DOMPurify (on jsdom's DOM) rewrites it, and what is left is checked again.
 * jsdom and DOMPurify are loaded on the first SVG only.
 */

export type ActiveKind = 'script' | 'event handler' | 'javascript: URL' | 'external reference';

/** What active content an SVG holds, each kind once with its first examples (empty: none). */
export interface SvgActivity {
  readonly kinds: readonly ActiveKind[];
  /** e.g. `script element`, `onload`, `href="https://…"`; at most a few, for the finding (no markup: report.md shows them). */
  readonly examples: readonly string[];
}

type Window = import('jsdom').DOMWindow;
let dom: Promise<{
  window: Window;
  JSDOM: typeof import('jsdom').JSDOM;
  purify: import('dompurify').DOMPurify;
}> | null = null;

function loadDom(): NonNullable<typeof dom> {
  dom ??= Promise.all([import('jsdom'), import('dompurify')]).then(([{ JSDOM }, { default: createPurify }]) => {
    const { window } = new JSDOM('');
    return { window, JSDOM, purify: createPurify(window as unknown as Parameters<typeof createPurify>[0]) };
  });
  return dom;
}

/** Attributes whose value is a URL the SVG would load or follow. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'data', 'background', 'poster']);
/** A data: URL of a raster image is part of the SVG itself; any other data: URL (HTML, SVG) is a document of its own. */
const INLINE_DATA = /^data:image\/(png|jpe?g|gif|webp)[;,]/i;
/** Letters of a script URL may be split by whitespace and control characters (browsers drop them). */
// eslint-disable-next-line no-control-regex -- the control characters are what is being removed
const squeeze = (v: string): string => v.replace(/[\u0000-\u0020]+/g, '').toLowerCase();
/** A script URL anywhere in the value: also in a list (`values="a;javascript:…"`) or in CSS. */
const isScriptUrl = (v: string): boolean => /(^|[;,('"])(javascript|vbscript|livescript):/.test(squeeze(v));
/** `url(...)` and `@import` in CSS that leave the document (`url(#id)` stays inside). */
function externalCss(css: string): string | null {
  if (/@import/i.test(css)) return '@import';
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]*)\1\s*\)/gi)) {
    const target = m[2]!.trim();
    if (!target.startsWith('#') && !INLINE_DATA.test(target)) return `url(${target.slice(0, 60)})`;
  }
  return null;
}
const isExternalUrl = (v: string): boolean => {
  const t = v.trim();
  return t !== '' && !t.startsWith('#') && !INLINE_DATA.test(t);
};

/** The active content in the SVG's text; an SVG that does not parse as XML is said so (`unparsable`). */
export async function svgActivity(text: string): Promise<SvgActivity | { unparsable: string }> {
  const { JSDOM } = await loadDom();
  const kinds = new Set<ActiveKind>();
  const examples: string[] = [];
  const found = (kind: ActiveKind, example: string): void => {
    kinds.add(kind);
    const shown = example.replace(/\s+/g, ' ');
    if (examples.length < 5 && !examples.includes(shown)) examples.push(shown);
  };
  // an external entity (<!ENTITY x SYSTEM "file:…">) is a reference outside the image, resolved or not
  const entity = /<!ENTITY[^>]*\b(SYSTEM|PUBLIC)\b/i.test(text);
  if (entity) found('external reference', 'external entity');
  let doc: Document;
  try {
    doc = new JSDOM(text, { contentType: 'image/svg+xml' }).window.document;
  } catch (e) {
    if (entity) return { kinds: [...kinds], examples };
    return { unparsable: (e as Error).message.split('\n')[0] ?? 'not XML' };
  }
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    const name = el.localName.toLowerCase();
    if (name === 'script') found('script', 'script element');
    if (name === 'style') {
      const css = externalCss(el.textContent ?? '');
      if (css !== null) found('external reference', `style element: ${css}`);
    }
    for (const a of Array.from(el.attributes)) {
      const attr = a.localName.toLowerCase();
      if (attr.startsWith('on')) found('event handler', a.name);
      if (isScriptUrl(a.value)) found('javascript: URL', `${a.name}="${a.value.trim().slice(0, 40)}"`);
      else if (URL_ATTRIBUTES.has(attr) && isExternalUrl(a.value))
        found('external reference', `${a.name}="${a.value.trim().slice(0, 60)}"`);
      else {
        const css = externalCss(a.value);
        if (css !== null) found('external reference', `${a.name}: ${css}`);
      }
    }
  }
  const order: ActiveKind[] = ['script', 'event handler', 'javascript: URL', 'external reference'];
  return { kinds: order.filter((k) => kinds.has(k)), examples };
}

/**
 * The SVG rewritten by DOMPurify (its SVG profiles; script, handlers and script URLs go), with every
 * reference outside the image dropped too (DOMPurify keeps http links by default). The caller checks the
 * result again with svgActivity, and has it decoded.
 */
export async function sanitizeSvg(text: string): Promise<string> {
  const { purify } = await loadDom();
  purify.removeAllHooks();
  purify.addHook('uponSanitizeAttribute', (_node, data) => {
    const attr = data.attrName.toLowerCase().replace(/^xlink:/, '');
    if ((URL_ATTRIBUTES.has(attr) && isExternalUrl(data.attrValue)) || externalCss(data.attrValue) !== null)
      data.keepAttr = false;
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    if (data.tagName === 'style' && externalCss(node.textContent ?? '') !== null) node.textContent = '';
  });
  const clean = purify.sanitize(text.replace(/<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, ''), {
    USE_PROFILES: { svg: true, svgFilters: true },
    PARSER_MEDIA_TYPE: 'application/xhtml+xml',
    NAMESPACE: 'http://www.w3.org/2000/svg',
  });
  purify.removeAllHooks();
  return `<?xml version="1.0" encoding="UTF-8"?>\n${clean}\n`;
}

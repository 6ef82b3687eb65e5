// The one page shell of every report the rig writes (report.html of every run, bench.html): a self-contained
// file with no script and no external request — a CSP meta forbids both, so a stray URL in evidence can never
// fetch anything — the shared styles, and a header with the verdict, one line of why, and the run's facts.
import { esc } from './escape.js';
import { STYLES } from './styles.js';

export interface Page {
  /** the browser tab: verdict first, so a row of tabs reads as a row of verdicts */
  title: string;
  /** CSS beyond the shared styles */
  styles?: string;
  heading: string;
  verdict: { text: string; pass: boolean };
  /** one line under the verdict, as HTML (the caller escapes what it quotes) */
  whyHtml: string;
  facts: ReadonlyArray<readonly [string, string]>;
  /** the page's sections, as HTML */
  sections: readonly string[];
  footer: string;
}

export function htmlPage(page: Page): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(page.title)}</title>`,
    `<style>${STYLES}${page.styles ?? ''}</style></head><body>`,
    '<header>',
    `<h1>${esc(page.heading)}</h1>`,
    `<p class="verdict ${page.verdict.pass ? 'pass' : 'fail'}" id="verdict">${esc(page.verdict.text)}</p>`,
    `<p class="why">${page.whyHtml}</p>`,
    `<dl class="facts">${page.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`,
    '</header>',
    ...page.sections,
    `<footer>${esc(page.footer)}</footer>`,
    '</body></html>',
    '',
  ].join('\n');
}

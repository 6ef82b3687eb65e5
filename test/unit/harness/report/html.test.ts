import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../../../harness/report/html.js';
import { hostileString } from './arbitraries.js';
import { makeRun, type RoundSpec } from './factory.js';

const render = (run: ReturnType<typeof makeRun>): string => new HtmlReporter().render(run);

/**
 * Everything in the markup a browser could fetch: URL-valued attributes of real tags (text is escaped, so every
 * raw `<` starts a tag) that point anywhere but an in-page `#anchor`, and CSS url()/@import in <style>.
 */
function externalRefs(html: string): string[] {
  const found: string[] = [];
  for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) {
    for (const [, name, value] of tag.matchAll(/\s([a-zA-Z:-]+)\s*=\s*"([^"]*)"/g)) {
      if (/^(src|href|xlink:href|action|srcset|poster|data|formaction)$/i.test(name!) && !value!.startsWith('#'))
        found.push(tag);
      if (/^style$/i.test(name!) && /url\(|@import/i.test(value!)) found.push(tag);
    }
  }
  for (const [, css] of html.matchAll(/<style>([\s\S]*?)<\/style>/g))
    if (/url\(|@import|https?:/i.test(css!)) found.push('<style> with a URL');
  if (/\b(src|href)=http/i.test(html.replace(/"[^"]*"/g, '""').replace(/>[^<]*</g, '><'))) found.push('src/href=http');
  return found;
}

function svgs(html: string): string[] {
  return html.match(/<svg class="timeline"[\s\S]*?<\/svg>/g) ?? [];
}

const roundSpec: fc.Arbitrary<RoundSpec> = fc.record({
  daemons: fc.integer({ min: 1, max: 3 }),
  overlap: fc.boolean(),
  workers: fc.integer({ min: 1, max: 5 }),
});

describe('report.html', () => {
  it('renders 3 workers and 2 overlapping daemons: one svg, 5 lanes, red overlap band and red owners', () => {
    const html = render(makeRun({ rounds: [{ workers: 3, daemons: 2, overlap: true }] }));
    const [svg] = svgs(html);
    expect(svg).toBeDefined();
    expect(svg!.match(/<g class="lane /g)).toHaveLength(5);
    expect(svg!.match(/<g class="lane worker/g)).toHaveLength(3);
    expect(svg!.match(/<g class="lane daemon/g)).toHaveLength(2);
    expect(svg!.match(/class="overlap"/g)).toHaveLength(1);
    expect(svg!.match(/class="span ownership red"/g)?.length).toBe(2);
    expect(html).toContain('id="verdict">FAIL<');
  });

  it('a clean run has no red anywhere in its timelines and says PASS', () => {
    const html = render(makeRun({ rounds: [{}, {}] }));
    expect(html).toContain('id="verdict">PASS<');
    for (const svg of svgs(html)) {
      expect(svg).not.toMatch(/class="overlap"|ownership red|lane daemon dup/);
    }
  });

  it('for any run: self-contained, one svg per round, lanes = workers + daemons, overlap band iff I1', () => {
    fc.assert(
      fc.property(
        fc.array(roundSpec, { minLength: 1, maxLength: 5 }),
        hostileString,
        fc.constantFrom('single' as const, 'race' as const),
        (rounds, hostile, expectation) => {
          const run = makeRun({ rounds, hostile, expect: expectation });
          const html = render(run);
          expect(externalRefs(html)).toEqual([]);
          expect(html).not.toMatch(/<script|<iframe|<img|<link|<object|<embed/i);
          const found = svgs(html);
          expect(found).toHaveLength(run.roundResults.length);
          run.roundResults.forEach((r, i) => {
            const svg = found[i]!;
            expect(svg).toContain(`data-round="${r.round}"`);
            expect(svg.match(/<g class="lane /g)).toHaveLength(r.workers.length + r.census.daemons.length);
            const i1 = r.violations.some((v) => v.invariant === 'I1');
            expect(/class="overlap"/.test(svg)).toBe(i1);
          });
          expect(html.match(/<tr class="round-row /g)).toHaveLength(run.roundResults.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('escapes hostile text: it shows up as text, never as markup', () => {
    const html = render(
      makeRun({ rounds: [{ daemons: 2, overlap: true, hostile: '<img src=http://evil/x> "q" \u0001 ]]>' }] }),
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=http://evil/x&gt; &quot;q&quot; \\u0001');
    expect(html).toContain('Content-Security-Policy');
  });

  it('draws a red band from the census when an I1 violation has no ownership events', () => {
    const run = makeRun({ rounds: [{ daemons: 2, overlap: true }] });
    const round = run.roundResults[0]!;
    round.events = round.events.filter((e) => e.role !== 'daemon');
    expect(svgs(render(run))[0]).toMatch(/class="overlap"/);
  });

  it('stays small: 20 workers × 10 rounds is well under 1 MB', () => {
    const rounds = Array.from({ length: 10 }, (_, i) => ({
      workers: 20,
      daemons: i % 3 === 0 ? 3 : 1,
      overlap: i % 3 === 0,
    }));
    const html = render(makeRun({ rounds }));
    expect(Buffer.byteLength(html)).toBeLessThan(1_000_000);
    expect(svgs(html)).toHaveLength(10);
  });

  it('marks a run that ended early and rounds the rig marked failed', () => {
    const run = makeRun({ rounds: [{}, {}], announcedRounds: 4 });
    run.roundResults[1]!.ok = false;
    const html = render(run);
    expect(html).toContain('Not run (the run ended early): rounds 3, 4.');
    expect(html.match(/<tr class="round-row failed"/g)).toHaveLength(1);
  });

  it('a long run stays small: failing rounds and a sample of passing ones drawn, violations folded by invariant, injections drawn', () => {
    const rounds: RoundSpec[] = Array.from({ length: 200 }, (_, i) =>
      i === 57 || i === 140 ? { overlap: true, daemons: 2, workers: 50 } : { workers: 50 },
    );
    const run = makeRun({ rounds });
    // a fault's injection in round 58: drawn as a dashed line on its timeline
    const r58 = run.roundResults[57]!;
    r58.events.push({
      mono: (BigInt(r58.barrierAt!) + 1_000_000n).toString(),
      wall: 0,
      pid: 1,
      role: 'rig',
      ev: 'inject',
      fault: 'pause-daemon',
      what: 'SIGSTOP daemon',
    });
    r58.fault = 'pause-daemon';
    const html = render(run);
    const drawn = svgs(html).map((svg) => Number(/data-round="(\d+)"/.exec(svg)![1]));
    expect(drawn).toContain(58);
    expect(drawn).toContain(141);
    expect(drawn.length).toBeLessThanOrEqual(2 + 4);
    expect(html).toContain('rounds drawn: the failing ones');
    expect(html.match(/<tr class="round-row /g)).toHaveLength(200);
    // grouped: one folded group per invariant, each violation folded inside
    expect(html.match(/<details class="group" id="violations-I1"/g)).toHaveLength(1);
    expect(html).toMatch(/I1 — 2 violations in 2 rounds/);
    const svg58 = svgs(html).find((x) => x.includes('data-round="58"'))!;
    expect(svg58).toMatch(/<g class="inject">[\s\S]*pause-daemon: SIGSTOP daemon/);
    expect(html).toContain('<th>fault</th>');
    expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
  });

  it('a short run draws every round', () => {
    const run = makeRun({ rounds: Array.from({ length: 12 }, () => ({})) });
    expect(svgs(render(run))).toHaveLength(12);
  });
});

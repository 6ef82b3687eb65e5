// A --target run in every format: the target and its exact version name the JUnit testcases and the HTML
// header; clients served with a warning and what the target left behind reach both reports.
import { describe, expect, it } from 'vitest';
import { HtmlReporter } from '../../../../harness/report/html.js';
import { JunitReporter } from '../../../../harness/report/junit.js';
import { makeRun } from './factory.js';
import { parseXml } from './xml-check.js';

function targetRun() {
  const run = makeRun({ rounds: [{ daemons: 2 }, { daemons: 1 }], strategy: 'target' });
  run.target = {
    name: 'nx',
    version: '23.2.1',
    source: 'cache',
    root: '/c/nx@23.2.1',
    commands: ['nx daemon --start', 'nx show projects'],
    invariants: ['I1', 'I2'],
  };
  run.roundResults[0]!.notes = ['the Nx daemon disabled itself <until nx reset>'];
  run.roundResults[0]!.workers[0]!.warning = 'NX   Nx Daemon was not able to compute the project graph.';
  run.roundResults[0]!.workers[0]!.client = 'nx show projects';
  return run;
}

describe('reports of a --target run', () => {
  it('junit.xml names the target and version, and carries warnings and notes in the round output', () => {
    const xml = new JunitReporter().render(targetRun());
    parseXml(xml);
    expect(xml).toContain('reproduce[target:nx@23.2.1] round 1');
    expect(xml).toContain('classname="fbuild.harness.reproduce.target.nx"');
    expect(xml).toContain('name="target" value="nx@23.2.1"');
    expect(xml).toContain('worker 0 (nx show projects): NX   Nx Daemon was not able to compute the project graph.');
    expect(xml).toMatch(
      /notes:\nthe Nx daemon disabled itself &lt;until nx reset&gt;|notes:\nthe Nx daemon disabled itself <until nx reset>/,
    );
    expect(xml).toContain('--target nx --target-version 23.2.1');
  });

  it('report.html shows the target, its clients and what it left behind, escaped', () => {
    const html = new HtmlReporter().render(targetRun());
    expect(html).toContain('<title>FAIL · fbuild harness reproduce [nx 23.2.1]');
    expect(html).toContain('nx daemon --start · nx show projects');
    expect(html).toContain('the Nx daemon disabled itself &lt;until nx reset&gt; (rounds 1)');
    expect(html).not.toContain('<until nx reset>');
  });
});

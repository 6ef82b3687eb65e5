import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runReportCommand } from '../../../../harness/report/command.js';
import {
  REPORTERS,
  ReportError,
  renderRunDir,
  writeReportFile,
  writeReports,
} from '../../../../harness/report/index.js';
import { makeRun } from './factory.js';
import { parseXml } from './xml-check.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fbuild-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sink(): { write(text: string): void; text: string } {
  return {
    text: '',
    write(text: string) {
      this.text += text;
    },
  };
}

describe('writeReports / renderRunDir', () => {
  it('writes the three files (and nothing else) into a new run directory', async () => {
    const run = makeRun({ rounds: [{}, { daemons: 2, overlap: true }] });
    const runDir = join(dir, 'reports', run.runId);
    const paths = await writeReports(runDir, run);
    expect(paths).toEqual({
      junit: join(runDir, 'junit.xml'),
      json: join(runDir, 'results.json'),
      html: join(runDir, 'report.html'),
    });
    expect((await readdir(runDir)).sort()).toEqual(['junit.xml', 'report.html', 'results.json']);
    expect(JSON.parse(await readFile(paths.json, 'utf8'))).toEqual(run);
    expect(() => parseXml(readFileSync(paths.junit, 'utf8'))).not.toThrow();
    expect(await readFile(paths.html, 'utf8')).toContain('id="verdict">FAIL<');
  });

  it('re-renders report.html from results.json alone', async () => {
    const run = makeRun({ rounds: [{}] });
    const paths = await writeReports(dir, run);
    await writeFile(paths.html, 'stale');
    expect(await renderRunDir(dir)).toBe(paths.html);
    expect(await readFile(paths.html, 'utf8')).toBe(new REPORTERS.html().render(run));
  });

  it.each([
    ['REPORT_NOT_FOUND', async (d: string) => join(d, 'nope')],
    ['REPORT_BAD_JSON', async (d: string) => (await writeFile(join(d, 'results.json'), '{"schema": 1,'), d)],
    [
      'REPORT_SCHEMA_MISMATCH',
      async (d: string) => (
        await writeFile(join(d, 'results.json'), JSON.stringify({ ...makeRun({ rounds: [{}] }), schema: 2 })), d
      ),
    ],
    ['REPORT_SCHEMA_MISMATCH', async (d: string) => (await writeFile(join(d, 'results.json'), '{}'), d)],
    ['REPORT_BAD_RESULTS', async (d: string) => (await writeFile(join(d, 'results.json'), '[1]'), d)],
    [
      'REPORT_BAD_RESULTS',
      async (d: string) => (await writeFile(join(d, 'results.json'), JSON.stringify({ schema: 1, tool: 'other' })), d),
    ],
  ])('refuses with %s', async (code, setup) => {
    const runDir = await setup(dir);
    const err = await renderRunDir(runDir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReportError);
    expect((err as ReportError).code).toBe(code);
  });

  it('names both versions when the schema does not match', async () => {
    await writeFile(join(dir, 'results.json'), JSON.stringify({ ...makeRun({ rounds: [{}] }), schema: 7 }));
    await expect(renderRunDir(dir)).rejects.toThrow(/has results schema 7; this rig reads schema 1/);
  });
});

describe('writeReportFile', () => {
  it('replaces the target whole and leaves no temp file', async () => {
    const target = join(dir, 'f.txt');
    await writeFile(target, 'old');
    await writeReportFile(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['f.txt']);
  });

  it('fails with REPORT_WRITE_FAILED and cleans up when the target cannot be replaced', async () => {
    const target = join(dir, 'a-dir');
    await mkdir(join(target, 'child'), { recursive: true });
    const err = await writeReportFile(target, 'x').catch((e: unknown) => e);
    expect((err as ReportError).code).toBe('REPORT_WRITE_FAILED');
    expect(await readdir(dir)).toEqual(['a-dir']);
  });
});

describe('runReportCommand', () => {
  it('re-renders and prints the path, exit 0', async () => {
    await writeReports(dir, makeRun({ rounds: [{}] }));
    const stdout = sink();
    const stderr = sink();
    expect(await runReportCommand({ runDir: dir, stdout, stderr })).toBe(0);
    expect(stdout.text).toBe(`report: ${join(dir, 'report.html')}\n`);
    expect(stderr.text).toBe('');
  });

  it('exit 2 with the error code on a bad run directory', async () => {
    const stderr = sink();
    expect(await runReportCommand({ runDir: join(dir, 'missing'), stdout: sink(), stderr })).toBe(2);
    expect(stderr.text).toMatch(/^harness report: REPORT_NOT_FOUND: no results\.json in /);
  });

  it('defaults to reports/latest under the current directory', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const stderr = sink();
      expect(await runReportCommand({ stdout: sink(), stderr })).toBe(2);
      expect(stderr.text).toContain(join('reports', 'latest'));
    } finally {
      process.chdir(cwd);
    }
  });
});

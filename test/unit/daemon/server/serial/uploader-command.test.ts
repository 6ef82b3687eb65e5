// The --uploader template on POSIX, run by a real /bin/sh: whatever the port and image are called and however
// the template quotes its placeholders, the command sees exactly those strings and runs nothing in them
// (property). The Windows form is checked as text (cmd.exe does not run here).
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uploaderCommand } from '../../../../../src/daemon/server/serial/uploader-command.js';

/** runs the command as the daemon would; what printf printed, one value a line (NUL-separated to keep newlines) */
function run(template: string, port: string, image: string): { out: string[]; err: string } {
  const c = uploaderCommand(template, port, image, 'linux');
  const r = spawnSync(c.file, c.args, { encoding: 'utf8', timeout: 30_000 });
  return { out: r.stdout.split('\0').slice(0, -1), err: r.stderr };
}

/** templates in every quoting style, with what each prints for port P and image I */
const STYLES: [string, (p: string, i: string) => string[]][] = [
  [`printf '%s\\0' {port} {image}`, (p, i) => [p, i]],
  [`printf '%s\\0' "{port}" "{image}"`, (p, i) => [p, i]],
  [`printf '%s\\0' '{port}' '{image}'`, (p, i) => [p, i]],
  [
    `printf '%s\\0' --port={port} "--image={image}" 'both={port}:{image}'`,
    (p, i) => [`--port=${p}`, `--image=${i}`, `both=${p}:${i}`],
  ],
  [`printf '%s\\0' "it's {port}" 'say "{image}"' \\'{port}\\'`, (p, i) => [`it's ${p}`, `say "${i}"`, `'${p}'`]],
];

// what a shell would love to find in a name: every quote, substitutions, globs, separators, newlines
const nasty = fc.stringMatching(/^[a-z $`'"\\;&|()*?{}<>!#~\n-]{1,24}$/);

describe('uploaderCommand (POSIX sh)', () => {
  it('passes any port and image name through every quoting style as exactly that string, running nothing (property)', () => {
    fc.assert(
      fc.property(nasty, nasty, fc.constantFrom(...STYLES), (port, image, [template, expected]) => {
        const r = run(template, port, image);
        expect(r.out).toEqual(expected(port, image));
        expect(r.err).toBe('');
      }),
      { numRuns: 150 },
    );
  });

  it('runs nothing in $(…) or backquotes of a name, in each style', () => {
    const evil = '$(echo INJECTED >&2)`echo TICKED >&2`\'"';
    for (const [template, expected] of STYLES) {
      const r = run(template, evil, `${evil}.bin`);
      expect(r.err, template).toBe('');
      expect(r.out, template).toEqual(expected(evil, `${evil}.bin`));
    }
  });

  it('shows the command with the values quoted for reading, and refuses a template without both placeholders', () => {
    expect(uploaderCommand('up {port} {image}', "/dev/tty'1", '/f w.bin', 'linux').display).toBe(
      `up '/dev/tty'\\''1' '/f w.bin'`,
    );
    expect(() => uploaderCommand('up {port}', '/dev/ttyUSB0', '/fw.bin', 'linux')).toThrow(
      expect.objectContaining({ code: 'BAD_OPTION' }),
    );
  });
});

describe('uploaderCommand (Windows cmd.exe)', () => {
  it('quotes the values itself and refuses what cmd.exe would expand or split: quoted placeholders, " and % in values', () => {
    expect(uploaderCommand('up.exe -p {port} {image}', 'COM3', 'C:\\fw files\\a.bin', 'win32')).toMatchObject({
      file: 'up.exe -p "COM3" "C:\\fw files\\a.bin"',
      shell: true,
    });
    // a backslash is a path separator there, not an escape; an apostrophe is no quote
    expect(uploaderCommand("C:\\Bob's\\up.exe {port} {image}", 'COM3', 'a.bin', 'win32').file).toBe(
      'C:\\Bob\'s\\up.exe "COM3" "a.bin"',
    );
    const refused = expect.objectContaining({ code: 'BAD_OPTION' });
    expect(() => uploaderCommand('up "{port}" {image}', 'COM3', 'a.bin', 'win32')).toThrow(refused);
    expect(() => uploaderCommand('up {port} {image}', 'COM3', '%PATH%.bin', 'win32')).toThrow(refused);
    expect(() => uploaderCommand('up {port} {image}', 'COM3', 'a".bin', 'win32')).toThrow(refused);
  });
});

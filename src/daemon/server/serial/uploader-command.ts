// The --uploader template as a command to run. The port and image names are never spliced into the command text:
// on POSIX the shell gets them as its positional parameters ($1 = port, $2 = image) and each {port}/{image}
// becomes a reference to them, written for the quoting it stands in — bare: "${1}"; inside "…": ${1}; inside
// '…': '"${1}"' (close the quote, reference, reopen) — so a name holding $(…), backquotes or quotes is never
// run, however the template quotes its placeholders, and stays one argument in each of those three places.
// cmd.exe has no positional parameters and expands %VAR% even inside quotes: on Windows a value is put in
// "…" itself, and a template that quotes a placeholder or a value holding " or % is refused.
import { FbuildError } from '../../../errors.js';

export interface UploaderCommand {
  /** what is shown to people (the values quoted for reading, not for running) */
  display: string;
  file: string;
  args: string[];
  /** Windows: the command line goes to cmd.exe as a whole */
  shell: boolean;
}

const PLACEHOLDERS = { '{port}': 1, '{image}': 2 } as const;
type Placeholder = keyof typeof PLACEHOLDERS;

function placeholderAt(template: string, index: number): Placeholder | null {
  for (const p of Object.keys(PLACEHOLDERS) as Placeholder[]) if (template.startsWith(p, index)) return p;
  return null;
}

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Each placeholder replaced by `ref(parameter number, quoting it stands in)`, tracking the quoting of sh (quotes
 *  ' and ", backslash escapes) or of cmd.exe (only " toggles; a backslash is a path separator). */
function substitute(
  template: string,
  ref: (n: 1 | 2, quoting: 'none' | 'single' | 'double') => string,
  dialect: 'sh' | 'cmd' = 'sh',
): string {
  const sh = dialect === 'sh';
  let out = '';
  let quoting: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < template.length; ) {
    const p = placeholderAt(template, i);
    if (p !== null) {
      out += ref(PLACEHOLDERS[p], quoting);
      i += p.length;
      continue;
    }
    const c = template[i]!;
    if (sh && c === '\\' && quoting !== 'single') {
      out += template.slice(i, i + 2); // an escaped character never opens or closes a quote
      i += 2;
      continue;
    }
    if (sh && c === "'" && quoting !== 'double') quoting = quoting === 'single' ? 'none' : 'single';
    else if (c === '"' && quoting !== 'single') quoting = quoting === 'double' ? 'none' : 'double';
    out += c;
    i++;
  }
  return out;
}

function posix(template: string, port: string, image: string): UploaderCommand {
  const script = substitute(template, (arg, quoting) =>
    quoting === 'none' ? `"\${${arg}}"` : quoting === 'double' ? `\${${arg}}` : `'"\${${arg}}"'`,
  );
  return {
    display: substitute(template, (n) => shQuote(n === 1 ? port : image)),
    file: '/bin/sh',
    // the name after the script is the shell's $0 (it names the shell in its own error messages)
    args: ['-c', script, 'fbuild-uploader', port, image],
    shell: false,
  };
}

function windows(template: string, port: string, image: string): UploaderCommand {
  for (const v of [port, image]) {
    if (/["%]/.test(v))
      throw new FbuildError('BAD_OPTION', `--uploader on Windows cannot pass ${JSON.stringify(v)}: it holds " or %`, {
        field: 'uploader',
      });
  }
  let quoted = false;
  const line = substitute(
    template,
    (arg, quoting) => {
      if (quoting !== 'none') quoted = true;
      return `"${arg === 1 ? port : image}"`;
    },
    'cmd',
  );
  if (quoted)
    throw new FbuildError('BAD_OPTION', 'write {port} and {image} without quotes around them: fbuild quotes them', {
      field: 'uploader',
    });
  return { display: line, file: line, args: [], shell: true };
}

/** The command for `template` with the port and image filled in; BAD_OPTION when it cannot be done safely. */
export function uploaderCommand(
  template: string,
  port: string,
  image: string,
  platform: NodeJS.Platform = process.platform,
): UploaderCommand {
  if (!template.includes('{port}') || !template.includes('{image}')) {
    throw new FbuildError('BAD_OPTION', `--uploader must contain {port} and {image}, got ${JSON.stringify(template)}`, {
      uploader: template,
    });
  }
  return platform === 'win32' ? windows(template, port, image) : posix(template, port, image);
}

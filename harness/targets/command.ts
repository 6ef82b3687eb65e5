// `harness targets`: every target profile, whether it is installed here (and which version, from where),
// whether the rig can install it on demand, and what `reproduce --target NAME` expects of it by default.
import { Command } from 'commander';
import { TARGETS, targetProfile } from './index.js';
import { defaultCacheDir } from './install.js';

const TARGETS_SCHEMA_VERSION = 1;

interface Row {
  name: string;
  installed: boolean;
  version: string | null;
  source: string | null;
  root: string | null;
  /** not installed: can `reproduce --target` install it on demand? */
  installable: boolean;
  why: string | null;
  defaultExpect: string;
  expectWhy: string;
  invariants: string[];
  summary: string;
}

async function rows(cacheDir: string): Promise<Row[]> {
  const out: Row[] = [];
  for (const name of TARGETS) {
    const p = targetProfile(name);
    const found = await p.locate({ cacheDir, version: null });
    const common = {
      name,
      defaultExpect: p.defaultExpect,
      expectWhy: p.expectWhy,
      invariants: [...p.invariants],
      summary: p.summary,
    };
    out.push(
      found.installed
        ? {
            ...common,
            installed: true,
            version: found.location.version,
            source: found.location.source,
            root: found.location.root,
            installable: true,
            why: null,
          }
        : {
            ...common,
            installed: false,
            version: null,
            source: null,
            root: null,
            installable: found.installable && p.install !== undefined,
            why: found.why,
          },
    );
  }
  return out;
}

function table(list: Row[]): string {
  const cells = [
    ['target', 'installed', 'expect', 'what'],
    ...list.map((row) => [
      row.name,
      row.installed ? `${row.version} (${row.source})` : row.installable ? 'no (installs on demand)' : 'no',
      row.defaultExpect,
      row.installed || row.installable ? row.summary : `${row.summary} — ${row.why}`,
    ]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  return cells.map((c) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ')).join('\n');
}

export function targetsCommand(): Command {
  return new Command('targets')
    .description(
      "List the target profiles (other people's daemons the rig can drive with `reproduce --target NAME`) and whether each is installed.",
    )
    .option(
      '--cache-dir <dir>',
      'where npm targets are installed (default: $FBUILD_RIG_CACHE, else ~/.cache/fbuild-rig/targets)',
    )
    .option('--json', `print one JSON document (schema ${TARGETS_SCHEMA_VERSION})`)
    .addHelpText(
      'after',
      '\nExit code 0 (listing never fails for a target that is missing).\n\nExample:\n  pnpm harness targets --json',
    )
    .action(async (opts: { cacheDir?: string; json?: boolean }) => {
      const cacheDir = opts.cacheDir ?? defaultCacheDir();
      const list = await rows(cacheDir);
      if (opts.json)
        process.stdout.write(
          JSON.stringify({ schema: TARGETS_SCHEMA_VERSION, cacheDir, targets: list }, null, 2) + '\n',
        );
      else process.stdout.write(`${table(list)}\n\nnpm targets install into ${cacheDir} when first run.\n`);
    });
}

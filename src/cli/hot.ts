// The hot commands — `fbuild daemon status|start|stop|restart` with their plain flags — parsed without
// commander. Scripts and editors run `daemon status` in loops, and loading commander (bundled, ~110 KB of
// JavaScript) cost more than the command's own work (measured by `pnpm harness bench`). Anything this
// parser does not recognise exactly — help, another command, an unknown or malformed flag — returns null,
// and main.ts's commander program handles it as before; so commands added there need nothing here.
import type { DaemonCmdOptions } from './commands/daemon.js';

type Sub = 'status' | 'start' | 'stop' | 'restart';
const FORCE_OK: ReadonlySet<Sub> = new Set(['stop', 'restart']);

export interface HotCommand {
  sub: Sub;
  options: DaemonCmdOptions;
}

export function parseHot(argv: readonly string[]): HotCommand | null {
  if (argv[0] !== 'daemon') return null;
  const sub = argv[1];
  if (sub !== 'status' && sub !== 'start' && sub !== 'stop' && sub !== 'restart') return null;
  const options: DaemonCmdOptions = { json: false };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' && !options.json) options.json = true;
    else if (a === '--force' && FORCE_OK.has(sub) && options.force === undefined) options.force = true;
    else if ((a === '--deadline' || a.startsWith('--deadline=')) && options.deadline === undefined) {
      const v = a === '--deadline' ? argv[++i] : a.slice('--deadline='.length);
      // commander owns the error message for a bad value
      if (v === undefined || !/^\d+$/.test(v) || Number(v) <= 0) return null;
      options.deadline = v;
    } else return null;
  }
  return { sub, options };
}

export async function runHot(command: HotCommand): Promise<number> {
  const cmd = await import('./commands/daemon.js');
  return cmd[command.sub](command.options);
}

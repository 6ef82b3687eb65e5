#!/usr/bin/env node
// fbuild — the command-line client. Only commander loads up front; each command imports what it needs when
// it runs, so `fbuild daemon status` costs little more than starting Node.
import { Command, Option } from 'commander';
import { KIT_VERSION } from '../version.js';
import { deadlineOption, registerDaemonCommands } from './commands/daemon-register.js';
import { registerSerialCommands } from './commands/serial-register.js';
import { exitQuietlyOnEpipe } from './epipe.js';
import { EXIT, exitCodesHelp } from './exit-codes.js';

/** built when help is shown, from the exit-code tables (exit-codes.ts) */
const exitHelp = (): string => `
${exitCodesHelp()}

Environment:
  FBUILD_DAEMON_DIR   state directory (default ~/.fbuild/kit/daemon; Windows %LOCALAPPDATA%\\fbuild\\kit\\daemon)
  FBUILD_OWNERSHIP    endpoint mechanism: sockfile (POSIX default) | abstract (Linux) | pipe (Windows default)
  FBUILD_LOCK         owner lock: owner-record (default) | proper-lockfile
`;

async function run(argv: string[]): Promise<number> {
  let code = 0;
  const program = new Command('fbuild')
    .description('fbuild: firmware build/deploy client and its background daemon')
    .version(KIT_VERSION)
    .option('--state-dir <dir>', 'use this state directory (same as FBUILD_DAEMON_DIR)')
    .addHelpText('after', exitHelp)
    .showSuggestionAfterError()
    .exitOverride()
    .hook('preAction', (cmd) => {
      const dir = cmd.opts().stateDir as string | undefined;
      if (dir) process.env.FBUILD_DAEMON_DIR = dir;
    });

  const json = () => new Option('--json', 'print one JSON document (schema 1) instead of text');
  const setCode = (c: number) => void (code = c);
  registerDaemonCommands(program, json, setCode);

  program
    .command('doctor')
    .description(
      'check for duplicate, stopped or crashed daemons, stale records and leftovers, and the other fbuild daemons on this machine',
    )
    .addOption(json())
    .option('--fix', 'stop extra daemons and clear stale leftovers, after proving each is safe; then check again')
    .option('--dry-run', 'with --fix: print the plan, change nothing')
    .addOption(deadlineOption())
    .addHelpText(
      'after',
      `
Exit codes: 0 healthy (no daemon running with clean state is healthy: one starts on demand); 1 a warning or
error was found (after --fix: remains); 2 doctor itself failed. Every finding code is listed in docs/doctor.md.`,
    )
    .action(async (o) => setCode(await (await import('./commands/doctor.js')).doctorCommand({ json: false, ...o })));

  program
    .command('install <spec>')
    .description('fetch a package archive (path or http(s) URL) into the daemon cache')
    .addOption(json())
    .action(async (spec: string, o) => setCode(await (await import('./commands/install.js')).install(spec, o)));

  registerSerialCommands(program, json, setCode);

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    const c = err as { code?: string; exitCode?: number };
    if (c.code === 'commander.helpDisplayed' || c.code === 'commander.version' || c.code === 'commander.help') return 0;
    // commander ends its own usage errors with 1: ours is EXIT.usage
    if (typeof c.exitCode === 'number') return c.exitCode === 1 ? EXIT.usage : c.exitCode;
    throw err;
  }
  return code;
}

exitQuietlyOnEpipe();
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fbuild: ${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);

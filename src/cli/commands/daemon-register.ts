// Registers `daemon start|stop|restart|status|logs` on the fbuild program. Each action imports the daemon command
// module only when it runs.
import { type Command, InvalidArgumentError, Option } from 'commander';

/** `--deadline <ms>`: a positive whole number of milliseconds (the daemon commands and doctor take it) */
export function deadlineOption(): Option {
  return new Option('--deadline <ms>', 'give up after this many milliseconds').argParser((value) => {
    if (!/^\d+$/.test(value) || Number(value) <= 0)
      throw new InvalidArgumentError(`takes a positive number of milliseconds, got ${JSON.stringify(value)}`);
    return value;
  });
}

export function registerDaemonCommands(program: Command, json: () => Option, setCode: (code: number) => void): void {
  const daemon = program.command('daemon').description('start, stop and inspect the background daemon');
  const cmd = () => import('./daemon.js');

  daemon
    .command('start')
    .description('start the daemon unless one is running (idempotent; says which)')
    .addOption(json())
    .addOption(deadlineOption())
    .action(async (o) => setCode(await (await cmd()).start(o)));
  daemon
    .command('stop')
    .description('stop the daemon and wait until it has exited; nothing running is not an error')
    .addOption(json())
    .addOption(deadlineOption())
    .option('--force', 'kill a daemon that does not answer (by its verified pid)')
    .action(async (o) => setCode(await (await cmd()).stop(o)));
  daemon
    .command('restart')
    .description('stop the daemon if running, then start one')
    .addOption(json())
    .addOption(deadlineOption())
    .option('--force', 'kill a daemon that does not answer (by its verified pid)')
    .action(async (o) => setCode(await (await cmd()).restart(o)));
  daemon
    .command('status')
    .description('show whether a daemon runs, its identity and counters (exit 3 if none)')
    .addOption(json())
    .addOption(deadlineOption())
    .action(async (o) => setCode(await (await cmd()).status(o)));
  daemon
    .command('logs')
    .description("print the end of the daemon's log")
    .option('-f, --follow', 'keep printing new lines')
    .option('-n, --lines <n>', 'how many lines', '50')
    .action(async (o) => setCode(await (await cmd()).logs({ json: false, ...o })));
}

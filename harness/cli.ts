#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
// `pnpm harness <command>`. Each command lives in its own module, imported only when named, so `reproduce`
// never loads the bench or fault code. Other commands register here: name → loader of a commander Command.
import { exitQuietlyOnEpipe } from '../src/cli/epipe.js';
import { EXIT } from './engine/exit-codes.js';

type CommandLoader = () => Promise<Command>;

export const COMMANDS: Record<string, { summary: string; load: CommandLoader }> = {
  reproduce: {
    summary: 'release N concurrent clients per round and check that exactly one daemon runs',
    load: async () => (await import('./reproduce/command.js')).reproduceCommand(),
  },
  report: {
    summary: 're-render report.html from a run directory (default reports/latest)',
    load: async () => {
      const { runReportCommand, DEFAULT_RUN_DIR } = await import('./report/command.js');
      return new Command('report')
        .description("Re-render report.html from a run's results.json.")
        .argument('[run-dir]', 'run directory', DEFAULT_RUN_DIR)
        .action(async (runDir: string) => {
          process.exitCode = await runReportCommand({ runDir });
        });
    },
  },
  bench: {
    summary: 'measure the DESIGN §8 performance figures beside their floors and peers',
    load: async () => (await import('./bench/command.js')).benchCommand(),
  },
  fault: {
    summary:
      'inject faults (crashed, killed, paused or reused owners, leftover sockets, damaged state files) and check the invariants',
    load: async () => (await import('./fault-injection/command.js')).faultCommand(),
  },
  serial: {
    summary:
      'monitors and deploys against one pty device, through one hardened daemon or naive duplicates; checks I8 (serial exclusivity)',
    load: async () => (await import('./serial/command.js')).serialCommand(),
  },
  targets: {
    summary: "list the target profiles (other people's daemons: nx, eslint_d, …) and whether each is installed",
    load: async () => (await import('./targets/command.js')).targetsCommand(),
  },
  survey: {
    summary:
      'the same workload against every listed target (pm2, prettierd, nx, eslint_d, lockfile, fbuild-py, ours …): one table, one JUnit, one report',
    load: async () => (await import('./survey/command.js')).surveyCommand(),
  },
  merge: {
    summary: 'join the run dirs of the shards of one run (--shard i/n) into one, as if one run had made them',
    load: async () => (await import('./merge/command.js')).mergeCommand(),
  },
  stress: {
    summary:
      'many rounds of a random mix of client operations with faults injected at random; every invariant checked each round',
    load: async () => (await import('./stress/command.js')).stressCommand(),
  },
};

async function main(argv: string[]): Promise<void> {
  const program = new Command('harness')
    .description('The fbuild daemon test rig.')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.OK} expectation held, ${EXIT.FAILED} it did not, ${EXIT.USAGE} bad usage or rig error.\n`,
    );
  const name = argv[2];
  const entry = name !== undefined ? COMMANDS[name] : undefined;
  if (entry) {
    program.addCommand((await entry.load()).exitOverride());
  } else {
    // help / unknown command: list every command without loading any of them
    for (const [n, c] of Object.entries(COMMANDS)) program.command(n).description(c.summary);
  }
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; everything commander rejects is bad usage
      process.exitCode = err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
      return;
    }
    throw err;
  }
  if (!entry && name === undefined) {
    program.outputHelp();
    process.exitCode = EXIT.USAGE;
  }
}

exitQuietlyOnEpipe();
main(process.argv).catch((err: unknown) => {
  process.stderr.write(`harness: rig error: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exitCode = EXIT.USAGE;
});

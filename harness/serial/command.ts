// `harness serial`: the command's options, help and exit codes.
import { Command, Option } from 'commander';
import { FbuildError } from '../../src/errors.js';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import type { SerialRunOptions } from './results.js';

interface Raw {
  strategy: 'hardened' | 'naive';
  expect?: 'single' | 'race';
  rounds: string;
  deploys: string;
  monitors: string;
  imageBytes: string;
  baud: string;
  out: string;
}

function int(name: string, v: string, min: number, max: number): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n < min || n > max)
    throw new FbuildError('BAD_OPTION', `--${name} takes an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

function resolve(raw: Raw): SerialRunOptions {
  return {
    strategy: raw.strategy,
    expect: raw.expect ?? (raw.strategy === 'naive' ? 'race' : 'single'),
    rounds: int('rounds', raw.rounds, 1, 1000),
    deploys: int('deploys', raw.deploys, 1, 50),
    monitors: int('monitors', raw.monitors, 0, 200),
    imageBytes: int('image-bytes', raw.imageBytes, 1, 64 * 1024 * 1024),
    baud: int('baud', raw.baud, 300, 20_000_000),
    out: raw.out,
  };
}

export function serialCommand(): Command {
  return new Command('serial')
    .description(
      'One pty device (socat), M monitors and K deploys released together against its port: through one hardened daemon, or through naive duplicate daemons that each open the port. Checks I8 from the event history and from /proc/PID/fd holders of the pty.',
    )
    .addOption(
      new Option(
        '--strategy <name>',
        'hardened: fbuild clients of one daemon; naive: duplicate daemons, each opening the port without a lock',
      )
        .choices(['hardened', 'naive'])
        .default('hardened'),
    )
    .addOption(
      new Option(
        '--expect <what>',
        'single: I8 held and every client was served (default for hardened); race: I8 was broken in every round (default for naive)',
      ).choices(['single', 'race']),
    )
    .option('--rounds <n>', 'rounds, each with a fresh device, state directory and event log', '2')
    .option('--deploys <n>', 'concurrent deploys per round', '3')
    .option('--monitors <n>', 'concurrent monitors per round', '5')
    .option('--image-bytes <n>', 'firmware image size', '16384')
    .option('--baud <n>', 'the simulated device answers as fast as a UART at this rate', '460800')
    .option('--out <dir>', 'reports root: writes <dir>/<run-id>/ and points <dir>/latest at it', 'reports')
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.OK} the expectation held in every round, ${EXIT.FAILED} it did not, ${EXIT.USAGE} bad usage or rig error.\nNeeds socat (Debian package socat).\n`,
    )
    .action(async (raw: Raw) => {
      const opts = optionsOrUsage(() => resolve(raw));
      if (opts === null) return;
      const { runSerial } = await import('./run.js');
      const { passed, runDir } = await runSerial(opts, (l) => process.stdout.write(`${l}\n`));
      process.stdout.write(`serial[${opts.strategy}] expect ${opts.expect}: ${passed ? 'PASS' : 'FAIL'} — ${runDir}\n`);
      process.exitCode = passed ? EXIT.OK : EXIT.FAILED;
    });
}

// `harness serial`: the command's options, help and exit codes. Each round is the serial scenario
// (scenarios/serial/) run by the engine like every other command's: the same census and sweep of daemons,
// checkers (I1–I8), reporters, temp-dir clean-up and SIGINT handling.
import { Command, Option } from 'commander';
import { EXIT, optionsOrUsage } from '../engine/exit-codes.js';
import type { RoundResult, RunResult } from '../engine/results.js';
import type { RunOptions } from '../engine/round/plan.js';
import { median } from '../engine/stats.js';
import { intOption, resolveOptions } from '../options.js';
import type { SerialLoad } from '../scenarios/serial/types.js';

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

function resolve(raw: Raw): { opts: RunOptions; load: SerialLoad } {
  const opts = resolveOptions({ strategy: raw.strategy, expect: raw.expect, rounds: raw.rounds, out: raw.out });
  const load: SerialLoad = {
    hardened: raw.strategy === 'hardened',
    deploys: intOption('deploys', raw.deploys, 3, 1, 50),
    monitors: intOption('monitors', raw.monitors, 5, 0, 200),
    imageBytes: intOption('image-bytes', raw.imageBytes, 16_384, 1, 64 * 1024 * 1024),
    baud: intOption('baud', raw.baud, 460_800, 300, 20_000_000),
  };
  // the round's clients are the session's own processes (monitors, deploys), not the pool's workers
  return { opts: { ...opts, rounds: intOption('rounds', raw.rounds, 2, 1, 1000), workers: 0 }, load };
}

export function serialCommand(): Command {
  return new Command('serial')
    .description(
      'One pty device (socat), M monitors and K deploys released together against its port: through one hardened daemon, or through naive duplicate daemons that each open the port. Checks I8 from the event history and from /proc/PID/fd holders of the pty, and I1–I7 of the hardened daemon.',
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
        'single: every invariant held and every client was served (default for hardened); race: I8 was broken in every round (default for naive)',
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
    .action(serial);
}

async function serial(raw: Raw): Promise<void> {
  const resolved = optionsOrUsage(() => resolve(raw));
  if (resolved === null) return;
  const { opts, load } = resolved;
  const { runRounds } = await import('../engine/run/index.js');
  const { loadStrategy } = await import('../strategies/index.js');
  const { serialSession } = await import('../scenarios/serial/session.js');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const { result, runDir } = await runRounds({
    command: 'serial',
    label: `serial-${opts.strategy}`,
    opts,
    strategy: await loadStrategy(opts.strategy),
    scenario: serialSession(load),
    recorded: { ...load },
    progress: (r) => say(progressLine(r, opts.rounds)),
  });
  for (const line of medians(result, load)) say(line);
  const passed = result.summary.exitCode === 0;
  say(`serial[${opts.strategy}] expect ${opts.expect}: ${passed ? 'PASS' : 'FAIL'} — ${runDir}`);
  process.exitCode = passed ? EXIT.OK : EXIT.FAILED;
}

function progressLine(round: RoundResult, rounds: number): string {
  const s = round.serial;
  const what = s
    ? `${s.deploys.ok}/${s.deploys.ok + s.deploys.failed} deploys ok, ${s.monitors.streamedAfter}/${s.monitors.clients} monitors streaming after, peak pty holders ${s.holderPeak}`
    : 'no session';
  const seen = round.violations.map((v) => `${v.invariant}: ${v.message}`);
  return `round ${round.round}/${rounds} ${round.ok ? 'ok' : 'FAILED'}: ${what}${seen.length > 0 ? `\n    ${seen.slice(0, 4).join('\n    ')}` : ''}`;
}

function medians(result: RunResult, load: SerialLoad): string[] {
  const resume = result.roundResults.flatMap((r) => r.serial?.resumeMs ?? []);
  const rate = result.roundResults.flatMap((r) => r.serial?.throughputBps ?? []);
  return [
    ...(resume.length === 0
      ? []
      : [
          `monitors streaming again after a deploy's DONE: median ${Math.round(median(resume))} ms, max ${Math.round(Math.max(...resume))} ms (${resume.length} monitor×deploy pairs)`,
        ]),
    ...(rate.length === 0
      ? []
      : [
          `built-in deploy transfer at a ${load.baud}-baud device: median ${Math.round(median(rate))} bytes/s (${rate.length} deploys)`,
        ]),
  ];
}

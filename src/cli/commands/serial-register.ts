// Registers `ports`, `monitor` and `deploy` on the fbuild program. Each action imports its command module only
// when it runs.
import { type Command, Option } from 'commander';
import { parseBaud, parseRegex, parseSeconds } from './serial-options.js';

export function registerSerialCommands(program: Command, json: () => Option, setCode: (code: number) => void): void {
  const port = () => new Option('-p, --port <path>', 'serial port (e.g. /dev/ttyUSB0, COM3)').makeOptionMandatory();
  const baud = () => new Option('-b, --baud <rate>', 'baud rate (default 115200)').argParser(parseBaud);
  program
    .command('ports')
    .description('list serial ports and who holds each through the daemon (deploy, monitors; client pids)')
    .addOption(json())
    .action(async (o) => setCode(await (await import('./ports.js')).ports(o)));
  program
    .command('monitor')
    .description("stream a serial port's lines (shared with other monitors through the daemon's one handle)")
    .addOption(port())
    .addOption(baud())
    .addOption(
      new Option('--expect <re>', 'exit 0 at the first line matching this regular expression').argParser(parseRegex),
    )
    .addOption(
      new Option('--fail <re>', 'exit 8 at the first line matching this regular expression').argParser(parseRegex),
    )
    .addOption(
      new Option('--timeout <s>', 'stop after this many seconds (exit 9 if an --expect did not match)').argParser(
        parseSeconds,
      ),
    )
    .option('--reconnect', 'when the device goes away (unplug, reset), wait for it to come back instead of exiting')
    .option('-q, --quiet', 'no notices (paused/resumed/gone) on stderr')
    .action(async (o) => setCode(await (await import('./monitor.js')).monitor(o)));
  program
    .command('deploy <image>')
    .description(
      'write a firmware image (a regular file, at most 64 MiB) to a device: monitors pause, other deploys queue, then it waits for the boot line',
    )
    .addOption(port())
    .addOption(baud())
    .addOption(json())
    .option(
      '--uploader <cmd>',
      'run this command instead of the built-in protocol, e.g. "esptool.py --port {port} write_flash 0x0 {image}"; ' +
        "{port} and {image} reach it as values, never as command text (POSIX: sh's $1/$2, one argument each, " +
        'bare or inside quotes; Windows: write them unquoted, fbuild quotes them)',
    )
    .addOption(
      new Option('--boot <re>', 'the boot line to wait for (built-in default: \\bready\\b; uploader: none)').argParser(
        parseRegex,
      ),
    )
    .addOption(
      new Option('--boot-timeout <s>', 'how long to wait for the boot line (default 10)').argParser(parseSeconds),
    )
    .addOption(
      new Option('--wait <s>', 'how long to wait in the port queue behind other deploys (default 60)').argParser(
        parseSeconds,
      ),
    )
    .action(async (image: string, o) => setCode(await (await import('./deploy.js')).deploy(image, o)));
}

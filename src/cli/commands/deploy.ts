// `fbuild deploy <image> --port P`: the daemon takes the port's writer lease (queued behind other deploys,
// monitors paused), sends the image with the built-in protocol or runs --uploader with the port handed over,
// waits for the boot line, and releases. Progress and the uploader's output go to stderr; the result to stdout.
import { isAbsolute, resolve } from 'node:path';
import { done, failed, type Out } from '../output.js';
import { requestDeadlineMs } from './serial-options.js';

export interface DeployCmdOptions extends Out {
  port: string;
  baud?: number;
  uploader?: string;
  boot?: string;
  bootTimeout?: number;
  wait?: number;
}

export async function deploy(imageArg: string, opts: DeployCmdOptions): Promise<number> {
  const image = isAbsolute(imageArg) ? imageArg : resolve(imageArg);
  const waitMs = Math.round((opts.wait ?? 60) * 1000);
  const bootTimeoutMs = Math.round((opts.bootTimeout ?? 10) * 1000);
  const say = (s: string) => process.stderr.write(`${s}\n`);
  try {
    const { requestDaemon } = await import('../../daemon/client/request.js');
    const params = {
      port: opts.port,
      baudRate: opts.baud,
      image,
      uploader: opts.uploader,
      boot: opts.boot,
      bootTimeoutMs,
      waitMs,
      clientPid: process.pid,
    };
    let lastPct = -1;
    const { result: r } = await requestDaemon('deploy', params, {
      deadlineMs: requestDeadlineMs(waitMs + bootTimeoutMs + 10 * 60_000),
      onEvent: (event) => {
        if ('lagging' in event)
          say(`fbuild deploy: lagging: ${event.lagging.dropped} progress or uploader lines dropped`);
        else if ('uploader' in event) process.stderr.write(`  | ${event.uploader.line}\n`);
        else if ('progress' in event) {
          const pct = Math.floor((100 * event.progress.sent) / Math.max(1, event.progress.total));
          if (pct !== lastPct) say(`fbuild deploy: ${event.progress.sent}/${event.progress.total} bytes (${pct} %)`);
          lastPct = pct;
        } else if (event.phase === 'queued') say(`fbuild deploy: port busy, queued (position ${event.position})`);
        else if (event.phase === 'uploading') say(`fbuild deploy: running ${event.command}`);
        else say(`fbuild deploy: ${event.phase}`);
      },
    });
    const human = `deployed ${r.bytes} bytes to ${r.port} (${r.mode}) in ${r.writeMs} ms${r.transfer ? `, ${r.transfer.resent} frame(s) resent` : ''}${r.bootLine ? `; booted: ${r.bootLine}` : ''}`;
    return done(opts, { deploy: r }, human);
  } catch (err) {
    return failed(opts, err);
  }
}

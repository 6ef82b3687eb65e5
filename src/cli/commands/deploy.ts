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

export async function deploy(imageArg: string, o: DeployCmdOptions): Promise<number> {
  const image = isAbsolute(imageArg) ? imageArg : resolve(imageArg);
  const waitMs = Math.round((o.wait ?? 60) * 1000);
  const bootTimeoutMs = Math.round((o.bootTimeout ?? 10) * 1000);
  const say = (s: string) => process.stderr.write(`${s}\n`);
  try {
    const { requestDaemon } = await import('../../daemon/client/request.js');
    const params = {
      port: o.port,
      baudRate: o.baud,
      image,
      uploader: o.uploader,
      boot: o.boot,
      bootTimeoutMs,
      waitMs,
      clientPid: process.pid,
    };
    let lastPct = -1;
    const { result: r } = await requestDaemon('deploy', params, {
      deadlineMs: requestDeadlineMs(waitMs + bootTimeoutMs + 10 * 60_000),
      onEvent: (e) => {
        if ('lagging' in e) say(`fbuild deploy: lagging: ${e.lagging.dropped} progress or uploader lines dropped`);
        else if ('uploader' in e) process.stderr.write(`  | ${e.uploader.line}\n`);
        else if ('progress' in e) {
          const pct = Math.floor((100 * e.progress.sent) / Math.max(1, e.progress.total));
          if (pct !== lastPct) say(`fbuild deploy: ${e.progress.sent}/${e.progress.total} bytes (${pct} %)`);
          lastPct = pct;
        } else if (e.phase === 'queued') say(`fbuild deploy: port busy, queued (position ${e.position})`);
        else if (e.phase === 'uploading') say(`fbuild deploy: running ${e.command}`);
        else say(`fbuild deploy: ${e.phase}`);
      },
    });
    const human = `deployed ${r.bytes} bytes to ${r.port} (${r.mode}) in ${r.writeMs} ms${r.transfer ? `, ${r.transfer.resent} frame(s) resent` : ''}${r.bootLine ? `; booted: ${r.bootLine}` : ''}`;
    return done(o, { deploy: r }, human);
  } catch (err) {
    return failed(o, err);
  }
}

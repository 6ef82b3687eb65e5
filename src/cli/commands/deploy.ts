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
    const { result } = await requestDaemon('deploy', params, {
      deadlineMs: requestDeadlineMs(waitMs + bootTimeoutMs + 10 * 60_000),
      onEvent: (data) => {
        const e = data as {
          phase?: string;
          position?: number;
          progress?: { sent: number; total: number };
          uploader?: { stream: string; line: string };
          command?: string;
          lagging?: { dropped: number };
        };
        if (e.lagging) say(`fbuild deploy: lagging: ${e.lagging.dropped} progress or uploader lines dropped`);
        else if (e.uploader) process.stderr.write(`  | ${e.uploader.line}\n`);
        else if (e.progress) {
          const pct = Math.floor((100 * e.progress.sent) / Math.max(1, e.progress.total));
          if (pct !== lastPct) say(`fbuild deploy: ${e.progress.sent}/${e.progress.total} bytes (${pct} %)`);
          lastPct = pct;
        } else if (e.phase === 'queued') say(`fbuild deploy: port busy, queued (position ${e.position})`);
        else if (e.phase === 'uploading') say(`fbuild deploy: running ${e.command}`);
        else if (e.phase) say(`fbuild deploy: ${e.phase}`);
      },
    });
    const r = result as {
      port: string;
      mode: string;
      bytes: number;
      writeMs: number;
      bootMs: number;
      queuedMs: number;
      bootLine: string | null;
      transfer: { resent: number } | null;
    };
    const human = `deployed ${r.bytes} bytes to ${r.port} (${r.mode}) in ${r.writeMs} ms${r.transfer ? `, ${r.transfer.resent} frame(s) resent` : ''}${r.bootLine ? `; booted: ${r.bootLine}` : ''}`;
    return done(o, { deploy: r }, human);
  } catch (err) {
    return failed(o, err);
  }
}

// `fbuild monitor --port P`: the port's lines on stdout, through the daemon's one shared handle. --expect RE
// exits 0 at the first match, --fail RE exits 8 at a match, --timeout S ends it (exit 9 when an --expect was
// waited for in vain, 0 otherwise). Pauses for a deploy and device resets are told on stderr; with
// --reconnect a vanished device is waited for instead of ending the monitor (exit 10). A monitor that reads more
// slowly than its device talks (stopped, or its output piped into something slow) loses lines rather than make the
// daemon hold them: it is told how many on stderr ("lagging: N lines or notices dropped"), even with --quiet.
import { EXIT } from '../exit-codes.js';
import { failed } from '../output.js';
import { requestDeadlineMs } from './serial-options.js';

export interface MonitorCmdOptions {
  port: string;
  baud?: number;
  expect?: string;
  fail?: string;
  timeout?: number;
  reconnect?: boolean;
  quiet?: boolean;
}

export async function monitor(opts: MonitorCmdOptions): Promise<number> {
  const timeoutMs = opts.timeout === undefined ? 0 : Math.round(opts.timeout * 1000);
  try {
    const { requestDaemon } = await import('../../daemon/client/request.js');
    const params = {
      port: opts.port,
      baudRate: opts.baud,
      expect: opts.expect,
      fail: opts.fail,
      timeoutMs,
      reconnect: opts.reconnect === true,
      clientPid: process.pid,
    };
    const { result: r } = await requestDaemon('monitor', params, {
      deadlineMs: requestDeadlineMs(timeoutMs),
      onEvent: (event) => {
        if ('line' in event) process.stdout.write(`${event.line}\n`);
        else if ('lagging' in event)
          process.stderr.write(
            `fbuild monitor: lagging: ${event.lagging.dropped} lines or notices dropped (this monitor read too slowly)\n`,
          );
        else if (opts.quiet !== true) process.stderr.write(`fbuild monitor: ${event.notice}: ${event.detail}\n`);
      },
    });
    if (r.outcome === 'fail') {
      process.stderr.write(`fbuild monitor: --fail matched: ${r.line}\n`);
      return EXIT.monitorFailed;
    }
    if (r.outcome === 'timeout' && opts.expect !== undefined) {
      process.stderr.write(
        `fbuild monitor: no line matched --expect ${opts.expect} within ${opts.timeout} s [MONITOR_TIMEOUT]\n`,
      );
      return EXIT.monitorTimeout;
    }
    return EXIT.ok;
  } catch (err) {
    return failed({ json: false }, err);
  }
}

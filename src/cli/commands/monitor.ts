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

export async function monitor(o: MonitorCmdOptions): Promise<number> {
  const timeoutMs = o.timeout === undefined ? 0 : Math.round(o.timeout * 1000);
  try {
    const { requestDaemon } = await import('../../daemon/client/request.js');
    const params = {
      port: o.port,
      baudRate: o.baud,
      expect: o.expect,
      fail: o.fail,
      timeoutMs,
      reconnect: o.reconnect === true,
      clientPid: process.pid,
    };
    const { result: r } = await requestDaemon('monitor', params, {
      deadlineMs: requestDeadlineMs(timeoutMs),
      onEvent: (e) => {
        if ('line' in e) process.stdout.write(`${e.line}\n`);
        else if ('lagging' in e)
          process.stderr.write(
            `fbuild monitor: lagging: ${e.lagging.dropped} lines or notices dropped (this monitor read too slowly)\n`,
          );
        else if (o.quiet !== true) process.stderr.write(`fbuild monitor: ${e.notice}: ${e.detail}\n`);
      },
    });
    if (r.outcome === 'fail') {
      process.stderr.write(`fbuild monitor: --fail matched: ${r.line}\n`);
      return EXIT.monitorFailed;
    }
    if (r.outcome === 'timeout' && o.expect !== undefined) {
      process.stderr.write(
        `fbuild monitor: no line matched --expect ${o.expect} within ${o.timeout} s [MONITOR_TIMEOUT]\n`,
      );
      return EXIT.monitorTimeout;
    }
    return EXIT.ok;
  } catch (err) {
    return failed({ json: false }, err);
  }
}

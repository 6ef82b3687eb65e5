// The `monitor` request: stream the port's lines to this client until a line matches `expect` (outcome
// 'expect') or `fail` (outcome 'fail'), the timeout passes (outcome 'timeout'), the client goes away, or the
// device does (DEVICE_GONE — unless `reconnect`: then it waits for the device to come back).
// Events: {line}, and {notice: 'paused'|'resumed'|'gone'|'reconnected', detail} while a deploy or an unplug
// interrupts the stream.
import { FbuildError, isFbuildError } from '../../../errors.js';
import type { MonitorReply as MonitorOutcome } from '../../shared/protocol/requests.js';
import type { Handler } from '../handler.js';
import { leaseFor } from './lease.js';
import type { PortManager } from './manager.js';
import { monitorParams } from './params.js';

export function createMonitorHandler(manager: PortManager): Handler<'monitor'> {
  return async (params, ctx) => {
    const o = monitorParams(params);
    ctx.fence();
    let state = await manager.port(o.port);
    let lines = 0;
    return new Promise<MonitorOutcome>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      let retry: NodeJS.Timeout | null = null;
      // once ended (a match, the timeout, the client gone, an error), nothing of this monitor may touch the port
      // again: a retry or an open still in flight would otherwise hold the device for a request that is over
      let ended = false;
      const end = (fn: () => void) => {
        if (ended) return;
        ended = true;
        if (timer) clearTimeout(timer);
        if (retry) clearTimeout(retry);
        ctx.signal.removeEventListener('abort', onAbort);
        state.removeMonitor(ctx.id);
        fn();
      };
      const onAbort = () =>
        end(() => reject(ctx.signal.reason ?? new FbuildError('CONNECTION_CLOSED', 'the client went away')));
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const sub = {
        lease: leaseFor(ctx, 'monitor', o.clientPid),
        baudRate: o.baudRate,
        reconnect: o.reconnect,
        line: (text: string) => {
          lines++;
          ctx.emit({ line: text });
          if (o.fail?.test(text)) end(() => resolve({ outcome: 'fail', line: text, port: state.path, lines }));
          else if (o.expect?.test(text)) end(() => resolve({ outcome: 'expect', line: text, port: state.path, lines }));
        },
        notice: (notice: string, detail: string) => ctx.emit({ notice, detail }),
        fail: (err: FbuildError) => end(() => reject(err)),
        moved: (to: typeof state) => void (state = to),
        ended: () => ended,
      };
      if (o.timeoutMs > 0)
        timer = setTimeout(
          () => end(() => resolve({ outcome: 'timeout', line: null, port: state.path, lines })),
          o.timeoutMs,
        );
      let waiting = false;
      const attach = () => {
        if (ended || ctx.signal.aborted) return;
        state.addMonitor(sub).then(
          () => {
            // an ended monitor is not attached (addMonitor asks `ended`), and says nothing more
            if (!ended) ctx.emit({ notice: 'open', detail: `monitoring ${state.path} at ${o.baudRate} baud` });
          },
          (err: unknown) => {
            if (ended) return;
            // --reconnect also waits for a device that is not there yet (a board still enumerating)
            if (!o.reconnect || !(isFbuildError(err, 'PORT_NOT_FOUND') || isFbuildError(err, 'DEVICE_GONE')))
              return end(() => reject(err));
            if (!waiting) ctx.emit({ notice: 'gone', detail: (err as Error).message });
            waiting = true;
            // asked for again by name: the device may be back under another node
            retry = setTimeout(() => {
              retry = null;
              state.removeMonitor(ctx.id); // a state nobody else uses is forgotten
              manager.port(o.port).then(
                (s) => {
                  state = s;
                  if (ended) s.removeMonitor(ctx.id);
                  else attach();
                },
                (e: unknown) => end(() => reject(e)),
              );
            }, manager.reconnectEveryMs);
          },
        );
      };
      attach();
    });
  };
}

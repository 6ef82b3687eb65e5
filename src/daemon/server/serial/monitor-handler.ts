// The `monitor` request: stream the port's lines to this client until a line matches `expect` (outcome
// 'expect') or `fail` (outcome 'fail'), the timeout passes (outcome 'timeout'), the client goes away, or the
// device does (DEVICE_GONE — unless `reconnect`: then it waits for the device to come back).
// Events: {line}, and {notice: 'paused'|'resumed'|'gone'|'reconnected', detail} while a deploy or an unplug
// interrupts the stream.
import type { Handler } from '../handler.js';
import type { PortManager } from './manager.js';
import { runMonitor } from './monitor-run.js';
import { monitorParams } from './params.js';

export function createMonitorHandler(manager: PortManager): Handler<'monitor'> {
  return async (params, ctx) => {
    const o = monitorParams(params);
    ctx.fence();
    return runMonitor(manager, o, ctx, await manager.port(o.port));
  };
}

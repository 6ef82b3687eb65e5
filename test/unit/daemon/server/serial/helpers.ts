// In-process serial service on the mock device (fixtures/serial/mock-device.ts), and a RequestContext a
// test drives by hand: what the daemon's request runner would give a handler.

import type { DeviceOptions } from '../../../../../fixtures/serial/device.js';
import { type MockDevice, mockDevice } from '../../../../../fixtures/serial/mock-device.js';
import type { RequestContext } from '../../../../../src/daemon/server/handler.js';
import { createSerialService } from '../../../../../src/daemon/server/serial/handlers.js';
import { FbuildError } from '../../../../../src/errors.js';
import { every, pollFor } from '../../../../../src/poll.js';
import { writeImage } from '../../../../helpers/serial.js';

export interface Call {
  ctx: RequestContext;
  events: Record<string, unknown>[];
  lines(): string[];
  notices(): string[];
  /** the client disconnects */
  disconnect(): void;
}

let n = 0;
export function call(): Call {
  const ac = new AbortController();
  const events: Record<string, unknown>[] = [];
  const ctx: RequestContext = {
    id: `req${++n}`,
    idempotencyKey: undefined,
    stateDir: '/nonexistent',
    signal: ac.signal,
    fence: () => {},
    emit: (d) => void events.push(d as Record<string, unknown>),
    log: () => {},
  };
  return {
    ctx,
    events,
    lines: () => events.filter((e) => typeof e.line === 'string').map((e) => e.line as string),
    notices: () => events.filter((e) => typeof e.notice === 'string').map((e) => e.notice as string),
    disconnect: () => ac.abort(new FbuildError('CONNECTION_CLOSED', 'the client disconnected')),
  };
}

export function serialOnMock(opts: DeviceOptions = {}): {
  dev: MockDevice;
  svc: ReturnType<typeof createSerialService>;
} {
  const dev = mockDevice(opts);
  const svc = createSerialService({
    loadSerial: async () => ({ binding: dev.binding, list: async () => [{ path: dev.path }] }),
    reconnectEveryMs: 20,
  });
  return { dev, svc };
}

/** a firmware image of `bytes` bytes in `dir` */
export const image = (dir: string, bytes: number): string => writeImage(dir, bytes);

export async function until(probe: () => boolean, what: string, ms = 30_000): Promise<void> {
  if (!(await pollFor(probe, ms, every(5)))) throw new Error(`timed out waiting for ${what}`);
}

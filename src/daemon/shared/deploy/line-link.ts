// The device side of a deploy link as the sender sees it: lines in (from a serial port, a pty, a child's stdout),
// protocol frames out, one waiter at a time. Anything that is not a frame (boot log, heartbeat) is dropped here.
import { type DeviceFrame, parseDeviceFrame } from './frames.js';
import type { Link } from './send-image.js';

/** A Link over a stream of lines: frames queue up until read; `fail` ends every wait with that error. */
export class LineLink implements Link {
  readonly #frames: DeviceFrame[] = [];
  #waiter: ((f: DeviceFrame | null) => void) | null = null;
  #failed: Error | null = null;
  #failWaiter: ((e: Error) => void) | null = null;

  constructor(readonly write: (data: string) => Promise<void>) {}

  line(text: string): void {
    const f = parseDeviceFrame(text);
    if (!f) return;
    if (this.#waiter) this.#waiter(f);
    else this.#frames.push(f);
  }

  fail(err: Error): void {
    this.#failed ??= err;
    this.#failWaiter?.(err);
  }

  nextFrame(timeoutMs: number): Promise<DeviceFrame | null> {
    if (this.#failed) return Promise.reject(this.#failed);
    const queued = this.#frames.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        this.#waiter = null;
        this.#failWaiter = null;
      };
      const timer = setTimeout(() => {
        finish();
        resolve(null);
      }, timeoutMs);
      this.#waiter = (frame) => {
        finish();
        resolve(frame);
      };
      this.#failWaiter = (err) => {
        finish();
        reject(err);
      };
    });
  }
}

// Waiting for a line that matches (the device's boot line after a deploy), bounded, and ended early when the
// device or the client goes away. Deploy-protocol frames never count ("!FB READY" is not the device booting).
import { FbuildError } from '../../../errors.js';
import { isProtocolLine } from '../../shared/deploy/frames.js';

export function waitForLine(pattern: RegExp | null) {
  let armed = false;
  let seen: string | null = null;
  let notify: ((line: string) => void) | null = null;
  return {
    arm: () => void (armed = true),
    line(text: string) {
      if (!armed || seen !== null || isProtocolLine(text) || !pattern?.test(text)) return;
      seen = text;
      notify?.(text);
    },
    wait(timeoutMs: number, signals: AbortSignal[], when: string): Promise<string> {
      if (seen !== null) return Promise.resolve(seen);
      return new Promise<string>((resolve, reject) => {
        const cleanup = () => {
          clearTimeout(timer);
          for (const s of signals) s.removeEventListener('abort', onAbort);
          notify = null;
        };
        const onAbort = (ev: Event) => {
          cleanup();
          reject((ev.target as AbortSignal).reason);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new FbuildError('BOOT_TIMEOUT', `no line matching ${String(pattern)} within ${timeoutMs} ms ${when}`, {
              pattern: String(pattern),
              timeoutMs,
            }),
          );
        }, timeoutMs);
        for (const s of signals) {
          if (s.aborted) return onAbort({ target: s } as unknown as Event);
          s.addEventListener('abort', onAbort, { once: true });
        }
        notify = (line) => {
          cleanup();
          resolve(line);
        };
      });
    },
  };
}

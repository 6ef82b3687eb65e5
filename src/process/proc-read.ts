// Reading a /proc file whole: the kit's one reader of their text. The kernel reports a size of 0 for them, so
// readFileSync takes its unknown-size path (fstat, a 64 KiB buffer per read, the pieces joined); here it is
// open, reads into one reused 4 KiB buffer (a bigger one, doubled as needed and not kept, for a long cmdline or
// environ) and close. Measured: a fresh process's first read of its own /proc/self/stat 1.46 ms of CPU with
// readFileSync, 0.73 ms this way; /proc/PID/stat of a live pid, read and parsed, 25–30 µs then, 16–17 now
// (docs/bench.md, 2026-12-07 afternoon). Errors are the fs calls' own (ENOENT for a pid that is gone, EACCES).
import { closeSync, openSync, readSync } from 'node:fs';

const FIRST_BYTES = 4096;
let scratch: Buffer | undefined;

export function readProcText(path: string, encoding: 'latin1' | 'utf8'): string {
  const fd = openSync(path, 'r');
  try {
    scratch ??= Buffer.allocUnsafe(FIRST_BYTES);
    let buf = scratch;
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return buf.toString(encoding, 0, n);
  } finally {
    closeSync(fd);
  }
}

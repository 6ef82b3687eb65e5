// `fbuild daemon logs [-n N] [-f]`: the tail of daemon.log, optionally following it (polling its size, so it
// also works across the daemon's log rotation and on filesystems without change notifications).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { sleep } from '../clock.js';

function readFrom(path: string, offset: number): { text: string; end: number } {
  const size = statSync(path).size;
  if (size <= offset) return { text: '', end: size };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    return { text: buf.toString('utf8'), end: size };
  } finally {
    closeSync(fd);
  }
}

export async function printLog(path: string, o: { follow: boolean; lines: number }): Promise<number> {
  if (!existsSync(path) && !o.follow) {
    process.stderr.write(`fbuild: no daemon log yet at ${path}\n`);
    return 0;
  }
  let offset = 0;
  if (existsSync(path)) {
    const { text, end } = readFrom(path, 0);
    const lines = text.split('\n').filter(Boolean);
    process.stdout.write(
      lines
        .slice(-Math.max(0, o.lines))
        .map((l) => l + '\n')
        .join(''),
    );
    offset = end;
  }
  while (o.follow) {
    await sleep(250);
    if (!existsSync(path)) continue;
    if (statSync(path).size < offset) offset = 0; // rotated
    const { text, end } = readFrom(path, offset);
    process.stdout.write(text);
    offset = end;
  }
  return 0;
}

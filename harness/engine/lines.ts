// Lines out of a byte stream (a child's stdout, a socket), with the kit's own splitter (src: one cut at a bound
// for a line that never ends, invalid UTF-8 shown, a trailing CR dropped): the rig splits every stream this way.
import type { Readable } from 'node:stream';
import { LineSplitter } from '../../src/index.js';

/** Calls `onLine` with each complete line `stream` delivers (a last line without its newline is not one). */
export function eachLine(stream: Readable, onLine: (line: string) => void, maxLineBytes = 1024 * 1024): void {
  const splitter = new LineSplitter(onLine, maxLineBytes);
  stream.on('data', (chunk: Buffer | string) => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
}

/** The first line `stream` delivers, or null when it ends without one. */
export function firstLine(stream: Readable): Promise<string | null> {
  return new Promise((resolve) => {
    eachLine(stream, (line) => resolve(line));
    stream.once('close', () => resolve(null));
  });
}

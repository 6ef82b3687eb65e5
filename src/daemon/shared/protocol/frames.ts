// NDJSON framing (DESIGN §5): one JSON object per line. The decoder works on raw bytes and decodes UTF-8 only
// once a whole line is in, so a multi-byte character split across socket chunks is never mangled. Memory is
// bounded by maxFrameBytes per connection: an oversize line is reported once and then skipped, not buffered,
// so one bad peer cannot make the daemon allocate without limit and the connection stays usable.
import { FbuildError } from '../../../errors.js';

export type FrameResult = { ok: true; value: unknown } | { ok: false; error: FbuildError };

// One decoder for every connection: decode() without {stream: true} keeps no state between calls, and a
// TextDecoder per connection would cost more than the rest of a short connection's framing.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const NEWLINE = 0x0a;
const CR = 0x0d;
const EMPTY = Buffer.alloc(0);
/** Buffers grown past this for one big frame are dropped afterwards, so idle connections stay small. */
const KEEP_CAPACITY = 64 * 1024;

/** JSON.stringify escapes every control character inside strings, so the only raw newline is the terminator. */
export function encodeFrame(msg: object): string {
  return JSON.stringify(msg) + '\n';
}

export class FrameDecoder {
  #max: number;
  // The incomplete line is COPIED into one growable buffer, never kept as slices of socket chunks: a slice
  // would pin its whole 64 KiB chunk, so a peer sending many chunks that each end in one stray byte could
  // make a few counted bytes hold gigabytes. Capacity never exceeds the limit.
  #buf: Buffer = EMPTY;
  #size = 0;
  /** inside an oversize line that was already reported: drop bytes until the next newline */
  #discarding = false;

  /** @param maxFrameBytes the most bytes one line may hold, not counting its '\n' (a '\r' before it counts) */
  constructor(maxFrameBytes: number) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 1) {
      throw new FbuildError('BAD_OPTION', `maxFrameBytes must be a positive integer, got ${String(maxFrameBytes)}`, {
        maxFrameBytes,
      });
    }
    this.#max = maxFrameBytes;
  }

  /** Raise (or lower) the limit for the lines that follow, e.g. once a peer has authenticated. */
  setLimit(maxFrameBytes: number): void {
    if (Number.isInteger(maxFrameBytes) && maxFrameBytes >= 1) this.#max = maxFrameBytes;
  }

  /** Bytes of an incomplete line held right now (never more than maxFrameBytes). */
  get bufferedBytes(): number {
    return this.#size;
  }

  /** Bytes of memory the decoder holds on to between pushes (never more than maxFrameBytes). */
  get retainedBytes(): number {
    return this.#buf.length;
  }

  push(chunk: Buffer): FrameResult[] {
    const out: FrameResult[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      if (this.#discarding) {
        if (nl !== -1) this.#discarding = false;
      } else if (this.#size + (end - start) > this.#max) {
        out.push({ ok: false, error: this.#tooLarge(this.#size + (end - start)) });
        this.#reset();
        this.#discarding = nl === -1;
      } else if (nl === -1) {
        this.#append(chunk, start, end);
      } else {
        let line = chunk.subarray(start, end);
        if (this.#size > 0) {
          this.#append(chunk, start, end);
          line = this.#buf.subarray(0, this.#size);
        }
        const result = this.#decodeLine(line);
        this.#reset();
        if (result !== null) out.push(result);
      }
      if (nl === -1) break;
      start = nl + 1;
    }
    return out;
  }

  #append(chunk: Buffer, start: number, end: number): void {
    const needed = this.#size + (end - start);
    if (needed > this.#buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.#max, Math.max(needed, this.#buf.length * 2, 256)));
      this.#buf.copy(grown, 0, 0, this.#size);
      this.#buf = grown;
    }
    chunk.copy(this.#buf, this.#size, start, end);
    this.#size = needed;
  }

  #reset(): void {
    this.#size = 0;
    if (this.#buf.length > KEEP_CAPACITY) this.#buf = EMPTY;
  }

  #decodeLine(raw: Buffer): FrameResult | null {
    const line = raw.length > 0 && raw[raw.length - 1] === CR ? raw.subarray(0, raw.length - 1) : raw;
    let text: string;
    try {
      text = UTF8.decode(line);
    } catch {
      return { ok: false, error: new FbuildError('BAD_FRAME', 'frame is not valid UTF-8', { bytes: raw.length }) };
    }
    // Blank lines (keep-alives, a stray CRLF) carry nothing and are not an error.
    if (text.trim() === '') return null;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return {
        ok: false,
        error: new FbuildError('BAD_FRAME', `frame is not valid JSON: ${(err as Error).message}`, {
          bytes: raw.length,
        }),
      };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      return { ok: false, error: new FbuildError('BAD_FRAME', `frame must be a JSON object, got ${kind}`, {}) };
    }
    return { ok: true, value };
  }

  #tooLarge(seen: number): FbuildError {
    return new FbuildError(
      'FRAME_TOO_LARGE',
      `frame exceeds the ${this.#max}-byte limit (at least ${seen} bytes); it was discarded`,
      {
        maxFrameBytes: this.#max,
        seenBytes: seen,
      },
    );
  }
}

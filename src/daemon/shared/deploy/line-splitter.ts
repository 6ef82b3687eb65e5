// Bytes from a serial port as text lines. A device that never sends a newline (binary output, a wedged UART)
// must not make the daemon buffer without bound: a line is cut at maxLineBytes. Invalid UTF-8 becomes U+FFFD —
// monitors show what the device sent, they never fail on it.
const NEWLINE = 0x0a;

export class LineSplitter {
  #parts: Buffer[] = [];
  #size = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes = 16 * 1024,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl === -1 ? chunk.length : nl;
      let from = start;
      while (this.#size + (end - from) > this.maxLineBytes) {
        const take = this.maxLineBytes - this.#size;
        this.#parts.push(chunk.subarray(from, from + take));
        this.#size += take;
        this.#flush();
        from += take;
      }
      if (end > from) {
        // copied: a subarray would pin the whole chunk while a long line builds up
        this.#parts.push(Buffer.from(chunk.subarray(from, end)));
        this.#size += end - from;
      }
      if (nl === -1) break;
      this.#flush();
      start = nl + 1;
    }
  }

  #flush(): void {
    let text = Buffer.concat(this.#parts, this.#size).toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.#parts = [];
    this.#size = 0;
    this.onLine(text);
  }
}

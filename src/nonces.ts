// Random values as lower-case hex, drawn from the CSPRNG many at a time: a randomBytes() call per value costs
// ~8–10 µs (a call into OpenSSL, a fresh buffer, a hex encoding), which showed on two hot paths — a lock
// acquisition (a third of the O_EXCL floor) and every handshake, on both sides. Same generator, same
// unpredictability; only the calls into it and the hex encoding are batched. Each value is handed out once.
import { randomFillSync } from 'node:crypto';

/** A source of `bytes`-byte random values (2 × `bytes` hex digits each), refilled `perRefill` values at a time. */
export function hexNonces(bytes: number, perRefill: number): () => string {
  const pool = Buffer.alloc(bytes * perRefill);
  const width = bytes * 2;
  let hex = '';
  let at = 0;
  return () => {
    if (at === hex.length) {
      hex = randomFillSync(pool).toString('hex');
      at = 0;
    }
    at += width;
    return hex.slice(at - width, at);
  };
}

#!/usr/bin/env node
// The pre-fix serial handling, rebuilt for the rig (never in src/): each duplicate daemon opens the port on its
// own, without an exclusive lock (pyserial's default on POSIX), and deploys or monitors through its own handle.
// Nothing stops a second one from writing into the first one's transfer, or from reading the bytes meant for
// the other. It records the same events as the product so I8 judges both the same way.
// argv: --fbuild-naive-daemon --state-dir=<dir> (the naive strategy's census signature) --fbuild-naive-serial
//       --port P --role deploy|monitor [--image F] [--ms N]
import { readFileSync, realpathSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SerialPort } from 'serialport';
import { emit } from '../../src/events.js';
import { LineLink, LineSplitter, sendImage } from '../../src/index.js';

const { values } = parseArgs({
  options: {
    'fbuild-naive-daemon': { type: 'boolean' },
    'state-dir': { type: 'string' },
    'fbuild-naive-serial': { type: 'boolean' },
    port: { type: 'string' },
    role: { type: 'string' },
    image: { type: 'string' },
    ms: { type: 'string', default: '3000' },
  },
});
const path = values.port!;
const port = realpathSync(path);
const id = `naive${process.pid}`;

async function main(): Promise<number> {
  const sp = new SerialPort({ path, baudRate: 115_200, lock: false, autoOpen: false });
  await new Promise<void>((resolve, reject) => sp.open((err) => (err ? reject(err) : resolve())));
  emit('daemon', 'serial-open', { port });
  const link = new LineLink(
    (data) => new Promise((resolve, reject) => sp.write(data, (err) => (err ? reject(err) : resolve()))),
  );
  let lines = 0;
  const splitter = new LineSplitter((line) => {
    lines++;
    link.line(line);
  });
  sp.on('data', (c: Buffer) => splitter.push(c));
  let ok = true;
  if (values.role === 'deploy') {
    emit('daemon', 'serial-writer-start', { port, id });
    try {
      await sendImage(link, readFileSync(values.image!), { id, chunkBytes: 1024, ackTimeoutMs: 500, retries: 3 });
      emit('client', 'request-acked', { type: 'deploy', id });
    } catch (err) {
      ok = false;
      process.stderr.write(`naive deploy ${id}: ${(err as Error).message}\n`);
    }
    emit('daemon', 'serial-writer-end', { port, id });
  } else {
    await new Promise((r) => setTimeout(r, Number(values.ms)));
  }
  await new Promise((r) => sp.close(r));
  emit('daemon', 'serial-close', { port });
  process.stdout.write(`${JSON.stringify({ id, ok, lines })}\n`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`naive serial ${values.role}: ${(err as Error).message}\n`);
    process.exit(1);
  },
);

// The `deploy` request: wait for the port's writer lease (arrival order, bounded), pause its monitors, send the
// image — over the built-in framed protocol, or by handing the port to an external uploader — wait for the
// device's boot line, release. Events: {phase: 'queued'|'writing'|'uploading'|'booting', …}, {progress},
// {uploader: {stream, line}}. The result says what was sent and how long each part took.

import { randomBytes } from 'node:crypto';
import { FbuildError } from '../../../errors.js';
import { parseDeviceFrame } from '../../shared/deploy/frames.js';
import { LineLink } from '../../shared/deploy/line-link.js';
import { type ImageChunks, sendImage } from '../../shared/deploy/send-image.js';
import type { DeployEvent, DeployReply as DeployResult } from '../../shared/protocol/requests.js';
import type { Handler, RequestContext } from '../handler.js';
import { throttled } from '../install/progress.js';
import { openImage } from './image-source.js';
import { leaseFor } from './lease.js';
import type { PortManager } from './manager.js';
import { type DeployParams, deployParams } from './params.js';
import type { Writer } from './port-types.js';
import { runUploader } from './uploader.js';
import { type UploaderCommand, uploaderCommand } from './uploader-command.js';
import { waitForLine } from './wait-line.js';

export function createDeployHandler(manager: PortManager): Handler<'deploy'> {
  return async (params, ctx) => {
    const o = deployParams(params);
    const command = o.uploader === null ? null : uploaderCommand(o.uploader, o.port, o.image);
    // the image is checked (and, for the built-in protocol, its CRC read) before anything waits for the port
    const image = await openImage(o.image);
    try {
      const chunks = command === null ? await image.chunks(ctx.signal) : null;
      if (command !== null) await image.close(); // the uploader reads it itself
      ctx.fence();
      const state = await manager.port(o.port);
      const t0 = performance.now();
      const lease = leaseFor(ctx, 'deploy', o.port, o.clientPid, command ? 'uploader' : 'builtin');
      const writer = await state.acquireWriter(lease, o.waitMs, ctx.signal, (position) =>
        ctx.emit({ phase: 'queued', position }),
      );
      const queuedMs = performance.now() - t0;
      try {
        ctx.fence();
        const deployId = `${ctx.id.slice(0, 24).replace(/[^A-Za-z0-9._-]/g, '_')}-${randomBytes(3).toString('hex')}`;
        const r =
          chunks !== null ? await builtin(writer, chunks, o, ctx, deployId) : await uploader(writer, command!, o, ctx);
        const result: DeployResult = {
          port: state.path,
          mode: lease.mode!,
          deployId,
          bytes: image.size,
          queuedMs: Math.round(queuedMs),
          ...r,
        };
        ctx.log(
          `deploy ${o.image} → ${state.path} (${lease.mode}): ${image.size} bytes in ${result.writeMs} ms, boot ${result.bootMs} ms`,
        );
        return result;
      } finally {
        writer.release();
      }
    } finally {
      await image.close();
    }
  };
}

type Phases = Pick<DeployResult, 'transfer' | 'exitCode' | 'bootLine' | 'writeMs' | 'bootMs'>;

async function builtin(
  writer: Writer,
  image: ImageChunks,
  params: DeployParams,
  ctx: RequestContext<DeployEvent>,
  deployId: string,
): Promise<Phases> {
  await writer.open(params.baudRate);
  const link = new LineLink((data) => writer.write(data));
  const boot = waitForLine(params.boot);
  writer.onLine((line) => {
    // armed at the device's DONE, in line order: boot lines that arrive in the same read as DONE count too
    if (parseDeviceFrame(line)?.kind === 'DONE') boot.arm();
    link.line(line);
    boot.line(line);
  });
  const gone = () => link.fail(writer.gone.reason as Error);
  writer.gone.addEventListener('abort', gone, { once: true });
  ctx.signal.addEventListener('abort', () => link.fail(ctx.signal.reason as Error), { once: true });
  ctx.emit({ phase: 'writing', bytes: image.size });
  const t = performance.now();
  const progress = throttled(100, (sent) => ctx.emit({ progress: { sent, total: image.size } }));
  const transfer = await sendImage(link, image, {
    id: deployId,
    chunkBytes: params.chunkBytes,
    ackTimeoutMs: params.ackTimeoutMs,
    retries: params.retries,
    progress: (s) => progress(s),
  });
  ctx.emit({ progress: { sent: image.size, total: image.size } });
  const writeMs = Math.round(performance.now() - t);
  // the image is in: monitors see the boot log with us
  writer.resumeMonitors();
  ctx.emit({ phase: 'booting' });
  const b = performance.now();
  const bootLine = params.boot
    ? await boot.wait(params.bootTimeoutMs, [writer.gone, ctx.signal], 'after the image was written')
    : null;
  return { transfer, exitCode: null, bootLine, writeMs, bootMs: Math.round(performance.now() - b) };
}

async function uploader(
  writer: Writer,
  command: UploaderCommand,
  params: DeployParams,
  ctx: RequestContext<DeployEvent>,
): Promise<Phases> {
  await writer.closeHandle();
  ctx.emit({ phase: 'uploading', command: command.display });
  const run = await runUploader(
    command,
    (stream, line) => ctx.emit({ uploader: { stream, line } }),
    ctx.signal,
    params.uploaderTimeoutMs,
  );
  if (run.exitCode !== 0) {
    throw new FbuildError(
      'UPLOADER_FAILED',
      `the uploader exited with ${run.exitCode ?? `signal ${run.signal}`}: ${command.display}`,
      {
        exitCode: run.exitCode,
        signal: run.signal,
        command: command.display,
      },
    );
  }
  // reopen for the boot line and for the monitors, which resume on the same handle
  const b = performance.now();
  const boot = waitForLine(params.boot);
  boot.arm();
  writer.onLine((line) => boot.line(line));
  await writer.open(params.baudRate);
  writer.resumeMonitors();
  ctx.emit({ phase: 'booting' });
  const bootLine = params.boot
    ? await boot.wait(params.bootTimeoutMs, [writer.gone, ctx.signal], 'after the uploader finished')
    : null;
  return {
    transfer: null,
    exitCode: run.exitCode,
    bootLine,
    writeMs: run.ms,
    bootMs: Math.round(performance.now() - b),
  };
}

// Reports are read by CI while a later run may be rewriting them (`reports/latest`), so each file appears
// whole or not at all: write a temp file beside the target, fsync, rename over it.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode } from '../../src/errors.js';
import { ReportError } from './errors.js';

// Windows sharing violations: a reader (antivirus, the CI's upload step) holding the target open makes rename
// fail for a moment. Retrying briefly is what every Windows-aware writer does; elsewhere these never happen.
const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES']);
const RETRIES = 5;

export async function writeFileAtomic(target: string, data: string): Promise<void> {
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o644);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new ReportError('REPORT_WRITE_FAILED', `cannot write ${target}: ${(err as Error).message}`, { path: target, errno: errnoCode(err) }, { cause: err });
  }
}

async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const code = errnoCode(err);
      if (attempt >= RETRIES || code === undefined || !TRANSIENT.has(code)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}

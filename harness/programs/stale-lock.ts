// A process that takes a proper-lockfile lock and dies holding it (SIGKILL, so the library's exit handlers
// never run and its lock directory stays): what the proper-lockfile target plants before its contenders.
// argv: <proper-lockfile package dir> <file to lock>
import { createRequire } from 'node:module';

const [lib, file] = process.argv.slice(2);
if (!lib || !file) {
  process.stderr.write('stale-lock.js <proper-lockfile dir> <file>\n');
  process.exit(2);
}
const lockfile = createRequire(import.meta.url)(lib) as { lockSync(f: string, o: { realpath: boolean }): unknown };
lockfile.lockSync(file, { realpath: false });
process.kill(process.pid, 'SIGKILL');

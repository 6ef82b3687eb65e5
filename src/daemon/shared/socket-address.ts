// The address handed to listen()/connect() for an endpoint. Socket paths longer than sun_path (Node 20 would
// silently truncate them) are reached through a short alias of their directory where the kernel offers one.
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Unix socket addresses stay well below sun_path (108 bytes on Linux, 104 on macOS). */
export const MAX_SOCKFILE_PATH_BYTES = 100;

let procFd: boolean | undefined;
/** Can a directory be reached as /proc/self/fd/N (Linux)? Then no socket path is ever too long. */
export function procFdAliases(): boolean {
  procFd ??= existsSync('/proc/self/fd');
  return procFd;
}

/**
 * The address to hand to listen()/connect() for `endpoint`, valid until `release()`. Socket-file paths longer
 * than sun_path are reached through `/proc/self/fd/N/<name>`, N an open descriptor of the socket's directory:
 * the kernel resolves it to the real directory (and checks its permissions) during bind/connect, which Node
 * performs synchronously inside listen()/connect(), so the descriptor may be released right after the call.
 */
export function socketAddress(endpoint: { kind: string; path: string }): { address: string; release(): void } {
  if (endpoint.kind !== 'sockfile' || Buffer.byteLength(endpoint.path) <= MAX_SOCKFILE_PATH_BYTES)
    return { address: endpoint.path, release: () => {} };
  const fd = openSync(dirname(endpoint.path), constants.O_RDONLY | (constants.O_DIRECTORY ?? 0));
  let open = true;
  return {
    address: `/proc/self/fd/${fd}/${basename(endpoint.path)}`,
    release: () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

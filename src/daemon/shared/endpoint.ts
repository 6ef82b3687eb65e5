// Endpoint naming: where a daemon for a given state directory listens. The name is derived from the state
// directory alone, so every client computes it without reading any file first (the fast path: connect, no
// lock). Which kind of endpoint a platform uses is decided here and only here.
//   sockfile — Unix socket file `d.sock` inside the 0700 state directory: the default on every POSIX system.
//              The kernel checks the directory's permissions on connect, so no other user can reach the
//              daemon, hold its connection slots or take its name (abstract names are open to every local
//              user); and a file on the shared filesystem is the same endpoint from every network namespace
//              (containers, sandboxes). It survives SIGKILL: a leftover answers ECONNREFUSED and only the
//              owner-lock holder removes it (server/ownership/listen.ts).
//   abstract — Linux abstract-namespace socket (FBUILD_OWNERSHIP=abstract): no file, never stale, but
//              reachable and squattable by any local user and private to one network namespace.
//   pipe     — Windows named pipe.
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { FbuildError } from '../../errors.js';
import { MAX_SOCKFILE_PATH_BYTES, procFdAliases } from './socket-address.js';

export type EndpointKind = 'abstract' | 'pipe' | 'sockfile';

export interface Endpoint {
  kind: EndpointKind;
  /** what net.createServer().listen() and net.connect() take */
  path: string;
  /** printable form for logs, status and doctor (an abstract name starts with NUL, shown as '@') */
  display: string;
}

/** What a user can do today when a process that is not our daemon holds the endpoint name. */
export function squatterHint(endpoint: Endpoint): string {
  const find =
    endpoint.kind === 'pipe'
      ? 'find the process that serves that pipe'
      : `find the process listening there (Linux: \`ss -xlp | grep ${endpoint.display.replace(/^@/, '')}\`)`;
  return `${find} and stop it, or use another state directory (FBUILD_DAEMON_DIR)`;
}

const ENV_VAR = 'FBUILD_OWNERSHIP';

export function defaultEndpointKind(platform: NodeJS.Platform = process.platform): EndpointKind {
  return platform === 'win32' ? 'pipe' : 'sockfile';
}

/** FBUILD_OWNERSHIP (abstract | sockfile, alias lockfile | pipe), else the platform default. */
export function endpointKindFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): EndpointKind {
  const raw = env[ENV_VAR];
  if (raw === undefined || raw === '') return defaultEndpointKind(platform);
  const kind: EndpointKind | undefined =
    raw === 'abstract'
      ? 'abstract'
      : raw === 'sockfile' || raw === 'lockfile'
        ? 'sockfile'
        : raw === 'pipe'
          ? 'pipe'
          : undefined;
  if (kind === undefined) {
    throw new FbuildError(
      'BAD_OPTION',
      `${ENV_VAR}=${JSON.stringify(raw)} is not one of abstract, sockfile (lockfile), pipe`,
      {
        option: ENV_VAR,
        value: raw,
      },
    );
  }
  if (kind === 'pipe' && platform !== 'win32') {
    throw new FbuildError('BAD_OPTION', `${ENV_VAR}=${raw}: named pipes exist only on Windows (this is ${platform})`, {
      option: ENV_VAR,
      value: raw,
    });
  }
  if (kind === 'abstract' && platform !== 'linux') {
    throw new FbuildError(
      'BAD_OPTION',
      `${ENV_VAR}=${raw}: abstract sockets exist only on Linux (this is ${platform})`,
      {
        option: ENV_VAR,
        value: raw,
      },
    );
  }
  return kind;
}

/**
 * The directory's real path, so a symlinked parent leads to the same name. For a directory that does not exist
 * yet, the real path of its nearest existing ancestor plus the rest: the same answer before and after it is
 * created, so a client that looked first and the daemon that created it agree.
 */
function canonicalDir(dir: string): string {
  let head = resolve(dir);
  const rest: string[] = [];
  for (;;) {
    try {
      return join(realpathSync.native(head), ...rest);
    } catch {
      const up = dirname(head);
      if (up === head) return resolve(dir);
      rest.unshift(basename(head));
      head = up;
    }
  }
}

/**
 * 24 hex digits (96 bits) of sha256 of the real (or else absolute) state directory. On Windows paths are
 * case-insensitive,
 * so the path is lower-cased first: `C:\Users\A` and `c:\users\a` must meet at the same pipe.
 */
export function stateDirHash(stateDir: string, platform: NodeJS.Platform = process.platform): string {
  const abs = canonicalDir(stateDir);
  const canonical = platform === 'win32' ? abs.toLowerCase() : abs;
  return createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 24);
}

/** The name an endpoint outside the state directory goes by: an abstract socket, a pipe, a socket file in tmp. */
const endpointName = (stateDir: string) => `fbuild-${stateDirHash(stateDir)}`;

export function endpointFor(stateDir: string, kind: EndpointKind): Endpoint {
  switch (kind) {
    case 'abstract': {
      const name = endpointName(stateDir);
      return { kind, path: `\0${name}`, display: `@${name}` };
    }
    case 'pipe': {
      const path = `\\\\.\\pipe\\${endpointName(stateDir)}`;
      return { kind, path, display: path };
    }
    case 'sockfile': {
      const path = sockfilePath(stateDir);
      return { kind, path, display: path };
    }
  }
}

// Inside the state directory the socket inherits its 0700 protection. A path too long for sun_path is still
// used where /proc/self/fd exists (Linux): bind and connect go through a short `/proc/self/fd/N/d.sock` alias
// of the directory (socketAddress below). Elsewhere deep directories fall back to the temp directory — per
// user on macOS ($TMPDIR), shared on others, where the handshake exposes anyone who takes the name first.
// Only that fallback needs the hashed name: the socket inside the directory is found by its path alone, so the
// usual case (every client, every daemon, at every start) neither resolves the real path nor hashes it — ~0.7 ms
// of CPU the first time in a process (node:crypto's first hash), paid by each of a hundred clients woken at once.
function sockfilePath(stateDir: string): string {
  const inDir = join(resolve(stateDir), 'd.sock');
  if (Buffer.byteLength(inDir) <= MAX_SOCKFILE_PATH_BYTES || procFdAliases()) return inDir;
  const name = endpointName(stateDir);
  const inTmp = join(tmpdir(), `${name}.sock`);
  if (Buffer.byteLength(inTmp) <= MAX_SOCKFILE_PATH_BYTES) return inTmp;
  // A TMPDIR that long is unusual; /tmp exists on every system that has socket files.
  return `/tmp/${name}.sock`;
}

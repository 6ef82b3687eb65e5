// The processes of a serial round: `fbuild monitor` / `fbuild deploy` of the product (hardened), or the naive
// duplicate daemons (harness/programs/naive-port-daemon.ts), each opening the port itself. A naive daemon
// carries the naive strategy's signature (its marker and the round's state dir), so the census counts it and
// the sweep ends it like any other daemon of the round.
import { cliEntry, entryPath } from '../../../src/paths.js';

export type Role = 'monitor' | 'deploy';

export interface SerialClients {
  hardened: boolean;
  link: string;
  image: string;
  stateDir: string;
}

export function argvOf(clients: SerialClients, role: Role): string[] {
  if (clients.hardened)
    return role === 'monitor'
      ? [cliEntry(), 'monitor', '--port', clients.link, '--timeout', '600', '--quiet']
      : [cliEntry(), 'deploy', clients.image, '--port', clients.link, '--json', '--wait', '300'];
  return [
    entryPath('harness/programs/naive-port-daemon'),
    ...['--fbuild-naive-daemon', `--state-dir=${clients.stateDir}`, '--fbuild-naive-serial'],
    ...['--port', clients.link, '--role', role, '--image', clients.image, '--ms', '600000'],
  ];
}

// What a serial round is made of: the load it puts on the port, and the session that plays it (its device's
// port, its clients, what they saw).
import type { Client } from '../../engine/client-process.js';
import type { Role } from './clients.js';
import type { HolderSample } from './timeline.js';

export interface SerialLoad {
  hardened: boolean;
  monitors: number;
  deploys: number;
  imageBytes: number;
  /** the simulated device paces its replies as a UART at this rate */
  baud: number;
}

/** A round's session: its device, its clients, and what they saw. */
export interface Session {
  readonly load: SerialLoad;
  readonly link: string;
  /** the port's real path (events name it so) */
  readonly port: string;
  readonly samples: HolderSample[];
  readonly monitors: Client[];
  readonly deploys: Client[];
  /** deploys' exit codes ('hung': past the guard) */
  codes: Array<number | null | 'hung'>;
  streamedBefore: number;
  streamedAfter: number;
  /** what a user would have seen go wrong (deploys failing, monitors not resuming) */
  problems: string[];
  start(role: Role): Client;
}

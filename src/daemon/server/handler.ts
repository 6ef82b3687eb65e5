// The contract between the daemon runtime (which owns connections, framing and ownership) and the request
// handlers it hosts. A handler sees only this context, so it cannot outlive its request or act after the
// daemon lost ownership without noticing.
import type { HandlerEventFor, ResultFor } from '../shared/protocol/requests.js';

export interface RequestContext<Event = unknown> {
  id: string; // request id from the client
  idempotencyKey: string | undefined;
  stateDir: string;
  signal: AbortSignal; // aborted when the client disconnects or the daemon shuts down
  /** throws FbuildError OWNERSHIP_LOST if this daemon no longer owns the state dir; call before side effects */
  fence(): void;
  /** stream output to the requesting client */
  emit(data: Event): void;
  log(message: string): void;
}

/**
 * The handler of request type T: for the kit's requests (shared/protocol/requests.ts) its events and result are
 * the map's; an embedder's own types are untyped. Params arrive as the client sent them: the handler checks them.
 */
export type Handler<T extends string = string> = (
  params: Record<string, unknown>,
  ctx: RequestContext<HandlerEventFor<T>>,
) => Promise<ResultFor<T>>;

export interface HandlerRegistry {
  register<T extends string>(type: T, handler: Handler<T>): void;
}

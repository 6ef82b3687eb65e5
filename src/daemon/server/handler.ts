// The contract between the daemon runtime (which owns connections, framing and ownership) and the request
// handlers it hosts. A handler sees only this context, so it cannot outlive its request or act after the
// daemon lost ownership without noticing.
export interface RequestContext {
  id: string; // request id from the client
  idempotencyKey: string | undefined;
  stateDir: string;
  signal: AbortSignal; // aborted when the client disconnects or the daemon shuts down
  /** throws FbuildError OWNERSHIP_LOST if this daemon no longer owns the state dir; call before side effects */
  fence(): void;
  /** stream output to the requesting client */
  emit(data: unknown): void;
  log(message: string): void;
}
export type Handler = (params: Record<string, unknown>, ctx: RequestContext) => Promise<unknown>;
export interface HandlerRegistry {
  register(type: string, handler: Handler): void;
}

// Requests every daemon answers, whatever its host: ping, status, shutdown. Their shapes are part of the
// version-stable protocol surface (a newer client must be able to stop an older daemon).
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import type { Handler } from './handler.js';

/** What the built-ins need of the runtime (DaemonRuntime is one), so this module does not import it back. */
export interface BuiltinHost {
  readonly identity: DaemonIdentity;
  snapshot(): unknown;
  stop(reason: { kind: 'shutdown'; detail: string }): Promise<void>;
}

export function builtinHandlers(rt: BuiltinHost): Record<string, Handler> {
  return {
    ping: async () => ({ pong: true, identity: rt.identity }),
    status: async () => rt.snapshot(),
    shutdown: async (params) => {
      const by = typeof params.by === 'string' ? params.by : 'a client';
      // after the reply is on its way: stop() waits for in-flight work, this request included
      setImmediate(() => void rt.stop({ kind: 'shutdown', detail: `requested by ${by}` }));
      return { stopping: true, identity: rt.identity };
    },
  };
}

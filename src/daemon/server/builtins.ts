// Requests every daemon answers, whatever its host: ping, status, shutdown. Their shapes are part of the
// version-stable protocol surface (a newer client must be able to stop an older daemon).
import type { DaemonIdentity } from '../shared/protocol/messages.js';
import type { StatusReply } from '../shared/protocol/requests.js';
import type { Handler } from './handler.js';

/** Requests every protocol version understands, so a newer client can stop an older daemon. */
export const BUILTIN_NAMES = ['ping', 'status', 'shutdown'] as const;
export type BuiltinName = (typeof BUILTIN_NAMES)[number];

/** What the built-ins need of the runtime (DaemonRuntime is one), so this module does not import it back. */
export interface BuiltinHost {
  readonly identity: DaemonIdentity;
  snapshot(): StatusReply;
  stop(reason: { kind: 'shutdown'; detail: string }): Promise<void>;
}

export function builtinHandlers(rt: BuiltinHost): { [K in BuiltinName]: Handler<K> } {
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

// A serial monitor the rig starts (the slow-monitor fault stops and continues it): the request `fbuild monitor`
// makes, through the kit's public client, with what the daemon tells it printed as data — every event but the
// device's lines as one JSON line on stdout ({"event":{"notice":"open",…}}, {"event":{"lagging":{"dropped":N}}}),
// and how it ended ({"result":…} or {"error":{"code":…}}) — so the rig judges the notices by their fields, never
// by the CLI's wording. The lines themselves are only counted (a fast device would drown the pipe).
// argv: <state dir> <port>
import { requestDaemon } from '../../src/index.js';

const [stateDir, port] = process.argv.slice(2);
if (!stateDir || !port) {
  process.stderr.write('monitor-client.js <state dir> <port>\n');
  process.exit(2);
}
const say = (doc: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(doc)}\n`);
let lines = 0;
try {
  const { result } = await requestDaemon(
    'monitor',
    { port, timeoutMs: 0, reconnect: false, clientPid: process.pid },
    {
      stateDir,
      // as `fbuild monitor` without --timeout: as far as timers reach
      deadlineMs: 2 ** 31 - 1,
      onEvent: (data) => {
        if ('line' in data) lines++;
        else say({ event: data, lines });
      },
    },
  );
  say({ result, lines });
} catch (err) {
  const e = err as { code?: unknown; message?: unknown };
  say({ error: { code: e.code, message: e.message }, lines });
}

// The hello tool's daemon program. The kit's client starts it (detached, once per state directory) with its
// own arguments appended to the command; fromArgv reads them: which state directory, whose daemon.
import { DaemonRuntime } from 'fbuild-daemon-kit';

const rt = DaemonRuntime.fromArgv(process.argv);
rt.register('greet', async (params) => ({ hello: params.who, pid: process.pid }));
await rt.start(); // claims the state directory: ALREADY_OWNED if another daemon has it
await rt.exited; // stop request, idle timeout, signal or fencing: then the process ends by itself

// Ctrl-C (SIGINT) or a CI job cancelled (SIGTERM) in the middle of a run: the rig's one way to stop. The run's
// own clean-up (processes ended by pid, temp dirs removed) runs first, then the process exits 130 / 143 as a
// shell expects. A second signal during the clean-up does not cut it short: nothing may be left behind.
export interface Interrupt {
  /** true once a signal came: the run's own code stops and leaves the clean-up to the handler */
  readonly interrupted: boolean;
  /** removes the handlers (the run ended on its own) */
  dispose(): void;
}

export function onInterrupt(what: string, cleanUp: () => Promise<void>): Interrupt {
  const state = { interrupted: false };
  const handler = (signal: NodeJS.Signals): void => {
    if (state.interrupted) return;
    state.interrupted = true;
    process.stderr.write(`\n${signal}: stopping ${what}\n`);
    void cleanUp()
      .catch((err: unknown) => process.stderr.write(`harness: clean-up after ${signal} failed: ${String(err)}\n`))
      .finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get interrupted() {
      return state.interrupted;
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

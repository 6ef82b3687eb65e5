// Exit codes of every harness command.
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;

export type StartTimeReading =
  | { kind: 'ok'; startTime: string; stopped?: boolean }
  /** the process does not exist */
  | { kind: 'gone' }
  /** the platform cannot tell (no tool answered, permission, unparseable output) */
  | { kind: 'unavailable'; why: string };

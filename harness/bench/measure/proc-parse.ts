// Pure parsing of /proc/PID/stat CPU fields, apart from I/O so tests can feed it synthetic text. The command
// name (field 2) may contain spaces and ')', so fields are counted after the LAST ')'.
export function parseProcStatTimes(raw: string): { utime: number; stime: number } | null {
  const close = raw.lastIndexOf(')');
  if (close < 0) return null;
  // after ") " come fields 3.. : state(3) … utime(14) stime(15) → indexes 11 and 12 in this slice
  const rest = raw.slice(close + 2).trim().split(/\s+/);
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return Number.isInteger(utime) && Number.isInteger(stime) ? { utime, stime } : null;
}

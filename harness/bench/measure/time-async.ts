/** Runs `op` n times one after another, pushing each call's wall time in µs into `into`. */
export async function timeAsync(op: () => Promise<unknown>, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    await op();
    into.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
}

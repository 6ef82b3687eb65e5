// `harness bench` options, resolved once into iteration counts per measurement. --quick keeps every
// measurement (so the JSON has every figure) but cuts its iterations, for tests and CI.
export interface BenchCliOptions {
  json?: boolean;
  quick?: boolean;
  out?: string;
}

export interface BenchOptions {
  json: boolean;
  quick: boolean;
  /** where bench.json goes; null: reports/bench-<timestamp>/ plus reports/bench-latest */
  out: string | null;
  reportsRoot: string;
  lock: { rounds: number; cheapPerRound: number; properPerRound: number; warmup: number };
  ensure: { rounds: number; perRound: number; warmup: number };
  status: { spawns: number };
  cold: { repeats: number; clients: number; deadlineMs: number };
  /** null: reproduce's default rounds */
  reproduce: { workers: number; rounds: number | null; limitMs: number; defaultRounds: number };
  idle: { settleMs: number; sampleMs: number };
}

export function resolveBenchOptions(o: BenchCliOptions): BenchOptions {
  const quick = o.quick === true;
  return {
    json: o.json === true,
    quick,
    out: o.out ?? null,
    reportsRoot: 'reports',
    // rounds interleave the variants (A,B,C,A,B,C…) so load spikes hit all of them alike
    lock: quick ? { rounds: 10, cheapPerRound: 200, properPerRound: 20, warmup: 200 } : { rounds: 100, cheapPerRound: 200, properPerRound: 20, warmup: 1_000 },
    ensure: quick ? { rounds: 10, perRound: 20, warmup: 20 } : { rounds: 100, perRound: 20, warmup: 100 },
    status: { spawns: quick ? 4 : 20 },
    cold: { repeats: quick ? 1 : 3, clients: 20, deadlineMs: 15_000 },
    reproduce: { workers: 20, rounds: quick ? 1 : null, limitMs: 15_000, defaultRounds: 10 },
    idle: { settleMs: quick ? 200 : 500, sampleMs: quick ? 1_000 : 3_000 },
  };
}

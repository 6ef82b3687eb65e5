// The bench's steps in their fixed order: in-process lock and claim timings first (nothing else running), then
// one live daemon for idle / ensure / status, then the daemon under connections and concurrent installs, then
// cold starts and their growth, the contended lock, and reproduce (the heaviest). Every daemon is started in a
// fresh dir of the sandbox, which ends it.
import { cpus } from 'node:os';
import { ensureDaemon } from '../../src/index.js';
import { claimFigures, sampleClaims } from './measure/claim.js';
import { coldFigures } from './measure/cold-figures.js';
import { coldGrowthCurves, coldGrowthFigures, sampleColdGrowth } from './measure/cold-growth.js';
import { sampleColdStart } from './measure/cold-start.js';
import { connectionCurves, connectionFigures, sampleConnections, sampleLimit } from './measure/connections.js';
import { contentionCurves, contentionFigures, sampleContention } from './measure/contention.js';
import { ensureFigures, sampleEnsure } from './measure/ensure.js';
import { eslintFigures, sampleEslint } from './measure/eslint.js';
import { idleFigures, sampleIdle } from './measure/idle.js';
import { installFigures, sampleInstall } from './measure/install.js';
import { lockFigures, sampleLocks } from './measure/lock.js';
import { reproduceFigures, runReproduceTimed } from './measure/reproduce.js';
import { requestFigures, sampleRequest } from './measure/request.js';
import { sampleStatusProcess, statusFigures } from './measure/status-process.js';
import type { BenchOptions } from './options.js';
import type { BenchSandbox } from './sandbox.js';
import { type BenchSession, load1, progress } from './session.js';

interface Bench {
  session: BenchSession;
  opts: BenchOptions;
  box: BenchSandbox;
}

export async function runSteps(bench: Bench): Promise<void> {
  await inProcessSteps(bench);
  if (bench.opts.steps.has('daemon') || bench.opts.steps.has('request')) await liveDaemonSteps(bench);
  await loadSteps(bench);
  await coldSteps(bench);
  await contentionAndReproduce(bench);
  await eslintStep(bench);
}

async function inProcessSteps({ session, opts, box }: Bench): Promise<void> {
  const l = opts.lock;
  if (opts.steps.has('lock'))
    await session.step(
      `lock acquire+release (${l.rounds * l.cheapPerRound} × owner-record/O_EXCL, ${l.rounds * l.properPerRound} × proper-lockfile, interleaved)`,
      () => lockFigures(sampleLocks(l)),
    );
  if (opts.steps.has('claim'))
    await session.step('ownership claim per mechanism, and the floors', async () =>
      claimFigures(await sampleClaims(box, opts.claim)),
    );
}

/**
 * One live daemon: idle first (right after start), then the in-process and whole-process client figures. Each
 * step makes sure the daemon is up before it measures: a no-op during the run, but a step measured again at the
 * end to confirm a regression runs after this daemon was stopped, and then starts one (the sandbox ends it).
 */
async function liveDaemonSteps({ session, opts, box }: Bench): Promise<void> {
  const stateDir = box.dir();
  const live = async (): Promise<number> => (await ensureDaemon({ stateDir, deadlineMs: 15_000 })).identity.pid;
  let started = false;
  await session.step('start a daemon', async () => {
    await live();
    started = true;
    return [];
  });
  if (!started) return;
  const e = opts.ensure;
  // idle first, right after the start: the request and ensure steps below make thousands of connections, and the
  // heap they leave is not the idle daemon's (2026-12-06, --quick: idle RSS 67.8 MB measured after the request
  // step, 47.6 MB without it)
  if (opts.steps.has('daemon'))
    await session.step(`idle daemon (${opts.idle.sampleMs} ms)`, async () =>
      idleFigures(await sampleIdle(await live(), opts.idle.settleMs, opts.idle.sampleMs), opts.idle.cycleMs),
    );
  if (opts.steps.has('request'))
    await session.step(
      `requestDaemon() one connection vs two (${e.rounds * e.perRound} each, interleaved)`,
      async () => {
        await live();
        return requestFigures(await sampleRequest(stateDir, e));
      },
    );
  if (opts.steps.has('daemon')) {
    await session.step(
      `ensureDaemon() vs connect+round trip (${e.rounds * e.perRound} each, interleaved)`,
      async () => {
        await live();
        return ensureFigures(await sampleEnsure(stateDir, box.dir(), e));
      },
    );
    await session.step(
      `\`fbuild daemon status\` vs \`node -e 0\` (${opts.status.spawns} spawns each, alternating)`,
      async () => {
        await live();
        return statusFigures(await sampleStatusProcess(stateDir, opts.status.spawns));
      },
    );
  }
  await box.stopDaemonsOf(stateDir);
}

async function loadSteps({ session, opts, box }: Bench): Promise<void> {
  if (opts.steps.has('connections'))
    await session.step(
      `daemon with ${opts.connections.counts.join(', ')} open connections, and at its connection limit`,
      async () => {
        const points = await sampleConnections(box, opts.connections, progress);
        session.curves.push(...connectionCurves(points, load1()));
        return connectionFigures(points, await sampleLimit(box));
      },
    );
  if (opts.steps.has('install'))
    await session.step(
      `install of one archive by ${opts.install.clients} concurrent clients vs one (${opts.install.repeats} repeats)`,
      async () => installFigures(await sampleInstall(box, opts.install)),
    );
}

async function coldSteps({ session, opts, box }: Bench): Promise<void> {
  const cs = opts.cold;
  if (opts.steps.has('cold'))
    await session.step(
      `cold start, warm and echo, N = ${cs.clients.join(', ')} clients (${cs.repeats} repeats)`,
      async () => {
        const got = await sampleColdStart(box, cs, progress);
        const skew = Math.max(...got.flatMap((at) => at.repeats.map((r) => r.cold.skewMax)));
        session.caveats.push(
          `cold start: clients are released by a timer barrier; the last one woke up to ${skew.toFixed(1)} ms after the release instant, and that delay is inside its served time.`,
        );
        return coldFigures(got, cpus().length);
      },
    );
  const g = opts.coldGrowth;
  if (opts.steps.has('cold-growth'))
    await session.step(
      `cold start growth, N = ${g.clients.join(', ')} × ${g.strategies.join(', ')} (${g.rounds} round(s) each)`,
      async () => {
        const got = await sampleColdGrowth(box, g, progress);
        session.curves.push(...coldGrowthCurves(got, load1()));
        session.startup = got.startup;
        for (const f of got.failed) session.errors.push({ step: 'cold start growth', message: f });
        return coldGrowthFigures(got);
      },
    );
}

async function contentionAndReproduce({ session, opts, box }: Bench): Promise<void> {
  const c = opts.contention;
  if (opts.steps.has('contention'))
    await session.step(
      `contended lock, K = ${c.contenders.join(', ')} (${c.durationMs} ms per trial, ${c.repeats} repeat(s))`,
      async () => {
        const points = await sampleContention(box, c, progress);
        session.curves.push(...contentionCurves(points, load1()));
        return contentionFigures(points);
      },
    );
  const r = opts.reproduce;
  if (opts.steps.has('reproduce'))
    await session.step(
      `reproduce --workers ${r.workers}${r.rounds === null ? '' : ` --rounds ${r.rounds}`}`,
      async () => {
        const timed = await runReproduceTimed(box, r, progress);
        if (timed.exitCode !== 0)
          session.caveats.push(
            `reproduce exited ${timed.exitCode}: its expectation did not hold in this run (the wall time is still reported).`,
          );
        return reproduceFigures(timed, r);
      },
    );
}

/** eslint-kit (examples/) beside eslint_d: warm lints and 20-client cold starts, last (it may install eslint_d) */
async function eslintStep({ session, opts, box }: Bench): Promise<void> {
  const e = opts.eslint;
  if (opts.steps.has('eslint'))
    await session.step(
      `eslint-kit vs eslint_d: warm lint (${e.lints} each, interleaved with plain eslint), cold start × ${e.clients} clients (${e.coldRepeats} each)`,
      async () => eslintFigures(await sampleEslint(box, e, progress), e.clients),
    );
}

import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Random } from '../../engine/random';
import { TrainingSession } from '../../main/lab/training-session';
import type { WorkerLauncher } from '../../main/lab/worker-launcher';
import { loadModel } from '../../main/model-file';
import { CHECKPOINT_FILE, loadCheckpoint } from '../../main/store/checkpoint';
import { RunStore } from '../../main/store/run-store';
import type { RunRecord, RunStatus } from '../../common/run-record';
import type { TrainRequest } from '../../common/settings';
import { dataset, lastJson, repoRoot, runCli, tempHome } from '../support/cli';
import { request } from './session-helpers';

/*
 * Fault injection: 50 worker kills (32 during writes), 11 host kills.
 * The training worker is SIGKILLed 32 times inside a write, made to land there by a shim loaded with --import
 * (test/lab/fixtures/fault-shim.mjs: half of the data written, the temp file written but not renamed, or renamed but
 * the process not gone on): the run's creation, the start checkpoint, run.json updates (start, pause, a learning-rate
 * change, the end, a stop, a resume), metrics appends, periodic checkpoints, the final checkpoint, the final model and
 * the metrics rewrite of a resume; and 18 times at seeded random moments: while it opens, before the first epoch,
 * mid-training, during a pause, a step, a learning-rate change and a stop, and right at the end. Hosts are SIGKILLed
 * 11 times: `nnlab runs rename` while it holds the run.json lock of a run a worker trains (the training's later writes
 * wait out the stale lock and the run finishes) and at seeded moments; `nnlab train` while its worker creates the run
 * or writes a checkpoint, at seeded moments, and together with its worker.
 * After each kill the lab folder lists the run with a true status (interrupted, or the end it recorded), every file
 * of the run parses, and the run is then resumed to its end (every epoch logged once) or removed.
 */

const SEED = 20261202;
const builtWorker = join(repoRoot, 'out', 'main', 'worker.js');
const builtCli = join(repoRoot, 'bin', 'nnlab.js');
const shim = pathToFileURL(fileURLToPath(new URL('./fixtures/fault-shim.mjs', import.meta.url))).href;
const root = tempHome();
/** Every process this file starts; any still running when it ends (a case that failed half way) is ended. */
const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  root.cleanup();
});

type Op = 'write' | 'append';
type At = 'torn' | 'written' | 'renamed' | 'host';
interface Fault { role: 'worker' | 'cli'; file: string; op: Op; nth: number; at: At; clock?: number }

const CLAIMED: ReadonlySet<RunStatus> = new Set(['queued', 'training', 'paused']);

/** The built worker, forked as nodeWorkerLauncher forks it, with the fault shim when there is a fault. */
function faultyLauncher(fault?: Fault): { launch: WorkerLauncher; children: ChildProcess[] } {
  const children: ChildProcess[] = [];
  const launch: WorkerLauncher = () => {
    const child = fork(builtWorker, [], {
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      execArgv: fault ? ['--import', shim] : [],
      env: fault ? { ...process.env, NNLAB_FAULT: JSON.stringify(fault) } : process.env,
    });
    children.push(child);
    started.add(child);
    child.on('error', () => {});
    const exited = exitOf(child);
    const drained = new Promise<void>((resolve) => (child.connected ? child.once('disconnect', () => resolve()) : resolve()));
    return {
      pid: child.pid,
      send: (command) => { if (child.connected) child.send(command, () => {}); },
      onMessage: (handler) => { child.on('message', handler); },
      onExit: (handler) => { void Promise.all([exited, drained]).then(([{ code, signal }]) => handler(code, signal)); },
      kill: () => { child.kill('SIGKILL'); },
    };
  };
  return { launch, children };
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const quietly = (promise: Promise<unknown>) => { promise.catch(() => {}); };

function killPid(pid: number | undefined): void {
  try {
    if (pid !== undefined) process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Whether a process has ended: gone, or a zombie nobody reaps (an orphan in a container whose init does not). */
function hasEnded(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function until(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (await done()) return;
    await sleep(25);
  }
  throw new Error(`gave up waiting until ${what}`);
}

// ---------------------------------------------------------------------------------------------------------------
// What a run is trained on: small data, short or long runs.

const irisRun = (epochs: number): TrainRequest => request(dataset('iris.csv'), { layers: [8], batch: 8, epochs });
const xorRun = (epochs: number): TrainRequest => request(dataset('seed-xor.csv'), {
  layers: [4], activation: 'sigmoid', batch: 'full', val: 0, test: 0, epochs, optimizer: 'sgd', learningRate: 1,
});
const LONG = 1_000_000;

// ---------------------------------------------------------------------------------------------------------------
// After a kill: the listing, the files, and resume or rm.

interface Verdict {
  /** The statuses that are true for the run after this kill. */
  allowed: RunStatus[];
  /** The run may not exist (the kill came before its folder did). */
  mayBeAbsent?: boolean;
  /** The folder may lack its run.json (the kill came while it was first written). */
  mayLackRecord?: boolean;
  /** What the run's name must be. */
  names?: string[];
  /** The run is resumed, not removed (what it shows is in the resume). */
  resume?: true;
}

interface Tally { worker: number; duringWrites: number; host: number; resumed: number; removed: number; absent: number }
const tally: Tally = { worker: 0, duringWrites: 0, host: 0, resumed: 0, removed: 0, absent: 0 };

/** Every file of the run parses; metrics lines parse, but for one cut short by the kill at the end. */
async function checkFiles(store: RunStore, id: string, afterResume: boolean): Promise<number[]> {
  const dir = store.runDir(id);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    expect(() => JSON.parse(readFileSync(join(dir, file), 'utf8')), `${id}/${file}`).not.toThrow();
  }
  if (existsSync(join(dir, CHECKPOINT_FILE))) await loadCheckpoint(dir, id);
  if (existsSync(join(dir, 'model.json'))) await loadModel(join(dir, 'model.json'));
  if (!existsSync(join(dir, 'metrics.jsonl'))) return [];
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').split('\n');
  const tail = lines.pop()!;
  // An append cut short by a kill leaves a line without its end; the store skips it, and a resume must drop it.
  if (afterResume) expect(tail, `${id}/metrics.jsonl ends with a line cut short`).toBe('');
  return lines.map((line, i) => {
    try {
      return (JSON.parse(line) as { epoch: number }).epoch;
    } catch {
      throw new Error(`${id}/metrics.jsonl line ${i + 1} does not parse: ${line.slice(0, 80)}`);
    }
  });
}

/** What a home holds after a kill is listed truthfully and parses; then it is resumed to its end or removed. */
async function settle(home: string, verdict: Verdict, rng: Random): Promise<void> {
  const store = new RunStore(home);
  const { runs, damaged } = await store.list();
  expect(runs.length + damaged.length, 'one run folder at most').toBeLessThanOrEqual(1);
  if (runs.length + damaged.length === 0) {
    expect(verdict.mayBeAbsent, 'the run is missing').toBe(true);
    tally.absent++;
    return;
  }
  if (damaged.length > 0) {
    // Only a run whose run.json was never written whole may list so; it is removed.
    const [entry] = damaged;
    expect(verdict.mayLackRecord, `${entry!.id} lists as damaged: ${entry!.problem}`).toBe(true);
    expect(existsSync(join(store.runDir(entry!.id), 'run.json'))).toBe(false);
    await remove(store, entry!.id);
    return;
  }
  const run = runs[0]!;
  expect(verdict.allowed, `run ${run.id} lists as ${run.status}`).toContain(run.status);
  expect(CLAIMED.has(run.status)).toBe(false);
  if (verdict.names) expect(verdict.names).toContain(run.name);
  const epochs = await checkFiles(store, run.id, false);
  expect(epochs, 'the metrics log holds each epoch once, in order').toEqual(epochs.map((_, i) => i + 1));
  if (run.status === 'finished') {
    expect(run.summary.epochs).toBe(run.training.epochs);
    expect(epochs).toHaveLength(run.training.epochs);
    expect(existsSync(store.modelPath(run.id))).toBe(true);
  }
  const way = verdict.resume ? 0.5 + rng.uniform() / 2 : rng.uniform();
  if (way < 0.25) await remove(store, run.id);
  else await resume(store, run, way < 0.45 ? 'spawn' : way < 0.65 ? 'session' : 'cli', rng);
}

async function remove(store: RunStore, id: string): Promise<void> {
  const removed = await runCli(['runs', 'rm', id, '--home', store.home, '--json']);
  expect(removed.code, removed.stderr.join('\n')).toBe(0);
  expect(existsSync(store.runDir(id))).toBe(false);
  expect(await store.list()).toEqual({ runs: [], damaged: [] });
  tally.removed++;
}

async function resume(store: RunStore, run: RunRecord, how: 'cli' | 'spawn' | 'session', rng: Random): Promise<void> {
  const dir = store.runDir(run.id);
  const at = existsSync(join(dir, CHECKPOINT_FILE)) ? (await loadCheckpoint(dir, run.id)).epoch : 0;
  const epochs = at + 1 + Math.floor(rng.uniform() * 3);
  const args = ['runs', 'resume', run.id, '--epochs', String(epochs), '--home', store.home, '--json'];
  if (how === 'cli') {
    const resumed = await runCli(args);
    expect(resumed.code, resumed.stderr.join('\n')).toBe(0);
    expect(lastJson(resumed)).toMatchObject({ status: 'finished', epochs });
  } else if (how === 'spawn') {
    const resumed = await spawnBuiltCli(args);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(JSON.parse(resumed.stdout.trim().split('\n').at(-1)!)).toMatchObject({ status: 'finished', epochs });
  } else {
    const session = await TrainingSession.reopen(faultyLauncher().launch, store.home, run.id, epochs);
    await session.resume();
    await session.exited;
    expect(session.state, session.exitMessage).toBe('finished');
  }
  const { runs, damaged } = await store.list();
  expect(damaged).toEqual([]);
  expect(runs.map((r) => [r.id, r.status, r.pid, r.summary.epochs])).toEqual([[run.id, 'finished', null, epochs]]);
  expect(await checkFiles(store, run.id, true)).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
  await loadModel(store.modelPath(run.id));
  tally.resumed++;
}

function spawnBuiltCli(argv: string[], env: NodeJS.ProcessEnv = {}, detached = false): { child: ChildProcess } & Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [builtCli, ...argv], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const done = new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(done, { child });
}

// ---------------------------------------------------------------------------------------------------------------
// Worker kills inside a write: the shim kills the worker in the nth write of a file.

interface WriteKill {
  name: string;
  fault: Omit<Fault, 'role'>;
  run: TrainRequest;
  /** What the host asks of the session once it is open (the kill lands during it). */
  drive: (session: TrainingSession) => Promise<unknown>;
  verdict: Verdict;
  /** Before the kill: a run trained and killed plainly, then reopened with the fault (for faults in a resume). */
  reopen?: true;
}

const start = (s: TrainingSession) => s.start();
const interrupted: Verdict = { allowed: ['interrupted'] };

const WRITE_KILLS: WriteKill[] = [
  // Creating the run: run.json is first written while the session opens.
  ...(['torn', 'written'] as const).map((at): WriteKill => ({
    name: `create run.json ${at}`, fault: { file: 'run.json', op: 'write', nth: 1, at }, run: irisRun(20), drive: start, verdict: { allowed: [], mayLackRecord: true },
  })),
  { name: 'create run.json renamed', fault: { file: 'run.json', op: 'write', nth: 1, at: 'renamed' }, run: irisRun(20), drive: start, verdict: interrupted },
  // The checkpoint before the first batch, and run.json saying the run trains.
  ...(['torn', 'written', 'renamed'] as const).map((at): WriteKill => ({
    name: `start checkpoint ${at}`, fault: { file: 'checkpoint.json', op: 'write', nth: 1, at }, run: irisRun(LONG), drive: start, verdict: interrupted,
  })),
  ...(['torn', 'written', 'renamed'] as const).map((at): WriteKill => ({
    name: `start run.json ${at}`, fault: { file: 'run.json', op: 'write', nth: 2, at }, run: irisRun(LONG), drive: start, verdict: interrupted,
  })),
  // Metrics appends: the first of a run, a later one, and the first after a checkpoint (an epoch stepped, then one more).
  { name: 'metrics append torn', fault: { file: 'metrics.jsonl', op: 'append', nth: 1, at: 'torn' }, run: irisRun(LONG), drive: start, verdict: interrupted },
  { name: 'metrics append written', fault: { file: 'metrics.jsonl', op: 'append', nth: 5, at: 'written' }, run: irisRun(LONG), drive: start, verdict: interrupted },
  {
    name: 'metrics append torn after a checkpoint', fault: { file: 'metrics.jsonl', op: 'append', nth: 2, at: 'torn' }, run: xorRun(LONG),
    drive: async (s) => { await s.step(1); await s.step(1); }, verdict: { allowed: ['interrupted'], resume: true },
  },
  // Periodic checkpoints, brought forward by a faster clock.
  ...([['torn', 2], ['written', 2], ['renamed', 3]] as const).map(([at, nth]): WriteKill => ({
    name: `periodic checkpoint ${at}`, fault: { file: 'checkpoint.json', op: 'write', nth, at, clock: 200 }, run: irisRun(LONG), drive: start, verdict: interrupted,
  })),
  // Pause, step and a learning-rate change.
  { name: 'pause checkpoint torn', fault: { file: 'checkpoint.json', op: 'write', nth: 2, at: 'torn' }, run: irisRun(LONG), drive: async (s) => { await s.start(); await sleep(30); await s.pause(); }, verdict: interrupted },
  { name: 'pause run.json renamed', fault: { file: 'run.json', op: 'write', nth: 3, at: 'renamed' }, run: irisRun(LONG), drive: async (s) => { await s.start(); await sleep(30); await s.pause(); }, verdict: interrupted },
  { name: 'step checkpoint written', fault: { file: 'checkpoint.json', op: 'write', nth: 1, at: 'written' }, run: irisRun(LONG), drive: (s) => s.step(40), verdict: interrupted },
  { name: 'learning-rate run.json torn', fault: { file: 'run.json', op: 'write', nth: 3, at: 'torn' }, run: irisRun(LONG), drive: async (s) => { await s.step(5); await s.setLearningRate(0.002); }, verdict: interrupted },
  // The end of a short run: its last checkpoint, its model, run.json saying it finished.
  { name: 'final checkpoint torn', fault: { file: 'checkpoint.json', op: 'write', nth: 2, at: 'torn' }, run: irisRun(12), drive: start, verdict: interrupted },
  ...(['torn', 'written', 'renamed'] as const).map((at): WriteKill => ({
    name: `final model ${at}`, fault: { file: 'model.json', op: 'write', nth: 1, at }, run: irisRun(6), drive: start, verdict: interrupted,
  })),
  ...(['torn', 'written'] as const).map((at): WriteKill => ({
    name: `final run.json ${at}`, fault: { file: 'run.json', op: 'write', nth: 3, at }, run: xorRun(40), drive: start, verdict: interrupted,
  })),
  { name: 'final run.json renamed', fault: { file: 'run.json', op: 'write', nth: 3, at: 'renamed' }, run: irisRun(9), drive: start, verdict: { allowed: ['finished'] } },
  // A stop: its model, and run.json saying it stopped.
  { name: 'stop model torn', fault: { file: 'model.json', op: 'write', nth: 1, at: 'torn' }, run: irisRun(LONG), drive: async (s) => { await s.start(); await sleep(20); await s.stop(); }, verdict: interrupted },
  { name: 'stop run.json renamed', fault: { file: 'run.json', op: 'write', nth: 3, at: 'renamed' }, run: irisRun(LONG), drive: async (s) => { await s.start(); await sleep(20); await s.stop(); }, verdict: { allowed: ['stopped'] } },
  // Reopening a run killed mid-training: the metrics log cut back to the checkpoint, and run.json.
  { name: 'resume metrics rewrite torn', fault: { file: 'metrics.jsonl', op: 'write', nth: 1, at: 'torn' }, run: irisRun(LONG), drive: (s) => s.resume(), verdict: interrupted, reopen: true },
  { name: 'resume run.json renamed', fault: { file: 'run.json', op: 'write', nth: 1, at: 'renamed' }, run: irisRun(LONG), drive: (s) => s.resume(), verdict: interrupted, reopen: true },
  { name: 'resume start checkpoint torn', fault: { file: 'checkpoint.json', op: 'write', nth: 1, at: 'torn' }, run: xorRun(LONG), drive: (s) => s.resume(), verdict: interrupted, reopen: true },
  { name: 'resume run.json torn', fault: { file: 'run.json', op: 'write', nth: 2, at: 'torn' }, run: xorRun(LONG), drive: (s) => s.resume(), verdict: interrupted, reopen: true },
];

async function writeKill(home: string, kill: WriteKill): Promise<void> {
  const fault: Fault = { role: 'worker', ...kill.fault };
  let reopened = '';
  if (kill.reopen) {
    // A run trained a little past its start checkpoint, its worker then killed.
    const plain = await TrainingSession.create(faultyLauncher().launch, home, kill.run);
    await plain.start();
    await sleep(60);
    killPid(plain.pid);
    await plain.exited;
    reopened = plain.run;
  }
  const { launch, children } = faultyLauncher(fault);
  const opening = kill.reopen ? TrainingSession.reopen(launch, home, reopened) : TrainingSession.create(launch, home, kill.run);
  const session = await opening.catch(() => null);
  if (session) quietly(kill.drive(session));
  // A fault that never fires leaves a long run training: after a minute it is ended, and the case fails.
  const child = children[0]!;
  const guard = setTimeout(() => child.kill('SIGTERM'), 60_000);
  const exit = await exitOf(child);
  clearTimeout(guard);
  if (session) await session.exited;
  expect(exit.signal, `the worker was not killed in the write (${JSON.stringify(exit)})`).toBe('SIGKILL');
  tally.worker++;
  tally.duringWrites++;
}

// ---------------------------------------------------------------------------------------------------------------
// Worker kills at seeded random moments.

const MOMENTS = ['opening', 'first epoch', 'training', 'pause', 'step', 'end', 'stop', 'learning rate'] as const;
type Moment = (typeof MOMENTS)[number];

async function randomKill(home: string, moment: Moment, rng: Random): Promise<Verdict> {
  const delay = (ms: number) => sleep(rng.uniform() * ms);
  const xor = rng.uniform() < 0.3;
  const short = 3 + Math.floor(rng.uniform() * 15);
  const run = moment === 'end' ? (xor ? xorRun(short * 50) : irisRun(short)) : xor ? xorRun(LONG) : irisRun(LONG);
  const { launch, children } = faultyLauncher();
  const opening = TrainingSession.create(launch, home, run);
  const child = children[0]!;
  let session: TrainingSession | null = null;
  let verdict: Verdict = interrupted;
  if (moment === 'opening') {
    await delay(400);
    verdict = { allowed: ['interrupted'], mayBeAbsent: true, mayLackRecord: true };
  } else {
    session = await opening;
    switch (moment) {
      case 'first epoch':
        quietly(session.start());
        await delay(4);
        break;
      case 'training':
        await session.start();
        await delay(400);
        break;
      case 'pause':
        await session.start();
        await delay(100);
        quietly(session.pause());
        await delay(6);
        break;
      case 'step':
        quietly(session.step(1 + Math.floor(rng.uniform() * 2000)));
        await delay(40);
        break;
      case 'end': {
        // Killed as the last epochs come in: during the last checkpoint, the model, or the last run.json.
        const total = run.settings.epochs;
        const last = new Promise<void>((resolve) => session!.subscribe(() => { if (session!.epochs.length >= total) resolve(); }));
        quietly(session.start());
        await last;
        await delay(10);
        verdict = { allowed: ['interrupted', 'finished'] };
        break;
      }
      case 'stop':
        await session.start();
        await delay(100);
        quietly(session.stop());
        await delay(10);
        verdict = { allowed: ['interrupted', 'stopped'] };
        break;
      case 'learning rate':
        await session.start();
        await delay(50);
        await session.pause();
        quietly(session.setLearningRate(0.003));
        await delay(3);
        break;
    }
  }
  killPid(child.pid);
  const maybeSession = session ?? (await opening.catch(() => null));
  if (maybeSession) await maybeSession.exited;
  const exit = await exitOf(child);
  // A kill that came after a run's end finds the worker gone; it is no kill.
  if (exit.signal === 'SIGKILL') tally.worker++;
  else expect(moment, `the worker ended by itself (${JSON.stringify(exit)})`).toBe('end');
  return verdict;
}

// ---------------------------------------------------------------------------------------------------------------
// Host kills.

/** `nnlab runs rename`, killed while it holds the lock of a run that a worker trains; the training goes on to its end. */
async function renameKilled(home: string, at: At | number, rng: Random): Promise<Verdict> {
  const session = await TrainingSession.create(faultyLauncher().launch, home, irisRun(30 + Math.floor(rng.uniform() * 30)));
  const before = (await new RunStore(home).get(session.run)).name;
  await session.step(10);
  const env = typeof at === 'number' ? {} : {
    NODE_OPTIONS: `--import=${shim}`,
    NNLAB_FAULT: JSON.stringify({ role: 'cli', file: 'run.json', op: 'write', nth: 1, at } satisfies Fault),
  };
  const rename = spawnBuiltCli(['runs', 'rename', session.run, 'renamed while training', '--home', home], env);
  if (typeof at === 'number') {
    quietly(session.resume());
    await sleep(at);
    killPid(rename.child.pid);
  }
  const renamed = await rename;
  if (renamed.signal === 'SIGKILL') tally.host++;
  else expect(typeof at, `rename was not killed: ${renamed.stderr}`).toBe('number');
  // The training's own writes wait out a lock its holder left behind, and the run ends as it should.
  if (typeof at !== 'number') await session.resume();
  await session.exited;
  expect(session.state, session.exitMessage).toBe('finished');
  expect(existsSync(join(new RunStore(home).runDir(session.run), 'run.json.lock'))).toBe(false);
  const names = at === 'renamed' ? ['renamed while training'] : typeof at === 'number' ? [before, 'renamed while training'] : [before];
  return { allowed: ['finished'], names };
}

/**
 * `nnlab train`, killed while its worker writes (the shim in the worker kills its host), or at a seeded moment after
 * it started its worker. The worker, left without its host, keeps what it learned and ends by itself.
 */
async function trainHostKilled(home: string, fault: Omit<Fault, 'role' | 'at'> | number, group = false): Promise<Verdict> {
  const pidFile = join(home, 'worker.pid');
  const at: At = 'host';
  const shimmed: Fault = typeof fault === 'number' ? { role: 'worker', file: '', op: 'write', nth: 0, at } : { role: 'worker', at, ...fault };
  const env = { NODE_OPTIONS: `--import=${shim}`, NNLAB_FAULT: JSON.stringify({ ...shimmed, pidFile }) };
  const train = spawnBuiltCli(['train', dataset('iris.csv'), '--layers', '8', '--batch', '8', '--epochs', String(LONG), '--early-stop', '0', '--home', home, '--json'], env, group);
  if (typeof fault === 'number') {
    await until('nnlab train has started its worker', () => existsSync(pidFile));
    await sleep(fault);
    // The whole process group, as a terminal's kill would: the host and its worker die together.
    if (group) killPid(-train.child.pid!);
    else killPid(train.child.pid);
  }
  const trained = await train;
  expect(trained.signal, `nnlab train was not killed: ${trained.stderr}`).toBe('SIGKILL');
  tally.host++;
  const worker = Number(readFileSync(pidFile, 'utf8'));
  await until('the worker left without its host has ended', () => hasEnded(worker));
  return { allowed: ['interrupted'], mayBeAbsent: typeof fault === 'number', mayLackRecord: group };
}

// ---------------------------------------------------------------------------------------------------------------

interface Case { name: string; kill: (home: string, rng: Random) => Promise<Verdict> }

const CASES: Case[] = [
  ...WRITE_KILLS.map((k): Case => ({ name: `worker killed: ${k.name}`, kill: async (home) => { await writeKill(home, k); return k.verdict; } })),
  ...Array.from({ length: 18 }, (_, i): Case => {
    const moment = MOMENTS[i % MOMENTS.length]!;
    return { name: `worker killed at a seeded moment ${i + 1}: ${moment}`, kill: (home, rng) => randomKill(home, moment, rng) };
  }),
  ...(['torn', 'written', 'renamed'] as const).map((at): Case => ({ name: `rename killed holding the lock: ${at}`, kill: (home, rng) => renameKilled(home, at, rng) })),
  ...[0, 1].map((i): Case => ({
    name: `rename killed at a seeded moment ${i + 1}`,
    kill: (home, rng) => renameKilled(home, 20 + Math.floor(rng.uniform() * 230), rng),
  })),
  { name: 'train host killed while its worker creates the run', kill: (home) => trainHostKilled(home, { file: 'run.json', op: 'write', nth: 1 }) },
  { name: 'train host killed mid start checkpoint', kill: (home) => trainHostKilled(home, { file: 'checkpoint.json', op: 'write', nth: 1 }) },
  { name: 'train host killed mid periodic checkpoint', kill: (home) => trainHostKilled(home, { file: 'checkpoint.json', op: 'write', nth: 2, clock: 200 }) },
  ...[0, 1].map((i): Case => ({
    name: `train host killed at a seeded moment ${i + 1}`,
    kill: (home, rng) => trainHostKilled(home, Math.floor(rng.uniform() * 1000)),
  })),
  { name: 'train host killed with its worker at a seeded moment', kill: (home, rng) => trainHostKilled(home, 300 + Math.floor(rng.uniform() * 700), true) },
];

/** Runs the cases a few at a time (most of a case is waiting: for processes to start, for a stale lock). */
async function inTurns<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

describe('runs whose processes are killed at any moment', () => {
  it('list with a true status, parse, and resume or are removed', async () => {
    expect(existsSync(builtWorker), 'out/main/worker.js is missing: run `npm run build` first').toBe(true);
    const failures: string[] = [];
    // In a seeded order, so that cases that wait out a stale lock are spread among those that train.
    const order = CASES.map((_, i) => i);
    new Random(SEED).shuffle(order);
    await inTurns(order.map((i) => CASES[i]!), 3, async (c) => {
      const home = join(root.dir, c.name.replace(/[^a-z0-9]+/gi, '-'));
      mkdirSync(home, { recursive: true });
      const rng = Random.stream(SEED, c.name);
      try {
        const verdict = await c.kill(home, rng);
        await settle(home, verdict, rng);
      } catch (error) {
        failures.push(`${c.name}: ${(error as Error).message}`);
      }
    });
    expect(failures).toEqual([]);
    console.log(`faults: ${tally.worker} worker kills (${tally.duringWrites} during writes), ${tally.host} host kills; every run listed truthfully, parsed and resumed or removed (${tally.resumed} resumed, ${tally.removed} removed, ${tally.absent} killed before their run existed)`);
  }, 600_000);
});

import { finiteOrNull } from '../../common/json-numbers';
import { RunStore } from '../store/run-store';
import { RunDriver } from '../training/run-driver';
import { openRun, reopenRun } from '../training/run-setup';
import { connectParent } from './parent-port';
import { workerCommandSchema, type Progress, type SessionState, type WorkerCommand } from '../../common/worker-protocol';
import { writeProblem } from '../files/write-errors';
import { traceStep } from '../../engine/step-trace';
import { lastBatchStats } from '../training/last-batch-stats';

/**
 * One training session in its own process, so that a crash or a runaway run never takes the window down.
 * It trains in slices of SLICE_MS and reads its commands between slices, so pause and stop land on a
 * batch boundary within one slice.
 */
const SLICE_MS = 20;
/** At most this many progress messages a second, whatever the step rate. */
const PROGRESS_EVERY_MS = 50;

const parent = connectParent();
let driver: RunDriver | null = null;
let state: SessionState = 'loading';
let running = false;
/** Step requests not yet answered, oldest first, each with the mini-batches it still has to do. */
let stepRequests: { seq: number; remaining: number }[] = [];
let loopScheduled = false;
/** Slow motion: at most this many mini-batches a second while running, each reported; null: full speed. */
let stepsPerSecond: number | null = null;
let lastProgress = 0;
let finishing = false;
/** A stop (or the host's end) that came while the run was finishing: the baselines still training are left out. */
let stopWhileFinishing = false;
/** The lab folder of this session, for messages about it. */
let labHome = '';

function progress(): Progress {
  const trainer = driver!.trainer;
  const last = trainer.history[trainer.history.length - 1];
  const batches = driver!.takeBatchLosses();
  return {
    state,
    epoch: trainer.epoch,
    stepEpoch: trainer.positionEpoch,
    epochs: trainer.config.epochs,
    step: trainer.steps,
    stepsPerEpoch: trainer.stepsPerEpoch,
    samplesPerSecond: driver!.samplesPerSecond,
    batchSteps: batches.steps,
    batchLosses: batches.losses,
    // A run that diverged can end on a loss of NaN or ±∞; the protocol (like JSON) has null for those.
    loss: Number.isFinite(trainer.lastBatchLoss) ? trainer.lastBatchLoss : finiteOrNull(last?.train.loss),
    valLoss: finiteOrNull(last?.val?.loss),
    learningRate: trainer.currentLearningRate,
  };
}

function fail(seq: number | null, error: unknown, fatal: boolean): void {
  const problem = writeProblem(error);
  const run = driver?.id;
  // A refused write is said as what it is for the run, not as the system's text.
  const message = problem
    ? `The lab folder ${labHome} cannot be written: ${problem}.${run ? ` Run ${run} is kept at its last checkpoint; once the folder can be written again, resume it.` : ''}`
    : error instanceof Error ? error.message : String(error);
  parent.send({ type: 'error', seq, message, fatal });
  if (fatal) setTimeout(() => process.exit(1), 50);
}

/**
 * Commands and slices of training take turns: each runs to its end (awaits included) before the next
 * begins, so a command never lands while a slice is writing metrics or a checkpoint, nor the reverse.
 */
let queue: Promise<void> = Promise.resolve();
function serially(task: () => Promise<void>): Promise<void> {
  const next = queue.then(task);
  queue = next.catch(() => {});
  return next;
}

function scheduleLoop(delayMs = 0): void {
  if (loopScheduled) return;
  loopScheduled = true;
  const run = () => {
    loopScheduled = false;
    serially(loop).catch((error) => fail(null, error, true));
  };
  if (delayMs > 0) setTimeout(run, delayMs);
  else setImmediate(run);
}

/** Answers every step request still waiting (training started, paused or ended meanwhile). */
function answerStepRequests(): void {
  const waiting = stepRequests;
  stepRequests = [];
  for (const { seq } of waiting) parent.send({ type: 'ack', seq, progress: progress() });
}

async function loop(): Promise<void> {
  if (!driver || finishing) return;
  const head = stepRequests[0];
  const slowed = running && stepsPerSecond !== null;
  if (running) {
    driver.advance(SLICE_MS, slowed ? 1 : Infinity);
  } else if (head) {
    head.remaining -= driver.advance(SLICE_MS, head.remaining);
  }
  // Before the epochs are logged: the epoch that diverged is undone, and never reaches the log or the charts.
  if (driver.trainer.done && await driver.rollBack()) {
    rolledBack();
    return;
  }
  const epochs = await driver.flushEpochs();
  if (epochs.length > 0) parent.send({ type: 'epochs', metrics: epochs });
  // Measured once an epoch has ended, and at full speed no more often than its cost allows (main/training/run-health.ts).
  const health = epochs.length > 0 ? driver.health.measure(!running) : null;
  if (health) parent.send({ type: 'health', health });
  if (driver.trainer.done) {
    await finish(false);
    return;
  }
  if (!running && head && head.remaining <= 0) {
    stepRequests.shift();
    await driver.checkpoint('paused');
    parent.send({ type: 'ack', seq: head.seq, progress: progress() });
  } else if (slowed || performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
    // A slowed run reports every step, so the charts, the diagram and the boundary follow each one.
    lastProgress = performance.now();
    parent.send({ type: 'progress', progress: progress() });
  }
  if (running && driver.checkpointDue()) await driver.checkpoint();
  if (running || stepRequests.length > 0) scheduleLoop(slowed ? 1000 / stepsPerSecond! : 0);
}

/** Training waits at the last good epoch, paused, for the person to continue at a lower learning rate or stop. */
function rolledBack(): void {
  running = false;
  state = 'rolled-back';
  answerStepRequests();
  parent.send({ type: 'progress', progress: progress() });
}

async function finish(stopped: boolean): Promise<void> {
  if (!driver || finishing) return;
  finishing = true;
  running = false;
  stepRequests = [];
  const { record, modelPath } = await driver.finish(stopped, () => stopWhileFinishing);
  state = record.status === 'diverged' ? 'diverged' : record.status === 'stopped' ? 'stopped' : 'finished';
  if (record.summary.health) parent.send({ type: 'health', health: record.summary.health });
  parent.send({ type: 'done', progress: progress(), status: record.status, message: record.summary.message, model: modelPath });
  // Let the message leave before the process does.
  setTimeout(() => process.exit(0), 100);
}

/** Start, resume, and continue after a rollback (which no longer waits once training goes on). */
async function train(run: RunDriver, ack: () => void): Promise<void> {
  run.divergence = null;
  running = true;
  state = 'training';
  answerStepRequests();
  // A checkpoint before the first batch: a worker killed in its first 30 s still leaves a resumable run.
  await run.checkpoint('training');
  ack();
  scheduleLoop();
}

async function handle(command: WorkerCommand): Promise<void> {
  if (command.type === 'configure' || command.type === 'reopen') {
    if (driver) throw new Error('This session is already configured.');
    labHome = command.home;
    const store = new RunStore(command.home);
    const active = command.type === 'configure'
      ? await openRun(command.request, store, process.pid, command.fork)
      : await reopenRun(store, command.run, command.epochs, process.pid);
    driver = new RunDriver(active, store);
    state = command.type === 'configure' ? 'ready' : 'paused';
    parent.send({ type: 'ready', run: active.record.id, progress: progress(), warnings: active.warnings });
    return;
  }
  if (!driver) throw new Error('Configure the session before training it.');
  if (finishing) throw new Error('Training has ended; nothing more can be done in this session.');
  const ack = () => parent.send({ type: 'ack', seq: command.seq, progress: progress() });
  switch (command.type) {
    case 'continue': {
      if (state !== 'rolled-back') throw new Error('Only a run rolled back after diverging continues this way; resume it instead.');
      const from = driver.trainer.config.learningRate;
      driver.trainer.setLearningRate(command.learningRate);
      await driver.recordSettingChange('learningRate', from, command.learningRate);
      await train(driver, ack);
      return;
    }
    case 'start':
    case 'resume':
      await train(driver, ack);
      return;
    case 'pause':
      running = false;
      state = 'paused';
      // Pause also ends steps still to do; their requests are answered where training stopped.
      answerStepRequests();
      await driver.checkpoint('paused');
      ack();
      return;
    case 'step':
      if (running) throw new Error('Pause training before stepping through it.');
      state = 'paused';
      stepRequests.push({ seq: command.seq, remaining: command.count });
      scheduleLoop();
      return;
    case 'stop':
      await finish(true);
      return;
    case 'set': {
      if (running) throw new Error('Pause training before changing the learning rate.');
      const from = driver.trainer.config.learningRate;
      driver.trainer.setLearningRate(command.learningRate);
      await driver.recordSettingChange('learningRate', from, command.learningRate);
      ack();
      return;
    }
    case 'speed':
      stepsPerSecond = command.stepsPerSecond;
      ack();
      return;
    case 'stepDetail': {
      if (running) throw new Error('Pause training before stepping through it in detail.');
      state = 'paused';
      const trace = traceStep(driver.trainer, (watch) => driver!.advance(Infinity, 1, watch));
      const epochs = await driver.flushEpochs();
      if (epochs.length > 0) parent.send({ type: 'epochs', metrics: epochs });
      if (!driver.trainer.done) await driver.checkpoint('paused');
      if (trace) parent.send({ type: 'stepDetail', seq: command.seq, progress: progress(), trace });
      else fail(command.seq, new Error(driver.trainer.message || 'Training has ended; there is no step to show.'), false);
      if (driver.trainer.done) await finish(false);
      return;
    }
    case 'snapshot': {
      const stats = lastBatchStats(driver.trainer);
      parent.send({
        type: 'snapshot',
        seq: command.seq,
        layers: driver.trainer.network.layers.map((l, i) => ({
          inputs: l.inputs, units: l.units, activation: l.act.name, weights: l.weights.slice(), bias: l.bias ? l.bias.slice() : null,
          ...(stats ? { stats: stats[i]! } : {}),
        })),
      });
      return;
    }
  }
}

// Ctrl-C in a terminal reaches the whole process group; the host decides how training ends (it stops the
// run and saves it), so the worker itself must not die of it.
process.on('SIGINT', () => {});

// Under Node, a host that dies closes the channel: keep what was learned, say the run was cut short, and go.
// A run still being opened is opened first, so that it too is left interrupted rather than half made.
process.on('disconnect', () => {
  running = false;
  stopWhileFinishing = finishing;
  stepRequests = [];
  // After the slice or command in progress (a run that is finishing finishes), so the writes never race.
  void serially(async () => {
    if (!driver || finishing) return;
    finishing = true;
    await driver.checkpoint('interrupted');
  }).finally(() => process.exit(0));
});

parent.onMessage((message) => {
  const parsed = workerCommandSchema.safeParse(message);
  if (!parsed.success) {
    const seq = typeof (message as { seq?: unknown })?.seq === 'number' ? (message as { seq: number }).seq : null;
    // Before a session is open there is nothing to keep the process for.
    fail(seq, `Malformed command: ${parsed.error.issues[0]?.message ?? 'unreadable'}.`, driver === null);
    return;
  }
  const command = parsed.data;
  // Heard at once rather than queued behind the finishing run, which then ends without what it has left to do;
  // the run's end ('done') answers the stop.
  if (command.type === 'stop' && finishing) {
    stopWhileFinishing = true;
    return;
  }
  // A session that failed to open has nothing to do; one that is open survives a stray second configure.
  const opening = (command.type === 'configure' || command.type === 'reopen') && driver === null;
  serially(() => handle(command)).catch((error) => fail(command.seq, error, opening && driver === null));
});

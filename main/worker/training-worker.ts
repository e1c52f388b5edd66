import { RunStore } from '../store/run-store';
import { RunDriver } from '../training/run-driver';
import { openRun, reopenRun } from '../training/run-setup';
import { connectParent } from './parent-port';
import { workerCommandSchema, type Progress, type SessionState, type WorkerCommand } from './protocol';

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
let pendingSteps = 0;
let pendingStepSeq: number | null = null;
let loopScheduled = false;
let lastProgress = 0;
let finishing = false;

function progress(): Progress {
  const trainer = driver!.trainer;
  const last = trainer.history[trainer.history.length - 1];
  const batches = driver!.takeBatchLosses();
  return {
    state,
    epoch: trainer.epoch,
    epochs: trainer.config.epochs,
    step: trainer.steps,
    stepsPerEpoch: trainer.stepsPerEpoch,
    samplesPerSecond: driver!.samplesPerSecond,
    batchSteps: batches.steps,
    batchLosses: batches.losses,
    loss: Number.isFinite(trainer.lastBatchLoss) ? trainer.lastBatchLoss : last?.train.loss ?? null,
    valLoss: last?.val?.loss ?? null,
    learningRate: trainer.currentLearningRate,
  };
}

function fail(seq: number | null, error: unknown, fatal: boolean): void {
  parent.send({ type: 'error', seq, message: error instanceof Error ? error.message : String(error), fatal });
  if (fatal) setTimeout(() => process.exit(1), 50);
}

function scheduleLoop(): void {
  if (loopScheduled) return;
  loopScheduled = true;
  setImmediate(() => {
    loopScheduled = false;
    void loop().catch((error) => fail(null, error, true));
  });
}

async function loop(): Promise<void> {
  if (!driver || finishing) return;
  if (running) {
    driver.advance(SLICE_MS);
  } else if (pendingSteps > 0) {
    pendingSteps -= driver.advance(SLICE_MS, pendingSteps);
  }
  const epochs = await driver.flushEpochs();
  if (epochs.length > 0) parent.send({ type: 'epochs', metrics: epochs as unknown as Record<string, unknown>[] });
  if (driver.trainer.done) {
    await finish(false);
    return;
  }
  if (pendingSteps === 0 && pendingStepSeq !== null) {
    const seq = pendingStepSeq;
    pendingStepSeq = null;
    await driver.checkpoint('paused');
    parent.send({ type: 'ack', seq, progress: progress() });
  } else if (performance.now() - lastProgress >= PROGRESS_EVERY_MS) {
    lastProgress = performance.now();
    parent.send({ type: 'progress', progress: progress() });
  }
  if (running && driver.checkpointDue()) await driver.checkpoint();
  if (running || pendingSteps > 0) scheduleLoop();
}

async function finish(stopped: boolean): Promise<void> {
  if (!driver || finishing) return;
  finishing = true;
  running = false;
  pendingSteps = 0;
  const { record, modelPath } = await driver.finish(stopped);
  state = record.status === 'diverged' ? 'diverged' : record.status === 'stopped' ? 'stopped' : 'finished';
  parent.send({ type: 'done', progress: progress(), status: record.status, message: record.summary.message, model: modelPath });
  // Let the message leave before the process does.
  setTimeout(() => process.exit(0), 100);
}

async function handle(command: WorkerCommand): Promise<void> {
  if (command.type === 'configure' || command.type === 'reopen') {
    if (driver) throw new Error('This session is already configured.');
    const store = new RunStore(command.home);
    const active = command.type === 'configure'
      ? await openRun(command.request, store, process.pid)
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
    case 'start':
    case 'resume':
      running = true;
      pendingSteps = 0;
      state = 'training';
      // A checkpoint before the first batch: a worker killed in its first 30 s still leaves a resumable run.
      await driver.checkpoint('training');
      ack();
      scheduleLoop();
      return;
    case 'pause':
      running = false;
      state = 'paused';
      await driver.checkpoint('paused');
      ack();
      return;
    case 'step':
      if (running) throw new Error('Pause training before stepping through it.');
      state = 'paused';
      pendingSteps += command.count;
      pendingStepSeq = command.seq;
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
    case 'snapshot':
      parent.send({
        type: 'snapshot',
        seq: command.seq,
        layers: driver.trainer.network.layers.map((l) => ({
          inputs: l.inputs, units: l.units, activation: l.act.name, weights: l.weights.slice(), bias: l.bias ? l.bias.slice() : null,
        })),
      });
      return;
  }
}

// Ctrl-C in a terminal reaches the whole process group; the host decides how training ends (it stops the
// run and saves it), so the worker itself must not die of it.
process.on('SIGINT', () => {});

// Under Node, a host that dies closes the channel: keep what was learned, say the run was cut short, and go.
process.on('disconnect', () => {
  if (!driver || finishing) process.exit(0);
  finishing = true;
  running = false;
  void driver.checkpoint('interrupted').finally(() => process.exit(0));
});

parent.onMessage((message) => {
  const parsed = workerCommandSchema.safeParse(message);
  if (!parsed.success) {
    const seq = typeof (message as { seq?: unknown })?.seq === 'number' ? (message as { seq: number }).seq : null;
    fail(seq, `Malformed command: ${parsed.error.issues[0]?.message ?? 'unreadable'}.`, false);
    return;
  }
  const command = parsed.data;
  const configuring = command.type === 'configure' || command.type === 'reopen';
  handle(command).catch((error) => fail(command.seq, error, configuring));
});

import { defaultKernels } from './kernels';
import type { Kernels } from './kernels/types';
import { LOSS_REGISTRY } from './losses';
import { combineLoss, countCorrect, evaluate, type MetricKind, type Split, type SplitMetrics } from './metrics';
import { Network, type NetworkSpec } from './network';
import { Optimizer, type OptimizerSettings } from './optimizers';
import { Random } from './random';
import { learningRateAt, type ScheduleSettings } from './schedules';
import { allocate, type FloatArray, type Precision } from './tensor';

export interface TrainConfig {
  epochs: number;
  /** Rows per mini-batch; 'full' uses the whole training set in every step, as the seed does. */
  batchSize: number | 'full';
  learningRate: number;
  optimizer: OptimizerSettings;
  schedule: ScheduleSettings;
  /** Reshuffle the training rows at the start of every epoch. */
  shuffle: boolean;
  /** Stop after this many epochs without improvement of the validation loss (training loss without validation). */
  earlyStopPatience: number | null;
  seed: number;
}

export interface EpochMetrics {
  /** 1-based epoch number. */
  epoch: number;
  /** Global number of mini-batches done when the epoch ended. */
  step: number;
  learningRate: number;
  train: SplitMetrics;
  val?: SplitMetrics;
}

export const TRAINER_STATUSES = ['ready', 'training', 'finished', 'early_stopped', 'diverged'] as const;
export type TrainerStatus = (typeof TRAINER_STATUSES)[number];

/** Everything needed to continue training exactly where it stopped, as plain data. */
export interface TrainerState {
  status: TrainerStatus;
  message: string;
  epoch: number;
  cursor: number;
  steps: number;
  samples: number;
  lastBatchLoss: number;
  baseLearningRate: number;
  learningRate: number;
  epochLossSum: number;
  epochCorrect: number;
  bestLoss: number;
  badEpochs: number;
  firstEpochLoss: number;
  parameters: Float32Array | Float64Array;
  lastGood: Float32Array | Float64Array;
  best: Float32Array | Float64Array;
  optimizer: { t: number; first: (Float32Array | Float64Array)[]; second: (Float32Array | Float64Array)[] };
  shuffleRng: number[];
  order: Uint32Array;
  historyLength: number;
}

/** What one call to `step()` led to. */
export const StepOutcome = { Batch: 0, EpochEnded: 1, Done: 2 } as const;
export type StepOutcome = (typeof StepOutcome)[keyof typeof StepOutcome];

export interface TrainingData {
  train: Split;
  val?: Split;
  metric: MetricKind;
}

/** Rows of at least this many inputs are copied into the batch with set() rather than element by element. */
const WIDE_ROW = 64;

/** A loss this many times the first epoch's counts as exploding. */
const EXPLODE_FACTOR = 1e4;

/**
 * Gradient descent as a state machine over mini-batches. `step()` does exactly one mini-batch, so a host
 * can start, pause, resume and single-step on batch boundaries. The trainer keeps the weights it can
 * return to: the best ones for early stopping and the last good ones for the divergence guard.
 */
export class Trainer {
  readonly network: Network;
  readonly history: EpochMetrics[] = [];
  status: TrainerStatus = 'ready';
  /** Plain-language reason when training ended for any reason but reaching the last epoch. */
  message = '';
  /** Loss of the most recent mini-batch, before its update. */
  lastBatchLoss = Number.NaN;
  /** Mini-batches done so far. */
  steps = 0;
  /** Training rows processed so far, counting each row once per epoch it was used in. */
  samples = 0;
  /** 0-based epoch in progress, or the number of epochs done once finished. */
  epoch = 0;

  private readonly optimizer: Optimizer;
  private readonly shuffleRng: Random;
  private readonly order: Uint32Array;
  private readonly batchRows: number;
  private readonly batchX: FloatArray;
  private readonly batchY: FloatArray;
  private readonly lastGood: FloatArray;
  private readonly best: FloatArray;
  private cursor = 0;
  private learningRate: number;
  private epochLossSum = 0;
  private epochCorrect = 0;
  private bestLoss = Infinity;
  private badEpochs = 0;
  private firstEpochLoss = Number.NaN;

  readonly config: TrainConfig;

  constructor(
    spec: NetworkSpec,
    readonly data: TrainingData,
    config: TrainConfig,
    options: { precision?: Precision; kernels?: Kernels } = {},
  ) {
    // A copy: settings changed during training (learning rate, epochs) must not reach the caller's object.
    this.config = { ...config };
    const rows = data.train.rows;
    if (rows < 1) throw new Error('There are no training rows.');
    if (!(config.epochs >= 1)) throw new Error(`Epochs must be at least 1; got ${config.epochs}.`);
    if (!(config.learningRate > 0)) throw new Error(`The learning rate must be above 0; got ${config.learningRate}.`);
    const requested = config.batchSize === 'full' ? rows : config.batchSize;
    if (!Number.isInteger(requested) || requested < 1) throw new Error(`The batch size must be a whole number of at least 1; got ${config.batchSize}.`);
    this.batchRows = Math.min(requested, rows);
    const precision = options.precision ?? 'float32';
    // The fastest kernels this engine can run (WebAssembly SIMD where available) unless told otherwise.
    let largestProduct = 0;
    for (let i = 0, inputs = spec.inputs; i < spec.layers.length; inputs = spec.layers[i]!.units, i++) {
      largestProduct = Math.max(largestProduct, this.batchRows * inputs * spec.layers[i]!.units);
    }
    this.network = new Network(spec, precision, this.batchRows, options.kernels ?? defaultKernels(largestProduct));
    this.network.initialize(Random.stream(config.seed, 'init'));
    this.optimizer = new Optimizer(this.network.parameters(), config.optimizer, precision, this.network.kernels);
    this.shuffleRng = Random.stream(config.seed, 'shuffle');
    this.order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) this.order[i] = i;
    this.batchX = allocate(precision, this.batchRows * spec.inputs);
    this.batchY = allocate(precision, this.batchRows * this.network.outputs);
    this.lastGood = allocate(precision, this.network.parameterCount);
    this.best = allocate(precision, this.network.parameterCount);
    this.network.copyParametersTo(this.lastGood);
    this.learningRate = config.learningRate;
  }

  get done(): boolean {
    return this.status === 'finished' || this.status === 'early_stopped' || this.status === 'diverged';
  }

  /** Mini-batches in one epoch. */
  get stepsPerEpoch(): number {
    return Math.ceil(this.data.train.rows / this.batchRows);
  }

  get currentLearningRate(): number {
    return this.learningRate;
  }

  /** Changes the base learning rate from the next mini-batch on (a host does this while paused). */
  setLearningRate(rate: number): void {
    if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`The learning rate must be above 0; got ${rate}.`);
    this.config.learningRate = rate;
    this.learningRate = learningRateAt(rate, this.config.schedule, this.epoch, this.config.epochs);
  }

  /** Extends (or shortens) the run; a finished run can continue when more epochs are allowed. */
  setEpochs(epochs: number, options: { continueAfterEarlyStop?: boolean } = {}): void {
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`Epochs must be a whole number of at least 1; got ${epochs}.`);
    this.config.epochs = epochs;
    if (this.status === 'finished' && this.epoch < epochs) this.status = 'training';
    // Asked for more epochs after an early stop, training goes on from the best weights, with fresh patience.
    if (options.continueAfterEarlyStop && this.status === 'early_stopped' && this.epoch < epochs) {
      this.status = 'training';
      this.badEpochs = 0;
      this.message = '';
    }
  }

  exportState(): TrainerState {
    const parameters = this.lastGood.slice();
    this.network.copyParametersTo(parameters);
    return {
      status: this.status,
      message: this.message,
      epoch: this.epoch,
      cursor: this.cursor,
      steps: this.steps,
      samples: this.samples,
      lastBatchLoss: this.lastBatchLoss,
      baseLearningRate: this.config.learningRate,
      learningRate: this.learningRate,
      epochLossSum: this.epochLossSum,
      epochCorrect: this.epochCorrect,
      bestLoss: this.bestLoss,
      badEpochs: this.badEpochs,
      firstEpochLoss: this.firstEpochLoss,
      parameters,
      lastGood: this.lastGood.slice(),
      best: this.best.slice(),
      optimizer: this.optimizer.exportState(),
      shuffleRng: this.shuffleRng.getState(),
      order: this.order.slice(),
      historyLength: this.history.length,
    };
  }

  /** Restores a state from exportState(), with the epoch history up to it. */
  importState(state: TrainerState, history: EpochMetrics[]): void {
    if (state.parameters.length !== this.network.parameterCount || state.order.length !== this.order.length) {
      throw new Error('The checkpoint does not match this network and data.');
    }
    if (history.length < state.historyLength) throw new Error(`The checkpoint needs ${state.historyLength} epochs of history; only ${history.length} were found.`);
    this.network.copyParametersFrom(state.parameters);
    this.lastGood.set(state.lastGood);
    this.best.set(state.best);
    this.optimizer.importState(state.optimizer);
    this.shuffleRng.setState(state.shuffleRng);
    this.order.set(state.order);
    this.history.length = 0;
    for (let i = 0; i < state.historyLength; i++) this.history.push(history[i]!);
    Object.assign(this, {
      status: state.status, message: state.message, epoch: state.epoch, cursor: state.cursor, steps: state.steps, samples: state.samples,
      lastBatchLoss: state.lastBatchLoss, learningRate: state.learningRate, epochLossSum: state.epochLossSum, epochCorrect: state.epochCorrect,
      bestLoss: state.bestLoss, badEpochs: state.badEpochs, firstEpochLoss: state.firstEpochLoss,
    });
    this.config.learningRate = state.baseLearningRate;
  }

  /** One mini-batch: forward, loss, backward, update. */
  step(): StepOutcome {
    if (this.done) return StepOutcome.Done;
    const { train } = this.data;
    const inputs = this.network.spec.inputs;
    const outputs = this.network.outputs;
    if (this.cursor === 0) this.beginEpoch();
    this.status = 'training';

    const rows = Math.min(this.batchRows, train.rows - this.cursor);
    // Short rows are copied element by element (a subarray view is an allocation); long rows, where the
    // element loop costs more than the view, with set(), which is a memory copy when both are float32.
    const { batchX, batchY } = this;
    const wideX = inputs >= WIDE_ROW && train.x.constructor === batchX.constructor;
    for (let r = 0; r < rows; r++) {
      const source = this.order[this.cursor + r]!;
      if (wideX) batchX.set(train.x.subarray(source * inputs, (source + 1) * inputs), r * inputs);
      else for (let i = 0, from = source * inputs, to = r * inputs; i < inputs; i++) batchX[to + i] = train.x[from + i]!;
      for (let j = 0, from = source * outputs, to = r * outputs; j < outputs; j++) batchY[to + j] = train.y[from + j]!;
    }
    const out = this.network.forward(this.batchX, rows);
    const batchLoss = this.network.lossValue(this.batchY, rows);
    this.lastBatchLoss = batchLoss;
    if (!Number.isFinite(batchLoss)) {
      return this.diverge(`The loss became ${batchLoss} at epoch ${this.epoch + 1}, step ${this.steps + 1}: the learning rate is probably too high.`);
    }
    this.epochLossSum += LOSS_REGISTRY[this.network.spec.loss].reduction === 'sum' ? batchLoss : batchLoss * rows;
    if (this.data.metric.kind === 'classification') this.epochCorrect += countCorrect(out, this.batchY, rows, outputs);
    this.network.backward(this.batchX, this.batchY, rows);
    this.optimizer.step(this.learningRate);
    this.steps++;
    this.samples += rows;
    this.cursor += rows;
    if (this.cursor < train.rows) return StepOutcome.Batch;
    return this.endEpoch();
  }

  /** Steps until the current epoch ends (or training does). */
  runEpoch(): StepOutcome {
    let outcome = this.step();
    while (outcome === StepOutcome.Batch) outcome = this.step();
    return outcome;
  }

  /** Trains to the end and returns the history. */
  run(): EpochMetrics[] {
    while (this.step() !== StepOutcome.Done) { /* every step is one mini-batch */ }
    return this.history;
  }

  evaluate(split: Split): SplitMetrics {
    return evaluate(this.network, split, this.data.metric);
  }

  private beginEpoch(): void {
    this.learningRate = learningRateAt(this.config.learningRate, this.config.schedule, this.epoch, this.config.epochs);
    if (this.config.shuffle) this.shuffleRng.shuffle(this.order);
    this.epochLossSum = 0;
    this.epochCorrect = 0;
  }

  private endEpoch(): StepOutcome {
    const trainRows = this.data.train.rows;
    const train: SplitMetrics = { loss: combineLoss(this.network.spec.loss, this.epochLossSum, trainRows) };
    if (this.data.metric.kind === 'classification') train.accuracy = this.epochCorrect / trainRows;
    this.cursor = 0;
    this.epoch++;
    const record: EpochMetrics = { epoch: this.epoch, step: this.steps, learningRate: this.learningRate, train };
    // Validation sees the weights after the epoch's last update; training loss is the mean over its batches.
    if (this.data.val && this.data.val.rows > 0) record.val = this.evaluate(this.data.val);
    if (this.data.metric.kind === 'regression') Object.assign(record.train, this.regressionTrainMetrics());
    this.history.push(record);

    const monitored = record.val ? record.val.loss : train.loss;
    if (!Number.isFinite(monitored)) {
      return this.diverge(`The loss became ${monitored} at epoch ${this.epoch}: the learning rate is probably too high.`);
    }
    if (Number.isNaN(this.firstEpochLoss)) this.firstEpochLoss = train.loss;
    if (train.loss > EXPLODE_FACTOR * Math.max(this.firstEpochLoss, 1e-3)) {
      return this.diverge(`The loss exploded to ${train.loss.toPrecision(4)} at epoch ${this.epoch} (it began at ${this.firstEpochLoss.toPrecision(4)}): lower the learning rate.`);
    }
    // Without a validation split the losses above were measured before the epoch's last update, so they
    // cannot vouch for the weights it produced; an overflow there must not become the "last good" weights.
    if (!this.parametersFinite()) {
      return this.diverge(`The weights became infinite or NaN at epoch ${this.epoch}: the learning rate is probably too high.`);
    }
    this.network.copyParametersTo(this.lastGood);

    if (this.config.earlyStopPatience !== null) {
      if (monitored < this.bestLoss) {
        this.bestLoss = monitored;
        this.badEpochs = 0;
        this.network.copyParametersTo(this.best);
      } else if (++this.badEpochs >= this.config.earlyStopPatience) {
        this.network.copyParametersFrom(this.best);
        this.status = 'early_stopped';
        const bestEpoch = this.epoch - this.badEpochs;
        this.message = `Stopped early at epoch ${this.epoch}: the ${record.val ? 'validation' : 'training'} loss had not improved for ${this.badEpochs} epochs; kept the weights of epoch ${bestEpoch}.`;
        return StepOutcome.Done;
      }
    }
    if (this.epoch >= this.config.epochs) {
      this.status = 'finished';
      return StepOutcome.Done;
    }
    return StepOutcome.EpochEnded;
  }

  /** RMSE and R² of a regression on the training rows need the targets; the batch pass cannot give them. */
  private regressionTrainMetrics(): Partial<SplitMetrics> {
    const { rmse, r2 } = this.evaluate(this.data.train);
    return { rmse, r2 };
  }

  private parametersFinite(): boolean {
    for (const p of this.network.parameters()) {
      for (let i = 0; i < p.values.length; i++) if (!Number.isFinite(p.values[i]!)) return false;
    }
    return true;
  }

  private diverge(message: string): StepOutcome {
    this.network.copyParametersFrom(this.lastGood);
    this.status = 'diverged';
    this.message = `${message} Kept the weights from the last good epoch.`;
    this.cursor = 0;
    return StepOutcome.Done;
  }
}

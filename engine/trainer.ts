import { DEFAULT_KERNEL_SET, kernelSetOf, kernelsOf, type KernelSet } from './kernels';
import type { Kernels } from './kernels/types';
import { LOSS_REGISTRY } from './losses';
import { combineLoss, countCorrect, evaluate, type MetricKind, type Split, type SplitMetrics } from './metrics';
import { Network, type NetworkSpec, type Parameter } from './network';
import { Optimizer, type OptimizerSettings } from './optimizers';
import { Random } from './random';
import { DEFAULT_PLATEAU, learningRateAt, type ScheduleSettings } from './schedules';
import { allocate, type FloatArray, type Precision } from './tensor';
import { thinHistory } from './history';
import type { StepWatcher } from './step-watcher';

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
  /**
   * How much lower than the best so far the monitored loss must be for an epoch to count as an improvement (for
   * early stopping and the plateau schedule); the best weights are kept whatever the margin. Absent: 0.
   */
  earlyStopMinDelta?: number;
  seed: number;
  /**
   * Each class's weight in the loss, in the order of the classes (engine/class-weights.ts); absent, every row
   * counts once. The training, validation and test losses are all weighted with these same weights, so early
   * stopping watches the loss that training minimises; accuracy still counts every row once.
   */
  classWeights?: number[];
  /**
   * The learning rate of every epoch (index 0 is the first), in place of the base rate and schedule: a refit
   * replays the rates its first fit trained at (engine/refit.ts). Past its end the last rate holds.
   */
  rates?: readonly number[];
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
  /** The epoch whose weights `best` holds; NaN in checkpoints from before it was kept (then epoch − badEpochs). */
  bestEpoch: number;
  /** The plateau schedule's factor on the scheduled rate (1 until a plateau lowers it) and its epochs waited since. */
  rateScale: number;
  plateauWait: number;
  /** The first epoch's mean training loss (kept for the record; the divergence guard compares with `initialLoss`). */
  firstEpochLoss: number;
  /**
   * The loss of the initial weights on the training rows, measured before the first update: the divergence
   * guard's baseline. NaN when not known (a checkpoint from before it was kept): the trainer then uses its own
   * measurement of its initial weights, which the same network, seed and data make the same.
   */
  initialLoss: number;
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

/*
 * The divergence guard. Every mini-batch's loss is compared, before its update, with the loss of the initial
 * weights on the training rows (measured when the trainer is made, before any update), and so is every epoch's
 * mean training loss; every WATCH_ROWS rows and at the end of each epoch the weights and gradients are read
 * before the optimiser uses them. The bounds below are far from anything a healthy run reaches, and the checks
 * only read, so a run that does not diverge trains exactly as it would without them.
 */
/** An epoch's mean training loss above this many times the initial loss is exploding. */
const EPOCH_EXPLODE_FACTOR = 1e4;
/** One mini-batch's loss is noisier than an epoch's mean (a batch can be a single hard row): a higher bar. */
const BATCH_EXPLODE_FACTOR = 1e6;
/** The initial loss counts as at least this, so that a network that starts almost right is not stopped by noise. */
const LOSS_FLOOR = 1e-3;
/**
 * A loss above this is diverging whatever the start: far above any loss on standardised data, and below
 * where float32 arithmetic overflows (3.4e38), so the run stops with numbers it can still report.
 */
const LOSS_CEILING = 1e30;
/**
 * The weights' root mean square may not grow more than this many times within one epoch (from the last good
 * weights, the initial ones in the first epoch). Healthy training moves weights by fractions of their size per
 * epoch; a learning rate that throws them a thousandfold out saturates every unit, even where the loss cannot
 * show it (a softmax trained with mean squared error stays below 1 however wrong it is).
 */
const WEIGHT_GROWTH = 1e3;
/** The root mean square the growth is measured from is at least this, so that tiny initial weights can grow to ordinary sizes. */
const WEIGHT_FLOOR = 1;
/**
 * Reading every weight and gradient costs about as much as training one row, so they are read in the step
 * that reaches each multiple of this many rows, and at the end of every epoch: under 1% of the time.
 */
const WATCH_ROWS = 256;

/**
 * Gradient descent as a state machine over mini-batches. `step()` does exactly one mini-batch, so a host
 * can start, pause, resume and single-step on batch boundaries. The trainer keeps the weights it can
 * return to: the best ones for early stopping and the last good ones for the divergence guard.
 */
export class Trainer {
  readonly network: Network;
  /** Every epoch's metrics, the older ones thinned once a run is very long (engine/history.ts). */
  readonly history: EpochMetrics[] = [];
  /** How many times the history has been thinned in this process: a host that logs it rewrites its log then. */
  historyThinned = 0;
  status: TrainerStatus = 'ready';
  /** Plain-language reason when training ended for any reason but reaching the last epoch. */
  message = '';
  /** Loss of the most recent mini-batch, before its update. */
  lastBatchLoss = Number.NaN;
  /** Mini-batches done so far. */
  steps = 0;
  /** Rows of the last mini-batch taken in this trainer (its inputs stay in batchInputs until the next); 0 before any. */
  lastBatchRows = 0;
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
  /** The epoch (from 1) of the step last begun; 0 before any in this trainer. */
  private stepEpoch = 0;
  private learningRate: number;
  private epochLossSum = 0;
  private epochCorrect = 0;
  private bestLoss = Infinity;
  private badEpochs = 0;
  private bestEpoch = 0;
  private rateScale = 1;
  private plateauWait = 0;
  private firstEpochLoss = Number.NaN;
  /** The divergence guard's baseline: the loss of the initial weights on the training rows. */
  private initialLoss: number;
  /** Root mean square of the last good weights, which the weights may not outgrow WEIGHT_GROWTH-fold. */
  private lastGoodRms: number;
  private readonly params: Parameter[];

  readonly config: TrainConfig;

  constructor(
    spec: NetworkSpec,
    readonly data: TrainingData,
    config: TrainConfig,
    options: { precision?: Precision; kernels?: Kernels | KernelSet } = {},
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
    // The fastest kernels this engine can run (fused WebAssembly SIMD where available) unless told otherwise; a set's
    // choice depends only on the network's shape, so the same set always gives the same kernels.
    let largestProduct = 0;
    for (let i = 0, inputs = spec.inputs; i < spec.layers.length; inputs = spec.layers[i]!.units, i++) {
      largestProduct = Math.max(largestProduct, this.batchRows * inputs * spec.layers[i]!.units);
    }
    this.network = new Network(spec, precision, this.batchRows, typeof options.kernels === 'object' ? options.kernels : kernelsOf(options.kernels ?? DEFAULT_KERNEL_SET, largestProduct));
    this.network.initialize(Random.stream(config.seed, 'init'));
    this.network.setClassWeights(config.classWeights ?? null);
    this.optimizer = new Optimizer(this.network.parameters(), config.optimizer, precision, this.network.kernels);
    this.shuffleRng = Random.stream(config.seed, 'shuffle');
    this.order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) this.order[i] = i;
    this.batchX = allocate(precision, this.batchRows * spec.inputs);
    this.batchY = allocate(precision, this.batchRows * this.network.outputs);
    this.lastGood = allocate(precision, this.network.parameterCount);
    this.best = allocate(precision, this.network.parameterCount);
    this.network.copyParametersTo(this.lastGood);
    this.lastGoodRms = rootMeanSquare(this.lastGood);
    this.params = this.network.parameters();
    this.learningRate = config.learningRate;
    // Before any update, so an explosion inside the first epoch cannot raise the bar it is measured against.
    this.initialLoss = evaluate(this.network, data.train, data.metric).loss;
  }

  /** The kernel set that trains this network, as a run records it. */
  get kernelSet(): KernelSet {
    return kernelSetOf(this.network.kernels);
  }

  get done(): boolean {
    return this.status === 'finished' || this.status === 'early_stopped' || this.status === 'diverged';
  }

  /** The epoch whose weights the network holds once training has ended without diverging: the number of epochs a refit trains. */
  get keptEpoch(): number {
    return this.status === 'early_stopped' ? this.bestEpoch : this.epoch;
  }

  /** Mini-batches in one epoch. */
  /**
   * Where the status line and the messages place training: the epoch (from 1) of the step last taken or failed,
   * with `steps` the steps done. A trainer restored from a checkpoint is at the last epoch it completed.
   */
  get positionEpoch(): number {
    return this.stepEpoch || this.epoch;
  }

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
    // A rate set by hand is the rate wanted: a plateau's earlier lowering no longer applies.
    this.rateScale = 1;
    this.plateauWait = 0;
    this.learningRate = this.scheduledRate();
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
      bestEpoch: this.bestEpoch,
      rateScale: this.rateScale,
      plateauWait: this.plateauWait,
      firstEpochLoss: this.firstEpochLoss,
      initialLoss: this.initialLoss,
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
    this.lastGoodRms = rootMeanSquare(this.lastGood);
    this.best.set(state.best);
    this.optimizer.importState(state.optimizer);
    this.shuffleRng.setState(state.shuffleRng);
    this.order.set(state.order);
    this.history.length = 0;
    for (let i = 0; i < state.historyLength; i++) this.history.push(history[i]!);
    // Restored, the trainer stands at the end of the last epoch the state completed, whatever it stepped before.
    this.stepEpoch = 0;
    Object.assign(this, {
      status: state.status, message: state.message, epoch: state.epoch, cursor: state.cursor, steps: state.steps, samples: state.samples,
      lastBatchLoss: state.lastBatchLoss, learningRate: state.learningRate, epochLossSum: state.epochLossSum, epochCorrect: state.epochCorrect,
      bestLoss: state.bestLoss, badEpochs: state.badEpochs, firstEpochLoss: state.firstEpochLoss,
      bestEpoch: Number.isNaN(state.bestEpoch) ? state.epoch - state.badEpochs : state.bestEpoch,
      rateScale: state.rateScale, plateauWait: state.plateauWait,
    });
    // Unknown in older checkpoints: this trainer measured the same initial weights when it was made.
    if (!Number.isNaN(state.initialLoss)) this.initialLoss = state.initialLoss;
    this.config.learningRate = state.baseLearningRate;
  }

  /** One mini-batch: forward, loss, backward, update; a watcher sees the step's own buffers around its update. */
  step(watch?: StepWatcher): StepOutcome {
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
    this.stepEpoch = this.epoch + 1;
    this.lastBatchRows = rows;
    const out = this.network.forward(this.batchX, rows);
    const batchLoss = this.network.lossValue(this.batchY, rows);
    this.lastBatchLoss = batchLoss;
    // Until this epoch ends, the last good weights are those of the last epoch that ended (the initial ones before any).
    const at = this.position();
    if (!Number.isFinite(batchLoss)) return this.diverge(`The loss became ${batchLoss} ${at}`, this.epoch);
    const exploded = this.lossExploded(batchLoss, BATCH_EXPLODE_FACTOR);
    if (exploded) return this.diverge(`The loss reached ${fourDigits(batchLoss)} ${at}, ${exploded}`, this.epoch);
    this.epochLossSum += LOSS_REGISTRY[this.network.spec.loss].reduction === 'sum' ? batchLoss : batchLoss * rows;
    if (this.data.metric.kind === 'classification') this.epochCorrect += countCorrect(out, this.batchY, rows, outputs);
    this.network.backward(this.batchX, this.batchY, rows);
    // The weights this batch was measured on (the previous step's update) and the gradients it gave, before they are used.
    if (Math.floor((this.samples + rows) / WATCH_ROWS) > Math.floor(this.samples / WATCH_ROWS)) {
      const trouble = this.parameterTrouble(at, at);
      if (trouble) return this.diverge(trouble, this.epoch);
    }
    watch?.beforeUpdate({ x: this.batchX, y: this.batchY, rows, order: this.order.subarray(this.cursor, this.cursor + rows), learningRate: this.learningRate, optimizer: this.optimizer });
    this.optimizer.step(this.learningRate);
    watch?.afterUpdate();
    this.steps++;
    this.samples += rows;
    this.cursor += rows;
    if (this.cursor < train.rows) return StepOutcome.Batch;
    return this.endEpoch();
  }

  /** The inputs of the last mini-batch, rows × inputs (a view, valid until the next step). */
  get batchInputs(): FloatArray {
    return this.batchX.subarray(0, this.lastBatchRows * this.network.spec.inputs);
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

  /** The rate of the current epoch: the schedule's, lowered by the plateaus met so far. */
  private scheduledRate(): number {
    const { rates } = this.config;
    if (rates && rates.length > 0) return rates[Math.min(this.epoch, rates.length - 1)]!;
    return learningRateAt(this.config.learningRate, this.config.schedule, this.epoch, this.config.epochs) * this.rateScale;
  }

  private beginEpoch(): void {
    this.learningRate = this.scheduledRate();
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
    if (thinHistory(this.history)) this.historyThinned++;

    const monitored = record.val ? record.val.loss : train.loss;
    // This epoch's weights are not good yet: the last good ones are those of the epoch before.
    const previous = this.epoch - 1;
    if (!Number.isFinite(monitored)) {
      return this.diverge(`The ${record.val ? 'validation' : 'training'} loss became ${monitored} at epoch ${this.epoch}`, previous);
    }
    if (Number.isNaN(this.firstEpochLoss)) this.firstEpochLoss = train.loss;
    const exploded = this.lossExploded(train.loss, EPOCH_EXPLODE_FACTOR);
    if (exploded) return this.diverge(`The training loss of epoch ${this.epoch} averaged ${fourDigits(train.loss)}, ${exploded}`, previous);
    // Without a validation split the losses above were measured before the epoch's last update, so they
    // cannot vouch for the weights it produced; an overflow there must not become the "last good" weights.
    const trouble = this.parameterTrouble(`in epoch ${this.epoch}`, `in the last step of epoch ${this.epoch}`);
    if (trouble) return this.diverge(trouble, previous);
    this.network.copyParametersTo(this.lastGood);
    this.lastGoodRms = rootMeanSquare(this.lastGood);

    // As scikit-learn's tol: an epoch improves only by more than the margin, but the lowest loss's weights are kept.
    const improved = monitored < this.bestLoss - (this.config.earlyStopMinDelta ?? 0);
    this.badEpochs = improved ? 0 : this.badEpochs + 1;
    if (monitored < this.bestLoss) {
      this.bestLoss = monitored;
      this.bestEpoch = this.epoch;
      if (this.config.earlyStopPatience !== null) this.network.copyParametersTo(this.best);
    }
    if (this.config.earlyStopPatience !== null && this.badEpochs >= this.config.earlyStopPatience) {
      this.network.copyParametersFrom(this.best);
      this.status = 'early_stopped';
      const improvement = this.config.earlyStopMinDelta ? ` by more than ${this.config.earlyStopMinDelta}` : '';
      this.message = `Stopped early at epoch ${this.epoch}: the ${record.val ? 'validation' : 'training'} loss had not improved${improvement} for ${this.badEpochs} epochs; kept the weights of epoch ${this.bestEpoch}.`;
      return StepOutcome.Done;
    }
    if (this.config.schedule.name === 'plateau') this.lowerRateOnPlateau(improved);
    if (this.epoch >= this.config.epochs) {
      this.status = 'finished';
      return StepOutcome.Done;
    }
    return StepOutcome.EpochEnded;
  }

  /** The plateau schedule: the rate falls by its factor after `patience` epochs without improvement, down to its floor. */
  private lowerRateOnPlateau(improved: boolean): void {
    const { patience = DEFAULT_PLATEAU.patience, factor = DEFAULT_PLATEAU.factor, minFactor } = this.config.schedule;
    this.plateauWait = improved ? 0 : this.plateauWait + 1;
    if (this.plateauWait < patience) return;
    this.plateauWait = 0;
    this.rateScale = Math.max(minFactor, this.rateScale * factor);
  }

  /** RMSE and R² of a regression on the training rows need the targets; the batch pass cannot give them. */
  private regressionTrainMetrics(): Partial<SplitMetrics> {
    const { rmse, r2 } = this.evaluate(this.data.train);
    return { rmse, r2 };
  }

  /** Why a loss counts as exploded (to finish "The loss reached …, "), or null while it does not. */
  private lossExploded(loss: number, factor: number): string | null {
    if (loss > LOSS_CEILING) return `past the ceiling of ${LOSS_CEILING.toExponential()}`;
    if (loss > factor * Math.max(this.initialLoss, LOSS_FLOOR)) {
      return `over ${factor.toLocaleString('en-US')} times the ${fourDigits(this.initialLoss)} of the initial weights`;
    }
    return null;
  }

  /**
   * What is wrong with the weights (`when` says since when) or with the gradients of the last backward pass
   * (`gradientsAt` says where it was), or null when nothing is: non-finite values, or weights grown past the bound.
   */
  private parameterTrouble(when: string, gradientsAt: string): string | null {
    let weightSquares = 0;
    let gradientSquares = 0;
    let count = 0;
    // A sum of squares is finite exactly when every term is (weights up to 1e154 square to a finite float64).
    for (const { values, grads } of this.params) {
      weightSquares += sumOfSquares(values);
      gradientSquares += sumOfSquares(grads);
      count += values.length;
    }
    if (!Number.isFinite(weightSquares)) return `The weights became infinite or NaN ${when}`;
    if (!Number.isFinite(gradientSquares)) return `The gradients became infinite or NaN ${gradientsAt}`;
    const rms = Math.sqrt(weightSquares / Math.max(1, count));
    if (rms > WEIGHT_GROWTH * Math.max(this.lastGoodRms, WEIGHT_FLOOR)) {
      return `The weights grew over ${WEIGHT_GROWTH}-fold ${when} (to a root mean square of ${fourDigits(rms)} from ${fourDigits(this.lastGoodRms)})`;
    }
    return null;
  }

  /**
   * Where a step that fails stands, counted as the status line counts: the epoch in progress from 1, and the steps
   * done (the failing step's update is never applied).
   */
  private position(): string {
    const epoch = `in epoch ${this.positionEpoch}`;
    return this.steps === 0 ? `${epoch}, at the first step` : `${epoch}, after step ${this.steps}`;
  }

  /**
   * Ends training on divergence with the last good weights: those of epoch `keptEpoch`, the initial ones for 0.
   * The message says what happened, what was kept and what to try.
   */
  private diverge(what: string, keptEpoch: number): StepOutcome {
    this.network.copyParametersFrom(this.lastGood);
    this.status = 'diverged';
    const kept = keptEpoch > 0 ? `Kept the weights from epoch ${keptEpoch}` : 'Kept the initial weights';
    const lower = lowerLearningRate(this.config.learningRate);
    this.message = `${what}: the learning rate is probably too high. ${kept}; try a learning rate of ${lower} or lower.`;
    this.cursor = 0;
    return StepOutcome.Done;
  }
}

/** The learning rate a diverged run is advised to try: a tenth of the one it diverged at, to three digits. */
export function lowerLearningRate(rate: number): number {
  return Number((rate / 10).toPrecision(3));
}

function sumOfSquares(values: FloatArray): number {
  let sum = 0;
  for (let i = 0, n = values.length; i < n; i++) {
    const v = values[i]!;
    sum += v * v;
  }
  return sum;
}

/** Root mean square of an array's values: the weights' typical size. */
function rootMeanSquare(values: FloatArray): number {
  return Math.sqrt(sumOfSquares(values) / Math.max(1, values.length));
}

/** A loss or a weight size for a message, to four significant digits. */
function fourDigits(value: number): string {
  return value.toPrecision(4);
}

import type { DatasetOptions, PreparedDataset } from '../../engine/data/dataset';
import { balancedClassWeights } from '../../engine/class-weights';
import { inputWidth, outputWidth } from '../../engine/data/preprocessing';
import { defaultInitFor } from '../../engine/initializers';
import type { NetworkSpec } from '../../engine/network';
import { DEFAULT_OPTIMIZER } from '../../engine/optimizers';
import { outputHead } from '../../engine/output-head';
import { DEFAULT_PLATEAU, scheduleSettings } from '../../engine/schedules';
import type { TrainConfig } from '../../engine/trainer';
import type { TrainRequest, TrainSettings } from '../../common/settings';
import { advise } from '../../engine/advice';

export function datasetOptions({ roles, settings, import: reading, fold }: TrainRequest): DatasetOptions {
  const options: DatasetOptions = {
    missingPolicy: settings.missingPolicy,
    val: settings.val,
    test: settings.test,
    seed: settings.seed,
    standardize: settings.standardize,
    keepConstant: roles.keepConstant ?? !settings.bias,
  };
  if (roles.target !== undefined) options.target = roles.target;
  if (roles.ignore) options.ignore = roles.ignore;
  if (roles.task) options.task = roles.task;
  if (roles.types) options.types = roles.types;
  if (reading?.missingMarkers) options.missingMarkers = reading.missingMarkers;
  if (fold) options.fold = fold;
  return options;
}

/** The hidden layers as asked, then the output layer and loss that fit the task; odd choices are explained, impossible ones refused. */
export function networkSpec(settings: TrainSettings, data: PreparedDataset): { spec: NetworkSpec; warnings: string[] } {
  const target = data.preprocessing.target;
  const head = outputHead(data.task.kind, target.kind === 'classes' ? target.classes.length : 0, settings.loss, `"${target.column}"`);
  if (head.error) throw new Error(head.error);
  const firstHidden = settings.layers[0]?.activation ?? head.activation;
  const spec: NetworkSpec = {
    inputs: inputWidth(data.preprocessing),
    layers: [...settings.layers, { units: head.units, activation: head.activation }],
    bias: settings.bias,
    loss: head.loss,
    init: settings.init === 'auto' ? defaultInitFor(firstHidden) : settings.init,
  };
  const warnings = head.warning ? [head.warning] : [];
  // A hidden layer narrower than the output must squeeze the classes through fewer units than there are classes.
  const narrow = settings.layers.findIndex((layer) => layer.units < head.units);
  if (narrow >= 0 && head.units > 2) {
    warnings.push(`Hidden layer ${narrow + 1} has ${settings.layers[narrow]!.units} units, fewer than the ${head.units} classes of "${target.column}" it must tell apart; a layer at least as wide as the output usually learns better (for example ${advise('layers', `${Math.max(64, 2 * head.units)},${head.units}`)}).`);
  }
  return { spec, warnings };
}

/** A plateau lowers the rate after half the early-stopping patience, so the lower rate has the other half to improve the loss. */
function plateauPatience(earlyStop: number | null): number {
  return earlyStop === null ? DEFAULT_PLATEAU.patience : Math.max(1, Math.floor(earlyStop / 2));
}

/** The patience in epochs: the settings' epochs, or more where that many epochs are fewer mini-batches than `patienceSteps`. */
function patienceFor(settings: TrainSettings, trainRows: number): number | null {
  if (settings.earlyStop === null) return null;
  const batch = settings.batch === 'full' ? trainRows : Math.min(settings.batch, trainRows);
  const stepsPerEpoch = Math.max(1, Math.ceil(trainRows / Math.max(1, batch)));
  return Math.max(settings.earlyStop, Math.ceil((settings.patienceSteps ?? 0) / stepsPerEpoch));
}

/** The training settings as the trainer takes them; balanced class weights are counted on `data`'s training rows. */
export function trainConfig(settings: TrainSettings, data: PreparedDataset): TrainConfig {
  const patience = patienceFor(settings, data.train.rows);
  const config: TrainConfig = {
    epochs: settings.epochs,
    batchSize: settings.batch,
    learningRate: settings.learningRate,
    optimizer: { ...DEFAULT_OPTIMIZER, name: settings.optimizer, momentum: settings.momentum, l2: settings.l2 },
    schedule: scheduleSettings(settings.schedule, plateauPatience(patience)),
    shuffle: settings.batch !== 'full',
    earlyStopPatience: patience,
    ...(settings.minDelta !== undefined ? { earlyStopMinDelta: settings.minDelta } : {}),
    seed: settings.seed,
  };
  if (settings.classWeight === 'balanced') config.classWeights = balancedWeights(data);
  return config;
}

function balancedWeights(data: PreparedDataset): number[] {
  const target = data.preprocessing.target;
  if (target.kind !== 'classes') {
    throw new Error(`Class weights are for classes, but "${target.column}" is predicted as a number: set class weights to none, or predict the target as classes.`);
  }
  const { y, rows } = data.train;
  return balancedClassWeights(y, rows, outputWidth(target));
}

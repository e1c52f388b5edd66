import type { ActivationName } from '../../engine/activations';
import type { DatasetOptions, PreparedDataset } from '../../engine/data/dataset';
import { inputWidth } from '../../engine/data/preprocessing';
import { defaultInitFor } from '../../engine/initializers';
import { LOSS_LABELS, type LossName } from '../../engine/losses';
import type { NetworkSpec } from '../../engine/network';
import { DEFAULT_OPTIMIZER } from '../../engine/optimizers';
import { DEFAULT_SCHEDULE } from '../../engine/schedules';
import type { TrainConfig } from '../../engine/trainer';
import { trainingDefaults } from '../../engine/training-defaults';
import type { TrainSettings } from '../../common/settings';

/** Everything a person can choose about one training run, and the file(s) it reads. */
export type TrainRequest = TrainSettings & { file: string; testFile?: string };

export const DEFAULT_REQUEST: Omit<TrainRequest, 'file'> = trainingDefaults();

export function datasetOptions(request: TrainRequest): DatasetOptions {
  const options: DatasetOptions = {
    missingPolicy: request.missingPolicy,
    val: request.val,
    test: request.test,
    seed: request.seed,
    standardize: request.standardize,
    keepConstant: !request.bias,
  };
  if (request.target !== undefined) options.target = request.target;
  if (request.ignore) options.ignore = request.ignore;
  if (request.task) options.task = request.task;
  if (request.import?.missingMarkers) options.missingMarkers = request.import.missingMarkers;
  return options;
}

/** The output layer and loss that fit the task, unless the person chose a loss; odd choices are explained. */
export function networkSpec(request: TrainRequest, data: PreparedDataset): { spec: NetworkSpec; warnings: string[] } {
  const warnings: string[] = [];
  const target = data.preprocessing.target;
  const classes = target.kind === 'classes' ? target.classes.length : 0;
  const outputs = target.kind === 'value' || classes === 2 ? 1 : classes;
  let loss: LossName;
  let output: ActivationName;
  if (data.task.kind === 'regression') {
    loss = request.loss === 'auto' ? 'mse' : request.loss;
    if (loss === 'bce' || loss === 'softmax_ce') throw new Error(`${LOSS_LABELS[loss]} is for classes, but "${target.column}" is predicted as a number. Use --loss mse or sse, or --task classification.`);
    output = 'linear';
  } else if (classes === 2) {
    loss = request.loss === 'auto' ? 'bce' : request.loss;
    if (loss === 'softmax_ce') throw new Error(`Softmax cross-entropy needs three classes or more; "${target.column}" has two. Use --loss bce (the default for two classes).`);
    output = 'sigmoid';
  } else {
    loss = request.loss === 'auto' ? 'softmax_ce' : request.loss;
    output = loss === 'bce' ? 'sigmoid' : 'softmax';
    if (loss === 'mse' || loss === 'sse') warnings.push(`A softmax output trained with ${LOSS_LABELS[loss]} learns slowly; softmax cross-entropy is the usual pairing.`);
  }
  const hidden = (i: number): ActivationName => request.activations?.[i] ?? request.activation;
  const init = request.init === 'auto' ? defaultInitFor(hidden(0)) : request.init;
  const spec: NetworkSpec = {
    inputs: inputWidth(data.preprocessing),
    layers: [...request.layers.map((units, i) => ({ units, activation: hidden(i) })), { units: outputs, activation: output }],
    bias: request.bias,
    loss,
    init,
  };
  return { spec, warnings };
}

export function trainConfig(request: TrainRequest): TrainConfig {
  return {
    epochs: request.epochs,
    batchSize: request.batch,
    learningRate: request.learningRate,
    optimizer: { ...DEFAULT_OPTIMIZER, name: request.optimizer, momentum: request.momentum, l2: request.l2 },
    schedule: { ...DEFAULT_SCHEDULE, name: request.schedule },
    shuffle: request.batch !== 'full',
    earlyStopPatience: request.earlyStop,
    seed: request.seed,
  };
}

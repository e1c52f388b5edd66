import { z } from 'zod';
import { HIDDEN_ACTIVATIONS, type HiddenActivationName } from '../engine/activations';
import { CLASS_WEIGHTINGS } from '../engine/class-weights';
import { INITIALIZERS } from '../engine/initializers';
import { LOSSES } from '../engine/losses';
import { OPTIMIZERS } from '../engine/optimizers';
import { SCHEDULES } from '../engine/schedules';
import { MISSING_POLICIES } from '../engine/data/preprocessing';
import { DECIMAL_MARKS } from '../engine/data/numbers';
import { TASK_OVERRIDES } from '../engine/data/task';
import { COLUMN_TYPE_CHOICES } from '../engine/data/column-types';
import type { FoldChoice } from '../engine/data/split';
import { DEFAULT_KERNEL_SET, KERNEL_SETS } from '../engine/kernels';
import { numberSchema, RULES } from './rules';

/** How to read a CSV file; every field optional (detected when absent). */
export const importOptionsSchema = z.object({
  delimiter: z.string().length(1).optional(),
  decimal: z.enum(DECIMAL_MARKS).optional(),
  encoding: z.string().max(32).optional(),
  missingMarkers: z.array(z.string().max(64)).max(64).optional(),
  header: z.boolean().optional(),
}).strict();
export type ImportChoices = z.infer<typeof importOptionsSchema>;

/** Which column is predicted, which are left out, and whether the target is classes or a number (inferred when absent). */
export const datasetRolesSchema = z.object({
  target: z.string().max(1000).optional(),
  ignore: z.array(z.string().max(1000)).max(10_000).optional(),
  task: z.enum(TASK_OVERRIDES).optional(),
  /**
   * Constant columns kept as inputs, which are otherwise left out; absent: every numeric constant column is kept
   * in a network without biases (the seed's bias input) and none in one with them.
   */
  keepConstant: z.array(z.string().max(1000)).max(10_000).optional(),
  /** Columns encoded as another type than the one detected, or ignored; absent: every column as detected. */
  types: z.record(z.string().max(1000), z.enum(COLUMN_TYPE_CHOICES)).refine((t) => Object.keys(t).length <= 10_000, { message: 'at most 10,000 column types' }).optional(),
}).strict();
export type DatasetRoles = z.infer<typeof datasetRolesSchema>;

export { HIDDEN_ACTIVATIONS };
export type HiddenActivation = HiddenActivationName;

/** The most hidden layers a network may have. */
export const MAX_HIDDEN_LAYERS = 64;

const hiddenLayerSchema = z.object({
  units: numberSchema(RULES.units),
  activation: z.enum(HIDDEN_ACTIVATIONS as [HiddenActivation, ...HiddenActivation[]]),
}).strict();
export type HiddenLayer = z.infer<typeof hiddenLayerSchema>;

export { MISSING_POLICIES, CLASS_WEIGHTINGS, KERNEL_SETS };

/** The longest name a run may have, in characters. */
export const RUN_NAME_MAX = 200;
export const runNameSchema = z.string().min(1).max(RUN_NAME_MAX);

/**
 * How to train a network, the same for the app, the browser host and the command line: the network as the list
 * of its hidden layers, and gradient descent. Which file and which columns are the request's (trainRequestSchema).
 */
export const trainSettingsSchema = z.object({
  name: runNameSchema.optional(),
  missingPolicy: z.enum(MISSING_POLICIES),
  standardize: z.boolean(),
  layers: z.array(hiddenLayerSchema).max(MAX_HIDDEN_LAYERS),
  loss: z.enum([...LOSSES, 'auto']),
  init: z.enum([...INITIALIZERS, 'auto']),
  bias: z.boolean(),
  optimizer: z.enum(OPTIMIZERS),
  momentum: numberSchema(RULES.momentum),
  learningRate: numberSchema(RULES.learningRate),
  schedule: z.enum(SCHEDULES),
  epochs: numberSchema(RULES.epochs),
  batch: z.union([numberSchema(RULES.batch), z.literal('full')]),
  l2: numberSchema(RULES.l2),
  seed: numberSchema(RULES.seed),
  val: numberSchema(RULES.fraction),
  test: numberSchema(RULES.fraction),
  /** Epochs without a better validation loss before training stops; null trains every epoch. */
  earlyStop: numberSchema(RULES.patience).nullable(),
  /** How much a loss must fall to count as better, for early stopping and the plateau schedule; absent: any fall. */
  minDelta: numberSchema(RULES.minDelta).optional(),
  /**
   * Early stopping also waits at least this many mini-batches, so that on a small table, where an epoch is a
   * few mini-batches, the patience is not over before the weights have moved; absent: epochs alone count.
   */
  patienceSteps: numberSchema(RULES.patienceSteps).optional(),
  /** How each class's rows count in the loss: once, or balanced by the training rows' class counts; absent counts each once. */
  classWeight: z.enum(CLASS_WEIGHTINGS).optional(),
  /**
   * Once training has ended, train the saved model again from the start on the training and validation rows
   * together, for the epochs early stopping kept (only when there are test rows to judge it by); absent: no refit.
   */
  refit: z.boolean().optional(),
  /** Which kernels train the run; absent in runs made before the choice existed, which trained with 'wasm'. */
  kernels: z.enum(KERNEL_SETS).optional(),
}).strict();
export type TrainSettings = z.infer<typeof trainSettingsSchema>;

export const foldChoiceSchema = z.object({
  folds: numberSchema(RULES.folds),
  index: z.number().int().nonnegative(),
}).strict().refine((f) => f.index < f.folds, { message: 'the fold index must be below the number of folds' }) satisfies z.ZodType<FoldChoice>;

export const experimentRefSchema = z.object({
  id: z.string().min(1).max(200),
  name: runNameSchema,
}).strict();
export type ExperimentRef = z.infer<typeof experimentRefSchema>;

/** A seed sweep's run: seed `index` (from 1) of `seeds`, each run the same settings with another seed. */
export const sweepRefSchema = z.object({
  id: z.string().min(1).max(200),
  name: runNameSchema,
  index: z.number().int().positive(),
  seeds: z.number().int().positive(),
}).strict().refine((s) => s.index <= s.seeds, { message: 'the seed index must be at most the number of seeds' });
export type SweepRef = z.infer<typeof sweepRefSchema>;

/** One training run as asked for: the data file(s), how to read them, the columns' roles and the settings. */
export const trainRequestSchema = z.object({
  file: z.string().min(1),
  /** Tested on this file instead of a fraction of `file`. */
  testFile: z.string().min(1).optional(),
  import: importOptionsSchema.optional(),
  roles: datasetRolesSchema,
  settings: trainSettingsSchema,
  /** Cross-validation: fold `index` (from 0) of `folds` is the test rows; absent, the test fraction is. */
  fold: foldChoiceSchema.optional(),
  /** The cross-validation experiment this run is a fold of. */
  experiment: experimentRefSchema.optional(),
  /** The seed sweep this run is one seed of. */
  sweep: sweepRefSchema.optional(),
}).strict();
export type TrainRequest = z.infer<typeof trainRequestSchema>;

/** The network of `layers` hidden layers of these widths, all with one activation: the command line's --layers and --activation. */
export function hiddenLayers(widths: readonly number[], activation: HiddenActivation): HiddenLayer[] {
  return widths.map((units) => ({ units, activation }));
}

/**
 * What nnlab trains with when a person does not say otherwise: the command line and the app start from
 * the same values. They were chosen with the quality benchmark (`nnlab bench --only quality`: twelve datasets,
 * three seeds, against scikit-learn's MLPs on the same splits; README "Quality against scikit-learn"), not for
 * any one file: two hidden layers wide enough for 26 classes; Adam at 0.01 whose rate halves once the
 * validation loss has not improved for half the early-stopping patience (faster to a good fit than a fixed
 * 0.001, measured better on the regressions, and the halving keeps it from overfitting within a few epochs);
 * early stopping that needs an improvement of 1e-4, waits at least 500 mini-batches (a 300-row spiral needs
 * about that long to be learnt) and keeps the best epoch's weights; up to 500 epochs,
 * which early stopping mostly ends well before.
 */
export const TRAINING_DEFAULTS: Readonly<TrainSettings> = Object.freeze(trainSettingsSchema.parse({
  missingPolicy: 'auto',
  standardize: true,
  layers: hiddenLayers([64, 32], 'relu'),
  loss: 'auto',
  init: 'auto',
  bias: true,
  optimizer: 'adam',
  momentum: 0.9,
  learningRate: 0.01,
  schedule: 'plateau',
  epochs: 500,
  batch: 32,
  l2: 0,
  seed: 1,
  val: 0.2,
  test: 0.2,
  earlyStop: 20,
  minDelta: 0.0001,
  patienceSteps: 500,
  classWeight: 'none',
  kernels: DEFAULT_KERNEL_SET,
  // Off: measured over five seeds it gained on some tables (letter-like +0.015) and lost on others (iris −0.025,
  // diabetes R² −0.015). A refit has no held-out rows to choose its weights by, so it is a second, unchecked run.
  refit: false,
}));

/** A fresh copy of the defaults, safe to change. */
export function defaultSettings(): TrainSettings {
  return structuredClone(TRAINING_DEFAULTS) as TrainSettings;
}

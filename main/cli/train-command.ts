import { Command } from 'commander';
import { RunStore } from '../store/run-store';
import { HIDDEN_ACTIVATIONS, hiddenLayers, TRAINING_DEFAULTS, type DatasetRoles, type HiddenActivation, type TrainRequest, type TrainSettings } from '../../common/settings';
import { RULES } from '../../common/rules';
import { ACTIVATION_LABELS } from '../../engine/activations';
import { MAX_DROPPED_SHARE } from '../../engine/data/missing-policy';
import { COLUMN_TYPE_CHOICES } from '../../engine/data/column-types';
import { dateFeaturesText } from '../../engine/data/dates';
import { INIT_LABELS, INITIALIZERS } from '../../engine/initializers';
import { LOSS_LABELS, LOSSES } from '../../engine/losses';
import { OPTIMIZER_LABELS, OPTIMIZERS } from '../../engine/optimizers';
import { DEFAULT_PLATEAU, DEFAULT_SCHEDULE, SCHEDULE_LABELS, SCHEDULES } from '../../engine/schedules';
import { checkLabHome, resolveLabHome } from '../lab-home';
import { formatNumber, formatRate, heldOutReport } from './format';
import { baselineLines, resultsTable } from './baselines-format';
import {
  activationName, batchSize, classWeighting, columnList, columnTypes, initChoice, kernelSet, layerSizes, lossChoice, missingPolicy, optimizerName, patienceOrZero, ruled, scheduleName, taskChoice,
} from './options';
import { addImportOptions, importOptions, type ImportFlags } from './import-options';
import type { Io } from './io';
import { crossValidate } from './cross-validate';
import { healthLines } from './health-format';
import { exitCodeOf, trainJson, trainRun } from './train-run';

export interface TrainFlags extends ImportFlags {
  target?: string;
  ignore?: string[];
  keepConstant?: string[];
  columnType?: NonNullable<DatasetRoles['types']>;
  layers: number[];
  activation: HiddenActivation;
  loss: TrainSettings['loss'];
  optimizer: TrainSettings['optimizer'];
  momentum: number;
  lr: number;
  schedule: TrainSettings['schedule'];
  epochs: number;
  batch: number | 'full';
  init: TrainSettings['init'];
  l2: number;
  seed: number;
  val: number;
  test: number;
  testFile?: string;
  earlyStop: number;
  minDelta: number;
  patienceSteps: number;
  bias: boolean;
  task?: DatasetRoles['task'];
  missingPolicy: TrainSettings['missingPolicy'];
  standardize: boolean;
  classWeight: NonNullable<TrainSettings['classWeight']>;
  kernels: NonNullable<TrainSettings['kernels']>;
  name?: string;
  home?: string;
  json?: boolean;
  cv?: number;
  refit?: boolean;
}

/** "sgd, momentum: SGD with momentum, …": each name the option takes, with what the app calls it where that says more. */
function choices<Name extends string>(names: readonly Name[], labels: Readonly<Record<Name, string>>): string {
  return names.map((name) => (labels[name].toLowerCase() === name.replace('_', ' ') ? name : `${name}: ${labels[name]}`)).join('; ');
}

export function trainCommand(io: Io): Command {
  return addTrainOptions(new Command('train')
    .description('Train a multilayer perceptron on a CSV file and save the run in the lab.')
    .argument('<file.csv>', 'the training data: a header row, then one row per example'))
    .option('--cv <folds>', 'cross-validate: train one run per stratified fold, each tested on its fold, and report every metric\'s mean ± sd', ruled(RULES.folds))
    .option('--json', 'print one JSON object with the results on the last line of stdout')
    .action(async (file: string, flags: TrainFlags) => {
      io.exitCode = await runTrain(file, flags, io);
    });
}

/** The options that say what to train and how, shared by `nnlab train` and `nnlab sweep`. */
export function addTrainOptions(command: Command): Command {
  const d = TRAINING_DEFAULTS;
  const widths = d.layers.map((l) => l.units);
  const activation = d.layers[0]?.activation ?? 'relu';
  return addImportOptions(command
    .option('--target <column>', 'the column to predict (default: the last column)')
    .option('--ignore <columns>', 'columns to leave out, separated by commas', columnList)
    .option('--keep-constant <columns>', 'constant columns to keep as inputs, separated by commas: one value tells no rows apart, so they are left out, but without biases one plays the bias (default: every numeric constant column with --no-bias, none with biases)', columnList)
    .option('--column-type <column=type,...>', `read a column as another type than detected: ${COLUMN_TYPE_CHOICES.join(', ')} (a date becomes ${dateFeaturesText()})`, columnTypes)
    .option('--task <task>', 'classification or regression (default: inferred from the target)', taskChoice)
    .option('--layers <sizes>', 'neurons per hidden layer, separated by commas, or "none"', layerSizes, widths)
    .option('--activation <name>', `hidden activation, one of ${choices(HIDDEN_ACTIVATIONS, ACTIVATION_LABELS)}`, activationName, activation)
    .option('--loss <name>', `auto (bce for two classes, softmax_ce for more, mse for numbers); ${choices(LOSSES, LOSS_LABELS)}`, lossChoice, d.loss)
    .option('--optimizer <name>', choices(OPTIMIZERS, OPTIMIZER_LABELS), optimizerName, d.optimizer)
    .option('--momentum <mu>', 'momentum coefficient for momentum and nesterov, from 0 to 1', ruled(RULES.momentum), d.momentum)
    .option('--lr <rate>', 'learning rate', ruled(RULES.learningRate), d.learningRate)
    .option('--schedule <name>', `learning-rate schedule: ${choices(SCHEDULES, { ...SCHEDULE_LABELS, step: `${SCHEDULE_LABELS.step}, × ${DEFAULT_SCHEDULE.gamma} every ${DEFAULT_SCHEDULE.stepEpochs} epochs`, plateau: `${SCHEDULE_LABELS.plateau}, × ${DEFAULT_PLATEAU.factor} after half the early-stop patience without improvement` })}`, scheduleName, d.schedule)
    .option('--epochs <n>', 'passes over the training rows', ruled(RULES.epochs), d.epochs)
    .option('--batch <n|full>', 'rows per mini-batch, or "full" for the whole training set per step', batchSize, d.batch)
    .option('--init <name>', `auto (he for relu and leaky_relu, glorot otherwise); ${choices(INITIALIZERS, INIT_LABELS)}`, initChoice, d.init)
    .option('--l2 <lambda>', 'L2 weight decay on weights (not biases)', ruled(RULES.l2), d.l2)
    .option('--seed <n>', 'seed for initial weights, shuffling and splits: the same seed replays the run exactly', ruled(RULES.seed), d.seed)
    .option('--val <fraction>', 'fraction of rows held out for validation', ruled(RULES.fraction), d.val)
    .option('--test <fraction>', 'fraction of rows held out for the final test', ruled(RULES.fraction), d.test)
    .option('--test-file <file.csv>', 'test on this file instead of a fraction of the training file')
    .option('--early-stop <patience>', 'stop after this many epochs without a better validation loss (0: never)', patienceOrZero, d.earlyStop ?? 0)
    .option('--patience-steps <n>', 'early stopping also waits at least this many mini-batches, so a small table gets more epochs of patience (0: --early-stop epochs alone)', ruled(RULES.patienceSteps), d.patienceSteps ?? 0)
    .option('--min-delta <d>', 'how much lower the validation loss must be to count as an improvement, for --early-stop and the plateau schedule', ruled(RULES.minDelta), d.minDelta ?? 0)
    .option('--no-bias', 'layers without bias terms (as in the seed network)')
    .option('--no-standardize', 'feed numeric columns as they are instead of standardising them')
    .option('--missing-policy <policy>', `auto: leave out rows with missing features when they are at most ${MAX_DROPPED_SHARE * 100} % of the rows, else fill them in; drop: leave them out; impute: fill them in (mean, most common category)`, missingPolicy, d.missingPolicy)
    .option('--kernels <set>', 'wasm-fma: WebAssembly SIMD kernels with fused multiply-add (relaxed SIMD; wasm where it is missing); wasm: WebAssembly SIMD kernels; js: the JavaScript reference kernels (tiny networks use it under every set). Their numbers differ in about the sixth digit; a run replays with the set that trained it', kernelSet, d.kernels)
    .option('--class-weight <weighting>', 'none: every row counts once in the loss; balanced: each class weighs n / (classes × its rows), counted on the training rows, so rare classes count as much as common ones (classes only)', classWeighting, d.classWeight ?? 'none')
    .option('--refit', 'once early stopping has chosen the epochs, train the saved model again on the training and validation rows together for that many epochs (only with test rows to judge it by; the validation scores stay the first fit\'s)')
    .option('--no-refit', 'keep the model trained on the training rows alone')
    .option('--name <name>', 'a name for the run')
    .option('--home <dir>', 'the lab folder where runs are kept (default: NNLAB_HOME, else the desktop app’s data folder)'));
}

/** The request the training options describe. */
export function trainRequestOf(file: string, flags: TrainFlags): TrainRequest {
  const settings: TrainSettings = {
    layers: hiddenLayers(flags.layers, flags.activation),
    loss: flags.loss,
    init: flags.init,
    bias: flags.bias,
    optimizer: flags.optimizer,
    momentum: flags.momentum,
    learningRate: flags.lr,
    schedule: flags.schedule,
    epochs: flags.epochs,
    batch: flags.batch,
    l2: flags.l2,
    seed: flags.seed,
    val: flags.val,
    test: flags.testFile ? 0 : flags.test,
    earlyStop: flags.earlyStop > 0 ? flags.earlyStop : null,
    minDelta: flags.minDelta,
    patienceSteps: flags.patienceSteps,
    missingPolicy: flags.missingPolicy,
    standardize: flags.standardize,
    classWeight: flags.classWeight,
    kernels: flags.kernels,
    refit: flags.refit ?? TRAINING_DEFAULTS.refit ?? false,
    ...(flags.name ? { name: flags.name } : {}),
  };
  const roles: DatasetRoles = {
    ...(flags.target !== undefined ? { target: flags.target } : {}),
    ...(flags.ignore ? { ignore: flags.ignore } : {}),
    ...(flags.keepConstant ? { keepConstant: flags.keepConstant } : {}),
    ...(flags.task ? { task: flags.task } : {}),
    ...(flags.columnType ? { types: flags.columnType } : {}),
  };
  return { file, import: importOptions(flags), roles, settings, ...(flags.testFile ? { testFile: flags.testFile } : {}) };
}

async function runTrain(file: string, flags: TrainFlags, io: Io): Promise<number> {
  const request = trainRequestOf(file, flags);
  const store = new RunStore(await checkLabHome(resolveLabHome(flags.home, io.env)));
  if (flags.cv !== undefined) return crossValidate(request, flags.cv, store, { json: flags.json === true }, io);
  const result = await trainRun(request, store, { json: flags.json === true }, io);
  if (result.failed) return 1;
  if (flags.json) {
    io.out(JSON.stringify(trainJson(result.run, store)));
  } else {
    const s = result.run.summary;
    const regression = result.run.task === 'regression';
    io.out('');
    io.out(resultsTable(s, regression));
    io.out('');
    for (const line of baselineLines(s, regression)) io.out(line);
    const report = heldOutReport(s);
    if (report.length > 0) io.out(['', ...report, ''].join('\n'));
    if (s.message) io.out(s.message);
    for (const line of healthLines(s.health)) io.out(line);
    io.out(`${result.run.status} after ${s.epochs} epochs (${s.steps.toLocaleString('en-US')} steps) in ${formatNumber(s.seconds, 2)} s · ${formatRate(s.samplesPerSecond ?? 0)}`);
    io.out(`model: ${store.modelPath(result.run.id)}`);
  }
  return exitCodeOf(result.run);
}

import { constantBaselineName, constantNetwork } from '../../engine/baselines';
import type { Split, SplitMetrics } from '../../engine/metrics';
import { evaluateReport } from '../../engine/metrics-report';
import { Trainer } from '../../engine/trainer';
import type { RunBaselines } from '../../common/baselines';
import { networkSpec, trainConfig } from './plan';
import { metricKind, type ActiveRun } from './run-setup';
import { trainInSlices } from './slices';
import { refitOnAllRows, refitSkipped } from './refit';

type Splits = { train: SplitMetrics | null; val: SplitMetrics | null; test: SplitMetrics | null };

/**
 * The baselines of a run whose training has ended, on its own splits. The linear model is trained with the
 * run's settings and no hidden layer, for at most as many epochs as the network trained (so it costs about as
 * much as the run at most); when `stopRequested` turns true between slices it is left out, with a note.
 * `network` holds the network's own metrics, which are the linear baseline's when it has no hidden layer. When the
 * network was refitted on its training and validation rows (`refit`), so is the linear model, as the same rule says.
 */
export async function runBaselines(run: ActiveRun, network: Splits, stopRequested: () => boolean, refit = false): Promise<RunBaselines> {
  const { data, trainer } = run;
  const metric = metricKind(data);
  const target = data.preprocessing.target;
  const classes = target.kind === 'classes' ? target.classes : null;
  const scores = (score: (split: Split) => SplitMetrics): Splits => {
    const on = (split: Split | null) => (split && split.rows > 0 ? score(split) : null);
    return { train: on(data.train), val: on(data.val), test: on(data.test) };
  };
  const constantModel = constantNetwork(trainer.network.spec, data.train);
  const constant = { name: constantBaselineName(metric), ...scores((split) => evaluateReport(constantModel, split, metric, classes)) };
  if (trainer.network.layers.length === 1) {
    const itself = { ...network, epochs: trainer.history.at(-1)?.epoch ?? 0, itself: true, message: '' };
    return { constant, linear: itself, note: 'The network has no hidden layer: it is the linear baseline itself.' };
  }
  const settings = { ...run.record.request.settings, layers: [] };
  const epochs = Math.min(trainer.config.epochs, Math.max(1, trainer.epoch));
  let linear: Trainer;
  try {
    linear = new Trainer(networkSpec(settings, data).spec, { train: data.train, val: data.val, metric }, { ...trainConfig(settings, data), epochs });
  } catch (error) {
    return { constant, linear: null, note: `The linear baseline could not be trained: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (!(await trainInSlices(linear, stopRequested))) {
    return { constant, linear: null, note: 'The linear baseline was left out: training was stopped while it was being trained.' };
  }
  const limited = epochs < trainer.config.epochs ? `The linear baseline was given at most the ${epochs} epochs the network trained.` : '';
  const refitted = refit && refitSkipped(linear, data, false) === null ? await refitOnAllRows(linear, data, stopRequested) : null;
  if (refit && !refitted && stopRequested()) {
    return { constant, linear: null, note: 'The linear baseline was left out: training was stopped while it was being refitted.' };
  }
  const final = refitted?.trainer.network ?? linear.network;
  const linearScores = scores((split) => evaluateReport(final, split, metric, classes));
  // As the network's: the validation score is the first fit's, made before the refit trained on those rows.
  if (data.val.rows > 0) linearScores.val = evaluateReport(linear.network, data.val, metric, classes);
  return {
    constant,
    linear: { ...linearScores, epochs: linear.history.at(-1)?.epoch ?? 0, itself: false, message: linear.message },
    note: limited,
  };
}

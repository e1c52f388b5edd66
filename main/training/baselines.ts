import { setImmediate as nextTurn } from 'node:timers/promises';
import { constantBaselineName, constantNetwork } from '../../engine/baselines';
import type { Split, SplitMetrics } from '../../engine/metrics';
import { evaluateReport } from '../../engine/metrics-report';
import { StepOutcome, Trainer } from '../../engine/trainer';
import type { RunBaselines } from '../../common/baselines';
import { networkSpec, trainConfig } from './plan';
import { metricKind, type ActiveRun } from './run-setup';

/** The linear baseline trains in slices of this length, so a stop between them is heard at once. */
const SLICE_MS = 20;

type Splits = { train: SplitMetrics | null; val: SplitMetrics | null; test: SplitMetrics | null };

/**
 * The baselines of a run whose training has ended, on its own splits. The linear model is trained with the
 * run's settings and no hidden layer, for at most as many epochs as the network trained (so it costs about as
 * much as the run at most); when `stopRequested` turns true between slices it is left out, with a note.
 * `network` holds the network's own metrics, which are the linear baseline's when it has no hidden layer.
 */
export async function runBaselines(run: ActiveRun, network: Splits, stopRequested: () => boolean): Promise<RunBaselines> {
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
  while (!linear.done) {
    // A turn of the event loop before every slice, the first too, lets a stop that is on its way be heard.
    await nextTurn();
    if (stopRequested()) return { constant, linear: null, note: 'The linear baseline was left out: training was stopped while it was being trained.' };
    const deadline = performance.now() + SLICE_MS;
    while (linear.step() !== StepOutcome.Done && performance.now() < deadline) { /* one mini-batch a turn of the loop */ }
  }
  const limited = epochs < trainer.config.epochs ? `The linear baseline was given at most the ${epochs} epochs the network trained.` : '';
  return {
    constant,
    linear: { ...scores((split) => evaluateReport(linear.network, split, metric, classes)), epochs: linear.history.at(-1)?.epoch ?? 0, itself: false, message: linear.message },
    note: limited,
  };
}

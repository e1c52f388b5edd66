import { daysFromCivil, formatIsoDate } from '../../engine/data/dates';
import { decodeOutput, inputWidth, outputWidth, type Preprocessing } from '../../engine/data/preprocessing';
import { confusionMatrix } from '../../engine/metrics';
import { evaluateReport } from '../../engine/metrics-report';
import { networkFromModel } from '../../engine/model';
import { loadModel } from '../model-file';
import type { RunStore } from '../store/run-store';
import { heldBackSplit, readRunData } from '../training/run-data';
import { metricKind } from '../training/run-setup';
import type { RunEvaluation } from '../../common/lab-api';

/** Rows sent back with an evaluation; the metrics and the confusion matrix count every row. */
const MAX_ROWS = 1000;

/**
 * A run's saved model on its held-out rows: the data is read and split again exactly as the run did
 * (same settings, same seed), so the rows are the ones the run never trained on.
 */
export async function evaluateRun(store: RunStore, id: string): Promise<RunEvaluation> {
  const record = await store.get(id);
  const model = await loadModel(store.modelPath(id)).catch(() => {
    throw new Error(`Run "${record.name}" has no saved model yet: stop or finish its training first.`);
  });
  const runData = await readRunData(record.request).catch((error: Error) => {
    throw new Error(`Run "${record.name}" cannot be evaluated: ${error.message}`);
  });
  const { data } = runData;
  const { name, split } = heldBackSplit(runData);

  const network = networkFromModel(model);
  // The held-out loss is weighted as the run's own summary weighs it.
  network.setClassWeights(record.training.classWeights ?? null);
  const outputs = network.outputs;
  const out = new Float32Array(split.rows * outputs);
  network.predict(split.x, split.rows, out);
  const target = model.preprocessing.target;
  const classes = target.kind === 'classes' ? target.classes : null;
  const confusion = classes ? confusionMatrix(out, split.y, split.rows, outputs, classes.length) : null;
  const rows: RunEvaluation['rows'] = [];
  const width = outputWidth(target);
  for (let r = 0; r < split.rows; r++) {
    const predicted = decodeOutput(target, out, r * outputs);
    const truth = decodeOutput(target, split.y, r * width).prediction;
    if (rows.length < MAX_ROWS) {
      rows.push({ features: decodeFeatures(model.preprocessing, split.x, r), truth, prediction: predicted.prediction, probabilities: predicted.probabilities ?? null });
    }
  }
  return {
    run: id,
    split: name,
    task: record.task,
    target: target.column,
    metrics: evaluateReport(network, split, metricKind(data), classes),
    features: model.preprocessing.features.map((f) => f.column),
    classes,
    confusion,
    rows,
    total: split.rows,
    baselines: record.summary.baselines ?? null,
  };
}

/** Undoes the input encoding of one row: numbers unscaled, one-hot groups back to their category, dates rebuilt from their parts. */
function decodeFeatures(p: Preprocessing, x: ArrayLike<number>, row: number): (number | string | null)[] {
  let at = row * inputWidth(p);
  return p.features.map((f) => {
    if (f.kind === 'numeric') return x[at++]! * f.std + f.mean;
    if (f.kind === 'date') {
      const [year, month, day] = f.mean.map((mean, i) => Math.round(x[at + i]! * f.std[i]! + mean));
      at += f.parts.length;
      return formatIsoDate(daysFromCivil(year!, month!, day!));
    }
    let best = -1;
    for (let i = 0; i < f.categories.length; i++) if (x[at + i]! > 0.5) best = i;
    at += f.categories.length;
    return best < 0 ? null : f.categories[best]!;
  });
}

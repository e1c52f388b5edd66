import { daysFromCivil, formatIsoDate } from '../../engine/data/dates';
import { decodeOutput, inputWidth, outputWidth, type Preprocessing } from '../../engine/data/preprocessing';
import { confusionMatrix } from '../../engine/metrics';
import { evaluateReport } from '../../engine/metrics-report';
import { networkFromModel } from '../../engine/model';
import { loadModel } from '../model-file';
import type { ImportResult } from '../data/import/import-csv';
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
  const runData = await readRunData(record.request, true).catch((error: Error) => {
    throw new Error(`Run "${record.name}" cannot be evaluated: ${error.message}`);
  });
  const { data } = runData;
  const { name, split, source } = heldBackSplit(runData);

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
  const cells = fileCells(source, [...model.preprocessing.features.map((f) => f.column), target.column]);
  for (let r = 0; r < Math.min(MAX_ROWS, split.rows); r++) {
    const predicted = decodeOutput(target, out, r * outputs);
    const truth = decodeOutput(target, split.y, r * width).prediction;
    const shown = cells(split.source?.[r]);
    rows.push({
      features: shown?.slice(0, -1) ?? decodeFeatures(model.preprocessing, split.x, r),
      truth,
      ...(shown ? { truthCell: shown.at(-1)! } : {}),
      prediction: predicted.prediction,
      probabilities: predicted.probabilities ?? null,
    });
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

/**
 * The cells of the named columns in one table row, as the file has them: decoding the scaled inputs gives
 * back 0 as −2.5e-9, so what a person is shown is the file's own text. Null when the row is not known.
 */
function fileCells(source: ImportResult, columns: readonly string[]): (row: number | undefined) => string[] | null {
  const names = source.table.columns.map((c) => c.name);
  const at = columns.map((column) => names.indexOf(column));
  const raw = source.raw;
  if (!raw || at.includes(-1)) return () => null;
  return (row) => (row === undefined || !raw[row] ? null : at.map((c) => raw[row]![c]!));
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

import { describe, expect, it } from 'vitest';
import { columnarFromTable } from '../../engine/data/columnar';
import { classificationReport, confusionFromIndices, evaluateReport, regressionErrors } from '../../engine/metrics-report';
import { Network } from '../../engine/network';
import { metricsAgainstTruth, truthNotes } from '../../engine/truth-metrics';

// Known results: scikit-learn 1.x, classification_report(y_true, y_pred, zero_division=0, output_dict=True),
// balanced_accuracy_score, mean_absolute_error, mean_squared_error ** 0.5 and r2_score on the data below.
const SKLEARN_A = {
  truth: [0, 0, 0, 1, 1, 2, 2, 2, 2, 0, 1, 2],
  predicted: [0, 1, 0, 1, 0, 0, 1, 2, 0, 0, 1, 1],
  perClass: [
    { precision: 0.5, recall: 0.75, f1: 0.6, support: 4 },
    { precision: 0.4, recall: 0.6666666666666666, f1: 0.5, support: 3 },
    { precision: 1.0, recall: 0.2, f1: 0.33333333333333337, support: 5 },
  ],
  accuracy: 0.5,
  macro: { precision: 0.6333333333333333, recall: 0.5388888888888889, f1: 0.47777777777777786 },
  weighted: { precision: 0.6833333333333332, recall: 0.5, f1: 0.46388888888888885 },
  balanced: 0.5388888888888889,
};
// Class 3 is predicted but never true: precision 0 by zero_division, and it counts in the macro average.
const SKLEARN_B = {
  truth: [0, 0, 1, 1, 2, 2],
  predicted: [0, 3, 1, 1, 3, 0],
  macro: { precision: 0.375, recall: 0.375, f1: 0.375 },
  weighted: { precision: 0.5, recall: 0.5, f1: 0.5 },
  balanced: 0.5,
};

function expectClose<T extends object>(actual: T, expected: Partial<Record<keyof T, number>>): void {
  for (const [key, value] of Object.entries(expected) as [keyof T, number][]) expect(actual[key], String(key)).toBeCloseTo(value, 12);
}

describe('classification report', () => {
  it('matches scikit-learn’s classification_report and balanced accuracy', () => {
    // A fourth class that no row has and none is predicted as is listed, but left out of the macro average.
    const classes = ['a', 'b', 'c', 'd'];
    const report = classificationReport(confusionFromIndices(SKLEARN_A.truth, SKLEARN_A.predicted, 4), classes);
    expect(report.perClass.map((m) => m.class)).toEqual(classes);
    SKLEARN_A.perClass.forEach((expected, c) => expectClose(report.perClass[c]!, expected));
    expect(report.perClass[3]).toEqual({ class: 'd', precision: 0, recall: 0, f1: 0, support: 0 });
    expect(report.accuracy).toBe(SKLEARN_A.accuracy);
    expectClose(report.macroAvg, SKLEARN_A.macro);
    expectClose(report.weightedAvg, SKLEARN_A.weighted);
    expect(report.balancedAccuracy).toBeCloseTo(SKLEARN_A.balanced, 12);
  });

  it('counts a class predicted but never true in the macro average, not in balanced accuracy', () => {
    const report = classificationReport(confusionFromIndices(SKLEARN_B.truth, SKLEARN_B.predicted, 4), ['0', '1', '2', '3']);
    expect(report.perClass[3]).toEqual({ class: '3', precision: 0, recall: 0, f1: 0, support: 0 });
    expectClose(report.macroAvg, SKLEARN_B.macro);
    expectClose(report.weightedAvg, SKLEARN_B.weighted);
    expect(report.balancedAccuracy).toBe(SKLEARN_B.balanced);
  });

  it('works a two-class case by hand', () => {
    // 3 true positives, 1 false positive, 2 false negatives, 4 true negatives.
    const counts = [[4, 1], [2, 3]];
    const report = classificationReport(counts, ['no', 'yes']);
    expect(report.perClass[1]).toEqual({ class: 'yes', precision: 3 / 4, recall: 3 / 5, f1: (2 * 3) / (2 * 3 + 1 + 2), support: 5 });
    expect(report.perClass[0]).toEqual({ class: 'no', precision: 4 / 6, recall: 4 / 5, f1: (2 * 4) / (2 * 4 + 2 + 1), support: 5 });
    expect(report.balancedAccuracy).toBeCloseTo((3 / 5 + 4 / 5) / 2, 15);
    expect(report.accuracy).toBe(7 / 10);
  });

  it('gives 0, not NaN, where a class is never predicted (zero_division=0)', () => {
    const report = classificationReport([[3, 0], [2, 0]], ['a', 'b']);
    expect(report.perClass[1]).toEqual({ class: 'b', precision: 0, recall: 0, f1: 0, support: 2 });
    expect(report.perClass[0]!.precision).toBe(3 / 5);
  });
});

describe('regression errors', () => {
  it('match scikit-learn’s MAE, RMSE and R²', () => {
    const truth = [3.0, -0.5, 2.0, 7.0, 4.2];
    const predicted = [2.5, 0.0, 2.0, 8.0, 3.9];
    const errors = regressionErrors(predicted, truth);
    expect(errors.mae).toBeCloseTo(0.4600000000000001, 12);
    expect(errors.rmse).toBeCloseTo(0.5639148871948674, 12);
    expect(errors.r2).toBeCloseTo(0.9480256276150627, 12);
  });
});

describe('evaluateReport', () => {
  it('reports MAE in the target’s units from a network’s outputs', () => {
    // A network with no hidden layer and a linear output: out = 2x + 1, targets scaled by 10.
    const network = new Network({ inputs: 1, layers: [{ units: 1, activation: 'linear' }], loss: 'mse', bias: true, init: 'glorot' });
    network.layers[0]!.weights[0] = 2;
    network.layers[0]!.bias![0] = 1;
    const x = Float32Array.from([0, 1, 2]);
    const y = Float32Array.from([1.5, 3, 4]); // errors −0.5, 0, 1
    const metrics = evaluateReport(network, { x, y, rows: 3 }, { kind: 'regression', scale: 10 }, null);
    expect(metrics.mae).toBeCloseTo(10 * (0.5 + 0 + 1) / 3, 5);
    expect(metrics.rmse).toBeCloseTo(10 * Math.sqrt((0.25 + 1) / 3), 5);
    expect(metrics.perClass).toBeUndefined();
  });

  it('reports per-class metrics of a classifier with its accuracy', () => {
    const network = new Network({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], loss: 'bce', bias: true, init: 'glorot' });
    network.layers[0]!.weights[0] = 10;
    network.layers[0]!.bias![0] = -5; // predicts class 1 when x > 0.5
    const x = Float32Array.from([0, 0.2, 0.8, 1, 0.9]);
    const y = Float32Array.from([0, 1, 1, 1, 0]);
    const metrics = evaluateReport(network, { x, y, rows: 5 }, { kind: 'classification' }, ['no', 'yes']);
    expect(metrics.accuracy).toBe(3 / 5);
    expect(metrics.perClass).toEqual([
      { class: 'no', precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2 },
      { class: 'yes', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3 },
    ]);
    expect(metrics.balancedAccuracy).toBeCloseTo((1 / 2 + 2 / 3) / 2, 12);
  });
});

describe('metrics against the truth in a file', () => {
  const table = (cells: string[]) => columnarFromTable({ source: 't.csv', columns: ['y'], cells: [cells], rows: cells.length, lines: cells.map((_, i) => i + 2) }, new Set(['', 'NA']));
  const prediction = (p: string | number | null) => ({ prediction: p, probabilities: null });

  it('leaves out rows with no truth and classes the model never saw, and says so', () => {
    const column = table(['a', 'b', '', 'c', 'a', 'z']).columns[0]!;
    const predictions = ['a', 'a', 'b', 'c', null, 'a'].map(prediction);
    const judged = metricsAgainstTruth({ kind: 'classes', column: 'y', classes: ['a', 'b', 'c'] }, column, predictions);
    expect(judged.rows).toBe(3);
    expect(judged.missingTruth).toBe(1);
    expect([...judged.newClasses]).toEqual([['z', 1]]);
    expect(judged.confusion).toEqual([[1, 0, 0], [1, 0, 0], [0, 0, 1]]);
    expect(judged.metrics!.accuracy).toBe(2 / 3);
    expect(truthNotes(judged, 'y')).toEqual([
      '1 row without a value in "y" was left out of the metrics.',
      '1 row of "y" holds a class the model never saw: "z" (1); it was left out of the metrics, which judge the model\'s classes only.',
    ]);
  });

  it('judges values in their own units', () => {
    const column = table(['1', '2', 'NA', '4']).columns[0]!;
    const judged = metricsAgainstTruth({ kind: 'value', column: 'y', mean: 0, std: 1 }, column, [1.5, 2, 9, 3].map(prediction));
    expect(judged.rows).toBe(3);
    expect(judged.metrics!.mae).toBeCloseTo(0.5, 12);
    expect(judged.metrics!.rmse).toBeCloseTo(Math.sqrt(1.25 / 3), 12);
  });
});
